import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { rules } from '#events/rules.js';
import { matchesEventPattern } from '#local/bus/event-pattern.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { sqsRecord } from '#test/support/events.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import { fakeAwsEnvironment, queueUrlOn, sentMessages, sqsAccepts } from '#test/support/fake-aws-services.js';
import {
  conditionalCheckFailed,
  documentInput,
  documentInputs,
  nothingStored,
  throughputExceeded,
} from '#test/support/fake-dynamodb.js';
import {
  FIXTURE_CUSTOMER_ID,
  FIXTURE_MASKED_PHONE,
  FIXTURE_PHONE,
  FIXTURE_SHOP_SOURCE,
  factEvent,
} from '#test/support/facts.js';
import { metricTotals } from '#test/support/emf.js';

const TABLE = 'peakline-test-facts';
// DynamoDB (the facts table) and SQS (the rejected-events queue) on loopback, each reached through its
// AWS_ENDPOINT_URL_<SERVICE>.
let dynamo: FakeAwsJson;
let sqs: FakeAwsJson;
const puts = () => documentInputs(dynamo, 'PutItem');

let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let output: string[];

beforeAll(async () => {
  [dynamo, sqs] = await Promise.all([fakeAwsJson(), fakeAwsJson()]);
  for (const [name, value] of Object.entries(fakeAwsEnvironment({ dynamodb: dynamo, sqs }))) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv('FACTS_TABLE_NAME', TABLE);
  vi.stubEnv('REJECTED_EVENTS_QUEUE_URL', queueUrlOn(sqs, 'peakline-test-rejected-events'));
  vi.stubEnv('SHOP_SOURCE', FIXTURE_SHOP_SOURCE);
  vi.stubEnv('FACTS_RETENTION_DAYS', '400');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-fact-recorder');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'peakline');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'peakline-test-fact-recorder');
  ({ handler } = await import('#functions/fact-recorder/handler.js'));
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await Promise.all([dynamo.close(), sqs.close()]);
});

beforeEach(() => {
  dynamo.requests.length = 0;
  dynamo.answer(nothingStored);
  sqs.requests.length = 0;
  sqs.answer(sqsAccepts);
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const context = () => structuredClone(lambdaContext) as unknown as Context;

describe('fact-recorder handler', () => {
  it('writes the fact once by its identity, with its TTL, and nothing of the customer', async () => {
    // Prepare
    const event = factEvent({
      type: 'CallbackCreated',
      at: '2026-11-27T11:00:00+01:00',
      cartId: 'cart-7f3a9c21',
      cartValue: 249.99,
    });

    // Act
    const result = await handler({ Records: [sqsRecord(event)] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(puts()).toEqual([
      {
        TableName: TABLE,
        Item: {
          type: 'CallbackCreated',
          id: 'CallbackCreated#cart-7f3a9c21#2026-11-27T10:00:00.000Z',
          at: '2026-11-27T10:00:00.000Z',
          eventId: event.id,
          cartId: 'cart-7f3a9c21',
          cartValue: 249.99,
          currency: 'PLN',
          lateOrder: false,
          day: 'callback#2026-11-27',
          expiresAt: Date.parse('2026-11-27T10:00:00Z') / 1000 + 400 * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(id)',
      },
    ]);
    expect(metricTotals(output)).toMatchObject({ FactsRecorded: 1 });
  });

  it('counts a fact already recorded as a duplicate, not as a failure', async () => {
    // Prepare
    dynamo.answer(() => conditionalCheckFailed('exists'));
    const event = factEvent({ type: 'SmsSent', at: '2026-11-27T10:00:00Z', kind: 'status', parts: 1 });

    // Act
    const result = await handler({ Records: [sqsRecord(event)] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(metricTotals(output)).toMatchObject({ FactsDuplicate: 1 });
  });

  it('sends a malformed event to the rejected-events queue with its reason, and acknowledges it', async () => {
    // Prepare
    const event = factEvent({ type: 'SmsSent', at: '2026-11-27T10:00:00Z', kind: 'status', parts: 1 });
    delete event.detail.messageId;

    // Act
    const result = await handler({ Records: [sqsRecord(event), sqsRecord('not json')] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(puts()).toHaveLength(0);
    const bodies = sentMessages(sqs).map((message) => JSON.parse(String(message.MessageBody)));
    expect(bodies).toEqual([
      { reason: expect.stringMatching(/^detail\.messageId: /), refusedBy: 'fact-recorder', event },
      { reason: 'the message body is not JSON', refusedBy: 'fact-recorder', event: 'not json' },
    ]);
  });

  it('returns only a throttled record to the queue, and keeps the others', async () => {
    // Prepare
    const records = ['m-1', 'm-2', 'm-3'].map((messageId) =>
      sqsRecord(
        factEvent({ type: 'SmsSent', at: '2026-11-27T10:00:00Z', kind: 'status', parts: 1, messageId }),
      ),
    );
    // Throttled at every attempt: the client's own retries (three attempts) do not get it through.
    dynamo.answer((request) =>
      documentInput(request).Item?.id === 'SmsSent#m-2' ? throughputExceeded() : nothingStored(request),
    );

    // Act
    const result = await handler({ Records: records }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] });
    // Each record written (the throttled one as often as the client tried it), the one after it too.
    expect([...new Set(puts().map((put) => put.Item?.id))]).toEqual([
      'SmsSent#m-1',
      'SmsSent#m-2',
      'SmsSent#m-3',
    ]);
  });

  it('writes no phone and no customer id to the logs', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    const order = factEvent({ type: 'OrderPlaced', at: '2026-11-27T10:00:00Z', cartId: 'cart-1' });

    // Act
    await handler({ Records: [sqsRecord(order)] }, context());

    // Assess
    const logs = output.join('');
    expect(logs).toContain('fact recorded');
    for (const personal of [FIXTURE_PHONE.slice(3), FIXTURE_MASKED_PHONE, FIXTURE_CUSTOMER_ID]) {
      expect(logs).not.toContain(personal);
    }
  });
});

describe('the fact-recorder rule', () => {
  const { pattern } = rules({ shopSource: FIXTURE_SHOP_SOURCE }).factRecorder;
  const at = '2026-11-27T10:00:00Z';

  it.each([
    ['SmsSent from peakline', factEvent({ type: 'SmsSent', at, kind: 'status', parts: 1 }), true],
    [
      'SmsSuppressed from peakline',
      factEvent({ type: 'SmsSuppressed', at, kind: 'status', reason: 'x' }),
      true,
    ],
    ['CallbackScheduled from peakline', factEvent({ type: 'CallbackScheduled', at, cartId: 'c' }), true],
    [
      'CallbackCreated from peakline',
      factEvent({ type: 'CallbackCreated', at, cartId: 'c', cartValue: 1 }),
      true,
    ],
    [
      'CallbackCancelled from peakline',
      factEvent({ type: 'CallbackCancelled', at, cartId: 'c', reason: 'x' }),
      true,
    ],
    ['OrderPlaced with a cart id from the shop', factEvent({ type: 'OrderPlaced', at, cartId: 'c' }), true],
    [
      'OrderPlaced without a cart id',
      (() => {
        const event = factEvent({ type: 'OrderPlaced', at, cartId: 'c' });
        delete event.detail.cartId;
        return event;
      })(),
      false,
    ],
    [
      'SmsSent from the shop',
      { ...factEvent({ type: 'SmsSent', at, kind: 'status', parts: 1 }), source: 'shop' },
      false,
    ],
    [
      'OrderPlaced from peakline',
      { ...factEvent({ type: 'OrderPlaced', at, cartId: 'c' }), source: 'peakline' },
      false,
    ],
    [
      'OverflowStateChanged from peakline',
      {
        ...factEvent({ type: 'SmsSent', at, kind: 'status', parts: 1 }),
        'detail-type': 'OverflowStateChanged',
      },
      false,
    ],
  ])('%s: taken %s', (_, event, taken) => {
    // Act / Assess
    expect(matchesEventPattern(pattern, event)).toBe(taken);
  });
});
