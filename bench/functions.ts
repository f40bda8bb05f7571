/**
 * What the benchmark needs to run each function once, as Lambda would: its environment and a first
 * event. Endpoints point at the benchmark's fake AWS, so the first invoke makes its real SDK calls.
 */
import { orderIndexEnvironmentFrom } from '#functions/order-index/environment.js';
import { orderSmsEnvironmentFrom } from '#functions/order-sms/environment.js';
import { overflowControllerEnvironmentFrom } from '#functions/overflow-controller/environment.js';
import { seatRevocationEnvironmentFrom } from '#functions/seat-sweeper/environment.js';
import { loadConfig } from '#infra/config/load.js';
import { runtimeEnvironment } from '#infra/constructs/bundling.js';
import ttlRemoval from '#test/fixtures/seats/ttl-removal-stream-event.json' with { type: 'json' };
import { deliveredSample, sqsRecord } from '#test/support/events.js';
import { orderStatusBenchEnvironment, orderStatusBenchEvent } from './order-status.js';
import { benchQueueArns, routerBenchEnvironment, routerBenchEvent } from './overflow.js';

const dev = loadConfig('dev');
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
  /** Specific answers of the fake AWS this function's first invoke needs (see startFakeAws). */
  readonly awsAnswers?: Readonly<Record<string, unknown>>;
}

const functions: readonly Omit<BenchFunction, 'runtime'>[] = [
  {
    name: 'customer-opt-out',
    environment: {
      SUPPRESSION_TABLE_NAME: 'peakline-bench-suppression',
      REJECTED_EVENTS_QUEUE_URL:
        'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-bench-rejected-events',
      SUPPRESSION_RETENTION_DAYS: '1095',
    },
    event: () => ({ Records: [sqsRecord(deliveredSample('customer-opted-out'))] }),
  },
  {
    name: 'order-sms',
    environment: smsEnvironment,
    event: () => ({ Records: [sqsRecord(deliveredSample('order-placed'))] }),
  },
  {
    name: 'sms-release',
    environment: smsEnvironment,
    event: () => ({}),
  },
  {
    name: 'seat-sweeper',
    environment: seatEnvironment,
    event: () => ({}),
  },
  {
    // A seat the TTL deleted with its user still there: DeleteUser (and the quick-connect search) run.
    name: 'seat-ttl-backstop',
    environment: seatEnvironment,
    event: () => structuredClone(ttlRemoval),
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
    // order), then "not found". The phone-hash key is the local one: no Secrets Manager call here.
    name: 'order-status',
    environment: orderStatusBenchEnvironment,
    event: orderStatusBenchEvent,
  },
  {
    // One OrderPlaced into the order index: its conditional UpdateItem (and the prune's Query).
    name: 'order-index',
    environment: orderIndexEnvironmentFrom(dev, {
      ordersTable: 'peakline-bench-orders',
      rejectedEventsQueueUrl:
        'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-bench-rejected-events',
    }),
    event: () => ({ Records: [sqsRecord(deliveredSample('order-placed'))] }),
  },
];

export const benchFunctions: readonly BenchFunction[] = functions.map((fn) => ({
  ...fn,
  runtime: runtimeEnvironment({ name: fn.name, stage: dev.stage, logLevel: dev.logs.level }),
}));
