import { ConnectClient, GetCurrentMetricDataCommand } from '@aws-sdk/client-connect';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { sdkPutObject } from '#adapters/s3/sdk-put-object.js';
import type { PublicStatusDocument } from '#core/routing/public-status.js';
import { type ConnectOverMock, connectOverMock } from '#test/support/connect-over-mock.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import { type FakeAwsQuery, fakeAwsQuery } from '#test/support/fake-aws-query.js';
import { busAccepts } from '#test/support/fake-aws-services.js';
import { answeredBy, type FakeS3, fakeS3 } from '#test/support/fake-s3.js';
import {
  CONTROLLER_INSTANCE_ARN,
  type ControllerHandler,
  captureOutput,
  createRoutingTable,
  loadControllerHandler,
  oneSampleContext,
} from '#test/support/overflow-controller-handler.js';
import { metricValues } from '#test/support/seat-functions.js';

const connect = mockClient(ConnectClient);
/** Connect on loopback, answered by the mocked ConnectClient: the function's own (lean) client reaches it. */
let connectEndpoint: ConnectOverMock;
/** EventBridge on loopback, reached through AWS_ENDPOINT_URL_EVENTBRIDGE. */
let bus: FakeAwsJson;
/** SNS on loopback (the ops topic), reached through AWS_ENDPOINT_URL_SNS: a Publish answered as taken. */
let sns: FakeAwsQuery;
const s3 = mockClient(S3Client);
/** S3 on loopback (AWS_ENDPOINT_URL_S3), answered by the mocked S3Client: the function's own (lean) PUT reaches it. */
let s3Endpoint: FakeS3;

const INSTANCE = CONTROLLER_INSTANCE_ARN;
const RUN = Date.now().toString(36);
const PRIMARY_ID = `it-ps-primary-${RUN}`;
const CALLBACK_ID = `it-ps-callback-${RUN}`;
const SECOND_LINE_ID = `it-ps-second-${RUN}`;
const ROUTING_TABLE = `peakline-it-public-status-${RUN}-routing`;
const BUCKET = 'peakline-it-public-status';

let handler: ControllerHandler;
const output: string[] = [];

beforeAll(async () => {
  await createRoutingTable(ROUTING_TABLE);
  connectEndpoint = await connectOverMock();
  vi.stubEnv('AWS_ENDPOINT_URL_CONNECT', connectEndpoint.url);
  [bus, sns, s3Endpoint] = await Promise.all([fakeAwsJson(), fakeAwsQuery(), fakeS3()]);
  s3Endpoint.answer(answeredBy(sdkPutObject(new S3Client({ region: 'eu-central-1' }))));
  handler = await loadControllerHandler({
    routingTable: ROUTING_TABLE,
    queueIds: { primary: PRIMARY_ID, callback: CALLBACK_ID, secondLine: SECOND_LINE_ID },
    opsTopicArn: 'arn:aws:sns:eu-central-1:123456789012:peakline-it-ops',
    extra: {
      OVERFLOW_STATE_MAX_AGE_SECONDS: '45',
      PUBLIC_STATUS_BUCKET: BUCKET,
      PUBLIC_STATUS_KEY: 'status.json',
      PUBLIC_STATUS_CACHE_SECONDS: '60',
      PUBLIC_STATUS_REPLY_HOURS_NORMAL: '2',
      PUBLIC_STATUS_REPLY_HOURS_OVERFLOW: '4',
      PUBLIC_STATUS_REPLY_HOURS_DEFLECT: '24',
      AWS_ENDPOINT_URL_EVENTBRIDGE: bus.url,
      AWS_ENDPOINT_URL_SNS: sns.url,
      AWS_ENDPOINT_URL_S3: s3Endpoint.url,
    },
  });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await connectEndpoint.close();
  await Promise.all([bus.close(), sns.close(), s3Endpoint.close()]);
});

beforeEach(() => {
  for (const mock of [connect, s3]) mock.reset();
  bus.requests.length = 0;
  bus.answer(busAccepts);
  s3.on(PutObjectCommand).resolves({ ETag: '"e-1"' });
  captureOutput(output);
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** 20 s left: one sample fits, the next (15 s later, needing 10 s) does not; the write fits. */
const context = oneSampleContext;

/**
 * Connect's figures: the primary queue's calls (five agents on calls at 300 s a call and 180 s patience:
 * `waiting` 2 makes a new caller's expected wait 141 s, 0 with an agent free 0 s), the callback queue's
 * oldest callback 20 s, a second line with two agents free.
 */
const connectReports = (primary: { waiting: number; onCalls: number; free: number }) =>
  connect.on(GetCurrentMetricDataCommand).resolves({
    MetricResults: (
      [
        [PRIMARY_ID, { ...primary, oldest: primary.waiting > 0 ? 150 : 0 }],
        [CALLBACK_ID, { waiting: 3, oldest: 20, onCalls: 0, free: 1 }],
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

const QUIET = { waiting: 0, onCalls: 4, free: 1 };
const BUSY = { waiting: 2, onCalls: 5, free: 0 };

const documentsWritten = (): PublicStatusDocument[] =>
  s3
    .commandCalls(PutObjectCommand)
    .map((c) => JSON.parse(String(c.args[0].input.Body)) as PublicStatusDocument);

/** One metric's datapoints per queue, from the run's EMF blobs. */
const perQueue = (metric: string) =>
  metricValues(output, metric).map((blob) => ({ queue: blob.queue, value: blob[metric] }));

describe('the overflow controller handler publishes the public status and the queue metrics', () => {
  it('writes the document when the state changes, not while it stays', async () => {
    // Prepare: a first document (NORMAL, under a minute)
    connectReports(QUIET);
    await handler({}, context());
    const first = documentsWritten();
    s3.resetHistory();

    // Act: the same figures; then OVERFLOW; then OVERFLOW with S3 refusing
    await handler({}, context());
    const unchanged = documentsWritten();
    connectReports(BUSY);
    output.length = 0;
    const overflow = await handler({}, context());
    const changed = documentsWritten();

    // Assess
    expect(first.map((d) => d.text.en)).toEqual([
      'Phone: waiting time under a minute. Messages: we reply within 2 hours.',
    ]);
    expect(unchanged).toEqual([]);
    expect(overflow.changes).toEqual(['primary NORMAL->OVERFLOW']);
    expect(changed.map((d) => d.text.en)).toEqual([
      'Phone: waiting time about 3 minutes. Messages: we reply within 4 hours.',
    ]);
    expect(s3.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: BUCKET,
      Key: 'status.json',
      CacheControl: 'public, max-age=60',
    });
    expect(metricValues(output, 'PublicStatusWrites')).toEqual([
      expect.objectContaining({ PublicStatusWrites: 1, PublicStatusWriteFailures: 0 }),
    ]);
  });

  it('counts a failed write, keeps the run successful, and writes on the next run', async () => {
    // Prepare: OVERFLOW, then a change back to NORMAL for a document to write, and S3 refusing it
    connectReports(BUSY);
    await handler({}, context());
    connectReports(QUIET);
    output.length = 0;
    s3.on(PutObjectCommand).rejects(Object.assign(new Error('Access Denied'), { name: 'AccessDenied' }));

    // Act
    const run = await handler({}, context());
    const failures = metricValues(output, 'PublicStatusWriteFailures');
    s3.on(PutObjectCommand).resolves({ ETag: '"e-2"' });
    output.length = 0;
    await handler({}, context());

    // Assess
    expect(run.changes).toEqual(['primary OVERFLOW->NORMAL']);
    expect(failures).toEqual([
      expect.objectContaining({ PublicStatusWrites: 0, PublicStatusWriteFailures: 1 }),
    ]);
    expect(documentsWritten().at(-1)?.channels.phone).toMatchObject({ state: 'NORMAL' });
    expect(metricValues(output, 'PublicStatusWrites')).toEqual([
      expect.objectContaining({ PublicStatusWrites: 1, PublicStatusWriteFailures: 0 }),
    ]);
  });

  it('leaves the write to the next run when too little time is left', async () => {
    // Prepare: NORMAL published, then a change to publish
    connectReports(QUIET);
    await handler({}, context());
    s3.resetHistory();
    connect.resetHistory();
    connectReports(BUSY);

    // Act: time enough for the sample; once it is taken, 3 s left (a write needs up to 3.5 s)
    await handler({}, {
      ...context(),
      getRemainingTimeInMillis: () =>
        connect.commandCalls(GetCurrentMetricDataCommand).length > 0 ? 3_000 : 20_000,
    } as Context);

    // Assess
    expect(s3.commandCalls(PutObjectCommand)).toEqual([]);
  });

  it('emits RoutingState, ExpectedWaitSeconds and OldestContactAgeSeconds per queue key', async () => {
    // Prepare
    connectReports(BUSY);

    // Act
    await handler({}, context());

    // Assess: the primary queue judged on a new caller's expected wait, the callback queue on its oldest
    expect(perQueue('RoutingState')).toEqual([
      { queue: 'callback', value: 0 },
      { queue: 'primary', value: 1 },
    ]);
    expect(perQueue('ExpectedWaitSeconds')).toEqual([{ queue: 'primary', value: 141 }]);
    expect(perQueue('OldestContactAgeSeconds')).toEqual([
      { queue: 'callback', value: 20 },
      { queue: 'primary', value: 150 },
    ]);
    // The dimension set of the blob: stage and service by default, and the queue
    const blob = metricValues(output, 'RoutingState').find((b) => b.queue === 'primary');
    expect(blob).toMatchObject({ service: 'peakline-overflow-controller', stage: 'local' });
    expect(JSON.stringify(blob?._aws)).toContain('"queue"');
  });
});
