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
 * The default of `bus.deadLetterRetentionDays` (written again in the schema, which must not load the CDK):
 * a long weekend and a holiday, then gone.
 */
export const DEFAULT_DEAD_LETTER_RETENTION_DAYS = 7;

/**
 * Sets the retention of every dead-letter queue built in `stack` (call it first in the constructor, before
 * any child exists). Kept in the construct tree so the constructs that build a DLQ deep inside (an event
 * buffer, a sweeper's failures) need no extra prop; a construct built in a stack that sets none (a
 * construct's own test) gets the default, never SQS's 14 days.
 */
export const setDeadLetterRetention = (stack: Stack, days: number): void => {
  stack.node.setContext(DEAD_LETTER_RETENTION_DAYS, days);
};

/**
 * A dead-letter queue (the rejected-events queue, a buffer's DLQ, a function's on-failure queue). What
 * lands there is a whole event, with the customer's phone number in clear, so it is kept only for the
 * stage's `bus.deadLetterRetentionDays`.
 */
export const deadLetterQueue = (
  scope: Construct,
  id: string,
  props: Omit<QueueProps, 'retentionPeriod'>,
): Queue => {
  const configured: unknown = Stack.of(scope).node.tryGetContext(DEAD_LETTER_RETENTION_DAYS);
  const days = typeof configured === 'number' ? configured : DEFAULT_DEAD_LETTER_RETENTION_DAYS;
  return secureQueue(scope, id, { ...props, retentionPeriod: Duration.days(days) });
};
