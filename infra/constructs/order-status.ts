import { Duration } from 'aws-cdk-lib';
import { ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { orderStatusEnvironment, orderStatusEnvironmentFrom } from '#functions/order-status/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { type OpsAlarms, peaklineMetric } from './ops-alarms.js';
import { PeaklineFunction } from './peakline-function.js';
import { readsPhoneHashKey } from './phone-hash-key.js';

export interface OrderStatusProps {
  readonly config: PeaklineConfig;
  /** The order index (DataStack `orders`): read by the caller's keyed phone hash, never written here. */
  readonly ordersTable: ITableV2;
  /** The phone-hash key the index is keyed with (the suppression list's). */
  readonly phoneHashKey: ISecret;
  /** The caller-SMS queue (the deflection SMS's): option 1 queues the tracking link there, the sender sends it. */
  readonly callerSmsQueue: IQueue;
  readonly ops: OpsAlarms;
}

/**
 * The room the function has past the flow's own wait: Connect stops waiting at `lookupTimeoutSeconds`
 * whatever happens, and the function answers within its budget below that; the extra second only lets an
 * answer already on its way finish rather than be cut off mid-write (the link's queueing).
 */
const TIMEOUT_MARGIN_SECONDS = 1;

/** Fail-open lookups in 5 minutes, two periods running, that page ops. */
const LOOKUP_FAILURES_PER_PERIOD = 5;

/**
 * "Where is my order?" answered before the queue (issue 15): the function the inbound flow invokes for
 * every caller (`{ action: 'lookup' }`: the caller's order in progress, the words to say it in their
 * language, the agent's contact attributes) and for a caller who presses 1 (`{ action: 'send-link' }`:
 * the tracking link queued for the SMS sender, through the SMS guards there).
 *
 * Every caller waits on the lookup in silence, so, as for the router and the deflection SMS's accept
 * function, NO reserved concurrency: a burst of calls is never throttled into the flow's error branch
 * (which would only cost the caller the status, since that branch goes on to routing).
 *
 * Least privilege: Query on the order index (one partition: the caller's; no write, no scan), GetSecretValue on the
 * phone-hash key, SendMessage on the caller-SMS queue. It sends no SMS itself and holds no SNS right: the
 * sender, which applies consent, suppression and the caps, does.
 */
export class OrderStatus extends Construct {
  readonly lookup: PeaklineFunction;

  constructor(scope: Construct, id: string, props: OrderStatusProps) {
    super(scope, id);
    const { config, ordersTable, callerSmsQueue } = props;

    this.lookup = new PeaklineFunction(this, 'Lookup', {
      config,
      name: 'order-status',
      description:
        "Inbound flow: the caller's order status before the queue, and its tracking link queued for SMS",
      environmentSchema: orderStatusEnvironment,
      environment: orderStatusEnvironmentFrom(config, {
        ordersTable: ordersTable.tableName,
        callerSmsQueueUrl: callerSmsQueue.queueUrl,
      }),
      timeout: Duration.seconds(config.orderStatus.lookupTimeoutSeconds + TIMEOUT_MARGIN_SECONDS),
      // No reserved concurrency, on purpose: see above.
    });
    ordersTable.grant(this.lookup.fn, 'dynamodb:Query');
    // The index is keyed like the suppression list but has no legacy unkeyed entries to read.
    readsPhoneHashKey(this.lookup.fn, props.phoneHashKey, config, { suppression: false });
    callerSmsQueue.grantSendMessages(this.lookup.fn);

    props.ops.functionErrors('OrderStatusErrors', this.lookup.fn, 'order-status');
    // The function never fails an invocation (it answers "not found" instead), so its errors say nothing of
    // a broken lookup: its own count of fail-open answers does. A blip (a throttled read) costs one caller
    // the status; lookups failing period after period cost every caller, so that is what pages.
    props.ops.threshold('OrderStatusLookupFailedAlarm', {
      metric: peaklineMetric({
        stage: config.stage,
        service: 'peakline-order-status',
        metricName: 'OrderStatusLookupFailed',
        period: Duration.minutes(5),
      }),
      threshold: LOOKUP_FAILURES_PER_PERIOD,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      treatMissingData: TreatMissingData.NOT_BREACHING,
      okAction: true,
      description: `The order lookup failed for at least ${LOOKUP_FAILURES_PER_PERIOD} callers in each of two 5-minute periods: callers go on to the queue without hearing their order's status (fail open), so more of them queue. See the order-status log group ('lookup failed') and the orders table's throttles.`,
    });
  }
}
