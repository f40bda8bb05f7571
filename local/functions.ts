/**
 * The real function code, wired to the local stack's adapters: the same consumers the Lambda handlers
 * wire to AWS, here given DynamoDB Local, the local dead letters, the virtual clock and a log file.
 * Each entry says which rule of `events/rules.ts` feeds its buffer, as the PipelineStack does.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import type { SQSRecord } from 'aws-lambda';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import type { TableName } from '#adapters/dynamodb/tables.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { createFactRecorderConsumer } from '#functions/fact-recorder/consumer.js';
import { DynamoOrderIndex } from '#adapters/dynamodb/order-index.js';
import { createOrderIndexConsumer } from '#functions/order-index/consumer.js';
import { orderIndexEnvironment, orderIndexEnvironmentFrom } from '#functions/order-index/environment.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import type { Clock, ContactCentre, DeadLetterSink, EventPublisher, SmsSender } from '#core/ports.js';
import { isThrottling } from '#adapters/connect/retry.js';
import { sweepDueCallbacks } from '#core/callbacks/sweep.js';
import { takeSample } from '#core/routing/controller.js';
import type { PublicStatusWriter } from '#core/routing/public-status.js';
import {
  callbackSweeperEnvironment,
  callbackSweeperEnvironmentFrom,
} from '#functions/callback-sweeper/environment.js';
import { callbackSweeperDeps } from '#functions/callback-sweeper/wiring.js';
import { createCartCallbacksConsumer } from '#functions/cart-callbacks/consumer.js';
import { cartCallbackDeps } from '#functions/cart-callbacks/wiring.js';
import { createPaymentIssuesConsumer } from '#functions/payment-issues/consumer.js';
import {
  paymentIssuesEnvironment,
  paymentIssuesEnvironmentFrom,
} from '#functions/payment-issues/environment.js';
import { paymentIssuesDeps } from '#functions/payment-issues/wiring.js';
import type { DeflectionSmsDeps } from '#core/sms/deflection-sms.js';
import {
  deflectionEnvironmentFrom,
  deflectionSmsEnvironment,
} from '#functions/deflection-sms/environment.js';
import { deflectionSmsDeps } from '#functions/deflection-sms/wiring.js';
import { revokeDueSeats } from '#core/seats/revocation.js';
import {
  overflowControllerEnvironment,
  overflowControllerEnvironmentFrom,
  publicStatusEnvironmentFrom,
  queueIdOfArn,
} from '#functions/overflow-controller/environment.js';
import {
  overflowControllerDeps,
  overflowControllerSettings,
  publicStatusPublisher,
} from '#functions/overflow-controller/wiring.js';
import type { OrderFact, SmsDecision } from '#core/sms/order-sms.js';
import type { RuleName } from '#events/rules.js';
import { createOptOutConsumer } from '#functions/customer-opt-out/consumer.js';
import { createOrderSmsConsumer } from '#functions/order-sms/consumer.js';
import { orderSmsEnvironment, orderSmsEnvironmentFrom } from '#functions/order-sms/environment.js';
import { runSmsRelease } from '#functions/sms-release/run.js';
import { orderSmsDeps } from '#functions/order-sms/wiring.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

export interface LocalWiring {
  readonly config: PeaklineConfig;
  readonly documentClient: DocumentClient;
  readonly tableNames: Readonly<Record<TableName, string>>;
  readonly deadLetters: DeadLetterSink;
  readonly clock: Clock;
  /** A function's log line; phone numbers in it are already masked by the function. */
  readonly log: (fn: string, message: string, fields: Record<string, unknown>) => void;
  readonly count: (fn: string, metric: string, value?: number) => void;
  /** The outbox: SNS's stand-in. */
  readonly smsSender: SmsSender;
  /** peakline's facts onto the local bus. */
  readonly events: EventPublisher;
  /** Every SMS decision (sent, deferred, suppressed), for the outbox's view. */
  readonly onSmsDecision: (decision: SmsDecision, fact?: OrderFact) => void | Promise<void>;
  /** The bus's name and the rejected-events "queue URL" the environment carries. */
  readonly busName: string;
  /** The simulator, behind the port the Connect adapter implements on AWS. */
  readonly contactCentre: ContactCentre;
  /** Where the overflow controller publishes the public status document (S3's stand-in). @default none */
  readonly publicStatus?: PublicStatusWriter;
}

export interface LocalScheduledJob {
  readonly name: string;
  readonly everyMs: number;
  readonly run: (nowMs: number) => Promise<void>;
}

/**
 * The order-SMS ports, built by the very code the Lambda handlers use from the environment the CDK
 * app would give them, here derived from the stage's settings.
 */
export const orderSmsWorld = (wiring: LocalWiring) => {
  const env = orderSmsEnvironment.parse(
    orderSmsEnvironmentFrom(wiring.config, {
      ledgerTable: wiring.tableNames.ledger,
      suppressionTable: wiring.tableNames.suppression,
      routingTable: wiring.tableNames.routing,
      rejectedEventsQueueUrl: 'http://127.0.0.1/local/rejected-events',
      busName: wiring.busName,
      primaryQueueId: 'primary',
    }),
  );
  const deps = orderSmsDeps(env, {
    clock: wiring.clock,
    documentClient: wiring.documentClient,
    sender: wiring.smsSender,
    events: wiring.events,
  });
  return { env, deps };
};

export interface LocalBufferedFunction {
  readonly name: string;
  /** The rule whose target is this function's buffer. */
  readonly rule: RuleName;
  readonly consume: (records: SQSRecord[]) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
}

/**
 * Runs a record handler over a batch with Powertools' BatchProcessor, as the Lambda handlers do, so a
 * record that throws comes back as a batch item failure here exactly as it would on AWS.
 */
const asBatchConsumer =
  (name: string, wiring: LocalWiring, recordHandler: (record: SQSRecord) => Promise<void>) =>
  async (records: SQSRecord[]): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
    const processor = new BatchProcessor(EventType.SQS);
    const onFailure = (error: Error) =>
      wiring.log(name, 'record failed; it comes back after the visibility timeout', {
        error: `${error.name}: ${error.message}`,
      });
    // In order, and a batch failing whole reported record by record, as the Lambda handlers do.
    const response = await processPartialResponse({ Records: records }, recordHandler, processor, {
      processInParallel: false,
      throwOnFullBatchFailure: false,
    });
    // What Lambda would log for a failed record: the local stack's log shows why it comes back.
    for (const error of processor.errors) onFailure(error);
    return response;
  };

/**
 * The order index on DynamoDB Local, as the order-index function builds it from its environment, reading on
 * the virtual clock (an entry past its expiry is gone in that world's time); the local lookup reads the same.
 */
export const localOrderIndex = (wiring: LocalWiring) => {
  const env = orderIndexEnvironment.parse(
    orderIndexEnvironmentFrom(wiring.config, {
      ordersTable: wiring.tableNames.orders,
      rejectedEventsQueueUrl: 'http://127.0.0.1/local/rejected-events',
    }),
  );
  const index = new DynamoOrderIndex(wiring.documentClient, env.ORDERS_TABLE_NAME, {
    key: suppressionKeying().key,
    maxOrdersPerPhone: env.MAX_ORDERS_PER_PHONE,
    now: () => wiring.clock.now(),
  });
  return { env, index };
};

export const bufferedFunctions = (wiring: LocalWiring): LocalBufferedFunction[] => {
  const sms = orderSmsWorld(wiring);
  const orders = wiring.config.orderStatus.enabled ? localOrderIndex(wiring) : undefined;
  return [
    {
      name: 'order-sms',
      rule: 'orderSms',
      consume: asBatchConsumer(
        'order-sms',
        wiring,
        createOrderSmsConsumer({
          sms: sms.deps,
          deadLetters: wiring.deadLetters,
          maxAttempts: sms.env.SMS_MAX_ATTEMPTS,
          log: (message, fields) => wiring.log('order-sms', message, fields),
          count: (metric, value) => wiring.count('order-sms', metric, value),
          onDecision: wiring.onSmsDecision,
        }),
      ),
    },
    {
      name: 'customer-opt-out',
      rule: 'customerOptOut',
      consume: asBatchConsumer(
        'customer-opt-out',
        wiring,
        createOptOutConsumer({
          store: new DynamoSuppressionStore(
            wiring.documentClient,
            wiring.tableNames.suppression,
            suppressionKeying(),
          ),
          deadLetters: wiring.deadLetters,
          retentionDays: wiring.config.data.suppressionRetentionDays,
          log: (message, fields) => wiring.log('customer-opt-out', message, fields),
          count: (metric) => wiring.count('customer-opt-out', metric),
        }),
      ),
    },
    {
      // The KPI report's facts, from the bus as on AWS: `peakline report --local` reads them.
      name: 'fact-recorder',
      rule: 'factRecorder',
      consume: asBatchConsumer(
        'fact-recorder',
        wiring,
        createFactRecorderConsumer({
          store: new DynamoFactStore(wiring.documentClient, wiring.tableNames.facts, {
            retentionDays: wiring.config.data.factsRetentionDays,
          }),
          deadLetters: wiring.deadLetters,
          shopSource: wiring.config.shop.source,
          log: (message, fields) => wiring.log('fact-recorder', message, fields),
          count: (metric) => wiring.count('fact-recorder', metric),
        }),
      ),
    },
    // The order index the inbound flow's lookup reads, kept only when the stage tells callers their order.
    ...(orders === undefined
      ? []
      : [
          {
            name: 'order-index',
            rule: 'orderIndex' as const,
            consume: asBatchConsumer(
              'order-index',
              wiring,
              createOrderIndexConsumer({
                index: orders.index,
                deadLetters: wiring.deadLetters,
                retentionDays: orders.env.ORDER_INDEX_RETENTION_DAYS,
                fallbackTimeZone: orders.env.CONTACT_CENTRE_TIME_ZONE,
                now: () => wiring.clock.now(),
                log: (message, fields) => wiring.log('order-index', message, fields),
                count: (metric) => wiring.count('order-index', metric),
              }),
            ),
          },
        ]),
  ];
};

/** The local ids of the Connect resources the callback functions name: the simulator's keys. */
const LOCAL_TASK_RESOURCES = {
  connectInstanceId: 'local',
  taskContactFlowId: 'local-task-routing',
  callbackQueueId: 'callback',
  accountingQueueId: 'accounting',
} as const;

/** The cart-callback functions' environment, as the CDK app would build it, for the local tables. */
const callbackSweeperWorld = (wiring: LocalWiring) => {
  const env = callbackSweeperEnvironment.parse(
    callbackSweeperEnvironmentFrom(wiring.config, {
      callbacksTable: wiring.tableNames.callbacks,
      suppressionTable: wiring.tableNames.suppression,
      routingTable: wiring.tableNames.routing,
      ledgerTable: wiring.tableNames.ledger,
      busName: wiring.busName,
      ...LOCAL_TASK_RESOURCES,
    }),
  );
  const world = {
    clock: wiring.clock,
    documentClient: wiring.documentClient,
    contactCentre: wiring.contactCentre,
    events: wiring.events,
    smsSender: wiring.smsSender,
  };
  return { env, world };
};

/** The cart-callbacks and payment-issues consumers, wired as their Lambda handlers wire them. */
export const callbackFunctions = (wiring: LocalWiring): LocalBufferedFunction[] => {
  const { env, world } = callbackSweeperWorld(wiring);
  const payments = paymentIssuesEnvironment.parse(
    paymentIssuesEnvironmentFrom(wiring.config, {
      rejectedEventsQueueUrl: 'http://127.0.0.1/local/rejected-events',
      ...LOCAL_TASK_RESOURCES,
    }),
  );
  return [
    {
      name: 'cart-callbacks',
      rule: 'cartCallbacks',
      consume: asBatchConsumer(
        'cart-callbacks',
        wiring,
        createCartCallbacksConsumer({
          callbacks: cartCallbackDeps(env, world),
          deadLetters: wiring.deadLetters,
          log: (message, fields) => wiring.log('cart-callbacks', message, fields),
          count: (metric) => wiring.count('cart-callbacks', metric),
        }),
      ),
    },
    {
      name: 'payment-issues',
      rule: 'paymentIssues',
      consume: asBatchConsumer(
        'payment-issues',
        wiring,
        createPaymentIssuesConsumer({
          tasks: paymentIssuesDeps(payments, { contactCentre: wiring.contactCentre }),
          isThrottling,
          deadLetters: wiring.deadLetters,
          log: (message, fields) => wiring.log('payment-issues', message, fields),
          count: (metric) => wiring.count('payment-issues', metric),
        }),
      ),
    },
  ];
};

/** The callback sweeper as its Lambda runs it, every virtual minute; the simulator is its Connect. */
export const callbackSweeperJob = (wiring: LocalWiring): LocalScheduledJob => {
  const { env, world } = callbackSweeperWorld(wiring);
  const deps = callbackSweeperDeps(env, world);
  return {
    name: 'callback-sweeper',
    everyMs: 60_000,
    run: async () => {
      const result = await sweepDueCallbacks(deps, env.CALLBACK_SWEEP_BATCH);
      for (const [outcome, count] of Object.entries(result.counts)) {
        if (count > 0) wiring.count('callback-sweeper', outcome, count);
      }
    },
  };
};

/** The scheduled functions, on the virtual clock: what EventBridge Scheduler runs on AWS. */
export const scheduledJobs = (wiring: LocalWiring): LocalScheduledJob[] => {
  const sms = orderSmsWorld(wiring);
  return [
    {
      name: 'sms-release',
      everyMs: 60_000,
      run: async () => {
        // As the Lambda runs it, with its 60-second timeout less what a local run takes.
        await runSmsRelease(sms.deps, {
          partsPerSecond: sms.env.SMS_PARTS_PER_SECOND,
          remainingMs: () => 55_000,
          log: (message, fields) => wiring.log('sms-release', message, fields),
          count: (metric, value) => wiring.count('sms-release', metric, value),
          onDecision: wiring.onSmsDecision,
        });
      },
    },
    overflowControllerJob(wiring),
    callbackSweeperJob(wiring),
    {
      // The seat sweeper, as the Lambda runs it: every seat whose contract has ended loses its user.
      name: 'seat-sweeper',
      everyMs: wiring.config.seats.sweepEveryMinutes * 60_000,
      run: async () => {
        const report = await revokeDueSeats(
          {
            store: new DynamoSeatStore(wiring.documentClient, wiring.tableNames.seats, {
              revokedRetentionDays: wiring.config.seats.revokedRetentionDays,
            }),
            contactCentre: wiring.contactCentre,
            events: wiring.events,
            clock: wiring.clock,
          },
          SEATS_PER_SWEEP,
        );
        const revoked = report.revoked;
        // As the Lambda does: each failed seat is logged and counted, and the sweep went on without it.
        for (const failure of report.failures) {
          wiring.log('seat-sweeper', 'seat revocation failed', { ...failure });
        }
        if (report.failures.length > 0) {
          wiring.count('seat-sweeper', 'SeatRevocationFailures', report.failures.length);
        }
        for (const seat of revoked) {
          wiring.log('seat-sweeper', 'seat revoked', {
            username: seat.username,
            type: seat.type,
            contractEnd: seat.expiresAt,
          });
        }
        if (revoked.length > 0) wiring.count('seat-sweeper', 'SeatsRevoked', revoked.length);
      },
    },
  ];
};

/**
 * The deflection SMS's ports, from the environment the CDK app would give the function; undefined without
 * `overflow.requestUrl`, as the function then does not exist.
 */
export const deflectionSmsWorld = (wiring: LocalWiring): DeflectionSmsDeps | undefined => {
  if (wiring.config.overflow.requestUrl === undefined) return undefined;
  const sms = orderSmsWorld(wiring);
  const env = deflectionSmsEnvironment.parse({
    ...orderSmsEnvironmentFrom(wiring.config, {
      ledgerTable: wiring.tableNames.ledger,
      suppressionTable: wiring.tableNames.suppression,
      routingTable: wiring.tableNames.routing,
      rejectedEventsQueueUrl: 'http://127.0.0.1/local/rejected-events',
      busName: wiring.busName,
      primaryQueueId: 'primary',
    }),
    ...deflectionEnvironmentFrom(wiring.config.overflow),
  });
  return deflectionSmsDeps(env, sms.deps);
};

/** The local ARNs the functions' environments are checked against; the simulator's ids are their last part. */
const localQueueArn = (key: string) =>
  `arn:aws:connect:eu-central-1:000000000000:instance/local/queue/${key}`;

/**
 * The overflow controller as the Lambda wires it, from the environment the CDK app would give it; one
 * sample per run, as the scheduler runs it `samplesPerMinute` times a virtual minute. The ops topic is the
 * function log (fn `ops-topic`).
 */
export const overflowControllerJob = (wiring: LocalWiring): LocalScheduledJob => {
  const env = overflowControllerEnvironment.parse({
    ...overflowControllerEnvironmentFrom(wiring.config, {
      routingTable: wiring.tableNames.routing,
      busName: wiring.busName,
      opsTopicArn: 'arn:aws:sns:eu-central-1:000000000000:peakline-local-ops',
      connectInstanceId: 'local',
      queueArns: {
        primary: localQueueArn('primary'),
        callback: localQueueArn('callback'),
        secondLine: localQueueArn('secondLine'),
      },
    }),
    // The bucket is the in-memory document (`/api/public-status`); its name is never used.
    ...(wiring.publicStatus && wiring.config.publicStatus.enabled
      ? publicStatusEnvironmentFrom(wiring.config, { bucketName: 'local' })
      : {}),
  });
  const deps = overflowControllerDeps(env, {
    clock: wiring.clock,
    documentClient: wiring.documentClient,
    contactCentre: wiring.contactCentre,
    events: wiring.events,
    ops: { notify: async (subject, message) => wiring.log('ops-topic', subject, { message }) },
    log: (level, message, fields) => wiring.log('overflow-controller', message, { level, ...fields }),
  });
  const settings = overflowControllerSettings(env);
  // The simulator is asked by its own queue ids, which are the keys (the last part of the local ARNs).
  const local = {
    ...settings,
    queues: settings.queues.map((q) => ({ ...q, metricsId: q.queueId })),
    ...(settings.secondLine === undefined
      ? {}
      : { secondLine: { ...settings.secondLine, metricsId: queueIdOfArn(settings.secondLine.metricsId) } }),
  };
  const writer = wiring.publicStatus;
  const publisher = writer && publicStatusPublisher(env, () => writer);
  return {
    name: 'overflow-controller',
    everyMs: 60_000 / wiring.config.overflow.samplesPerMinute,
    run: async () => {
      const sample = await takeSample(deps, local);
      for (const change of sample.changes) wiring.count('overflow-controller', `OverflowTo${change.to}`);
      // After every sample, as the Lambda does after its run: written only when what it says changes.
      const published = await publisher?.publish([sample], wiring.clock.now());
      if (published?.written) wiring.count('overflow-controller', 'PublicStatusWrites');
      if (published?.error !== undefined) {
        wiring.count('overflow-controller', 'PublicStatusWriteFailures');
        wiring.log('overflow-controller', 'public status document not written', { error: published.error });
      }
    },
  };
};

/** Seats one local sweep revokes at most; the simulator has no API rate, so this only bounds a run. */
const SEATS_PER_SWEEP = 100;
