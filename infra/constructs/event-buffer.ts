import { Duration } from 'aws-cdk-lib';
import { type IEventBus, Rule } from 'aws-cdk-lib/aws-events';
import { SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { Queue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { RuleDefinition } from '#events/rules.js';
import { toCdkEventPattern } from './event-pattern.js';
import { deadLetterQueue, secureQueue } from './secure-queue.js';

export interface EventBufferProps {
  readonly bus: IEventBus;
  /** The rule, from `events/rules.ts`, whose events this buffer holds. */
  readonly rule: RuleDefinition;
  readonly consumer: IFunction;
  /** The consumer's timeout, which the buffer's visibility timeout is derived from. @default 10 seconds */
  readonly consumerTimeout?: Duration;
  /** Physical name prefix, e.g. `peakline-prod-opt-out`. */
  readonly queueName: string;
  /** Deliveries before a message moves to the DLQ. @default 5 */
  readonly maxReceiveCount?: number;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 1 second */
  readonly maxBatchingWindow?: Duration;
  /** Concurrent consumers the queue may drive (2..1000); a brake on downstream rate. @default 2 */
  readonly maxConcurrency?: number;
}

/**
 * A rule -> SQS buffer -> Lambda path in which nothing is lost:
 * - the rule's target has the DLQ for events EventBridge could not deliver (after its 24 h of retries);
 * - the buffer moves a message that failed `maxReceiveCount` times to the same DLQ;
 * - the consumer reports partial batch failures, so one bad record does not redeliver nine good ones.
 * Both queues are encrypted (SSE-SQS) and refuse non-TLS requests.
 */
export class EventBuffer extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly rule: Rule;

  constructor(scope: Construct, id: string, props: EventBufferProps) {
    super(scope, id);

    this.deadLetterQueue = deadLetterQueue(this, 'DeadLetters', {
      queueName: `${props.queueName}-dlq`,
    });
    this.queue = secureQueue(this, 'Buffer', {
      queueName: props.queueName,
      // AWS's guidance for Lambda event sources: six times the function timeout, so a message is
      // not handed to a second consumer while the first still works on it.
      visibilityTimeout: Duration.seconds((props.consumerTimeout ?? Duration.seconds(10)).toSeconds() * 6),
      retentionPeriod: Duration.days(4),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: props.maxReceiveCount ?? 5 },
    });

    this.rule = new Rule(this, 'Rule', {
      eventBus: props.bus,
      description: props.rule.description,
      eventPattern: toCdkEventPattern(props.rule.pattern),
    });
    this.rule.addTarget(
      new SqsQueue(this.queue, {
        deadLetterQueue: this.deadLetterQueue,
        maxEventAge: Duration.hours(24),
        retryAttempts: 185,
      }),
    );

    props.consumer.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: props.batchSize ?? 10,
        maxBatchingWindow: props.maxBatchingWindow ?? Duration.seconds(1),
        reportBatchItemFailures: true,
        maxConcurrency: props.maxConcurrency ?? 2,
      }),
    );
  }
}
