import { Duration, Stack } from 'aws-cdk-lib';
import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Every peakline queue: encrypted at rest with SQS-managed keys (no KMS key to pay for or to grant
 * EventBridge access to) and refusing any request that is not over TLS.
 */
export const secureQueue = (scope: Construct, id: string, props: QueueProps): Queue =>
  new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });

/** The context key under which a stack records `bus.deadLetterRetentionDays` for its dead-letter queues. */
const DEAD_LETTER_RETENTION_DAYS = 'peakline:deadLetterRetentionDays';

/**
 * Sets the retention of every dead-letter queue built in `stack` (call it first in the constructor, before
 * any child exists). Kept in the construct tree so the constructs that build a DLQ deep inside (an event
 * buffer, a sweeper's failures) need no extra prop, and none can forget it: `deadLetterQueue` refuses to
 * build a queue in a stack that has not said how long its dead letters may live.
 */
export const setDeadLetterRetention = (stack: Stack, days: number): void => {
  stack.node.setContext(DEAD_LETTER_RETENTION_DAYS, days);
};

/**
 * A dead-letter queue (the rejected-events queue, a buffer's DLQ, a function's on-failure queue). What
 * lands there is a whole event, with the customer's phone number in clear, so it is kept only for the
 * stage's `bus.deadLetterRetentionDays`, never SQS's 14-day maximum by default.
 */
export const deadLetterQueue = (
  scope: Construct,
  id: string,
  props: Omit<QueueProps, 'retentionPeriod'>,
): Queue => {
  const days: unknown = Stack.of(scope).node.tryGetContext(DEAD_LETTER_RETENTION_DAYS);
  if (typeof days !== 'number') {
    throw new Error(
      `Dead-letter queue ${id}: its stack has not set the dead-letter retention (setDeadLetterRetention)`,
    );
  }
  return secureQueue(scope, id, { ...props, retentionPeriod: Duration.days(days) });
};
