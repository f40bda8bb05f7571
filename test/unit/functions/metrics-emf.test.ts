/**
 * What CloudWatch would read from a handler's stdout: the EMF blobs Powertools writes. Every metric is in
 * namespace `peakline`, under the dimensions `service` and `stage` (so a stage's alarms read their own
 * series), and any other dimension is one of the low-cardinality few: never an order id, a phone number
 * or a contact id, each of which would make a custom metric per customer.
 */
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { countWith, createMetrics } from '#adapters/lambda/metrics.js';
import { backlogAgeSeconds } from '#functions/callback-sweeper/wiring.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { type DeliveredEvent, deliveredSample, sqsRecord } from '#test/support/events.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import {
  type FakeAwsQuery,
  fakeAwsQuery,
  publishAnswer,
  snsEndpointEnvironment,
} from '#test/support/fake-aws-query.js';
import { busAccepts, fakeAwsEnvironment } from '#test/support/fake-aws-services.js';
import { nothingStored } from '#test/support/fake-dynamodb.js';
import { ORDER_SMS_TEST_ENVIRONMENT } from '#test/support/order-sms-environment.js';

// DynamoDB, EventBridge and SNS on loopback, each reached through its AWS_ENDPOINT_URL_<SERVICE>.
let dynamo: FakeAwsJson;
let bus: FakeAwsJson;
let sns: FakeAwsQuery;

/** The dimensions the metrics contract allows (common.md): the defaults and three low-cardinality ones. */
const ALLOWED_DIMENSIONS = new Set(['service', 'stage', 'kind', 'reason', 'queue']);

interface EmfBlob {
  readonly _aws: {
    readonly CloudWatchMetrics: readonly {
      readonly Namespace: string;
      readonly Dimensions: readonly (readonly string[])[];
      readonly Metrics: readonly { readonly Name: string; readonly Unit: string }[];
    }[];
  };
  readonly [key: string]: unknown;
}

let output: string[];
let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

const emfBlobs = (): EmfBlob[] =>
  output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((line): line is EmfBlob => typeof line._aws === 'object');

/** The blob that carries `metric`, and the dimension names it is filed under. */
const blobOf = (metric: string): { blob: EmfBlob; dimensions: readonly string[] } => {
  const blob = emfBlobs().find((b) =>
    b._aws.CloudWatchMetrics.some((d) => d.Metrics.some((m) => m.Name === metric)),
  );
  if (blob === undefined) throw new Error(`no EMF blob carries ${metric}`);
  return { blob, dimensions: blob._aws.CloudWatchMetrics[0]?.Dimensions[0] ?? [] };
};

const ENV = {
  ...ORDER_SMS_TEST_ENVIRONMENT,
  // What PeaklineFunction sets on every function.
  PEAKLINE_STAGE: 'test',
};

beforeAll(async () => {
  [dynamo, bus, sns] = await Promise.all([fakeAwsJson(), fakeAwsJson(), fakeAwsQuery()]);
  for (const [name, value] of Object.entries({
    ...ENV,
    ...fakeAwsEnvironment({ dynamodb: dynamo, eventBridge: bus }),
    ...snsEndpointEnvironment(sns),
  })) {
    vi.stubEnv(name, value);
  }
  // Noon in Warsaw: outside the quiet hours, so the good SMS is sent, not deferred.
  vi.useFakeTimers({ now: new Date('2026-11-27T11:00:00Z'), toFake: ['Date'] });
  ({ handler } = await import('#functions/order-sms/handler.js'));
});

afterAll(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  await Promise.all([dynamo.close(), bus.close(), sns.close()]);
});

beforeEach(() => {
  sns.requests.length = 0;
  // Nothing stored and every write taken: the SMS is claimed, not suppressed by the list, and sent.
  dynamo.answer(nothingStored);
  sns.answer(() => publishAnswer('sns-message-1'));
  bus.answer(busAccepts);
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

const context = () =>
  ({ ...structuredClone(lambdaContext), getRemainingTimeInMillis: () => 30_000 }) as unknown as Context;

/** An order whose customer gave no consent to transactional SMS: suppressed, reason `no-consent`. */
const withoutConsent = (): DeliveredEvent => {
  const event = deliveredSample('order-placed');
  const customer = event.detail.customer as { consent: { transactionalSms: boolean } };
  customer.consent.transactionalSms = false;
  (event.detail as { orderId: string }).orderId = 'ORD-NO-CONSENT-7781';
  return event;
};

describe('EMF written by a handler (order-sms)', () => {
  it('files every metric in namespace peakline under service and stage', async () => {
    // Act
    await handler({ Records: [sqsRecord(deliveredSample('order-placed'))] }, context());

    // Assess
    const { blob, dimensions } = blobOf('SmsSent');
    expect(blob._aws.CloudWatchMetrics[0]?.Namespace).toBe('peakline');
    expect(dimensions).toEqual(['service', 'stage']);
    expect(blob).toMatchObject({ service: 'peakline-order-sms', stage: 'test', SmsSent: 1 });
    expect(blobOf('SmsParts').blob).toMatchObject({ SmsParts: expect.any(Number) });
  });

  it('counts a suppressed SMS by its reason, in a blob of its own', async () => {
    // Act
    await handler(
      { Records: [sqsRecord(deliveredSample('order-placed')), sqsRecord(withoutConsent())] },
      context(),
    );

    // Assess: the reason is a dimension of SmsSuppressed only; SmsSent keeps its own series.
    const suppressed = blobOf('SmsSuppressed');
    expect(suppressed.dimensions).toEqual(['service', 'stage', 'reason']);
    expect(suppressed.blob).toMatchObject({ reason: 'no-consent', stage: 'test', SmsSuppressed: 1 });
    expect(blobOf('SmsSent').dimensions).toEqual(['service', 'stage']);
  });

  it('never files a metric under an order id, a phone number or any dimension outside the contract', async () => {
    // Prepare
    const events = [deliveredSample('order-placed'), withoutConsent()];

    // Act
    await handler({ Records: events.map((e) => sqsRecord(e)) }, context());

    // Assess
    const blobs = emfBlobs();
    expect(blobs.length).toBeGreaterThan(0);
    const forbidden = events.flatMap((e) => [
      String((e.detail as { orderId: string }).orderId),
      String((e.detail.customer as { phone: string }).phone),
      e.id,
    ]);
    for (const blob of blobs) {
      for (const set of blob._aws.CloudWatchMetrics.flatMap((d) => d.Dimensions)) {
        for (const name of set) {
          expect(ALLOWED_DIMENSIONS).toContain(name);
          expect(forbidden).not.toContain(String(blob[name]));
        }
      }
    }
  });
});

describe('createMetrics', () => {
  it('gives the stage the CDK set, and "local" where no CDK environment exists', () => {
    // Prepare
    const written: string[] = [];
    vi.mocked(process.stdout.write).mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    const deployed = createMetrics({ PEAKLINE_STAGE: 'prod', POWERTOOLS_METRICS_NAMESPACE: 'peakline' });
    const local = createMetrics({});

    // Act
    countWith(deployed, 'SeatsActive', 12);
    countWith(local, 'SmsSuppressed', 1, { reason: 'opted-out' });
    deployed.publishStoredMetrics();

    // Assess
    const blobs = written.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(blobs).toContainEqual(expect.objectContaining({ stage: 'prod', SeatsActive: 12 }));
    expect(blobs).toContainEqual(
      expect.objectContaining({ stage: 'local', reason: 'opted-out', SmsSuppressed: 1 }),
    );
  });
});

describe('backlogAgeSeconds (CallbackBacklogAgeSeconds)', () => {
  const now = new Date('2026-12-01T12:00:00Z');

  it('is the wait of the oldest callback still due', async () => {
    // Prepare: due 61 min 30 s ago
    const store = { due: vi.fn().mockResolvedValue([{ dueAt: '2026-12-01T10:58:30Z' }]) };

    // Act
    const age = await backlogAgeSeconds(store, now);

    // Assess
    expect(age).toBe(3690);
    expect(store.due).toHaveBeenCalledWith(now, 1);
  });

  it('is 0 when nothing is due, so the series shows a healthy sweeper', async () => {
    // Act
    const age = await backlogAgeSeconds({ due: vi.fn().mockResolvedValue([]) }, now);

    // Assess
    expect(age).toBe(0);
  });
});
