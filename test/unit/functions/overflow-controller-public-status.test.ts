import { describe, expect, it } from 'vitest';
import {
  overflowControllerEnvironment,
  overflowControllerEnvironmentFrom,
  publicStatusEnvironmentFrom,
  publicStatusFrom,
} from '#functions/overflow-controller/environment.js';
import { parseConfig } from '#infra/config/load.js';
import type { PeaklineSettings } from '#infra/config/schema.js';

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';

/** The controller's environment as the CDK app builds it, with the public status construct's variables. */
const environmentFor = (settings: PeaklineSettings, withPublicStatus = true) => {
  const config = parseConfig('test', settings);
  return overflowControllerEnvironment.parse({
    ...overflowControllerEnvironmentFrom(config, {
      routingTable: 'peakline-test-routing',
      busName: 'peakline',
      opsTopicArn: 'arn:aws:sns:eu-central-1:123456789012:peakline-test-ops',
      connectInstanceId: '11111111-2222-3333-4444-555555555555',
      queueArns: {
        primary: `${INSTANCE}/queue/q-1`,
        secondLine: `${INSTANCE}/queue/q-2`,
        callback: `${INSTANCE}/queue/q-3`,
      },
    }),
    ...(withPublicStatus ? publicStatusEnvironmentFrom(config, { bucketName: 'peakline-test-status' }) : {}),
  });
};

describe("the overflow controller's public status settings", () => {
  it('carry publicStatus.normalReplyWithinHours, sms.replyWithinHours and the cache time', () => {
    // Act
    const settings = publicStatusFrom(
      environmentFor({
        publicStatus: { normalReplyWithinHours: 1, cacheSeconds: 30 },
        sms: { replyWithinHours: { OVERFLOW: 6, DEFLECT: 48 } },
      }),
    );

    // Assess
    expect(settings).toEqual({
      bucket: 'peakline-test-status',
      key: 'status.json',
      cacheSeconds: 30,
      replyWithinHours: { NORMAL: 1, OVERFLOW: 6, DEFLECT: 48 },
    });
  });

  it('are absent without a bucket: nothing is published', () => {
    expect(publicStatusFrom(environmentFor({}, false))).toBeUndefined();
  });

  it('refuse a bucket without the promises, at cold start', () => {
    // Prepare
    const env = { ...environmentFor({}), PUBLIC_STATUS_REPLY_HOURS_DEFLECT: undefined };

    // Act
    const reading = () => publicStatusFrom(env);

    // Assess
    expect(reading).toThrow(/PUBLIC_STATUS_BUCKET is set but not/);
  });
});
