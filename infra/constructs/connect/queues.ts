import { CfnQueue } from 'aws-cdk-lib/aws-connect';
import { Construct } from 'constructs';

import { QUEUES, type QueueKey, queueNameOf } from './contact-centre-model.js';

export type { QueueKey };

export interface ConnectQueuesProps {
  /** ARN of the Amazon Connect instance the queues belong to. */
  readonly instanceArn: string;
  /** ARN of the hours of operation every queue follows. */
  readonly hoursOfOperationArn: string;
  /**
   * Put before every queue name, e.g. the stage, so that several stages can share one instance (queue
   * names are unique per instance).
   */
  readonly namePrefix: string;
}

/** The primary, second-line (overflow), callback and accounting queues. */
export class ConnectQueues extends Construct {
  public readonly queues: Readonly<Record<QueueKey, CfnQueue>>;
  public readonly queueArns: Readonly<Record<QueueKey, string>>;

  constructor(scope: Construct, id: string, props: ConnectQueuesProps) {
    super(scope, id);
    const queue = (key: QueueKey): CfnQueue =>
      new CfnQueue(this, QUEUES[key].id, {
        instanceArn: props.instanceArn,
        hoursOfOperationArn: props.hoursOfOperationArn,
        name: queueNameOf(props.namePrefix, key),
        description: QUEUES[key].description,
      });
    this.queues = {
      primary: queue('primary'),
      secondLine: queue('secondLine'),
      callback: queue('callback'),
      accounting: queue('accounting'),
    };
    this.queueArns = {
      primary: this.queues.primary.attrQueueArn,
      secondLine: this.queues.secondLine.attrQueueArn,
      callback: this.queues.callback.attrQueueArn,
      accounting: this.queues.accounting.attrQueueArn,
    };
  }
}
