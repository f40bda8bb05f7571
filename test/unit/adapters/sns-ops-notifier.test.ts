import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { SnsOpsNotifier, snsSubject } from '#adapters/sns/ops-notifier.js';
import { sdkSnsPublish } from '#adapters/sns/sdk-publish.js';

const sns = mockClient(SNSClient);
const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:peakline-test-ops';

describe('SNS ops notifier', () => {
  beforeEach(() => {
    sns.reset();
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  });

  it('publishes the subject and the message to the ops topic', async () => {
    // Act
    await new SnsOpsNotifier(sdkSnsPublish(new SNSClient({ region: 'eu-central-1' })), TOPIC).notify(
      'peakline: primary queue NORMAL -> OVERFLOW',
      'The primary queue went from NORMAL to OVERFLOW.\nCallers are routed to the second line.',
    );

    // Assess
    expect(sns.commandCalls(PublishCommand).map((c) => c.args[0].input)).toEqual([
      {
        TopicArn: TOPIC,
        Subject: 'peakline: primary queue NORMAL -> OVERFLOW',
        Message: 'The primary queue went from NORMAL to OVERFLOW.\nCallers are routed to the second line.',
      },
    ]);
  });

  it('passes an SNS failure on', async () => {
    // Prepare
    sns
      .on(PublishCommand)
      .rejects(Object.assign(new Error('denied'), { name: 'AuthorizationErrorException' }));

    // Act
    const notifying = new SnsOpsNotifier(
      sdkSnsPublish(new SNSClient({ region: 'eu-central-1' })),
      TOPIC,
    ).notify('s', 'm');

    // Assess
    await expect(notifying).rejects.toMatchObject({ name: 'AuthorizationErrorException' });
  });

  it('makes any subject one SNS takes: printable ASCII, one line, at most 100 characters', () => {
    expect(snsSubject('kolejka „główna” → OVERFLOW\n')).toBe('kolejka ?g??wna? ? OVERFLOW?');
    const long = snsSubject('x'.repeat(150));
    expect(long).toHaveLength(100);
    expect(long.endsWith('...')).toBe(true);
  });
});
