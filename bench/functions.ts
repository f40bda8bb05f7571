/**
 * What the benchmark needs to run each function once, as Lambda would: its environment and a first
 * event. Endpoints point at the benchmark's fake AWS, so the first invoke makes its real SDK calls.
 */
import type { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import { marshall } from '@aws-sdk/util-dynamodb';
import { DateTime } from 'luxon';
import { DynamoCallbackStore } from '#adapters/dynamodb/callback-store.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { PHONE_HASH_KEY_SECRET_ARN } from '#adapters/secrets/phone-hash-key.js';
import { newCallback } from '#core/callbacks/callback.js';
import { managedUserTag } from '#core/seats/managed-user.js';
import { pendingSeat } from '#core/seats/seat.js';
import { callbackSweeperEnvironmentFrom } from '#functions/callback-sweeper/environment.js';
import { callbackEnvironmentFrom } from '#functions/cart-callbacks/environment.js';
import { deflectionEnvironmentFrom, trackingEnvironmentFrom } from '#functions/deflection-sms/environment.js';
import { monthlyReportEnvironmentFrom } from '#functions/monthly-report/environment.js';
import { orderIndexEnvironmentFrom } from '#functions/order-index/environment.js';
import { paymentIssuesEnvironmentFrom } from '#functions/payment-issues/environment.js';
import { seatDigestEnvironmentFrom } from '#functions/seat-digest/environment.js';
import deflectionInvocation from '#test/fixtures/connect/deflection-invocation.json' with { type: 'json' };
import { orderSmsEnvironmentFrom } from '#functions/order-sms/environment.js';
import { overflowControllerEnvironmentFrom } from '#functions/overflow-controller/environment.js';
import { seatRevocationEnvironmentFrom } from '#functions/seat-sweeper/environment.js';
import { loadConfig } from '#infra/config/load.js';
import { runtimeEnvironment } from '#infra/constructs/bundling.js';
import ttlRemoval from '#test/fixtures/seats/ttl-removal-stream-event.json' with { type: 'json' };
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { orderStatusBenchEnvironment, orderStatusBenchEvent } from './order-status.js';
import { benchQueueArns, routerBenchEnvironment, routerBenchEvent } from './overflow.js';

/** Stage dev's settings: every feature on (deflection, order status, callbacks), as the CDK app builds them. */
const dev = loadConfig('dev');
/**
 * The runtime variables PeaklineFunction sets (runtimeEnvironment) with prod's log level: dev logs at
 * DEBUG, and debug lines are not what a customer's event costs in production.
 */
const prod = loadConfig('prod');

const ACCOUNT = '123456789012';
const REJECTED_EVENTS_QUEUE_URL = `https://sqs.eu-central-1.amazonaws.com/${ACCOUNT}/peakline-bench-rejected-events`;
const CONNECT_INSTANCE_ID = '5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77';
/**
 * What readsPhoneHashKey gives every function that keys phone numbers: the secret is read on the first
 * record (GetSecretValue, answered by the fake), as on Lambda.
 */
const PHONE_KEY = {
  [PHONE_HASH_KEY_SECRET_ARN]: `arn:aws:secretsmanager:eu-central-1:${ACCOUNT}:secret:peakline-bench-phone-hash-key-AbCdEf`,
};
const smsEnvironment = orderSmsEnvironmentFrom(
  // No quiet hours, so the first invoke sends whatever the hour of the run.
  { ...dev, sms: { ...dev.sms, quietHours: { start: '00:00', end: '00:00' } } },
  {
    ledgerTable: 'peakline-bench-ledger',
    suppressionTable: 'peakline-bench-suppression',
    routingTable: 'peakline-bench-routing',
    rejectedEventsQueueUrl:
      'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-bench-rejected-events',
    busName: 'peakline',
    primaryQueueId: 'primary',
  },
);

const seatEnvironment = seatRevocationEnvironmentFrom(dev, {
  seatsTable: 'peakline-bench-seats',
  busName: 'peakline',
  connectInstanceId: '5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77',
});

const overflowControllerEnvironment = overflowControllerEnvironmentFrom(dev, {
  routingTable: 'peakline-bench-routing',
  busName: 'peakline',
  opsTopicArn: 'arn:aws:sns:eu-central-1:123456789012:peakline-bench-ops',
  connectInstanceId: '5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77',
  queueArns: benchQueueArns,
});

export interface BenchFunction {
  readonly name: string;
  /** The function's own variables, as its infra construct gives them. */
  readonly environment: Record<string, string>;
  /** The variables PeaklineFunction adds to every function (NODE_OPTIONS, Powertools, the stage). */
  readonly runtime: Record<string, string>;
  readonly event: () => unknown;
  /** Specific answers of the fake AWS this function's first invoke needs (see startFakeAws), built per run. */
  readonly awsAnswers?: () => Promise<Record<string, unknown>>;
}

/**
 * The item a store writes, in DynamoDB JSON: the store's own write is run against a client that only
 * keeps what it was asked to put, so the fake's answer has exactly the store's layout.
 */
const storedItem = async (write: (client: BridgedDocumentClient) => Promise<unknown>) => {
  let item: Record<string, unknown> | undefined;
  const client = {
    send: (command: {
      input: { Item?: Record<string, unknown>; TransactItems?: { Put?: { Item?: object } }[] };
    }) => {
      item ??= command.input.Item ?? (command.input.TransactItems?.[0]?.Put?.Item as Record<string, unknown>);
      return Promise.resolve({});
    },
  } as unknown as BridgedDocumentClient;
  await write(client);
  if (item === undefined) throw new Error('The store wrote no item');
  return marshall(item, { removeUndefinedValues: true });
};

/** A Query answering one item (a sparse "due" index with one entry due). */
const queryOf = (item: Record<string, unknown>) => ({ Items: [item], Count: 1, ScannedCount: 1 });

/** Open all day, every day: a callback made whatever the hour of the run (as quiet hours off for SMS). */
const ALWAYS_OPEN = Object.fromEntries(
  ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'].map((day) => [day, { open: '00:00', close: '23:59' }]),
);

const callbackResources = {
  callbacksTable: 'peakline-bench-callbacks',
  suppressionTable: 'peakline-bench-suppression',
  busName: 'peakline',
  callbackQueueId: 'c0ffee00-1111-4222-8333-444455556666',
};

/** A cart callback due a minute ago, as the cart-callbacks function scheduled it. */
const dueCallback = () => {
  const now = new Date();
  return storedItem((client) =>
    new DynamoCallbackStore(client, callbackResources.callbacksTable).add(
      newCallback({
        cartId: 'cart-7f3a9c21',
        customer: {
          customerId: 'C-1048213',
          phone: '+48601234567',
          locale: 'pl-PL',
          timeZone: 'Europe/Warsaw',
          marketingSms: true,
        },
        offer: {
          cartId: 'cart-7f3a9c21',
          items: [
            {
              sku: 'SONY-WH1000XM5-BLK',
              name: 'Słuchawki Sony WH-1000XM5, czarne',
              quantity: 1,
              unitPrice: { amount: 1299, currency: 'PLN' },
              inStock: true,
            },
          ],
          omittedItems: 0,
          total: { amount: 1299, currency: 'PLN' },
          recoveryUrl: 'https://sklep.example.pl/koszyk/odzyskaj?token=q8ZkT2vN',
        },
        abandonedAt: new Date(now.getTime() - 3_600_000).toISOString(),
        now: new Date(now.getTime() - 3_000_000),
        dueAt: new Date(now.getTime() - 60_000),
        expiresAt: new Date(now.getTime() + 86_400_000),
        retentionDays: dev.callbacks.retentionDays,
      }),
      new Date(now.getTime() + 86_400_000),
      now,
    ),
  );
};

/** An active seasonal seat of the dev stage whose contract ends at `expiresAt`, as the seats table holds it. */
const activeSeat = (expiresAt: DateTime) =>
  storedItem((client) =>
    new DynamoSeatStore(client, 'peakline-bench-seats').put({
      ...pendingSeat({
        username: 'anna.nowak',
        type: 'voice',
        firstName: 'Anna',
        lastName: 'Nowak',
        email: 'anna.nowak@example.pl',
        validFrom: expiresAt.minus({ days: 30 }).toUTC().toISO() ?? '',
        expiresAt: expiresAt.toUTC().toISO() ?? '',
      }),
      state: 'ACTIVE',
      userId: SEAT_USER_ID,
    }),
  );

const SEAT_USER_ID = '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f';

/** Connect's DescribeUser of a seat's user: one peakline created (its stage's tag), so it may be deleted. */
const seatUserAnswers = () => {
  const tag = managedUserTag(dev.stage);
  return {
    'GET /users/': { User: { Id: SEAT_USER_ID, Username: 'anna.nowak', Tags: { [tag.key]: tag.value } } },
  };
};

/** A CartAbandoned of a few minutes ago (the sample's own time is long past: its callback would be too late). */
const freshCartAbandoned = () => {
  const event = deliveredSample('cart-abandoned');
  event.detail.abandonedAt = new Date(Date.now() - 5 * 60_000).toISOString();
  return event;
};

const functions: readonly Omit<BenchFunction, 'runtime'>[] = [
  {
    name: 'customer-opt-out',
    environment: {
      SUPPRESSION_TABLE_NAME: 'peakline-bench-suppression',
      REJECTED_EVENTS_QUEUE_URL:
        'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-bench-rejected-events',
      SUPPRESSION_RETENTION_DAYS: '1095',
      ...PHONE_KEY,
    },
    event: () => ({ Records: [sqsRecord(deliveredSample('customer-opted-out'))] }),
  },
  {
    name: 'order-sms',
    environment: { ...smsEnvironment, ...PHONE_KEY },
    event: () => ({ Records: [sqsRecord(deliveredSample('order-placed'))] }),
  },
  {
    name: 'sms-release',
    environment: { ...smsEnvironment, ...PHONE_KEY },
    event: () => ({}),
  },
  {
    // One seat past its end: the user's tags read, its quick connects searched, the user deleted, the seat
    // marked revoked and SeatRevoked announced.
    name: 'seat-sweeper',
    environment: seatEnvironment,
    event: () => ({}),
    awsAnswers: async () => ({
      'DynamoDB_20120810.Query': queryOf(await activeSeat(DateTime.now().minus({ minutes: 5 }))),
      ...seatUserAnswers(),
    }),
  },
  {
    // A seat the TTL deleted with its user still there: DeleteUser (and the quick-connect search) run.
    name: 'seat-ttl-backstop',
    environment: seatEnvironment,
    event: () => structuredClone(ttlRemoval),
    awsAnswers: () => Promise.resolve(seatUserAnswers()),
  },
  {
    // The benchmark's context leaves 10 s: one sample (a GetCurrentMetricData, the states read and written).
    name: 'overflow-controller',
    environment: overflowControllerEnvironment,
    event: () => ({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }),
  },
  {
    // A caller's first question to a fresh router: one GetItem, then the answer.
    name: 'overflow-router',
    environment: routerBenchEnvironment,
    event: routerBenchEvent,
  },
  {
    // The inbound flow's lookup of a caller (issue 15): one Query of the order index (the fake answers no
    // order), then "not found"; the phone-hash key read first (GetSecretValue), as deployed.
    name: 'order-status',
    environment: { ...orderStatusBenchEnvironment, ...PHONE_KEY },
    event: orderStatusBenchEvent,
  },
  {
    // One OrderPlaced into the order index: its conditional UpdateItem (and the prune's Query).
    name: 'order-index',
    environment: {
      ...orderIndexEnvironmentFrom(dev, {
        ordersTable: 'peakline-bench-orders',
        rejectedEventsQueueUrl: REJECTED_EVENTS_QUEUE_URL,
      }),
      ...PHONE_KEY,
    },
    event: () => ({ Records: [sqsRecord(deliveredSample('order-placed'))] }),
  },
  {
    // A CartAbandoned: the suppression list read, the callback and the customer's marker written in one
    // transaction, CallbackScheduled on the bus.
    name: 'cart-callbacks',
    environment: {
      ...callbackEnvironmentFrom(dev, callbackResources),
      REJECTED_EVENTS_QUEUE_URL,
      ...PHONE_KEY,
    },
    event: () => ({ Records: [sqsRecord(freshCartAbandoned())] }),
  },
  {
    // The minute's sweep with one callback due: claimed, the queue's state read, one StartTaskContact, the
    // callback settled and announced. Opening hours all day so the task is made whatever the hour.
    name: 'callback-sweeper',
    environment: {
      ...callbackSweeperEnvironmentFrom(
        { ...dev, connect: { ...dev.connect, hours: ALWAYS_OPEN } },
        {
          ...callbackResources,
          routingTable: 'peakline-bench-routing',
          ledgerTable: 'peakline-bench-ledger',
          connectInstanceId: CONNECT_INSTANCE_ID,
          taskContactFlowId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
        },
      ),
      ...PHONE_KEY,
    },
    event: () => ({ 'detail-type': 'Scheduled Event', source: 'aws.events', detail: {} }),
    awsAnswers: async () => ({ 'DynamoDB_20120810.Query': queryOf(await dueCallback()) }),
  },
  {
    // A PaymentIssueReported: one StartTaskContact into the accounting queue.
    name: 'payment-issues',
    environment: paymentIssuesEnvironmentFrom(dev, {
      rejectedEventsQueueUrl: REJECTED_EVENTS_QUEUE_URL,
      connectInstanceId: CONNECT_INSTANCE_ID,
      taskContactFlowId: '7a6b5c4d-3e2f-4a1b-9c8d-7e6f5a4b3c2d',
      accountingQueueId: 'acc0acc0-1111-4222-8333-444455556666',
    }),
    event: () => ({ Records: [sqsRecord(deliveredSample('payment-issue-reported'))] }),
  },
  {
    // A caller pressed 3 in DEFLECT: the request onto the caller-SMS queue (one SendMessage).
    name: 'deflection-sms',
    environment: {
      DEFLECTION_QUEUE_URL: `https://sqs.eu-central-1.amazonaws.com/${ACCOUNT}/peakline-bench-deflection-sms`,
      CONTACT_CENTRE_TIME_ZONE: dev.connect.timeZone,
    },
    event: () => structuredClone(deflectionInvocation),
  },
  {
    // One queued deflection request: the once-per-call record, the suppression list, the SMS sent.
    name: 'deflection-sms-sender',
    environment: {
      ...smsEnvironment,
      ...deflectionEnvironmentFrom(dev.overflow),
      ...trackingEnvironmentFrom(dev.orderStatus, { ordersTable: 'peakline-bench-orders' }),
      ...PHONE_KEY,
    },
    event: () => ({
      Records: [
        sqsRecord({
          kind: 'deflection',
          contactId: deflectionInvocation.Details.ContactData.ContactId,
          phone: deflectionInvocation.Details.ContactData.CustomerEndpoint.Address,
          locale: 'pl-PL',
        }),
      ],
    }),
  },
  {
    // An OrderPlaced of an abandoned cart: one fact put.
    name: 'fact-recorder',
    environment: {
      FACTS_TABLE_NAME: 'peakline-bench-facts',
      REJECTED_EVENTS_QUEUE_URL,
      SHOP_SOURCE: deliveredSample('order-placed').source,
      FACTS_RETENTION_DAYS: String(dev.data.factsRetentionDays),
    },
    event: () => ({ Records: [sqsRecord(deliveredSample('order-placed'))] }),
  },
  {
    // The 1st of the month: Connect's metrics of last month (one GetMetricDataV2 page), the facts, seats and
    // routing audit read, the report drawn and written to S3 as HTML and CSV.
    name: 'monthly-report',
    environment: monthlyReportEnvironmentFrom(dev, {
      instanceArn: `arn:aws:connect:eu-central-1:${ACCOUNT}:instance/${CONNECT_INSTANCE_ID}`,
      queueArns: benchQueueArns,
      factsTable: 'peakline-bench-facts',
      seatsTable: 'peakline-bench-seats',
      routingTable: 'peakline-bench-routing',
      bucket: 'peakline-bench-reports',
    }),
    event: () => ({ 'detail-type': 'Scheduled Event', source: 'aws.scheduler', detail: {} }),
  },
  {
    // The daily digest with one seat ending tomorrow: the seats scanned, one SNS Publish to the ops topic.
    name: 'seat-digest',
    environment: seatDigestEnvironmentFrom(dev, {
      seatsTable: 'peakline-bench-seats',
      opsTopicArn: `arn:aws:sns:eu-central-1:${ACCOUNT}:peakline-bench-ops`,
    }),
    event: () => ({}),
    awsAnswers: async () => ({
      'DynamoDB_20120810.Scan': queryOf(
        await activeSeat(
          DateTime.now().setZone(dev.connect.timeZone).plus({ days: 1 }).set({ hour: 18, minute: 0 }),
        ),
      ),
    }),
  },
];

export const benchFunctions: readonly BenchFunction[] = functions.map((fn) => ({
  ...fn,
  runtime: runtimeEnvironment({ name: fn.name, stage: dev.stage, logLevel: prod.logs.level }),
}));
