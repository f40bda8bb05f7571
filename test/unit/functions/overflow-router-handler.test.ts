import { marshall } from '@aws-sdk/util-dynamodb';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';

/** The routing table: a DynamoDB on loopback that the router reaches through AWS_ENDPOINT_URL_DYNAMODB. */
let dynamo: FakeAwsJson;
const storedState = (item: Record<string, unknown>) =>
  dynamo.answer(() => ({ body: { Item: marshall(item) } }));
const getItems = () => dynamo.requests.filter((r) => r.operation === 'GetItem');

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const PRIMARY = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001`;
const SECOND_LINE = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000002`;

const ENV = {
  ROUTING_TABLE_NAME: 'peakline-test-routing',
  ROUTER_CACHE_SECONDS: '5',
  QUEUE_ARN_PRIMARY: PRIMARY,
  QUEUE_ARN_SECOND_LINE: SECOND_LINE,
  POWERTOOLS_SERVICE_NAME: 'peakline-overflow-router',
  POWERTOOLS_METRICS_NAMESPACE: 'peakline',
  PEAKLINE_STAGE: 'test',
  AWS_REGION: 'eu-central-1',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};

/** The event the inbound flow's "Invoke AWS Lambda function" block sends, with its `queue` parameter. */
const flowEvent = (
  parameters: Record<string, string> = { queue: 'primary' },
  attributes: Record<string, string> = {},
): ConnectContactFlowEvent =>
  ({
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: attributes,
        Channel: 'VOICE',
        ContactId: 'c0ffee00-1111-2222-3333-444444444444',
        CustomerEndpoint: { Address: '+48500100200', Type: 'TELEPHONE_NUMBER' },
        InitialContactId: 'c0ffee00-1111-2222-3333-444444444444',
        InitiationMethod: 'INBOUND',
        InstanceARN: INSTANCE,
        PreviousContactId: 'c0ffee00-1111-2222-3333-444444444444',
        Queue: null,
        SystemEndpoint: { Address: '+48221000000', Type: 'TELEPHONE_NUMBER' },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: parameters,
    },
  }) as unknown as ConnectContactFlowEvent;

let handler: (event: ConnectContactFlowEvent) => Promise<Record<string, string>>;
let output: string[];
let now = Date.UTC(2026, 10, 27, 10);

beforeAll(async () => {
  dynamo = await fakeAwsJson();
  for (const [name, value] of Object.entries(ENV)) vi.stubEnv(name, value);
  vi.stubEnv('AWS_ENDPOINT_URL_DYNAMODB', dynamo.url);
  vi.useFakeTimers({ now, toFake: ['Date'] });
  ({ handler } = await import('#functions/overflow-router/handler.js'));
});

afterAll(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  await dynamo.close();
});

beforeEach(() => {
  dynamo.requests.length = 0;
  dynamo.answer(() => ({ body: {} }));
  // Each test starts after the previous one's cached state and failure hold have run out.
  now += 60_000;
  vi.setSystemTime(now);
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const lines = () =>
  output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('overflow router handler', () => {
  it('answers the second line in OVERFLOW, as a flat map of strings, and logs nothing', async () => {
    // Prepare
    dynamo.answer((request) =>
      request.body.TableName === 'peakline-test-routing' &&
      JSON.stringify(request.body.Key) === JSON.stringify(marshall({ pk: 'queue#primary', sk: 'STATE' }))
        ? {
            body: {
              Item: marshall({
                state: 'OVERFLOW',
                updatedAt: new Date(now).toISOString(),
                maxAgeSeconds: 45,
              }),
            },
          }
        : { body: {} },
    );

    // Act
    const answer = await handler(flowEvent());

    // Assess
    expect(answer).toEqual({ mode: 'OVERFLOW', queueArn: SECOND_LINE, queueKey: 'secondLine' });
    expect(Object.values(answer).every((v) => typeof v === 'string')).toBe(true);
    expect(lines()).toEqual([]);
  });

  it('reads the state once for the callers of the cache time', async () => {
    // Prepare
    storedState({ state: 'DEFLECT', updatedAt: new Date(now).toISOString(), maxAgeSeconds: 45 });

    // Act
    const answers = [await handler(flowEvent()), await handler(flowEvent())];
    vi.setSystemTime(now + 5_000);
    answers.push(await handler(flowEvent()));

    // Assess
    expect(answers.map((a) => a.mode)).toEqual(['DEFLECT', 'DEFLECT', 'DEFLECT']);
    expect(getItems()).toHaveLength(2);
  });

  it('answers the primary queue when DynamoDB fails, with a log line and a RouterFallbacks metric', async () => {
    // Prepare
    dynamo.answer(() => awsError(500, 'InternalServerError', 'Internal server error'));

    // Act
    const answer = await handler(flowEvent());

    // Assess
    expect(answer).toEqual({ mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' });
    const [log, emf] = lines();
    expect(log).toMatchObject({
      level: 'ERROR',
      reason: 'state-read-failed',
      requestedQueue: 'primary',
      contactId: 'c0ffee00-1111-2222-3333-444444444444',
      error: 'InternalServerError: Internal server error',
    });
    expect(emf).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'peakline',
            Dimensions: [['service', 'stage']],
            Metrics: [{ Name: 'RouterFallbacks', Unit: 'Count' }],
          },
        ],
      },
      service: 'peakline-overflow-router',
      stage: 'test',
      RouterFallbacks: 1,
    });
    // Nothing in the log to reach the caller by.
    expect(output.join('')).not.toContain('+48500100200');
  });

  it('answers the primary queue for a state older than its maximum age, and counts it as stale', async () => {
    // Prepare: DEFLECT, last confirmed 46 s ago with a maximum age of 45 s (the controller stopped)
    storedState({ state: 'DEFLECT', updatedAt: new Date(now - 46_000).toISOString(), maxAgeSeconds: 45 });

    // Act
    const answer = await handler(flowEvent());

    // Assess
    expect(answer).toEqual({ mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' });
    const [log, fallback, stale] = lines();
    expect(log).toMatchObject({ level: 'ERROR', reason: 'state-stale' });
    expect(fallback).toMatchObject({ RouterFallbacks: 1, reason: 'state-stale' });
    expect(stale).toMatchObject({
      _aws: { CloudWatchMetrics: [{ Metrics: [{ Name: 'RoutingStateStale', Unit: 'Count' }] }] },
      service: 'peakline-overflow-router',
      RoutingStateStale: 1,
    });
  });

  it('answers the primary queue for a queue it does not know, without reading', async () => {
    // Act
    const answer = await handler(flowEvent({ queue: 'accounting' }));

    // Assess
    expect(answer).toEqual({ mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' });
    expect(lines()[0]).toMatchObject({
      level: 'WARN',
      reason: 'unknown-queue',
      requestedQueue: 'accounting',
    });
    expect(dynamo.requests).toHaveLength(0);
  });

  it.each(['told', 'agent'])(
    'counts a caller told their order status (outcome %s) who goes on to a queue, once, as OrderStatusThenQueue',
    async (outcome) => {
      // Prepare
      storedState({ state: 'NORMAL', updatedAt: new Date(now).toISOString(), maxAgeSeconds: 45 });

      // Act
      const answer = await handler(
        flowEvent({ queue: 'primary' }, { peaklineOrderId: 'PL-1001', peaklineOrderOutcome: outcome }),
      );

      // Assess
      expect(answer).toEqual({ mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' });
      expect(lines()).toEqual([
        {
          _aws: {
            Timestamp: now,
            CloudWatchMetrics: [
              {
                Namespace: 'peakline',
                Dimensions: [['service', 'stage']],
                Metrics: [{ Name: 'OrderStatusThenQueue', Unit: 'Count' }],
              },
            ],
          },
          service: 'peakline-overflow-router',
          stage: 'test',
          outcome,
          OrderStatusThenQueue: 1,
        },
      ]);
      expect(output.join('')).not.toContain('PL-1001');
    },
  );

  it('counts nothing for a caller whose order status was not told', async () => {
    // Prepare
    storedState({ state: 'NORMAL', updatedAt: new Date(now).toISOString(), maxAgeSeconds: 45 });

    // Act
    await handler(
      flowEvent({ queue: 'primary' }, { peaklineRoutingMode: 'NORMAL', peaklineOrderOutcome: '' }),
    );

    // Assess
    expect(lines()).toEqual([]);
  });

  it('answers the primary queue for an event that is not a flow event', async () => {
    // Act
    const answer = await handler(null as unknown as ConnectContactFlowEvent);

    // Assess
    expect(answer).toEqual({ mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' });
  });
});
