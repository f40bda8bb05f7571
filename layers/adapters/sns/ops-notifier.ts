import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { OpsNotifier } from '#core/routing/store.js';

/** SNS takes a subject of printable ASCII, without line breaks, up to 100 characters. */
const SUBJECT_MAX = 100;

export const snsSubject = (subject: string): string => {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
};

/** Messages for the people on call, on the ops topic (where the alarms go too, and its e-mail subscription). */
export class SnsOpsNotifier implements OpsNotifier {
  constructor(
    private readonly client: SNSClient,
    private readonly topicArn: string,
  ) {}

  async notify(subject: string, message: string): Promise<void> {
    await this.client.send(
      new PublishCommand({ TopicArn: this.topicArn, Subject: snsSubject(subject), Message: message }),
    );
  }
}
