import { type OutgoingSms, type SmsSender, SmsNotSentError, SmsRetryableError } from '#core/ports.js';
import type { SnsPublish } from './publish.js';

export interface SnsSmsSenderOptions {
  readonly senderId: string;
  /** SMS parts per second this sender may send; the account's rate divided by the senders running at once. */
  readonly partsPerSecond: number;
  /** @default Date.now */
  readonly nowMs?: () => number;
  /** @default setTimeout */
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * SNS errors that mean "not now": throttling. SNS took nothing. `Throttling` (HTTP 400) is AWS's common
 * throttling answer, which SNS's model does not list, so the SDK and lean-publish.ts name it by its code.
 */
const THROTTLED = new Set([
  'ThrottledException',
  'ThrottlingException',
  'Throttling',
  'KMSThrottlingException',
]);

/**
 * Sends an SMS with SNS Publish to the phone number, transactional (SNS then favours delivery over
 * price), with the configured sender ID; paced so that this sender never exceeds its share of the
 * account's SMS rate, counting parts, since SNS counts parts.
 */
export class SnsSmsSender implements SmsSender {
  private nextFreeAt = 0;
  private readonly nowMs: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly publish: SnsPublish,
    private readonly options: SnsSmsSenderOptions,
  ) {
    this.nowMs = options.nowMs ?? Date.now;
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  async send(sms: OutgoingSms): Promise<{ messageId: string }> {
    await this.pace(sms.segments);
    try {
      const { MessageId } = await this.publish({
        PhoneNumber: sms.to,
        Message: sms.body,
        MessageAttributes: {
          'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
          'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: this.options.senderId },
        },
      });
      return { messageId: MessageId ?? '' };
    } catch (error) {
      const name = (error as { name?: string }).name ?? '';
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 0;
      if (THROTTLED.has(name) || status === 429) {
        throw new SmsRetryableError(`SNS ${name || status}: the SMS goes back to the queue`, {
          cause: error,
        });
      }
      // A refusal (a 4xx: invalid parameter, opted-out number, authorisation): SNS took nothing.
      if (status >= 400 && status < 500) {
        throw new SmsNotSentError(`SNS refused the SMS: ${name || status}`, { cause: error });
      }
      // A 5xx, a timeout, a dropped connection: SNS may have taken it. Passed on as it is: the caller
      // must not send it again (the client does not retry Publish either: see SNS_MAX_ATTEMPTS).
      throw error;
    }
  }

  /** Waits until `parts` fit in the rate: a simple schedule of when the next part may go. */
  private async pace(parts: number): Promise<void> {
    const now = this.nowMs();
    const startAt = Math.max(now, this.nextFreeAt);
    this.nextFreeAt = startAt + (parts * 1000) / this.options.partsPerSecond;
    if (startAt > now) await this.sleep(startAt - now);
  }
}
