import type { OpsNotifier } from '#core/routing/store.js';
import type { SnsPublish } from './publish.js';

/** SNS takes a subject of printable ASCII, without line breaks, up to 100 characters. */
const SUBJECT_MAX = 100;

export const snsSubject = (subject: string): string => {
  const ascii = subject.replace(/[^\x20-\x7e]/g, '?');
  return ascii.length <= SUBJECT_MAX ? ascii : `${ascii.slice(0, SUBJECT_MAX - 3)}...`;
};

/** Messages for the people on call, on the ops topic (where the alarms go too, and its e-mail subscription). */
export class SnsOpsNotifier implements OpsNotifier {
  constructor(
    private readonly publish: SnsPublish,
    private readonly topicArn: string,
  ) {}

  async notify(subject: string, message: string): Promise<void> {
    await this.publish({ TopicArn: this.topicArn, Subject: snsSubject(subject), Message: message });
  }
}
