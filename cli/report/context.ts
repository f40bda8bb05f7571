/**
 * Where `peakline report` reads its figures: a deployed stage (Connect's GetMetricDataV2 and the stage's
 * DynamoDB tables, found as `peakline seats` finds them: the stage's settings and the ContactCenterStack's
 * outputs), or the running local stack (`--local`: endpoints from its /api/connection, whose simulator
 * answers GetMetricDataV2). Either way the same adapters and the same core make the report.
 */
import { ConnectClient } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import * as z from 'zod';
import { ConnectMetricDataSource } from '#adapters/connect/metric-data.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { physicalTableName } from '#adapters/dynamodb/tables.js';
import type { Clock } from '#core/ports.js';
import type { KpiReportSettings, KpiReportSources } from '#core/reporting/report.js';
import type { ReportQueue } from '#core/reporting/types.js';
import { loadConfig } from '#infra/config/load.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { reportQueues } from '#infra/constructs/connect/contact-centre-model.js';
import { INSTANCE_ARN_OUTPUT, queueOutputKey } from '#infra/constructs/connect/outputs.js';
import { localConnectInstanceArn } from '#local/http/connect-endpoint.js';
import { contactCenterOutputs, fetchLocalConnection, followedClock, idOf } from '../seats/context.js';
import type { ReportLanguage } from './kpi-i18n.js';

/** Everything `peakline report` needs, and how to let go of it. */
export interface ReportContext {
  readonly sources: KpiReportSources;
  readonly queues: readonly ReportQueue[];
  readonly settings: KpiReportSettings;
  readonly timeZone: string;
  /** The stage's `reports.locale`, which `--lang` overrides. */
  readonly language: ReportLanguage;
  readonly clock: Clock;
  /** Where the figures came from, for the user. */
  readonly where: string;
  close(): void;
}

export interface ReportTarget {
  readonly local: boolean;
  readonly dashboardUrl: string;
  readonly stage: string;
  readonly region?: string;
  readonly profile?: string;
}

export type OpenReportContext = (target: ReportTarget) => Promise<ReportContext>;

const settingsOf = (config: PeaklineConfig): KpiReportSettings => ({
  serviceLevelSeconds: config.reports.serviceLevelSeconds,
  serviceLevelTarget: config.reports.serviceLevelTarget,
  smsPricePerPartUSD: config.reports.smsPricePerPartUSD,
});

const documentClient = (client: DynamoDBClient) => BridgedDocumentClient.over(client);

/** The part of the local stack's /api/connection the report reads; `tables` is there on newer stacks. */
const localConnectionSchema = z.object({
  region: z.string(),
  now: z.iso.datetime({ offset: true }),
  speed: z.number().positive(),
  timeZone: z.string(),
  connectEndpoint: z.url(),
  dynamodbEndpoint: z.url(),
  seatsTable: z.string(),
  tables: z.record(z.string(), z.string()).optional(),
});
type LocalConnection = z.infer<typeof localConnectionSchema>;

/** Credentials for the local endpoints, which check none; the SDK insists on having some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'peaklinelocal', secretAccessKey: 'peaklinelocal' } as const;

export const localReportContext = async (dashboardUrl: string, stage: string): Promise<ReportContext> => {
  const connection = await fetchLocalConnection(dashboardUrl, localConnectionSchema);
  return reportContextFromLocal(connection, dashboardUrl, loadConfig(stage));
};

export const reportContextFromLocal = (
  connection: LocalConnection,
  dashboardUrl: string,
  config: PeaklineConfig,
): ReportContext => {
  const common = { region: connection.region, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...common, endpoint: connection.dynamodbEndpoint });
  const connect = BridgedConnectSender.over(
    new ConnectClient({ ...common, endpoint: connection.connectEndpoint, maxAttempts: 1 }),
  );
  const documents = documentClient(dynamo);
  // The local stack names its tables as a stage called "local" would be named.
  const table = (name: 'routing' | 'facts') => connection.tables?.[name] ?? physicalTableName('local', name);
  const clock = followedClock(new Date(connection.now), connection.speed);
  return {
    sources: {
      contactMetrics: new ConnectMetricDataSource(connect, {
        instanceArn: localConnectInstanceArn(connection.region),
        nowMs: () => clock.now().getTime(),
      }),
      ownFigures: new DynamoFactStore(documents, table('facts')),
      seats: new DynamoSeatStore(documents, connection.seatsTable),
      routingAudit: new DynamoRoutingStateStore(documents, table('routing')),
    },
    // The simulator's queue ids are peakline's keys.
    // The simulator's queue ids are the keys.
    queues: reportQueues((key) => key),
    settings: settingsOf(config),
    timeZone: connection.timeZone,
    language: config.reports.locale,
    clock,
    where: `the local stack at ${dashboardUrl}`,
    close: () => {
      dynamo.destroy();
      connect.destroy();
    },
  };
};

export interface AwsReportOptions {
  readonly stage: string;
  readonly region?: string;
  readonly profile?: string;
}

/** A deployed stage: its settings from infra/config, the Connect ARNs from the ContactCenterStack's outputs. */
export const awsReportContext = async (options: AwsReportOptions): Promise<ReportContext> => {
  const config = loadConfig(options.stage);
  const region = options.region ?? config.region;
  const common = { region, ...(options.profile === undefined ? {} : { profile: options.profile }) };
  const output = await contactCenterOutputs(config.stage, common);
  const instanceArn = output(INSTANCE_ARN_OUTPUT);
  const queues = reportQueues((key) => idOf(output(queueOutputKey(key))));
  const dynamo = new DynamoDBClient(common);
  // The adapter paces and retries throttling itself; the SDK's own retries would multiply its attempts.
  const connect = BridgedConnectSender.over(new ConnectClient({ ...common, maxAttempts: 1 }));
  const documents = documentClient(dynamo);
  const clock: Clock = { now: () => new Date() };
  return {
    sources: {
      contactMetrics: new ConnectMetricDataSource(connect, { instanceArn }),
      ownFigures: new DynamoFactStore(documents, physicalTableName(config.stage, 'facts')),
      seats: new DynamoSeatStore(documents, physicalTableName(config.stage, 'seats')),
      routingAudit: new DynamoRoutingStateStore(documents, physicalTableName(config.stage, 'routing')),
    },
    queues,
    settings: settingsOf(config),
    timeZone: config.connect.timeZone,
    language: config.reports.locale,
    clock,
    where: `stage ${config.stage} in ${region}`,
    close: () => {
      dynamo.destroy();
      connect.destroy();
    },
  };
};

/** Opens the context a command's target asks for. */
export const openReportContext: OpenReportContext = (target) =>
  target.local
    ? localReportContext(target.dashboardUrl, target.stage)
    : awsReportContext({
        stage: target.stage,
        ...(target.region === undefined ? {} : { region: target.region }),
        ...(target.profile === undefined ? {} : { profile: target.profile }),
      });
