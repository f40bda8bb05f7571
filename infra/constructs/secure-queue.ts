import { Queue, QueueEncryption, type QueueProps } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * Every peakline queue: encrypted at rest with SQS-managed keys (no KMS key to pay for or to grant
 * EventBridge access to) and refusing any request that is not over TLS.
 */
export const secureQueue = (scope: Construct, id: string, props: QueueProps): Queue =>
  new Queue(scope, id, { ...props, encryption: QueueEncryption.SQS_MANAGED, enforceSSL: true });
