/**
 * Where `peakline seats` acts: a deployed stage on AWS (the normal credential chain; ids read from the
 * stacks' outputs), or the running local stack (`--local`; ids and endpoints read from its dashboard).
 * Either way the commands run the same core on the same adapters; only the endpoints differ.
 */
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { ConnectClient } from '@aws-sdk/client-connect';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import * as z from 'zod';
import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import { ConnectContactCentre, type IdentityManagement } from '#adapters/connect/contact-centre.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { physicalTableName } from '#adapters/dynamodb/tables.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { sdkPutEvents } from '#adapters/eventbridge/sdk-put-events.js';
import type { Clock } from '#core/ports.js';
import { USERNAME_MAX_LENGTH } from '#core/seats/csv-import.js';
import { managedUserTag } from '#core/seats/managed-user.js';
import { type SeatDeps, seatProfiles } from '#core/seats/provisioning.js';
import { loadConfig } from '#infra/config/load.js';
import {
  INSTANCE_ARN_OUTPUT,
  routingProfileOutputKey,
  securityProfileOutputKey,
  stackNames,
} from '#infra/constructs/connect/outputs.js';
import type { RoutingProfileKey, SecurityProfileKey } from '#infra/constructs/connect/seat-types.js';
import { ROUTING_PROFILES } from '#infra/constructs/connect/contact-centre-model.js';
import { LOCAL_MANAGED_USER_TAG } from '#simulator/contact-centre.js';

const ROUTING_PROFILE_KEYS = Object.keys(ROUTING_PROFILES) as RoutingProfileKey[];
const SECURITY_PROFILE_KEYS: readonly SecurityProfileKey[] = ['agent', 'lightAgent'];

/** Everything a seats command needs, and how to let go of it. */
export interface SeatsContext extends SeatDeps {
  /** The contact centre's zone: a date without a time in a CSV means that day there. */
  readonly timeZone: string;
  readonly usernameMaxLength: number;
  /** Connect API calls per second the run keeps under. */
  readonly callsPerSecond: number;
  /** Where the command acts, for its first line of output. */
  readonly where: string;
  close(): void;
}

/** The facts the local stack's `/api/connection` gives the CLI. */
export const localConnectionSchema = z.object({
  region: z.string(),
  now: z.iso.datetime({ offset: true }),
  speed: z.number().positive(),
  timeZone: z.string(),
  busName: z.string(),
  eventsEndpoint: z.url(),
  connectEndpoint: z.url(),
  dynamodbEndpoint: z.url(),
  seatsTable: z.string(),
  connect: z.object({
    instanceId: z.string(),
    identityManagement: z.enum(['CONNECT_MANAGED', 'SAML', 'EXISTING_DIRECTORY']),
    routingProfileIds: z.record(z.enum(ROUTING_PROFILE_KEYS as [RoutingProfileKey]), z.string()),
    securityProfileIds: z.record(z.enum(SECURITY_PROFILE_KEYS as [SecurityProfileKey]), z.string()),
  }),
});
export type LocalConnection = z.infer<typeof localConnectionSchema>;

/** Credentials for the local endpoints, which check none; the SDK insists on having some. */
const LOCAL_CREDENTIALS = { accessKeyId: 'peaklinelocal', secretAccessKey: 'peaklinelocal' } as const;

/**
 * The local stack's virtual clock, followed from one reading: it runs `speed` times faster than the wall
 * clock, so a command's "now" is the stack's "now", not this machine's.
 */
export const followedClock = (virtualNow: Date, speed: number, wallNow = Date.now()): Clock => ({
  now: () => new Date(virtualNow.getTime() + (Date.now() - wallNow) * speed),
});

export class CliError extends Error {
  override readonly name = 'CliError';
}

export interface ContextOptions {
  /**
   * Connect API calls per second; @default the CLI's share of the stage's connect.apiCallsPerSecond (see
   * CONNECT_API_CALLERS): the functions may be calling Connect at the same time.
   */
  readonly rate?: number;
}

/**
 * What the running local stack's `/api/connection` says (its endpoints, ids, tables), read with `schema`; in
 * words when no stack answers or it answers something this CLI does not understand.
 */
export const fetchLocalConnection = async <T>(dashboardUrl: string, schema: z.ZodType<T>): Promise<T> => {
  const url = new URL('/api/connection', dashboardUrl).toString();
  let body: unknown;
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    throw new CliError(
      `No local stack answers at ${dashboardUrl} (${error instanceof Error ? error.message : String(error)}). Start it with \`npm start\` in another terminal, or pass --dashboard-url.`,
    );
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    throw new CliError(
      `The local stack at ${dashboardUrl} answered something this CLI does not understand: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data;
};

/** Builds the context for the running local stack, whose dashboard is at `dashboardUrl`. */
export const localContext = async (
  dashboardUrl: string,
  options: ContextOptions = {},
): Promise<SeatsContext> => {
  const connection = await fetchLocalConnection(dashboardUrl, localConnectionSchema);
  return contextFromLocal(connection, dashboardUrl, options);
};

export const contextFromLocal = (
  connection: LocalConnection,
  dashboardUrl: string,
  options: ContextOptions = {},
): SeatsContext => {
  const common = { region: connection.region, credentials: LOCAL_CREDENTIALS };
  const dynamo = new DynamoDBClient({ ...common, endpoint: connection.dynamodbEndpoint });
  const connect = BridgedConnectSender.over(
    new ConnectClient({ ...common, endpoint: connection.connectEndpoint, maxAttempts: 1 }),
  );
  const eventBridge = new EventBridgeClient({ ...common, endpoint: connection.eventsEndpoint });
  // The local endpoint has no quota; the default share of Connect's default rate keeps runs as on AWS.
  const callsPerSecond = options.rate ?? connectCallsPerSecondFor('seats-cli', 2);
  return {
    store: new DynamoSeatStore(BridgedDocumentClient.over(dynamo), connection.seatsTable),
    contactCentre: new ConnectContactCentre(connect, {
      instanceId: connection.connect.instanceId,
      identityManagement: connection.connect.identityManagement,
      callsPerSecond,
      managedUserTag: LOCAL_MANAGED_USER_TAG,
    }),
    events: new EventBridgePublisher(sdkPutEvents(eventBridge), connection.busName),
    clock: followedClock(new Date(connection.now), connection.speed),
    profiles: seatProfiles(
      connection.connect.routingProfileIds as Record<RoutingProfileKey, string>,
      connection.connect.securityProfileIds as Record<SecurityProfileKey, string>,
    ),
    timeZone: connection.timeZone,
    usernameMaxLength: usernameMaxLength(connection.connect.identityManagement),
    callsPerSecond,
    where: `the local stack at ${dashboardUrl}`,
    close: () => {
      dynamo.destroy();
      connect.destroy();
      eventBridge.destroy();
    },
  };
};

const usernameMaxLength = (identity: IdentityManagement): number =>
  identity === 'CONNECT_MANAGED' ? USERNAME_MAX_LENGTH.connectManaged : USERNAME_MAX_LENGTH.saml;

/** The last part of an ARN: the id. */
export const idOf = (arn: string): string => arn.slice(arn.lastIndexOf('/') + 1);

/**
 * The ContactCenterStack's outputs of a deployed stage (one DescribeStacks), as a lookup that says in words
 * what to do when the stack or an output is missing: the Connect ids every AWS-mode command starts from.
 */
export const contactCenterOutputs = async (
  stage: string,
  common: { readonly region: string; readonly profile?: string },
): Promise<(key: string) => string> => {
  const { region } = common;
  const stackName = stackNames(stage).contactCenter;
  const cloudFormation = new CloudFormationClient(common);
  let outputs: Map<string, string>;
  try {
    const { Stacks } = await cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
    outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey ?? '', o.OutputValue ?? '']));
  } catch (error) {
    throw new CliError(
      `Could not read the stack ${stackName} in ${region} (${error instanceof Error ? error.message : String(error)}). Is stage "${stage}" deployed, and are your AWS credentials for its account?`,
    );
  } finally {
    cloudFormation.destroy();
  }
  const output = (key: string): string => {
    const value = outputs.get(key);
    if (value === undefined || value === '') {
      throw new CliError(
        `The stack ${stackName} has no output ${key}; deploy the current version (cdk deploy --all -c stage=${stage}).`,
      );
    }
    return value;
  };
  return output;
};

export interface AwsContextOptions extends ContextOptions {
  readonly stage: string;
  /** @default the stage's region */
  readonly region?: string;
  /** A named profile from the AWS config; @default the normal credential chain (AWS_PROFILE, SSO, env, …) */
  readonly profile?: string;
}

/**
 * Builds the context for a deployed stage: the stage's settings from infra/config, the Connect ids from
 * the ContactCenterStack's outputs (read once with DescribeStacks).
 */
export const awsContext = async (options: AwsContextOptions): Promise<SeatsContext> => {
  const config = loadConfig(options.stage);
  const region = options.region ?? config.region;
  const common = { region, ...(options.profile === undefined ? {} : { profile: options.profile }) };
  const output = await contactCenterOutputs(config.stage, common);
  const instanceId = idOf(output(INSTANCE_ARN_OUTPUT));
  const routingProfileIds = Object.fromEntries(
    ROUTING_PROFILE_KEYS.map((key) => [key, idOf(output(routingProfileOutputKey(key)))]),
  ) as Record<RoutingProfileKey, string>;
  const securityProfileIds = Object.fromEntries(
    SECURITY_PROFILE_KEYS.map((key) => [key, idOf(output(securityProfileOutputKey(key)))]),
  ) as Record<SecurityProfileKey, string>;

  const dynamo = new DynamoDBClient(common);
  // The adapter paces and retries throttling itself, with Connect's rate in mind; the SDK's own retries
  // would multiply its attempts.
  const connect = BridgedConnectSender.over(new ConnectClient({ ...common, maxAttempts: 1 }));
  const eventBridge = new EventBridgeClient(common);
  const callsPerSecond =
    options.rate ?? connectCallsPerSecondFor('seats-cli', config.connect.apiCallsPerSecond);
  return {
    store: new DynamoSeatStore(BridgedDocumentClient.over(dynamo), physicalTableName(config.stage, 'seats'), {
      revokedRetentionDays: config.seats.revokedRetentionDays,
    }),
    contactCentre: new ConnectContactCentre(connect, {
      instanceId,
      identityManagement: config.connect.identityManagement,
      callsPerSecond,
      // Every user it creates is tagged as this stage's, and it deletes only users so tagged.
      managedUserTag: managedUserTag(config.stage),
    }),
    events: new EventBridgePublisher(sdkPutEvents(eventBridge), config.bus.name),
    clock: { now: () => new Date() },
    profiles: seatProfiles(routingProfileIds, securityProfileIds),
    timeZone: config.connect.timeZone,
    usernameMaxLength: usernameMaxLength(config.connect.identityManagement),
    callsPerSecond,
    where: `stage ${config.stage} in ${region}`,
    close: () => {
      dynamo.destroy();
      connect.destroy();
      eventBridge.destroy();
    },
  };
};
