import { randomUUID } from 'node:crypto';
import {
  AccessDeniedException,
  ConnectClient,
  DeleteUserCommand,
  DescribeUserCommand,
  SearchQuickConnectsCommand,
} from '@aws-sdk/client-connect';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import ttlEvent from '#test/fixtures/seats/ttl-removal-stream-event.json' with { type: 'json' };
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { localDocumentClient } from '#test/support/dynamodb.js';
import { type ConnectOverMock, connectOverMock } from '#test/support/connect-over-mock.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
import { busAccepts, putEntries } from '#test/support/fake-aws-services.js';
import {
  BUS_NAME,
  CONNECT_INSTANCE_ID,
  createSeatsTable,
  jsonLines,
  MANAGED_USER,
  metricValues,
  seatFunctionEnvironment,
} from '#test/support/seat-functions.js';

const connect = mockClient(ConnectClient);
/** Connect on loopback, answered by the mocked ConnectClient: the function's own (lean) client reaches it. */
let connectEndpoint: ConnectOverMock;
/** EventBridge on loopback: the backstop's PutEvents reach it through AWS_ENDPOINT_URL_EVENTBRIDGE. */
let bus: FakeAwsJson;
const documents: LeanDocumentClient = localDocumentClient();

type Handler = (event: DynamoDBStreamEvent, context: Context) => Promise<DynamoDBBatchResponse>;
let handler: Handler;
let store: DynamoSeatStore;
let output: string[];

/** The user the recorded seat held. */
const RECORDED_USER_ID = '00000000-0000-4000-8000-000000000000';

beforeAll(async () => {
  const seatsTable = await createSeatsTable('backstop');
  store = new DynamoSeatStore(documents, seatsTable);
  bus = await fakeAwsJson();
  connectEndpoint = await connectOverMock();
  for (const [name, value] of Object.entries(
    seatFunctionEnvironment('peakline-seat-ttl-backstop', seatsTable),
  )) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', bus.url);
  vi.stubEnv('AWS_ENDPOINT_URL_CONNECT', connectEndpoint.url);
  ({ handler } = (await import('#functions/seat-ttl-backstop/handler.js')) as { handler: Handler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  documents.destroy();
  await bus.close();
  await connectEndpoint.close();
});

beforeEach(() => {
  connect.reset();
  bus.requests.length = 0;
  bus.answer(busAccepts);
  connect.on(SearchQuickConnectsCommand).resolves({ QuickConnects: [] });
  connect.on(DeleteUserCommand).resolves({});
  connect.on(DescribeUserCommand).resolves(MANAGED_USER);
  output = [];
  // Warnings and errors go to stderr; kept with the rest, and out of the test run's own output.
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  }
});

afterEach(() => {
  vi.restoreAllMocks();
});

const context = () =>
  ({ ...structuredClone(lambdaContext), getRemainingTimeInMillis: () => 60_000 }) as unknown as Context;

/**
 * The recorded TTL deletion, cloned, for a username of its own (the revocation is recorded under the
 * username, so tests sharing the table never meet), with another user, state or sequence number.
 */
const ttlRecord = (
  options: { userId?: string; state?: string; sequenceNumber?: string } = {},
): { record: DynamoDBRecord; username: string } => {
  const record = structuredClone(ttlEvent.Records[0]) as DynamoDBRecord;
  const username = `ttl.${randomUUID().slice(0, 8)}`;
  const image = record.dynamodb?.OldImage ?? {};
  image.username = { S: username };
  if (options.userId !== undefined) image.userId = { S: options.userId };
  if (options.state !== undefined) {
    image.state = { S: options.state };
    image.revokedAt = { S: '2026-01-01T00:05:00.000Z' };
    image.revokedBy = { S: 'sweeper' };
  }
  if (record.dynamodb) {
    record.dynamodb.Keys = { username: { S: username } };
    if (options.sequenceNumber !== undefined) record.dynamodb.SequenceNumber = options.sequenceNumber;
  }
  return { record, username };
};

const streamEvent = (...records: DynamoDBRecord[]): DynamoDBStreamEvent => ({ Records: records });

const announced = () =>
  putEntries(bus).map((entry) => ({
    ...entry,
    Detail: JSON.parse(String(entry.Detail)) as Record<string, unknown>,
  }));

describe('seat-ttl-backstop handler on DynamoDB Local', () => {
  it('revokes the user of a seat the TTL deleted, announces SeatRevoked and records the revocation', async () => {
    // Prepare
    const { record, username } = ttlRecord();

    // Act
    const result = await handler(streamEvent(record), context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(connect.commandCalls(DeleteUserCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: CONNECT_INSTANCE_ID, UserId: RECORDED_USER_ID },
    ]);
    expect(announced()).toEqual([
      {
        Source: 'peakline',
        DetailType: 'SeatRevoked',
        EventBusName: BUS_NAME,
        Detail: {
          username,
          type: 'chat-2',
          userId: RECORDED_USER_ID,
          contractEnd: '2026-12-31T23:00:00.000Z',
          revokedAt: expect.any(String),
          revokedBy: 'ttl-backstop',
        },
      },
    ]);
    const kept = await store.list(new Date(), { includeRevoked: true });
    expect(kept.filter((seat) => seat.username === username)).toEqual([
      expect.objectContaining({ state: 'REVOKED', revokedBy: 'ttl-backstop', userId: RECORDED_USER_ID }),
    ]);
  });

  it('logs the revocation and counts it in SeatsRevoked under its own service', async () => {
    // Prepare
    const { record, username } = ttlRecord();

    // Act
    await handler(streamEvent(record), context());

    // Assess
    expect(jsonLines(output).filter((line) => line.username === username)).toEqual([
      expect.objectContaining({ type: 'chat-2', revokedBy: 'ttl-backstop' }),
    ]);
    expect(metricValues(output, 'SeatsRevoked')).toEqual([
      expect.objectContaining({ SeatsRevoked: 1, service: 'peakline-seat-ttl-backstop' }),
    ]);
  });

  it('announces once when the stream delivers the same record again', async () => {
    // Prepare
    const { record } = ttlRecord();

    // Act
    const first = await handler(streamEvent(record), context());
    const again = await handler(streamEvent(structuredClone(record)), context());

    // Assess
    expect([first, again]).toEqual([{ batchItemFailures: [] }, { batchItemFailures: [] }]);
    expect(announced()).toHaveLength(1);
  });

  it('does nothing for a revoked seat whose retention the TTL ended', async () => {
    // Prepare
    const { record } = ttlRecord({ state: 'REVOKED' });

    // Act
    const result = await handler(streamEvent(record), context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(connect.calls()).toHaveLength(0);
    expect(announced()).toEqual([]);
    expect(metricValues(output, 'SeatsRevoked')).toEqual([expect.objectContaining({ SeatsRevoked: 0 })]);
  });

  it('leaves a deletion that DynamoDB’s TTL did not make alone', async () => {
    // Prepare: someone's DeleteItem, which the event source filter would not even let through.
    const { record } = ttlRecord();
    delete record.userIdentity;

    // Act
    const result = await handler(streamEvent(record), context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(connect.calls()).toHaveLength(0);
    expect(announced()).toEqual([]);
  });

  it('returns a record whose revocation fails by its sequence number, and revokes the others', async () => {
    // Prepare
    const failing = ttlRecord({ userId: 'user-refused', sequenceNumber: '111100000000000000000001' });
    const fine = ttlRecord({ userId: 'user-fine', sequenceNumber: '111100000000000000000002' });
    connect
      .on(DeleteUserCommand, { UserId: 'user-refused' })
      .rejects(new AccessDeniedException({ message: 'not authorized', $metadata: { httpStatusCode: 403 } }));

    // Act
    const result = await handler(streamEvent(failing.record, fine.record), context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: '111100000000000000000001' }] });
    expect(announced().map((entry) => entry.Detail.username)).toEqual([fine.username]);
    expect(jsonLines(output).filter((line) => line.level === 'ERROR')).toEqual([
      expect.objectContaining({ sequenceNumber: '111100000000000000000001' }),
    ]);
    const kept = await store.list(new Date(), { includeRevoked: true });
    expect(kept.map((seat) => seat.username)).not.toContain(failing.username);
  });

  it('returns a record without an old image, which it cannot revoke', async () => {
    // Prepare
    const { record } = ttlRecord();
    if (record.dynamodb) delete record.dynamodb.OldImage;

    // Act
    const result = await handler(streamEvent(record), context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: record.dynamodb?.SequenceNumber }] });
    expect(connect.calls()).toHaveLength(0);
  });
});
