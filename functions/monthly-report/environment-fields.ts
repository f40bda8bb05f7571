/**
 * What the monthly report reads from `process.env`, checked by hand at cold start (no zod schema built at
 * load: see #adapters/environment/fields.ts); environment.ts gives the same fields as the zod schema the
 * CDK app checks at synth.
 */
import {
  type EnvField,
  EnvFieldError,
  type EnvValues,
  integer,
  matching,
  queueArn,
  readFields,
  text,
} from '#adapters/environment/fields.js';

/** A number within [`min`, `max`], or above `min` when `minIncluded` is false; fractions allowed. */
const decimal = (bounds: { min: number; minIncluded: boolean; max?: number }): EnvField<number> => ({
  parse: (raw) => {
    const value = Number(text().parse(raw).trim());
    if (!Number.isFinite(value)) throw new EnvFieldError('expected a number');
    if (bounds.minIncluded ? value < bounds.min : value <= bounds.min)
      throw new EnvFieldError(bounds.minIncluded ? `at least ${bounds.min}` : `above ${bounds.min}`);
    if (bounds.max !== undefined && value > bounds.max) throw new EnvFieldError(`at most ${bounds.max}`);
    return value;
  },
});

const locale = (): EnvField<'pl' | 'en'> => ({
  parse: (raw) => {
    const value = text().parse(raw);
    if (value !== 'pl' && value !== 'en') throw new EnvFieldError('expected one of pl, en');
    return value;
  },
});

export const monthlyReportFields = {
  /** GetMetricDataV2's ResourceArn: the instance's ARN. */
  CONNECT_INSTANCE_ARN: matching(/^arn:aws[a-z-]*:connect:/, 'expected a Connect instance ARN'),
  QUEUE_ARN_PRIMARY: queueArn(),
  QUEUE_ARN_SECOND_LINE: queueArn(),
  QUEUE_ARN_CALLBACK: queueArn(),
  QUEUE_ARN_ACCOUNTING: queueArn(),
  FACTS_TABLE_NAME: text(),
  SEATS_TABLE_NAME: text(),
  ROUTING_TABLE_NAME: text(),
  REPORTS_BUCKET: matching(/^.{3,}$/s, 'at least 3 characters'),
  /** The shop's zone: the month and its days are cut there. */
  REPORT_TIME_ZONE: text(),
  REPORT_LOCALE: locale(),
  REPORT_SERVICE_LEVEL_SECONDS: integer({ min: 1 }),
  REPORT_SERVICE_LEVEL_TARGET: decimal({ min: 0, minIncluded: false, max: 1 }),
  REPORT_SMS_PRICE_PER_PART_USD: decimal({ min: 0, minIncluded: true }),
};

export type MonthlyReportEnvironment = EnvValues<typeof monthlyReportFields>;

/** The report's environment at cold start, or an error naming every bad variable. */
export const readMonthlyReportEnvironment = (
  env: Readonly<Record<string, unknown>> = process.env,
): MonthlyReportEnvironment => readFields(monthlyReportFields, env);
