import { describe, expect, it } from 'vitest';
import {
  overflowControllerEnvironment,
  overflowControllerEnvironmentFrom,
} from '#functions/overflow-controller/environment.js';
import { overflowControllerSettings } from '#functions/overflow-controller/wiring.js';
import { parseConfig } from '#infra/config/load.js';
import type { PeaklineSettings } from '#infra/config/schema.js';

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const QUEUE_ARNS = {
  primary: `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001`,
  secondLine: `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000002`,
  callback: `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000003`,
};

/** The environment the CDK app gives the controller for these settings. */
const environmentFor = (settings: PeaklineSettings = {}): Record<string, string> =>
  overflowControllerEnvironmentFrom(parseConfig('test', settings), {
    routingTable: 'peakline-test-routing',
    busName: 'peakline',
    opsTopicArn: 'arn:aws:sns:eu-central-1:123456789012:peakline-test-ops',
    connectInstanceId: '11111111-2222-3333-4444-555555555555',
    queueArns: QUEUE_ARNS,
  });

/** What the function makes of it at cold start. */
const settingsFor = (settings: PeaklineSettings = {}) =>
  overflowControllerSettings(overflowControllerEnvironment.parse(environmentFor(settings)));

describe('the overflow controller’s environment', () => {
  it("carries the stage's wait model, second-line sharing and dwell to the controller", () => {
    // Prepare
    const overflow = {
      handlingSeconds: 240,
      patienceSeconds: 90,
      secondLineMarginSeconds: 15,
      secondLineMaxShare: 0.35,
      minDwellSeconds: 300,
    };

    // Act
    const settings = settingsFor({ overflow });

    // Assess
    expect(settings.waitModel).toEqual({ handlingSeconds: 240, patienceSeconds: 90 });
    expect(settings.secondLine).toEqual({
      metricsId: QUEUE_ARNS.secondLine,
      marginSeconds: 15,
      maxShare: 0.35,
    });
    expect(settings.thresholds.minDwellSeconds).toBe(300);
  });

  it('judges the primary queue on the expected wait of its calls, and the callback queue on its oldest contact over every channel', () => {
    // Act
    const { queues } = settingsFor();

    // Assess
    expect(queues).toEqual([
      {
        key: 'primary',
        metricsId: QUEUE_ARNS.primary,
        queueId: 'aaaaaaaa-0000-0000-0000-000000000001',
        channel: 'VOICE',
        signal: 'expected-wait',
      },
      {
        key: 'callback',
        metricsId: QUEUE_ARNS.callback,
        queueId: 'aaaaaaaa-0000-0000-0000-000000000003',
        signal: 'oldest-contact',
        routesCallers: false,
      },
    ]);
  });

  it('names the variables ops see in the console, with the defaults as text', () => {
    // Act
    const environment = environmentFor();

    // Assess
    expect(environment).toMatchObject({
      QUEUE_ARN_SECOND_LINE: QUEUE_ARNS.secondLine,
      OVERFLOW_HANDLING_SECONDS: '300',
      OVERFLOW_PATIENCE_SECONDS: '180',
      OVERFLOW_SECOND_LINE_MARGIN_SECONDS: '60',
      OVERFLOW_SECOND_LINE_MAX_SHARE: '0.5',
      OVERFLOW_MIN_DWELL_SECONDS: '120',
    });
  });

  it.each([
    ['QUEUE_ARN_SECOND_LINE', undefined],
    ['QUEUE_ARN_SECOND_LINE', 'second-line'],
    ['OVERFLOW_SECOND_LINE_MAX_SHARE', '0'],
    ['OVERFLOW_SECOND_LINE_MAX_SHARE', '1.5'],
    ['OVERFLOW_HANDLING_SECONDS', 'five minutes'],
    ['OVERFLOW_PATIENCE_SECONDS', undefined],
    ['OVERFLOW_MIN_DWELL_SECONDS', '-1'],
  ])('refuses to start with %s set to %j, naming the variable', (name, value) => {
    // Prepare
    const environment: Record<string, string | undefined> = { ...environmentFor(), [name]: value };

    // Act
    const parsed = overflowControllerEnvironment.safeParse(environment);

    // Assess
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join('.'))).toEqual([name]);
  });
});
