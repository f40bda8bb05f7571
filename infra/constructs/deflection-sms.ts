import { Duration } from 'aws-cdk-lib';
import { MathExpression } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFLECTION_SENDER_INVOCATIONS,
  deflectionAcceptEnvironment,
  deflectionEnvironmentFrom,
  deflectionSmsEnvironment,
  trackingEnvironmentFrom,
} from '#functions/deflection-sms/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import type { OpsAlarms } from './ops-alarms.js';
import { PeaklineFunction } from './peakline-function.js';
import { deadLetterQueue, secureQueue } from './secure-queue.js';

export interface DeflectionSmsProps {
  readonly config: PeaklineConfig;
  /** The order-SMS functions' environment (ledger, suppression list, caps, the SMS rate share). */
  readonly smsEnvironment: Readonly<Record<string, string>>;
  /** What every SMS sender may do (the ledger, the suppression list, the bus, SNS Publish). */
  readonly grantSmsPath: (fn: IFunction) => void;
  readonly ops: OpsAlarms;
  /** Physical name prefix, e.g. `peakline-prod`. */
  readonly prefix: string;
  /**
   * The order status's tracking-link SMS (`orderStatus.enabled`, issue 15): the order-status function queues
   * it here, and the sender reads the order's entry (its link, the customer's consent) from the index.
   * @default - the deflection SMS only (then `overflow.requestUrl` must be set)
   */
  readonly tracking?: { readonly ordersTable: ITableV2 };
}

/** A caller was told the SMS is on its way: queued longer than this, it is late. */
const LATE_SECONDS = 120;

/** The sender's timeout: a batch of ten at its part of the rate, with room to spare. */
const SENDER_TIMEOUT = Duration.seconds(60);

/**
 * The SMS a caller asks for during the call, queued and sent at its share of the SMS rate: the deflection
 * SMS (with `overflow.requestUrl`) and the order status's tracking link (with `orderStatus.enabled`). The
 * queue and the sender exist when either does; the accept function only for the deflection SMS (the
 * tracking link is queued by the order-status function itself).
 *
 * The deflection SMS (issue 11, defect 7): a caller in DEFLECT presses 3 and gets an SMS with the request
 * link. Connect invokes a function synchronously, and Lambda throttles a synchronous invoke beyond the
 * function's concurrency: a function held to one invocation that waits on the SMS pacer lost the second of
 * two callers pressing 3 within a second (the flow's error branch, no SMS). So two functions:
 * - `accept` (what the flow invokes): checks the number and queues the request, in milliseconds, with NO
 *   reserved concurrency, so a burst of callers is never refused;
 * - `sender`: drains the queue, at most DEFLECTION_SENDER_INVOCATIONS at a time, each paced at its part
 *   of the deflection's one share of the SMS rate (SMS_SENDERS counts it once, as before): a burst is
 *   sent at the share, seconds later, never above it.
 * The queue holds a caller's number: encrypted, kept one hour (an SMS the caller asked for on the phone is
 * worth nothing later; by then the alarm on its age has long fired), failures in a dead-letter queue kept
 * for the stage's dead-letter retention.
 */
export class DeflectionSms extends Construct {
  /** What the inbound flow's option 3 invokes; undefined without `overflow.requestUrl`. */
  readonly accept: PeaklineFunction | undefined;
  readonly sender: PeaklineFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: DeflectionSmsProps) {
    super(scope, id);
    const { config, smsEnvironment, ops, prefix, tracking } = props;
    const deflection = config.overflow.requestUrl !== undefined;
    if (!deflection && tracking === undefined) {
      throw new Error(
        'The caller SMS needs overflow.requestUrl (deflection) or the order index (tracking links).',
      );
    }

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', {
      queueName: `${prefix}-deflection-sms-dlq`,
    });
    this.queue = secureQueue(this, 'Requests', {
      queueName: `${prefix}-deflection-sms`,
      retentionPeriod: Duration.hours(1),
      // Six times the consumer's timeout, as AWS advises for an SQS event source.
      visibilityTimeout: Duration.seconds(SENDER_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 3 },
    });

    this.accept = deflection
      ? new PeaklineFunction(this, 'Accept', {
          config,
          name: 'deflection-sms',
          description:
            'Inbound flow, DEFLECT, option 3: queues the SMS with the request link and the bonus code',
          environmentSchema: deflectionAcceptEnvironment,
          environment: {
            DEFLECTION_QUEUE_URL: this.queue.queueUrl,
            CONTACT_CENTRE_TIME_ZONE: config.connect.timeZone,
          },
          // The caller is on the line and Connect waits at most 8 seconds for the answer.
          timeout: Duration.seconds(5),
          // No reserved concurrency, on purpose: see above.
        })
      : undefined;
    if (this.accept !== undefined) this.queue.grantSendMessages(this.accept.fn);

    this.sender = new PeaklineFunction(this, 'Sender', {
      config,
      name: 'deflection-sms-sender',
      description: 'Sends the queued caller SMS (deflection, tracking link) at their share of the SMS rate',
      environmentSchema: deflectionSmsEnvironment,
      environment: {
        ...smsEnvironment,
        ...deflectionEnvironmentFrom(config.overflow),
        ...(tracking === undefined
          ? {}
          : trackingEnvironmentFrom(config.orderStatus, { ordersTable: tracking.ordersTable.tableName })),
      },
      timeout: SENDER_TIMEOUT,
      // Never more invocations than the rate share was split into.
      reservedConcurrentExecutions: DEFLECTION_SENDER_INVOCATIONS,
    });
    props.grantSmsPath(this.sender.fn);
    // The tracking link's entry: its link and the customer's consent, read by key, never written.
    tracking?.ordersTable.grant(this.sender.fn, 'dynamodb:GetItem');
    this.sender.fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: 10,
        maxBatchingWindow: Duration.seconds(0),
        reportBatchItemFailures: true,
        maxConcurrency: DEFLECTION_SENDER_INVOCATIONS,
      }),
    );

    ops.deadLetters(
      'DeflectionSmsDlqAlarm',
      this.deadLetterQueue,
      'Caller SMS (deflection, tracking link) could not be sent',
    );
    if (this.accept !== undefined)
      ops.functionErrors('DeflectionSmsErrors', this.accept.fn, 'deflection-sms');
    ops.functionErrors('DeflectionSmsSenderErrors', this.sender.fn, 'deflection-sms-sender');
    // A caller was told the SMS is on its way: one still queued after LATE_SECONDS is late.
    ops.metricAtLeastOnce(
      'DeflectionSmsLateAlarm',
      new MathExpression({
        expression: `IF(age > ${LATE_SECONDS}, 1, 0)`,
        usingMetrics: {
          age: this.queue.metricApproximateAgeOfOldestMessage({
            period: Duration.minutes(1),
            statistic: 'Maximum',
          }),
        },
        label: 'DeflectionSmsLate',
        period: Duration.minutes(1),
      }),
      'A caller SMS (deflection or tracking link) has waited over two minutes in its queue: the sender is failing or the SMS rate share is too small for what callers ask for.',
    );
  }
}
