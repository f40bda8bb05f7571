import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { loadConfig } from '#infra/config/load.js';
import { type LocalStack, type LocalStackOptions, startLocalStack } from '#local/stack.js';

/** A local stack for one test file: free ports, an in-memory database, a state folder of its own. */
export const startTestStack = (overrides: Partial<LocalStackOptions> = {}): Promise<LocalStack> =>
  startLocalStack({
    config: loadConfig('dev'),
    stateDir: mkdtempSync(join(tmpdir(), 'peakline-e2e-')),
    startTime: new Date('2026-11-27T18:00:00+01:00'),
    speed: 60,
    demo: false,
    eventsPort: 0,
    dashboardPort: 0,
    inMemoryDatabase: true,
    log: () => {},
    ...overrides,
  });

/** The AWS SDK's own EventBridge client, pointed at the local endpoint as a shop backend would. */
export const eventBridgeClient = (stack: LocalStack): EventBridgeClient =>
  new EventBridgeClient({
    endpoint: stack.eventsUrl,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'shop', secretAccessKey: 'shop' },
  });

/** How long `eventually` waits by default, in real milliseconds. */
export const EVENTUALLY_MS = 40_000;

export const getJson = async <T>(stack: LocalStack, path: string): Promise<T> => {
  const res = await fetch(`${stack.dashboardUrl}${path}`);
  if (!res.ok) throw new Error(`GET ${path}: ${res.status}`);
  return (await res.json()) as T;
};

/**
 * Waits until `check` passes, settling the stack between tries; the last failure is rethrown. It polls the
 * state, so it returns as soon as the state is right; the limit is generous (real seconds, while the
 * virtual clock runs on) because the suite must pass on a machine busy with something else.
 */
export const eventually = async (
  stack: LocalStack,
  check: () => Promise<void> | void,
  timeoutMs = EVENTUALLY_MS,
) => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await stack.settle();
    try {
      await check();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};
