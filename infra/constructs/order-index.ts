import { Duration } from 'aws-cdk-lib';
import type { ITableV2 } from 'aws-cdk-lib/aws-dynamodb';
import type { IEventBus } from 'aws-cdk-lib/aws-events';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IQueue, Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RuleDefinition } from '#events/rules.js';
import { orderIndexEnvironment, orderIndexEnvironmentFrom } from '#functions/order-index/environment.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { EventBuffer } from './event-buffer.js';
import { PeaklineFunction } from './peakline-function.js';
import { readsPhoneHashKey } from './phone-hash-key.js';

export interface OrderIndexWriterProps {
  readonly config: PeaklineConfig;
  /** The DataStack's `orders` table. */
  readonly ordersTable: ITableV2;
  readonly bus: IEventBus;
  /** The `orderIndex` rule from `events/rules.ts`. */
  readonly rule: RuleDefinition;
  /** Where the writer puts the events it refuses, with the reason. */
  readonly rejectedEvents: IQueue;
  /** The DataStack's phone-hash key: the table's partition key is an HMAC under it. */
  readonly phoneHashKey: ISecret;
  /** Physical name prefix, e.g. `peakline-prod`. */
  readonly prefix: string;
  /** Days an entry is kept after the order's last change (the table's TTL). @default config.sms.retentionDays */
  readonly retentionDays?: number;
  /** Orders kept per phone. @default config.orderStatus.maxOrdersPerPhone (5) */
  readonly maxOrdersPerPhone?: number;
  /** Concurrent writers the buffer may drive. @default 2 */
  readonly maxConcurrency?: number;
}

/**
 * The order index kept from the shop's order events: the `orderIndex` rule -> an SQS buffer with its DLQ
 * -> the order-index function -> the `orders` table, which the inbound flow's lookup reads.
 *
 * A buffer and function of their own, apart from the order SMS, so neither holds the other back and each
 * retries and dead-letters on its own: an index in trouble waits in its buffer (4 days) while the SMS go
 * out. The function may update, query and delete items of the orders table and nothing else there (no
 * scan, no read of another table), read the phone-hash key and put refused events on the rejected-events
 * queue. Alarms (the DLQ, the oldest message, errors) are the stack's to add.
 */
export class OrderIndexWriter extends Construct {
  readonly fn: NodejsFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;

  constructor(scope: Construct, id: string, props: OrderIndexWriterProps) {
    super(scope, id);
    const { config } = props;
    const timeout = Duration.seconds(10);
    const writer = new PeaklineFunction(this, 'Writer', {
      config,
      name: 'order-index',
      description: "OrderPlaced and OrderStatusChanged -> the order index (a phone's recent orders)",
      environmentSchema: orderIndexEnvironment,
      environment: orderIndexEnvironmentFrom(
        {
          ...config,
          sms: { retentionDays: props.retentionDays ?? config.sms.retentionDays },
          orderStatus: { maxOrdersPerPhone: props.maxOrdersPerPhone ?? config.orderStatus.maxOrdersPerPhone },
        },
        { ordersTable: props.ordersTable.tableName, rejectedEventsQueueUrl: props.rejectedEvents.queueUrl },
      ),
      timeout,
    });
    this.fn = writer.fn;
    // By hand rather than table.grantReadWriteData(), which would add GetItem, Scan, BatchWrite and the
    // indexes: the writer updates an order, queries its phone's keys to prune, and deletes the oldest.
    this.fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['dynamodb:UpdateItem', 'dynamodb:Query', 'dynamodb:DeleteItem'],
        resources: [props.ordersTable.tableArn],
      }),
    );
    // Keyed from its first item: the suppression list's legacy window means nothing to the index.
    readsPhoneHashKey(this.fn, props.phoneHashKey, config, { suppression: false });
    props.rejectedEvents.grantSendMessages(this.fn);

    const buffer = new EventBuffer(this, 'Buffer', {
      bus: props.bus,
      rule: props.rule,
      consumer: this.fn,
      consumerTimeout: timeout,
      queueName: `${props.prefix}-order-index`,
      ...(props.maxConcurrency === undefined ? {} : { maxConcurrency: props.maxConcurrency }),
    });
    this.queue = buffer.queue;
    this.deadLetterQueue = buffer.deadLetterQueue;
  }
}
