/**
 * The order-SMS promise under faults, on DynamoDB Local: for each place a run can die or fail, the run is
 * stopped there and the record comes back (redelivered, twice, and out of order with another status).
 * Whatever happens: no SMS twice (counted at the fake SNS, which counts a send even when its answer is
 * then lost), nothing lost (every SMS that went is announced, late if need be, by the minute sweeper, or,
 * when the run died before anything said so, said `unknown`), and an SMS whose outcome nobody recorded is
 * said `unknown` once, never sent again.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '#adapters/dynamodb/document-client.js';
import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DynamoOrderLedger } from '#adapters/dynamodb/order-ledger.js';
import { DynamoRoutingStateReader } from '#adapters/dynamodb/routing-state.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { type OrderLedger, type OutgoingSms, SmsRetryableError } from '#core/ports.js';
import { DailyAllowance, type OrderSmsDeps, type SmsDecision, SmsOutbox } from '#core/sms/order-sms.js';
import {
  createOrderSmsBatchConsumer,
  createOrderSmsConsumer,
  type OrderSmsMetric,
} from '#functions/order-sms/consumer.js';
import { runSmsRelease } from '#functions/sms-release/run.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { orderSmsTestSettings } from '#test/support/order-sms-settings.js';

const documents = localDocumentClient();
afterAll(() => documents.destroy());

/** 12:00 in Warsaw: no quiet hours. */
const NOON_WARSAW = new Date('2026-11-27T11:00:00Z');
/** The buffer's visibility timeout: a failed or lost record comes back after it. */
const VISIBILITY_MS = 180_000;

/** The function died here: nothing after this point of the run happens. */
class Crash extends Error {
  override readonly name = 'Crash';
}

type CrashPoint =
  'before-send' | 'after-send-before-record' | 'after-announce-before-record' | 'lambda-timeout-mid-send';

interface World {
  clock: { at: Date };
  /** Every SMS SNS accepted, whatever the caller then heard. */
  accepted: OutgoingSms[];
  published: { detailType: string; detail: Record<string, unknown> }[];
  decisions: SmsDecision[];
  counts: Partial<Record<string, number>>;
  /** Faults of the world, not of one run. */
  busDown: boolean;
  snsAnswerLost: boolean;
  snsThrottles: number;
  recordFails: boolean;
  suppressionFails: boolean;
  documentClient: DocumentClient;
}

const newWorld = (documentClient: DocumentClient = documents): World => ({
  clock: { at: NOON_WARSAW },
  accepted: [],
  published: [],
  decisions: [],
  counts: {},
  busDown: false,
  snsAnswerLost: false,
  snsThrottles: 0,
  recordFails: false,
  suppressionFails: false,
  documentClient,
});

/**
 * One invocation: its own ports (its own outbox, as a fresh container would have), and a crash point. After
 * the crash every port of the run throws, so nothing of the run goes on (not even its final flush).
 */
const invocation = (world: World, crashAt?: CrashPoint) => {
  let dead = false;
  const alive = () => {
    if (dead) throw new Crash('the run is dead');
  };
  const die = (): never => {
    dead = true;
    throw new Crash(`died at ${crashAt}`);
  };
  const clock = { now: () => world.clock.at };
  const suppressionList = new DynamoSuppressionStore(world.documentClient, tableName('suppression'), {
    key: LOCAL_PHONE_HASH_KEY,
  });
  const real = new DynamoOrderLedger(world.documentClient, tableName('ledger'), 30, clock.now);
  const ledger = new Proxy(real, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        alive();
        const recording = property === 'recordAnnounced' || property === 'recordPending';
        // The outcome is recorded after its announcement: dying here is dying between the two.
        if (recording && crashAt === 'after-announce-before-record') die();
        if (recording && world.recordFails) {
          throw Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ProvisionedThroughputExceededException',
          });
        }
        return (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
      };
    },
  }) as OrderLedger;
  const deps: OrderSmsDeps = {
    clock,
    ledger,
    outbox: new SmsOutbox(),
    allowance: new DailyAllowance(ledger, () => 1_000_000),
    suppression: {
      suppress: async () => true,
      isSuppressed: async (hash, now) => {
        if (world.suppressionFails)
          throw Object.assign(new Error('throttled'), { name: 'ThrottlingException' });
        return suppressionList.isSuppressed(hash, now);
      },
    },
    routing: new DynamoRoutingStateReader(world.documentClient, tableName('routing')),
    sender: {
      send: async (sms) => {
        alive();
        if (crashAt === 'before-send') die();
        if (world.snsThrottles > 0) {
          world.snsThrottles -= 1;
          throw new SmsRetryableError('SNS ThrottledException: the SMS goes back to the queue');
        }
        world.accepted.push(sms);
        if (crashAt === 'after-send-before-record' || crashAt === 'lambda-timeout-mid-send') die();
        if (world.snsAnswerLost) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
        return { messageId: randomUUID() };
      },
    },
    events: {
      publish: async (detailType, detail) => {
        alive();
        if (world.busDown) throw new Error('EventBridge InternalException');
        world.published.push({ detailType, detail });
      },
    },
    settings: orderSmsTestSettings({ overloaded: 'NORMAL' as never }),
  };
  const observe = {
    maxAttempts: 10,
    log: () => {},
    count: (metric: OrderSmsMetric | string, value = 1) => {
      world.counts[metric] = (world.counts[metric] ?? 0) + value;
    },
    onDecision: (decision: SmsDecision) => void world.decisions.push(decision),
    deadLetters: { put: async () => {} },
  };
  return {
    deps,
    consume: createOrderSmsConsumer({ sms: deps, ...observe }),
    consumeBatch: createOrderSmsBatchConsumer({ sms: deps, ...observe }),
    sweep: () =>
      runSmsRelease(deps, {
        partsPerSecond: 1000,
        remainingMs: () => 55_000,
        log: () => {},
        count: observe.count,
        onDecision: observe.onDecision,
      }),
  };
};

const orderEvent = (orderId: string, status?: string) => {
  const event = deliveredSample(status ? 'order-status-changed' : 'order-placed');
  event.detail.orderId = orderId;
  if (status) {
    event.detail.status = status;
    delete (event.detail as { estimatedDelivery?: string }).estimatedDelivery;
  }
  return event;
};
const newOrderId = () => `FT-${randomUUID().slice(0, 8)}`;
const redelivered = (record: SQSRecord, receiveCount: number): SQSRecord => ({
  ...record,
  attributes: { ...record.attributes, ApproximateReceiveCount: String(receiveCount) },
});
/** Runs one delivery; a crash or a failure leaves the record to come back, as SQS would. */
const deliver = async (world: World, record: SQSRecord, crashAt?: CrashPoint) => {
  try {
    await invocation(world, crashAt).consume(record);
    return 'processed';
  } catch (error) {
    return (error as Error).name;
  }
};
const later = (world: World, ms: number) => {
  world.clock.at = new Date(world.clock.at.getTime() + ms);
};
const sentTo = (world: World, orderId: string) => world.accepted.filter((s) => s.orderId === orderId);
const announced = (world: World, orderId: string) =>
  world.published.filter((p) => p.detailType === 'SmsSent' && p.detail.orderId === orderId);
const outcomes = (world: World, orderId: string) =>
  world.decisions.filter((d) => d.orderId === orderId).map((d) => `${d.status}:${d.outcome}`);

describe('order SMS crash points on DynamoDB Local', () => {
  it('dies after SNS took the SMS and before the record: the retries say unknown once and send nothing', async () => {
    // Prepare
    const world = newWorld();
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));

    // Act: the run dies; the record comes back after the visibility timeout; then the same event again
    // in a message of its own (EventBridge delivers at least once).
    const first = await deliver(world, record, 'after-send-before-record');
    later(world, VISIBILITY_MS);
    await deliver(world, redelivered(record, 2));
    later(world, VISIBILITY_MS);
    await deliver(world, { ...record, messageId: randomUUID() });

    // Assess
    expect(first).toBe('Crash');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:OUTCOME_UNKNOWN', 'PLACED:DUPLICATE']);
    expect(world.counts.SmsOutcomeUnknown).toBe(1);
  });

  it('a Lambda timeout mid-send, then a later status first, then the retry: one SMS each, no regression', async () => {
    // Prepare
    const world = newWorld();
    const orderId = newOrderId();
    const placed = sqsRecord(orderEvent(orderId));

    // Act: PLACED dies mid-send; PACKED overtakes it; PLACED comes back, twice.
    await deliver(world, placed, 'lambda-timeout-mid-send');
    await deliver(world, sqsRecord(orderEvent(orderId, 'PACKED')));
    later(world, VISIBILITY_MS);
    await deliver(world, redelivered(placed, 2));
    await deliver(world, { ...placed, messageId: randomUUID() });

    // Assess
    expect(sentTo(world, orderId).map((s) => s.kind)).toEqual(['order-placed', 'order-packed']);
    expect(outcomes(world, orderId)).toEqual(['PACKED:SENT', 'PLACED:OUTCOME_UNKNOWN', 'PLACED:DUPLICATE']);
    expect(world.counts.SmsOutcomeUnknown).toBe(1);
  });

  it('SNS takes the SMS and its answer is lost: the record fails, and the retry does not send again', async () => {
    // Prepare
    const world = newWorld();
    world.snsAnswerLost = true;
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId, 'SHIPPED'));

    // Act
    const first = await deliver(world, record);
    world.snsAnswerLost = false;
    // Before the lease ends, a copy is told to come back later; after it, it says unknown.
    const early = await deliver(world, redelivered(record, 2));
    later(world, VISIBILITY_MS);
    await deliver(world, redelivered(record, 3));

    // Assess
    expect(first).toBe('TimeoutError');
    expect(early).toBe('SmsAttemptInProgressError');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['SHIPPED:OUTCOME_UNKNOWN']);
    expect(world.counts.SmsOutcomeUnknown).toBe(1);
  });

  it('dies between the claim and the send: said unknown (it cannot be told from a death just after), nothing goes twice', async () => {
    // Prepare
    const world = newWorld();
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));

    // Act
    await deliver(world, record, 'before-send');
    later(world, VISIBILITY_MS);
    await deliver(world, redelivered(record, 2));

    // Assess: a crash between the claim and SNS cannot be told from one just after SNS took it.
    expect(sentTo(world, orderId)).toEqual([]);
    expect(outcomes(world, orderId)).toEqual(['PLACED:OUTCOME_UNKNOWN']);
    expect(world.counts.SmsOutcomeUnknown).toBe(1);
  });

  it('fails before the send (the opt-out list unreadable): the claim is given back and the retry sends once', async () => {
    // Prepare
    const world = newWorld();
    world.suppressionFails = true;
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));

    // Act
    const first = await deliver(world, record);
    world.suppressionFails = false;
    await deliver(world, redelivered(record, 2));
    await deliver(world, redelivered(record, 3));

    // Assess
    expect(first).toBe('ThrottlingException');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:SENT', 'PLACED:DUPLICATE']);
  });

  it('SNS throttles before taking it: the claim is given back, and the retry sends it once', async () => {
    // Prepare
    const world = newWorld();
    world.snsThrottles = 1;
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));

    // Act
    const first = await deliver(world, record);
    await deliver(world, redelivered(record, 2));
    await deliver(world, redelivered(record, 3));

    // Assess
    expect(first).toBe('SmsRetryableError');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:SENT', 'PLACED:DUPLICATE']);
    expect(announced(world, orderId)).toHaveLength(1);
  });

  it('dies after the announcement and before the record: announced once, the retry says unknown once and sends nothing', async () => {
    // Prepare
    const world = newWorld();
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));

    // Act: the run dies (every port of it throws from then on); the record comes back after the
    // visibility timeout; the sweeper runs after it.
    await deliver(world, record, 'after-announce-before-record');
    later(world, VISIBILITY_MS);
    await deliver(world, redelivered(record, 2));
    later(world, 6 * 60_000);
    await invocation(world).sweep();

    // Assess: the fact is on the bus once; the ledger could not say it was sent, so the retry says unknown
    // (the dying run had said SENT before it died).
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(announced(world, orderId)).toHaveLength(1);
    expect(announced(world, orderId)[0]?.detail.messageId).toEqual(expect.any(String));
    expect(outcomes(world, orderId)).toEqual(['PLACED:SENT', 'PLACED:OUTCOME_UNKNOWN']);
    expect(world.counts.SmsOutcomeUnknown).toBe(1);
  });

  it('PutEvents fails after the send: the record succeeds, nothing is resent, the sweeper announces it when the bus is back', async () => {
    // Prepare
    const world = newWorld();
    world.busDown = true;
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId, 'OUT_FOR_DELIVERY'));

    // Act
    const first = await deliver(world, record);
    await deliver(world, redelivered(record, 2));
    later(world, 6 * 60_000);
    await invocation(world).sweep();
    const whileDown = announced(world, orderId).length;
    world.busDown = false;
    later(world, 60_000);
    await invocation(world).sweep();
    later(world, 60_000);
    await invocation(world).sweep();

    // Assess
    expect(first).toBe('processed');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(whileDown).toBe(0);
    expect(announced(world, orderId)).toHaveLength(1);
  });

  it('the record of the outcome cannot be written: the record still succeeds and the SMS is announced; a later copy says unknown', async () => {
    // Prepare
    const world = newWorld();
    world.recordFails = true;
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));

    // Act
    const first = await deliver(world, record);
    world.recordFails = false;
    later(world, VISIBILITY_MS);
    await deliver(world, sqsRecord(orderEvent(orderId)));

    // Assess
    expect(first).toBe('processed');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(announced(world, orderId)).toHaveLength(1);
    expect(world.counts.SmsUnrecorded).toBe(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:SENT', 'PLACED:OUTCOME_UNKNOWN']);
  });

  it('the bus is down and the pending record cannot be written either: the record still succeeds, nothing is resent, a later copy says unknown', async () => {
    // Prepare
    const world = newWorld();
    world.busDown = true;
    world.recordFails = true;
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId, 'PACKED'));

    // Act
    const first = await deliver(world, record);
    world.busDown = false;
    world.recordFails = false;
    later(world, VISIBILITY_MS);
    await deliver(world, sqsRecord(orderEvent(orderId, 'PACKED')));
    later(world, 6 * 60_000);
    await invocation(world).sweep();

    // Assess: sent once; neither announced nor recorded, so counted as unrecorded and then unknown.
    expect(first).toBe('processed');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(announced(world, orderId)).toEqual([]);
    expect(world.counts.SmsUnrecorded).toBe(1);
    expect(outcomes(world, orderId)).toEqual(['PACKED:SENT', 'PACKED:OUTCOME_UNKNOWN']);
  });
});

describe('deferred SMS under faults on DynamoDB Local', () => {
  /** 23:30 in Warsaw: quiet hours until 08:00 (07:00Z). */
  const NIGHT = new Date('2026-11-27T22:30:00Z');
  const MORNING = new Date('2026-11-28T07:00:30Z');

  it('releases once while EventBridge fails, and announces when it is back, instead of resending every lease', async () => {
    // Prepare
    const world = newWorld();
    world.clock.at = NIGHT;
    const orderId = newOrderId();
    await deliver(world, sqsRecord(orderEvent(orderId)));
    world.clock.at = MORNING;
    world.busDown = true;

    // Act: ten minutes of sweeps with the bus down, then with it back.
    for (let minute = 0; minute < 10; minute += 1) {
      await invocation(world).sweep();
      later(world, 60_000);
    }
    world.busDown = false;
    for (let minute = 0; minute < 7; minute += 1) {
      await invocation(world).sweep();
      later(world, 60_000);
    }

    // Assess
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(announced(world, orderId)).toHaveLength(1);
  });

  it('a release that dies after SNS took the SMS is never resent: the next sweep after the lease says unknown', async () => {
    // Prepare
    const world = newWorld();
    world.clock.at = NIGHT;
    const orderId = newOrderId();
    await deliver(world, sqsRecord(orderEvent(orderId)));
    world.clock.at = MORNING;

    // Act
    const dying = await invocation(world, 'after-send-before-record')
      .sweep()
      .then(
        () => 'done',
        (error: Error) => error.name,
      );
    await invocation(world).sweep();
    later(world, 3 * 60_000);
    await invocation(world).sweep();
    await invocation(world).sweep();

    // Assess
    expect(['Crash', 'done']).toContain(dying);
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId).filter((o) => o.endsWith('OUTCOME_UNKNOWN'))).toEqual([
      'PLACED:OUTCOME_UNKNOWN',
    ]);
  });

  it('sends in the morning only what is still news, oldest first, and nothing but the cancellation of a cancelled order', async () => {
    // Prepare: two orders move on overnight.
    const world = newWorld();
    world.clock.at = NIGHT;
    const moving = newOrderId();
    const cancelled = newOrderId();
    for (const status of [undefined, 'PACKED', 'SHIPPED']) {
      await deliver(world, sqsRecord(orderEvent(moving, status)));
    }
    for (const status of [undefined, 'PACKED', 'CANCELLED']) {
      await deliver(world, sqsRecord(orderEvent(cancelled, status)));
    }
    world.clock.at = MORNING;

    // Act
    await invocation(world).sweep();
    await invocation(world).sweep();

    // Assess: the receipt, then the latest step; the step between is old news.
    expect(sentTo(world, moving).map((s) => s.kind)).toEqual(['order-placed', 'order-shipped']);
    expect(sentTo(world, cancelled).map((s) => s.kind)).toEqual(['order-cancelled']);
    const suppressedReasons = world.published
      .filter((p) => p.detailType === 'SmsSuppressed')
      .map(
        (p) =>
          `${String(p.detail.orderId === moving ? 'moving' : 'cancelled')}:${String(p.detail.status)}:${String(p.detail.reason)}`,
      )
      .filter((line) => !line.startsWith('cancelled') || line.includes('order-cancelled'));
    expect(suppressedReasons.sort()).toEqual(
      [
        'cancelled:PACKED:order-cancelled',
        'cancelled:PLACED:order-cancelled',
        'moving:PACKED:superseded',
      ].sort(),
    );
  });

  it('releases, once, an SMS held overnight by the version before the attempts were recorded', async () => {
    // Prepare: a deferred item as the earlier ledger wrote it (no attempt on the order), due at 08:00.
    const world = newWorld();
    world.clock.at = MORNING;
    const orderId = newOrderId();
    await documents.send(
      new PutCommand({
        TableName: tableName('ledger'),
        Item: {
          id: `deferred#${orderId}#PLACED`,
          deferred: 'SMS',
          sendAt: Math.floor(Date.parse('2026-11-28T07:00:00Z') / 1000),
          smsId: `${orderId}#PLACED`,
          to: '+48601234567',
          body: `Sklep Peak: zamówienie ${orderId} przyjęte.`,
          kind: 'order-placed',
          segments: 1,
          encoding: 'UCS-2',
          orderId,
          expiration: Math.floor(Date.parse('2026-11-30T07:00:00Z') / 1000),
        },
      }),
    );

    // Act
    await invocation(world).sweep();
    later(world, 60_000);
    await invocation(world).sweep();

    // Assess
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(announced(world, orderId)).toHaveLength(1);
  });

  it('a status that comes right after quiet hours waits behind the SMS still held, so they arrive in order', async () => {
    // Prepare
    const world = newWorld();
    world.clock.at = NIGHT;
    const orderId = newOrderId();
    await deliver(world, sqsRecord(orderEvent(orderId)));

    // Act: 08:00:10, SHIPPED arrives before the sweeper has released the confirmation.
    world.clock.at = new Date('2026-11-28T07:00:10Z');
    await deliver(world, sqsRecord(orderEvent(orderId, 'SHIPPED')));
    later(world, 30_000);
    await invocation(world).sweep();

    // Assess
    expect(sentTo(world, orderId).map((s) => s.kind)).toEqual(['order-placed', 'order-shipped']);
  });
});

describe('a new delivery estimate on DynamoDB Local', () => {
  it('tells each new estimate once, up to maxDelayUpdates, and a repeat of one not at all', async () => {
    // Prepare
    const world = newWorld();
    const orderId = newOrderId();
    const delayed = (estimate: string) => {
      const event = orderEvent(orderId, 'DELAYED');
      (event.detail as { estimatedDelivery?: string }).estimatedDelivery = estimate;
      return sqsRecord(event);
    };

    // Act
    await deliver(world, sqsRecord(orderEvent(orderId, 'SHIPPED')));
    await deliver(world, delayed('2026-12-01'));
    await deliver(world, delayed('2026-12-01'));
    await deliver(world, delayed('2026-12-03'));
    await deliver(world, delayed('2026-12-05'));

    // Assess
    expect(sentTo(world, orderId).map((s) => s.kind)).toEqual([
      'order-shipped',
      'order-delayed',
      'order-delayed',
    ]);
    expect(sentTo(world, orderId)[1]?.body).not.toEqual(sentTo(world, orderId)[2]?.body);
    expect(outcomes(world, orderId).slice(1)).toEqual([
      'DELAYED:SENT',
      'DELAYED:DUPLICATE',
      'DELAYED:SENT',
      'DELAYED:SUPPRESSED',
    ]);
    expect(world.decisions.at(-1)).toMatchObject({ reason: 'delay-updates-exhausted' });
  });
});

describe('DynamoDB throttling mid-run on DynamoDB Local', () => {
  it('leaves the records it hit to be retried, and loses nothing: every order sent once or said unknown', async () => {
    // Prepare: a client whose every 5th call is throttled, without the SDK's own retries.
    const client = new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    let calls = 0;
    let throttling = true;
    client.middlewareStack.add(
      (next) => async (args) => {
        calls += 1;
        if (throttling && calls % 5 === 0) {
          throw Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ProvisionedThroughputExceededException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        }
        return next(args);
      },
      { step: 'initialize', name: 'injectThrottling' },
    );
    const world = newWorld(BridgedDocumentClient.over(client));
    const orders = Array.from({ length: 30 }, () => newOrderId());
    let queue = orders.map((orderId) => sqsRecord(orderEvent(orderId)));

    // Act: batches of 10, failed records back after the visibility timeout, until none is left.
    for (let round = 2; queue.length > 0 && round < 30; round += 1) {
      const failed: SQSRecord[] = [];
      for (let i = 0; i < queue.length; i += 10) {
        const batch = queue.slice(i, i + 10);
        const { batchItemFailures } = await invocation(world).consumeBatch(batch);
        const ids = new Set(batchItemFailures.map((f) => f.itemIdentifier));
        failed.push(...batch.filter((r) => ids.has(r.messageId)).map((r) => redelivered(r, round)));
      }
      queue = failed;
      later(world, VISIBILITY_MS);
    }
    throttling = false;
    later(world, 6 * 60_000);
    await invocation(world).sweep();
    client.destroy();

    // Assess
    expect(queue).toEqual([]);
    for (const orderId of orders) {
      expect(sentTo(world, orderId).length).toBeLessThanOrEqual(1);
      const final = world.decisions.filter((d) => d.orderId === orderId && d.outcome !== 'DUPLICATE');
      expect(final.map((d) => d.outcome)).toSatisfy(
        (list: string[]) => list.length === 1 && ['SENT', 'OUTCOME_UNKNOWN'].includes(list[0] ?? ''),
      );
      if (final[0]?.outcome === 'SENT') expect(announced(world, orderId).length).toBeGreaterThanOrEqual(1);
    }
    expect(world.accepted.filter((s) => orders.includes(s.orderId ?? '')).length).toBeGreaterThan(0);
  });
});

describe('the release sweeper on a busy morning, on DynamoDB Local', () => {
  it('sizes each run in parts by the time left, so no run overruns its 60 s, and sends each SMS once', async () => {
    // Prepare: 80 confirmations held overnight; SNS takes 1/2 s per part (2 parts a second, a share of the rate).
    const world = newWorld();
    world.clock.at = new Date('2026-11-27T22:30:00Z');
    const orders = Array.from({ length: 80 }, () => newOrderId());
    for (const orderId of orders) await deliver(world, sqsRecord(orderEvent(orderId)));
    world.clock.at = new Date('2026-11-28T07:00:30Z');
    const PARTS_PER_SECOND = 2;

    // Act: runs a minute apart, each with a 60-second timeout on the virtual clock.
    const runTimes: number[] = [];
    for (let run = 0; run < 10; run += 1) {
      const started = world.clock.at.getTime();
      const deadline = started + 60_000;
      const sweeper = invocation(world);
      const send = sweeper.deps.sender.send.bind(sweeper.deps.sender);
      const paced = {
        ...sweeper.deps,
        sender: {
          send: async (sms: OutgoingSms) => {
            later(world, (sms.segments * 1000) / PARTS_PER_SECOND);
            return send(sms);
          },
        },
      };
      await runSmsRelease(paced, {
        partsPerSecond: PARTS_PER_SECOND,
        remainingMs: () => deadline - world.clock.at.getTime(),
        log: () => {},
        count: () => {},
      });
      runTimes.push(world.clock.at.getTime() - started);
      world.clock.at = new Date(started + 60_000);
    }

    // Assess
    const parts = orders.flatMap((orderId) => sentTo(world, orderId)).reduce((n, s) => n + s.segments, 0);
    expect(parts / PARTS_PER_SECOND).toBeGreaterThan(60);
    for (const orderId of orders) expect(sentTo(world, orderId)).toHaveLength(1);
    expect(Math.max(...runTimes)).toBeLessThanOrEqual(55_000);
    expect(runTimes.filter((t) => t > 0).length).toBeGreaterThan(1);
  });
});

describe('a DynamoDB answer lost after the write was done, on DynamoDB Local', () => {
  /**
   * A client that, once, lets DynamoDB carry out the matching write and then loses its answer (a timeout
   * on the way back): the SDK's own retry sends the same write again, which now meets its own condition.
   * This is the fault `--faults dynamodb=…` injects in the local stack, where it lost 117 SMS in 10,000
   * events before every conditional write of the ledger carried a fence.
   */
  const losingOneAnswer = (matches: (input: Record<string, unknown>) => boolean) => {
    const client = new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const lost = { count: 0, armed: true };
    client.middlewareStack.add(
      (next) => async (args) => {
        const result = await next(args);
        if (lost.armed && matches(args.input as Record<string, unknown>)) {
          lost.armed = false;
          lost.count += 1;
          throw Object.assign(new Error('the answer timed out after DynamoDB acted'), {
            name: 'TimeoutError',
            $metadata: {},
          });
        }
        return result;
      },
      // Inside the SDK's retries, next to the wire: the retry strategy sees the timeout and sends again.
      { step: 'deserialize', name: 'loseOneAnswer' },
    );
    const documentClient = BridgedDocumentClient.over(client);
    return { documentClient, lost, destroy: () => client.destroy() };
  };
  const updateWith = (marker: string) => (input: Record<string, unknown>) =>
    typeof input.UpdateExpression === 'string' && JSON.stringify(input).includes(marker);

  it('the claim: the SDK retry meets the claim it made itself, and the SMS goes once, at once', async () => {
    // Prepare: the claim is the first write of the path that sets an attempt to `claimed`.
    const faulty = losingOneAnswer(updateWith('"claimed"'));
    const world = newWorld(faulty.documentClient);
    const orderId = newOrderId();

    // Act
    const first = await deliver(world, sqsRecord(orderEvent(orderId)));
    faulty.destroy();

    // Assess
    expect(faulty.lost.count).toBe(1);
    expect(first).toBe('processed');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:SENT']);
  });

  it('the mark of an unknown outcome: counted once, not taken for another run’s', async () => {
    // Prepare: a run dies after SNS took the SMS; the retry after the lease marks it unknown, and that
    // write's answer is lost.
    const faulty = losingOneAnswer(updateWith('"unknown"'));
    const world = newWorld(faulty.documentClient);
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));
    await deliver(world, record, 'after-send-before-record');
    later(world, VISIBILITY_MS);

    // Act
    await deliver(world, redelivered(record, 2));
    faulty.destroy();

    // Assess
    expect(faulty.lost.count).toBe(1);
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:OUTCOME_UNKNOWN']);
    expect(world.counts.SmsOutcomeUnknown).toBe(1);
  });

  it('the release claim of a deferred SMS: released once, in the same sweep', async () => {
    // Prepare: held overnight; the morning sweep's claim of it loses its answer.
    const world = newWorld();
    world.clock.at = new Date('2026-11-27T22:30:00Z');
    const orderId = newOrderId();
    await deliver(world, sqsRecord(orderEvent(orderId)));
    const faulty = losingOneAnswer(updateWith('"deferred"'));
    world.documentClient = faulty.documentClient;
    world.clock.at = new Date('2026-11-28T07:00:30Z');

    // Act
    await invocation(world).sweep();
    faulty.destroy();

    // Assess
    expect(faulty.lost.count).toBe(1);
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:DEFERRED', 'PLACED:SENT']);
  });

  it('a once-only claim (the deflection SMS): the retry finds its own claim, not somebody else’s', async () => {
    // Prepare
    const faulty = losingOneAnswer((input) =>
      String(input.ConditionExpression).includes('attribute_not_exists'),
    );
    const ledger = new DynamoOrderLedger(faulty.documentClient, tableName('ledger'), 30, () => NOON_WARSAW);
    const key = `deflection#${randomUUID()}`;

    // Act
    const first = await ledger.claimOnce(key, NOON_WARSAW);
    const second = await ledger.claimOnce(key, NOON_WARSAW);
    faulty.destroy();

    // Assess
    expect(faulty.lost.count).toBe(1);
    expect([first, second]).toEqual([true, false]);
  });

  it('the mark of an unknown outcome lands and every try of it fails after: the retry of the delivery counts it', async () => {
    // Prepare: a run dies after SNS took the SMS. After the lease, the redelivery marks it unknown: the
    // first try of that write is carried out and its answer lost, and the SDK's other tries are throttled,
    // so the record fails with the mark in place.
    const client = new DynamoDBClient({
      endpoint: inject('dynamodbEndpoint'),
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 3,
    });
    let marking = 'armed' as 'armed' | 'failing' | 'off';
    client.middlewareStack.add(
      (next) => async (args) => {
        const isMark = JSON.stringify(args.input).includes('"unknown"');
        if (!isMark || marking === 'off') return next(args);
        if (marking === 'failing') {
          throw Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ProvisionedThroughputExceededException',
            $fault: 'client',
            $metadata: { httpStatusCode: 400 },
          });
        }
        await next(args);
        marking = 'failing';
        throw Object.assign(new Error('the answer timed out after DynamoDB acted'), {
          name: 'TimeoutError',
          $metadata: {},
        });
      },
      { step: 'deserialize', name: 'markLandsThenFails' },
    );
    const world = newWorld(BridgedDocumentClient.over(client));
    const orderId = newOrderId();
    const record = sqsRecord(orderEvent(orderId));
    await deliver(world, record, 'after-send-before-record');
    later(world, VISIBILITY_MS);

    // Act: the mark's delivery fails; it comes back; then a copy of the fact in a message of its own.
    const marked = await deliver(world, redelivered(record, 2));
    marking = 'off';
    later(world, VISIBILITY_MS);
    await deliver(world, redelivered(record, 3));
    await deliver(world, { ...record, messageId: randomUUID() });
    client.destroy();

    // Assess: counted once, by the delivery that marked it; never sent again
    expect(marked).toBe('ProvisionedThroughputExceededException');
    expect(sentTo(world, orderId)).toHaveLength(1);
    expect(outcomes(world, orderId)).toEqual(['PLACED:OUTCOME_UNKNOWN', 'PLACED:DUPLICATE']);
    expect(world.counts.SmsOutcomeUnknown).toBe(1);
  });
});
