import * as z from 'zod';
import type { PeaklineConfig } from '#infra/config/schema.js';

const queueArn = z.string().regex(/\/queue\/[^/]+$/, 'expected a Connect queue ARN');

/**
 * What the monthly report reads from `process.env`; checked at synth by PeaklineFunction, and at cold start.
 */
export const monthlyReportEnvironment = z.object({
  /** GetMetricDataV2's ResourceArn: the instance's ARN. */
  CONNECT_INSTANCE_ARN: z.string().regex(/^arn:aws[a-z-]*:connect:/, 'expected a Connect instance ARN'),
  QUEUE_ARN_PRIMARY: queueArn,
  QUEUE_ARN_SECOND_LINE: queueArn,
  QUEUE_ARN_CALLBACK: queueArn,
  QUEUE_ARN_ACCOUNTING: queueArn,
  FACTS_TABLE_NAME: z.string().min(1),
  SEATS_TABLE_NAME: z.string().min(1),
  ROUTING_TABLE_NAME: z.string().min(1),
  REPORTS_BUCKET: z.string().min(3),
  /** The shop's zone: the month and its days are cut there. */
  REPORT_TIME_ZONE: z.string().min(1),
  REPORT_LOCALE: z.enum(['pl', 'en']),
  REPORT_SERVICE_LEVEL_SECONDS: z.coerce.number().int().positive(),
  REPORT_SERVICE_LEVEL_TARGET: z.coerce.number().gt(0).max(1),
  REPORT_SMS_PRICE_PER_PART_USD: z.coerce.number().min(0),
});

export type MonthlyReportEnvironment = z.output<typeof monthlyReportEnvironment>;

export interface MonthlyReportResources {
  readonly instanceArn: string;
  readonly queueArns: {
    readonly primary: string;
    readonly secondLine: string;
    readonly callback: string;
    readonly accounting: string;
  };
  readonly factsTable: string;
  readonly seatsTable: string;
  readonly routingTable: string;
  readonly bucket: string;
}

/** The function's environment from the stage's settings, as the CDK app builds it. */
export const monthlyReportEnvironmentFrom = (
  config: Pick<PeaklineConfig, 'connect' | 'reports'>,
  resources: MonthlyReportResources,
): Record<string, string> => ({
  CONNECT_INSTANCE_ARN: resources.instanceArn,
  QUEUE_ARN_PRIMARY: resources.queueArns.primary,
  QUEUE_ARN_SECOND_LINE: resources.queueArns.secondLine,
  QUEUE_ARN_CALLBACK: resources.queueArns.callback,
  QUEUE_ARN_ACCOUNTING: resources.queueArns.accounting,
  FACTS_TABLE_NAME: resources.factsTable,
  SEATS_TABLE_NAME: resources.seatsTable,
  ROUTING_TABLE_NAME: resources.routingTable,
  REPORTS_BUCKET: resources.bucket,
  REPORT_TIME_ZONE: config.connect.timeZone,
  REPORT_LOCALE: config.reports.locale,
  REPORT_SERVICE_LEVEL_SECONDS: String(config.reports.serviceLevelSeconds),
  REPORT_SERVICE_LEVEL_TARGET: String(config.reports.serviceLevelTarget),
  REPORT_SMS_PRICE_PER_PART_USD: String(config.reports.smsPricePerPartUSD),
});
