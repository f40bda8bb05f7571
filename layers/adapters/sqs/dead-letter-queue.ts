import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterSink } from '#core/ports.js';

/** SQS caps message attributes at 256 KiB with the body; the reason attribute stays short. */
const ATTRIBUTE_LIMIT = 1024;

/**
 * Sends a refused event to a dead-letter queue with the reason, both in the body (for people and for
 * redrive tooling) and as message attributes (for the console's message list and for filters).
 */
export class SqsDeadLetterSink implements DeadLetterSink {
  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
  ) {}

  async put(letter: DeadLetter): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.queueUrl,
        MessageBody: JSON.stringify({
          reason: letter.reason,
          refusedBy: letter.refusedBy,
          event: letter.event,
        }),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: letter.reason.slice(0, ATTRIBUTE_LIMIT) },
          refusedBy: { DataType: 'String', StringValue: letter.refusedBy },
        },
      }),
    );
  }
}
