import type { AwsJsonClient } from '#adapters/signed-json/aws-json-client.js';
import { sendMessage, sqsJsonClient } from '#adapters/signed-json/sqs.js';
import type { DeadLetter, DeadLetterSink } from '#core/ports.js';

let sqsClient: AwsJsonClient | undefined;

/**
 * The SQS client, built once per execution environment: the signed JSON request with the SDK client's
 * patience (three attempts, the standard jittered backoff), since a dead letter is no one's wait but
 * must not be lost to one throttled answer. Built at the first use: a function sends to SQS
 * only to dead-letter an event (see rejected-events.ts).
 */
export const getSqsClient = (): AwsJsonClient => {
  sqsClient ??= sqsJsonClient();
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
    private readonly client: AwsJsonClient,
    private readonly queueUrl: string,
  ) {}

  async put(letter: DeadLetter): Promise<void> {
    await sendMessage(this.client, {
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
    });
  }
}
