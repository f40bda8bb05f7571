import { ConnectClient, GetCurrentMetricDataCommand, ThrottlingException } from '@aws-sdk/client-connect';
import { QueryCommand } from '#adapters/dynamodb/document-client.js';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { localDocumentClient } from '#test/support/dynamodb.js';
import { type ConnectOverMock, connectOverMock } from '#test/support/connect-over-mock.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import {
  type FakeAwsQuery,
  fakeAwsQuery,
  publishAnswer,
  publishedInputs,
} from '#test/support/fake-aws-query.js';
import { busAccepts, putEntries } from '#test/support/fake-aws-services.js';
import {
  CONTROLLER_INSTANCE_ARN,
  type ControllerHandler,
  captureOutput,
  createRoutingTable,
  loadControllerHandler,
  oneSampleContext,
} from '#test/support/overflow-controller-handler.js';
import { CONNECT_INSTANCE_ID, metricValues } from '#test/support/seat-functions.js';

const connect = mockClient(ConnectClient);
/** Connect on loopback, answered by the mocked ConnectClient: the function's own (lean) client reaches it. */
let connectEndpoint: ConnectOverMock;
/** EventBridge on loopback: the controller's PutEvents reach it through AWS_ENDPOINT_URL_EVENTBRIDGE. */
let bus: FakeAwsJson;
/** SNS on loopback: the ops topic's messages reach it through AWS_ENDPOINT_URL_SNS. */
let sns: FakeAwsQuery;
const documents: LeanDocumentClient = localDocumentClient();

const INSTANCE = CONTROLLER_INSTANCE_ARN;
const RUN = Date.now().toString(36);
const PRIMARY_ID = `it-primary-${RUN}`;
const CALLBACK_ID = `it-callback-${RUN}`;
const SECOND_LINE_ID = `it-second-line-${RUN}`;
/**
 * A routing table of this file's own: the controller stores by queue key (`primary`), and the order-SMS
 * tests read the primary queue's state from the shared table.
 */
const ROUTING_TABLE = `peakline-it-overflow-${RUN}-routing`;
const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:peakline-it-ops';

let handler: ControllerHandler;
const output: string[] = [];

beforeAll(async () => {
  await createRoutingTable(ROUTING_TABLE);
  connectEndpoint = await connectOverMock();
  vi.stubEnv('AWS_ENDPOINT_URL_CONNECT', connectEndpoint.url);
  [bus, sns] = await Promise.all([fakeAwsJson(), fakeAwsQuery()]);
  handler = await loadControllerHandler({
    routingTable: ROUTING_TABLE,
    queueIds: { primary: PRIMARY_ID, callback: CALLBACK_ID, secondLine: SECOND_LINE_ID },
    opsTopicArn: TOPIC,
    extra: { AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url, AWS_ENDPOINT_URL_SNS: sns.url },
  });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await connectEndpoint.close();
  await Promise.all([bus.close(), sns.close()]);
  documents.destroy();
});

beforeEach(() => {
  connect.reset();
  bus.requests.length = 0;
  sns.requests.length = 0;
  bus.answer(busAccepts);
  sns.answer(() => publishAnswer('m-1'));
  captureOutput(output);
});

afterEach(() => {
  vi.restoreAllMocks();
});

const context = oneSampleContext;

/** One queue's calls as Connect reports them, grouped by queue and channel. */
interface Calls {
  readonly waiting: number;
  readonly oldest: number;
  readonly onCalls: number;
  readonly free: number;
}

/**
 * The primary queue's calls, the callback queue's oldest callback and a second line with two agents free.
 * Five agents on calls at 300 s a call and 180 s patience: 2 callers waiting make a new caller's expected
 * wait 60 + 45 + 36 = 141 s (above T_enter, below T_deflect); nobody waiting and an agent free, 0 s.
 */
const connectReports = (primary: Calls, callbackOldest: number) =>
  connect.on(GetCurrentMetricDataCommand).resolves({
    MetricResults: (
      [
        [PRIMARY_ID, primary],
        [CALLBACK_ID, { waiting: 3, oldest: callbackOldest, onCalls: 0, free: 0 }],
        [SECOND_LINE_ID, { waiting: 0, oldest: 0, onCalls: 0, free: 2 }],
      ] as const
    ).map(([id, calls]) => ({
      Dimensions: { Queue: { Id: id, Arn: `${INSTANCE}/queue/${id}` }, Channel: 'VOICE' as const },
      Collections: [
        { Metric: { Name: 'CONTACTS_IN_QUEUE', Unit: 'COUNT' }, Value: calls.waiting },
        { Metric: { Name: 'OLDEST_CONTACT_AGE', Unit: 'SECONDS' }, Value: calls.oldest },
        { Metric: { Name: 'AGENTS_ONLINE', Unit: 'COUNT' }, Value: calls.onCalls + calls.free },
        { Metric: { Name: 'AGENTS_AVAILABLE', Unit: 'COUNT' }, Value: calls.free },
        { Metric: { Name: 'AGENTS_ON_CONTACT', Unit: 'COUNT' }, Value: calls.onCalls },
      ],
    })),
  });

const BUSY: Calls = { waiting: 2, oldest: 150, onCalls: 5, free: 0 };
const QUIET: Calls = { waiting: 0, oldest: 0, onCalls: 4, free: 1 };

const auditOf = async (queueKey: string) =>
  (
    await documents.send(
      new QueryCommand({
        TableName: ROUTING_TABLE,
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :audit)',
        ExpressionAttributeValues: { ':pk': `queue#${queueKey}`, ':audit': 'AUDIT#' },
        ConsistentRead: true,
      }),
    )
  ).Items ?? [];

describe('overflow controller handler on DynamoDB Local', () => {
  it('samples both queues and the second line in one call, moves the primary queue to OVERFLOW and announces it on the bus and to ops', async () => {
    // Prepare
    connectReports(BUSY, 20);

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result).toMatchObject({ samples: 1, changes: ['primary NORMAL->OVERFLOW'] });
    expect(connect.commandCalls(GetCurrentMetricDataCommand)).toHaveLength(1);
    expect(connect.commandCalls(GetCurrentMetricDataCommand)[0]?.args[0].input).toMatchObject({
      InstanceId: CONNECT_INSTANCE_ID,
      Filters: {
        Queues: [
          `${INSTANCE}/queue/${PRIMARY_ID}`,
          `${INSTANCE}/queue/${CALLBACK_ID}`,
          `${INSTANCE}/queue/${SECOND_LINE_ID}`,
        ],
      },
      Groupings: ['QUEUE', 'CHANNEL'],
    });
    const [entry, ...more] = putEntries(bus);
    expect(more).toEqual([]);
    expect(entry).toEqual({
      Source: 'peakline',
      DetailType: 'OverflowStateChanged',
      Detail: expect.any(String),
      EventBusName: 'peakline-it',
    });
    expect(JSON.parse(String(entry?.Detail))).toEqual({
      queueId: PRIMARY_ID,
      queueKey: 'primary',
      from: 'NORMAL',
      to: 'OVERFLOW',
      oldestContactAgeSeconds: 150,
      expectedWaitSeconds: 141,
      // The second line's wait is 0 (the advantage less the margin: 78% of the primary wait), but it has 2
      // agents to the primary queue's 5: no more than 40% of the callers.
      secondLineShare: 0.4,
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    const [publish] = publishedInputs(sns);
    expect(publish).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'peakline: primary queue NORMAL -> OVERFLOW',
      Message: expect.stringContaining('Share of callers sent to the second line now: 40%.'),
    });
    expect(await auditOf('primary')).toEqual([
      expect.objectContaining({
        queueId: PRIMARY_ID,
        from: 'NORMAL',
        to: 'OVERFLOW',
        oldestContactAgeSeconds: 150,
      }),
    ]);
    expect(metricValues(output, 'ConnectMetricsCalls')).toEqual([
      expect.objectContaining({ ConnectMetricsCalls: 1 }),
    ]);
  });

  it('keeps the states when Connect throttles the run, and fails it for the error alarm', async () => {
    // Prepare
    connect
      .on(GetCurrentMetricDataCommand)
      .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }));
    const auditBefore = (await auditOf('primary')).length;

    // Act
    const running = handler({}, context());

    // Assess
    await expect(running).rejects.toThrow(/every metrics call of this run failed/);
    // Two tries: the adapter retries a throttled call once, then the sample is missing.
    expect(connect.commandCalls(GetCurrentMetricDataCommand)).toHaveLength(2);
    expect(putEntries(bus)).toHaveLength(0);
    expect(await auditOf('primary')).toHaveLength(auditBefore);
  });

  it('goes back to NORMAL when the wait falls below T_exit', async () => {
    // Prepare
    connectReports(BUSY, 10);
    await handler({}, context());
    connect.reset();
    sns.requests.length = 0;
    sns.answer(() => publishAnswer('m-2'));
    connectReports(QUIET, 10);

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result.changes).toEqual(['primary OVERFLOW->NORMAL']);
    expect(publishedInputs(sns)[0]?.Subject).toBe('peakline: primary queue OVERFLOW -> NORMAL');
  });
});
