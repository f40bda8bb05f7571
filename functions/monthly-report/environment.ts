import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { monthlyReportFields } from './environment-fields.js';

export type { MonthlyReportEnvironment } from './environment-fields.js';

/**
 * What the monthly report reads from `process.env`, as the zod schema PeaklineFunction checks at synth; the
 * handler checks the very same fields by hand at cold start (environment-fields.ts).
 */
export const monthlyReportEnvironment = zodSchemaOf(monthlyReportFields);

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
