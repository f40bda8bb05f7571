import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetter, DeadLetterSink } from '#core/ports.js';

let sqsClient: SQSClient | undefined;

/**
 * The SQS client, built once per execution environment. Here rather than in aws-clients.ts: a function
 * sends to SQS only to dead-letter an event, and loads this module only then (see rejected-events.ts).
 */
export const getSqsClient = (): SQSClient => {
  sqsClient ??= new SQSClient({});
  return sqsClient;
};

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
