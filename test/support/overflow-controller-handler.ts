/**
 * The overflow controller's Lambda handler as an integration test runs it: its own routing table on
 * DynamoDB Local, the environment the CDK gives it (one sample decides, no dwell, so one invocation shows a
 * change), and its output captured. Shared by the handler's tests (states, public status document).
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { inject, vi } from 'vitest';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { CONNECT_INSTANCE_ID } from './seat-functions.js';

export const CONTROLLER_INSTANCE_ARN = `arn:aws:connect:eu-central-1:123456789012:instance/${CONNECT_INSTANCE_ID}`;

export type ControllerHandler = (
  event: unknown,
  context: Context,
) => Promise<{ samples: number; changes: string[] }>;

/** Creates a routing table of the test file's own on DynamoDB Local. */
export const createRoutingTable = async (tableName: string): Promise<void> => {
  const admin = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await admin.send(new CreateTableCommand(toCreateTableInput(TABLES.routing, tableName)));
  } finally {
    admin.destroy();
  }
};

/**
 * Stubs the controller's environment (watched queues primary and callback, the second line, one sample
 * deciding, no dwell; `extra` adds or overrides) and loads the handler with it.
 */
export const loadControllerHandler = async (options: {
  readonly routingTable: string;
  readonly queueIds: { readonly primary: string; readonly callback: string; readonly secondLine: string };
  readonly opsTopicArn: string;
  readonly extra?: Readonly<Record<string, string>>;
}): Promise<ControllerHandler> => {
  const env: Record<string, string> = {
    ROUTING_TABLE_NAME: options.routingTable,
    EVENT_BUS_NAME: 'peakline-it',
    OPS_TOPIC_ARN: options.opsTopicArn,
    CONNECT_INSTANCE_ID,
    OVERFLOW_QUEUES: 'primary,callback',
    QUEUE_ARN_PRIMARY: `${CONTROLLER_INSTANCE_ARN}/queue/${options.queueIds.primary}`,
    QUEUE_ARN_CALLBACK: `${CONTROLLER_INSTANCE_ARN}/queue/${options.queueIds.callback}`,
    QUEUE_ARN_SECOND_LINE: `${CONTROLLER_INSTANCE_ARN}/queue/${options.queueIds.secondLine}`,
    OVERFLOW_SAMPLES_PER_MINUTE: '4',
    OVERFLOW_ENTER_WAIT_SECONDS: '120',
    // One sample decides, so that one invocation (one sample: see `oneSampleContext`) shows a change.
    OVERFLOW_ENTER_SAMPLES: '1',
    OVERFLOW_EXIT_WAIT_SECONDS: '60',
    OVERFLOW_EXIT_SAMPLES: '1',
    OVERFLOW_DEFLECT_WAIT_SECONDS: '300',
    // No dwell either: the next invocation may change the state again.
    OVERFLOW_MIN_DWELL_SECONDS: '0',
    OVERFLOW_HANDLING_SECONDS: '300',
    OVERFLOW_PATIENCE_SECONDS: '180',
    OVERFLOW_SECOND_LINE_MARGIN_SECONDS: '30',
    OVERFLOW_SECOND_LINE_MAX_SHARE: '0.5',
    POWERTOOLS_SERVICE_NAME: 'peakline-overflow-controller',
    POWERTOOLS_METRICS_NAMESPACE: 'peakline',
    POWERTOOLS_LOG_LEVEL: 'INFO',
    AWS_REGION: LOCAL_REGION,
    AWS_ENDPOINT_URL_DYNAMODB: inject('dynamodbEndpoint'),
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    ...options.extra,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { handler } = (await import('#functions/overflow-controller/handler.js')) as {
    handler: ControllerHandler;
  };
  return handler;
};

/** Captures what the handler writes to stdout and stderr (its logs and EMF) into `into`, emptied first. */
export const captureOutput = (into: string[]): void => {
  into.length = 0;
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      into.push(String(chunk));
      return true;
    });
  }
};

/** 20 s left: one sample fits, the next (15 s later, needing 10 s) does not. */
export const oneSampleContext = (): Context =>
  ({ ...structuredClone(lambdaContext), getRemainingTimeInMillis: () => 20_000 }) as unknown as Context;
