/**
 * On the 1st of each month (EventBridge Scheduler, in the shop's zone): last month's KPI report, written as
 * HTML and CSV to the reports bucket. Thin: the wiring is here, the work in run.ts, the report in the core.
 *
 * Its one log line and its one count are written by hand (json-lines.ts), as Powertools wrote them, without
 * Powertools' Logger, Metrics and middy: they were 36 KiB of the bundle and their load and first flush a
 * part of the cold start for two lines a month (bench/levers.ts).
 */
import type { Context } from 'aws-lambda';
import { getDocumentClient } from '#adapters/dynamodb/shared-document-client.js';
import { LeanConnectClient } from '#adapters/connect/lean-connect-client.js';
import { ConnectMetricDataSource } from '#adapters/connect/metric-data.js';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { invocationFields, jsonLines } from '#adapters/logging/json-lines.js';
import { getPutObject } from '#adapters/s3/shared-put-object.js';
import { reportQueues } from '#infra/constructs/connect/contact-centre-model.js';
import { readMonthlyReportEnvironment } from './environment-fields.js';
import { writeMonthlyReport } from './run.js';

const env = readMonthlyReportEnvironment();
const lines = jsonLines('peakline-monthly-report');
const documents = getDocumentClient();
const queueArns = {
  primary: env.QUEUE_ARN_PRIMARY,
  secondLine: env.QUEUE_ARN_SECOND_LINE,
  callback: env.QUEUE_ARN_CALLBACK,
  accounting: env.QUEUE_ARN_ACCOUNTING,
} as const;
// One attempt a call: the adapter paces and retries throttling itself. The lean client, not the SDK's
// ConnectClient (222 KiB less bundle); a metrics page may take a while to compute, hence 30 s.
const connect = new LeanConnectClient({ attemptTimeoutMs: 30_000 });

const fieldsOf = invocationFields();

export const handler = async (_event?: unknown, context?: Context) => {
  // What Powertools' injectLambdaContext put on every line.
  const invocation = fieldsOf(context);
  const result = await writeMonthlyReport(
    {
      sources: {
        contactMetrics: new ConnectMetricDataSource(connect, { instanceArn: env.CONNECT_INSTANCE_ARN }),
        ownFigures: new DynamoFactStore(documents, env.FACTS_TABLE_NAME),
        seats: new DynamoSeatStore(documents, env.SEATS_TABLE_NAME),
        routingAudit: new DynamoRoutingStateStore(documents, env.ROUTING_TABLE_NAME),
      },
      queues: reportQueues((key) => queueArns[key]),
      settings: {
        serviceLevelSeconds: env.REPORT_SERVICE_LEVEL_SECONDS,
        serviceLevelTarget: env.REPORT_SERVICE_LEVEL_TARGET,
        smsPricePerPartUSD: env.REPORT_SMS_PRICE_PER_PART_USD,
      },
      timeZone: env.REPORT_TIME_ZONE,
      language: env.REPORT_LOCALE,
      putObject: getPutObject(),
      bucket: env.REPORTS_BUCKET,
    },
    new Date(),
  );
  lines.log('INFO', 'monthly report written', { ...invocation, month: result.month, keys: result.keys });
  // One EMF line, as logMetrics flushed it; a failed run writes none (Lambda's Errors metric and alarm have it).
  lines.counts(new Map([['ReportsWritten', result.keys.length]]));
  return result;
};
