/**
 * The environment checked by hand at cold start (readFields) and the zod schema the CDK app checks the same
 * fields with at synth (zodSchemaOf): one rule, two readers, the same verdict and the same words.
 */
import { describe, expect, it } from 'vitest';
import {
  clock,
  integer,
  oneOf,
  optional,
  orDefault,
  positiveNumber,
  queueArn,
  readFields,
  shortText,
  text,
} from '#adapters/environment/fields.js';
import { zodSchemaOf } from '#adapters/environment/zod-schema.js';

const QUEUE =
  'arn:aws:connect:eu-central-1:123456789012:instance/5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77/queue/aaaaaaaa-9d3a-4b7e-8f51-3c2a1d0e9b77';

const fields = {
  TABLE: text(),
  SHARE: positiveNumber(),
  SENDER: shortText(11),
  MODE: oneOf(['postpone', 'sms'] as const),
  QUIET_FROM: clock(),
  QUEUE_ARN: queueArn(),
  CACHE_SECONDS: orDefault(integer({ min: 1, max: 60 }), 5),
  REQUEST_URL: optional(text()),
};

const good = {
  TABLE: 'peakline-dev-routing',
  SHARE: '0.4',
  SENDER: 'Peakline',
  MODE: 'sms',
  QUIET_FROM: '21:00',
  QUEUE_ARN: QUEUE,
};

describe('an environment checked by hand', () => {
  it('reads every field, the defaults and the absent optional ones included', () => {
    // Act
    const values = readFields(fields, good);

    // Assess
    expect(values).toEqual({
      TABLE: 'peakline-dev-routing',
      SHARE: 0.4,
      SENDER: 'Peakline',
      MODE: 'sms',
      QUIET_FROM: '21:00',
      QUEUE_ARN: QUEUE,
      CACHE_SECONDS: 5,
      REQUEST_URL: undefined,
    });
  });

  it.each([
    { variable: 'SHARE', value: '0', message: 'expected a number above 0' },
    { variable: 'SHARE', value: 'many', message: 'expected a number above 0' },
    { variable: 'SENDER', value: 'PeaklineShopPL', message: 'at most 11 characters' },
    { variable: 'MODE', value: 'SMS', message: 'expected one of postpone, sms' },
    { variable: 'QUIET_FROM', value: '9pm', message: 'expected a time of day as HH:MM' },
    {
      variable: 'QUEUE_ARN',
      value: 'arn:aws:connect:eu-central-1:1:instance/x',
      message: 'expected a Connect queue ARN',
    },
    { variable: 'CACHE_SECONDS', value: '90', message: 'at most 60' },
  ])(
    'refuses $variable=$value at cold start and at synth alike: "$message"',
    ({ variable, value, message }) => {
      // Prepare
      const env = { ...good, [variable]: value };

      // Act
      const atColdStart = () => readFields(fields, env);
      const atSynth = zodSchemaOf(fields).safeParse(env);

      // Assess: the function would not start, and the CDK app would not synthesize, for the same reason
      expect(atColdStart).toThrow(`${variable}: ${message}`);
      expect(atSynth.success).toBe(false);
      expect(atSynth.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toContain(
        `${variable}: ${message}`,
      );
    },
  );

  it('names every bad variable in one error, a missing one as missing', () => {
    // Prepare
    const { TABLE: _table, ...withoutTable } = good;

    // Act
    const read = () => readFields(fields, { ...withoutTable, SHARE: '-1' });

    // Assess
    expect(read).toThrow(
      /TABLE: missing.*SHARE: expected a number above 0|SHARE: expected a number above 0.*TABLE: missing/,
    );
  });
});
