import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PublicStatusDocument } from '#core/routing/public-status.js';
import { FaultInjector, type FaultKind, type FaultService } from '#local/faults/fault-plan.js';
import type { QueueRecord } from '#local/runtime/records.js';
import type { LocalStack } from '#local/stack.js';
import { eventually, getJson, startTestStack } from '#test/support/local-stack.js';

// Longer than the test runs in virtual time: the agents on these calls stay on them.
const LONG_CALL_SECONDS = 8 * 3600;

/** Connect answering normally until `down` is set, then refusing every call (a Connect outage). */
class SwitchableConnect extends FaultInjector {
  down = false;

  constructor() {
    super({});
  }

  override draw(service: FaultService): FaultKind | undefined {
    return service === 'connect' && this.down ? 'server-error' : undefined;
  }
}

describe('the wait published to customers, in the local stack', () => {
  let stack: LocalStack;
  const connect = new SwitchableConnect();

  const status = () => getJson<PublicStatusDocument>(stack, '/api/public-status');
  const primaryState = async () =>
    (await getJson<QueueRecord[]>(stack, '/api/queues')).find((q) => q.id === 'primary')?.routingState;
  const metric = async (name: string) =>
    (await getJson<{ metrics: Record<string, number> }>(stack, '/api/status')).metrics[
      `overflow-controller.${name}`
    ] ?? 0;

  beforeAll(async () => {
    // 40 virtual seconds a real second, as the overflow e2e test: every controller sample runs on a busy
    // machine, and the 45 s a state is believed pass in about a real second.
    stack = await startTestStack({ speed: 40, faults: connect });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('follows the controller: the phone wait and the reply promise change with NORMAL -> OVERFLOW', async () => {
    // Prepare: two voice agents and two second-line agents, nobody calling
    stack.simulator.setAgentsOnline('voice', 2);
    stack.simulator.setAgentsOnline('secondLine', 2);
    await eventually(stack, async () =>
      expect((await status()).channels.phone.wait).toEqual({ estimate: 'under-a-minute' }),
    );
    const normal = await status();

    // Act: four callers keep all four agents on long calls; a new caller would wait for the first of
    // four 300 s calls to end (75 s), above T_enter (60 s): OVERFLOW after its samples
    for (let i = 1; i <= 4; i += 1) {
      await stack.inboundFlow.call({
        at: stack.clock.nowMs(),
        phone: `+4860200000${i}`,
        patienceSeconds: Number.POSITIVE_INFINITY,
        handlingSeconds: LONG_CALL_SECONDS,
      });
    }
    await eventually(stack, async () => {
      expect(await primaryState()).toBe('OVERFLOW');
      expect((await status()).channels.phone.state).toBe('OVERFLOW');
    });
    const overflow = await status();

    // Assess
    expect(normal.channels).toMatchObject({
      phone: { state: 'NORMAL' },
      messages: { replyWithinHours: 2 },
    });
    expect(normal.text.en).toBe('Phone: waiting time under a minute. Messages: we reply within 2 hours.');
    expect(overflow.channels.phone.wait).toEqual({ estimate: 'minutes', minutes: 2 });
    expect(overflow.text).toEqual({
      pl: 'Telefon: czas oczekiwania około 2 minut. Wiadomości: odpowiadamy w ciągu 4 godzin.',
      en: 'Phone: waiting time about 2 minutes. Messages: we reply within 4 hours.',
    });
    expect(Date.parse(overflow.validUntil) - Date.parse(overflow.updatedAt)).toBe(3600 * 1000);
  });

  it('is not written again while what it says stays the same', async () => {
    // Prepare
    const runs = async () =>
      (await getJson<{ jobs: { name: string; runs: number }[] }>(stack, '/api/status')).jobs.find(
        (j) => j.name === 'overflow-controller',
      )?.runs ?? 0;
    const [writesBefore, runsBefore] = [await metric('PublicStatusWrites'), await runs()];

    // Act: two virtual minutes more of the same queue (eight samples)
    await eventually(stack, async () => expect(await runs()).toBeGreaterThanOrEqual(runsBefore + 8));

    // Assess: a handful of writes in all (no sample yet or no agents, under a minute, then the longer
    // wait and OVERFLOW), and none while the document stayed the same
    expect(writesBefore).toBeGreaterThanOrEqual(3);
    expect(writesBefore).toBeLessThanOrEqual(5);
    expect(await metric('PublicStatusWrites')).toBe(writesBefore);
    expect(await metric('PublicStatusWriteFailures')).toBe(0);
  });

  it('says the wait is unknown once the controller cannot confirm the state', async () => {
    // Act: Connect refuses the controller's metrics calls; no sample confirms the state for 45 s
    connect.down = true;
    await eventually(stack, async () =>
      expect((await status()).channels.phone.wait).toEqual({ estimate: 'unknown', reason: 'stale' }),
    );
    const stale = await status();
    connect.down = false;

    // Assess: no short wait promised, and the longest reply time
    expect(stale.channels.phone.state).toBe('UNKNOWN');
    expect(stale.channels.messages.replyWithinHours).toBe(24);
    expect(stale.text.en).toBe('Phone: waiting time unknown right now. Messages: we reply within 24 hours.');
  });
});
