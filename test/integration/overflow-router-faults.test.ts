/**
 * The routing proof (issue 11): with its store down, slow, stale or holding garbage, every call still
 * reaches the primary queue, within the router's own deadline, and the reason is reported (the handler
 * counts each fallback by it: RouterFallbacks, and RoutingStateStale for a state not taken).
 *
 * The router here is the Lambda's own (`overflowRouter` over `routerDynamoDb`, the signed request without
 * the SDK: the same attempt deadlines, retries and read deadline); only the endpoint differs: DynamoDB Local for the real store, a
 * closed port, or a fake endpoint that fails or never answers.
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '#adapters/dynamodb/document-client.js';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import type { QueueMetrics } from '#core/ports.js';
import { takeSample } from '#core/routing/controller.js';
import { overflowRouter, routerDynamoDb } from '#functions/overflow-router/wiring.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const PRIMARY = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001`;
const SECOND_LINE = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000002`;
/** The router reads the `primary` queue's item: a table of this file's own, so no other test writes it. */
const TABLE = `peakline-it-router-faults-${Date.now().toString(36)}-routing`;
const ENV = {
  ROUTING_TABLE_NAME: TABLE,
  ROUTER_CACHE_SECONDS: 5,
  QUEUE_ARN_PRIMARY: PRIMARY,
  QUEUE_ARN_SECOND_LINE: SECOND_LINE,
};
/**
 * The router function's timeout (infra/constructs/overflow-routing.ts): past it Lambda stops the function
 * and the flow takes its error branch. The router must answer well before, from its own deadline.
 */
const ROUTER_FUNCTION_TIMEOUT_MS = 3_000;
const PRIMARY_ANSWER = { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' };
const T0 = Date.UTC(2026, 10, 27, 19);

const clientOn = (endpoint: string) =>
  routerDynamoDb({ endpoint, region: LOCAL_REGION, credentials: LOCAL_CREDENTIALS });

/** A fake DynamoDB endpoint: `fail` answers every request with a 500, `hang` never answers. */
const fakeEndpoint = async (mode: 'fail' | 'hang'): Promise<{ url: string; server: Server }> => {
  const server = createServer((request, response) => {
    request.resume();
    if (mode === 'hang') return;
    response.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
    response.end(
      JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError',
        message: 'injected',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server };
};

/** A port nothing listens on: taken, then given back. */
const closedPort = async (): Promise<string> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
};

const timed = async <T>(run: () => Promise<T>): Promise<{ result: T; tookMs: number }> => {
  const started = performance.now();
  const result = await run();
  return { result, tookMs: performance.now() - started };
};

describe('routing proof: the store down, slow, stale or garbage still routes to the primary queue', () => {
  const local = clientOn(inject('dynamodbEndpoint'));
  /** The controller's side (its store, and the hand edits of the garbage cases): the SDK's document client. */
  const documents = localDocumentClient();

  beforeAll(async () => {
    const admin = new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await admin.send(new CreateTableCommand(toCreateTableInput(TABLES.routing, TABLE)));
    } finally {
      admin.destroy();
    }
  });
  afterAll(() => {
    local.destroy();
    documents.destroy();
  });

  it('store unreachable (a closed port)', async () => {
    // Prepare
    const client = clientOn(await closedPort());

    // Act
    const { result, tookMs } = await timed(() => overflowRouter(ENV, client).route('primary'));
    client.destroy();

    // Assess
    expect(result.answer).toEqual(PRIMARY_ANSWER);
    expect(result.fallback).toMatch(/^state-read-(failed|timeout)$/);
    expect(tookMs).toBeLessThan(ROUTER_FUNCTION_TIMEOUT_MS);
  });

  it('store failing every request (500s)', async () => {
    // Prepare
    const { url, server } = await fakeEndpoint('fail');
    const client = clientOn(url);

    // Act
    const { result, tookMs } = await timed(() => overflowRouter(ENV, client).route('primary'));
    client.destroy();
    server.close();

    // Assess
    expect(result.answer).toEqual(PRIMARY_ANSWER);
    expect(result.fallback).toMatch(/^state-read-(failed|timeout)$/);
    expect(tookMs).toBeLessThan(ROUTER_FUNCTION_TIMEOUT_MS);
  });

  it('store that never answers: the primary queue from the router deadline, and the next caller at once', async () => {
    // Prepare
    const { url, server } = await fakeEndpoint('hang');
    const client = clientOn(url);
    const router = overflowRouter(ENV, client);

    // Act
    const first = await timed(() => router.route('primary'));
    const next = await timed(() => router.route('primary'));
    client.destroy();
    server.closeAllConnections();
    server.close();

    // Assess
    expect(first.result.answer).toEqual(PRIMARY_ANSWER);
    expect(first.result.fallback).toMatch(/^state-read-(failed|timeout)$/);
    expect(first.tookMs).toBeLessThan(ROUTER_FUNCTION_TIMEOUT_MS);
    // During the failure hold the next caller does not wait for the store at all.
    expect(next.result).toMatchObject({
      answer: PRIMARY_ANSWER,
      fallback: 'state-read-failed',
      cached: true,
    });
  });

  it('stale state: OVERFLOW the controller stopped confirming goes to the primary queue after its maximum age', async () => {
    // Prepare: the controller's own samples (wait 200 s) put the queue in OVERFLOW, then it stops
    let sampleAt = T0;
    const deps = {
      contactCentre: {
        getCurrentMetrics: async (ids: readonly string[]): Promise<QueueMetrics[]> =>
          ids.map((queueId) => {
            const figures = {
              contactsInQueue: 30,
              oldestContactAgeSeconds: 200,
              agentsOnline: 14,
              agentsAvailable: 0,
              agentsOnContact: 14,
            };
            return { queueId, ...figures, channels: { VOICE: figures } };
          }),
      },
      store: new DynamoRoutingStateStore(documents, TABLE),
      events: { publish: async () => undefined },
      ops: { notify: async () => undefined },
      clock: { now: () => new Date(sampleAt) },
    };
    const settings = {
      queues: [{ key: 'primary', metricsId: PRIMARY, queueId: 'aaaaaaaa-0000-0000-0000-000000000001' }],
      thresholds: {
        enterWaitSeconds: 120,
        enterSamples: 3,
        exitWaitSeconds: 60,
        exitSamples: 4,
        deflectWaitSeconds: 300,
      },
      stateMaxAgeSeconds: 45,
    };
    for (let i = 0; i < 6; i += 1) {
      if (i > 0) sampleAt += 15_000;
      await takeSample(deps, settings);
    }
    const lastSample = sampleAt;

    // Act: callers 10 s after the last sample, and 46 s after it
    const fresh = await overflowRouter(ENV, local, () => lastSample + 10_000).route('primary');
    const stale = await overflowRouter(ENV, local, () => lastSample + 46_000).route('primary');

    // Assess: fresh, the state routes (no second line configured, so every caller goes there; the menu
    // is offered to a share drawn per caller, so `mode` may be either); stale, the primary queue
    expect(fresh.fallback).toBeUndefined();
    expect(fresh.answer).toMatchObject({ queueArn: SECOND_LINE, queueKey: 'secondLine' });
    expect(['OVERFLOW', 'DEFLECT']).toContain(fresh.answer.mode);
    expect(stale).toMatchObject({ answer: PRIMARY_ANSWER, fallback: 'state-stale' });
  });

  it.each([
    ['an unknown state', { state: 'PANIC', updatedAt: new Date(T0).toISOString() }, 'state-garbage'],
    [
      'a sample dated in the future',
      { state: 'DEFLECT', updatedAt: '2099-12-31T23:59:59.000Z', maxAgeSeconds: 45 },
      'state-garbage',
    ],
    [
      'a maximum age that is a string',
      { state: 'OVERFLOW', updatedAt: new Date(T0).toISOString(), maxAgeSeconds: 'forever' },
      'state-garbage',
    ],
    ['no sample time at all', { state: 'OVERFLOW' }, 'state-unconfirmed'],
  ])('garbage item: %s', async (_what, item, reason) => {
    // Prepare
    await documents.send(
      new PutCommand({ TableName: TABLE, Item: { pk: 'queue#primary', sk: 'STATE', ...item } }),
    );

    // Act
    const decision = await overflowRouter(ENV, local, () => T0 + 1_000).route('primary');

    // Assess
    expect(decision).toMatchObject({ answer: PRIMARY_ANSWER, fallback: reason });
  });
});
