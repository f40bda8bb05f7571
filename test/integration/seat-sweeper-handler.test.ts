import { randomUUID } from 'node:crypto';
import {
  AccessDeniedException,
  ConnectClient,
  DeleteQuickConnectCommand,
  DeleteUserCommand,
  DescribeUserCommand,
  SearchQuickConnectsCommand,
  ThrottlingException,
} from '@aws-sdk/client-connect';
import { UpdateCommand } from '#adapters/dynamodb/document-client.js';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import type { Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { pendingSeat } from '#core/seats/seat.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { localDocumentClient } from '#test/support/dynamodb.js';
import { type ConnectOverMock, connectOverMock } from '#test/support/connect-over-mock.js';
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';
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
/** EventBridge on loopback: the sweeper's PutEvents reach it through AWS_ENDPOINT_URL_EVENTBRIDGE. */
let bus: FakeAwsJson;
const documents: LeanDocumentClient = localDocumentClient();

type Handler = (
  event: unknown,
  context: Context,
) => Promise<{ revoked: number; announced: number; failed: number; limit: number }>;
let handler: Handler;
let store: DynamoSeatStore;
let seatsTableName: string;
let output: string[];

const HOUR = 3_600_000;

beforeAll(async () => {
  const seatsTable = await createSeatsTable('sweeper');
  seatsTableName = seatsTable;
  store = new DynamoSeatStore(documents, seatsTable);
  bus = await fakeAwsJson();
  connectEndpoint = await connectOverMock();
  for (const [name, value] of Object.entries(seatFunctionEnvironment('peakline-seat-sweeper', seatsTable))) {
    vi.stubEnv(name, value);
  }
  vi.stubEnv('AWS_ENDPOINT_URL_EVENTBRIDGE', bus.url);
  vi.stubEnv('AWS_ENDPOINT_URL_CONNECT', connectEndpoint.url);
  ({ handler } = (await import('#functions/seat-sweeper/handler.js')) as { handler: Handler });
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
  // Powertools' log lines and EMF blobs go to stdout, which is what CloudWatch would keep.
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

/** A run with a minute to go, as the schedule starts it (the timeout is the sweep interval). */
const context = (remainingMs = 60_000) =>
  ({ ...structuredClone(lambdaContext), getRemainingTimeInMillis: () => remainingMs }) as unknown as Context;

/**
 * A context whose run plans with `remainingMs` (the handler reads the time first, before its first await),
 * while middy's early-timeout guard, which reads it next, gets a minute: on a loaded machine two
 * revocations can take longer than the plan's 0.3 s.
 */
const planningWith = (remainingMs: number) => {
  const reads = [remainingMs];
  return {
    ...structuredClone(lambdaContext),
    getRemainingTimeInMillis: () => reads.shift() ?? 60_000,
  } as unknown as Context;
};

/** An ACTIVE seat whose Connect user is `userId`, ending `endsInHours` from now (negative: ended). */
const activeSeat = async (endsInHours: number) => {
  const username = `sweep.${randomUUID().slice(0, 8)}`;
  const userId = `user-${username}`;
  const now = Date.now();
  await store.put(
    pendingSeat({
      username,
      type: 'chat-2',
      firstName: 'Anna',
      lastName: 'Nowak',
      email: 'anna.nowak@example.pl',
      validFrom: new Date(now - 30 * 24 * HOUR).toISOString(),
      expiresAt: new Date(now + endsInHours * HOUR).toISOString(),
    }),
  );
  await store.markActive(username, userId);
  return { username, userId };
};

const deletedUsers = () => connect.commandCalls(DeleteUserCommand).map((c) => c.args[0].input.UserId);

describe('seat-sweeper handler on DynamoDB Local', () => {
  it('revokes an ended seat: deletes its Connect user, marks it revoked and announces SeatRevoked', async () => {
    // Prepare
    const { username, userId } = await activeSeat(-1);

    // Act
    const result = await handler({}, context());

    // Assess
    // 60 s × 0.75 × 50 calls a second / 4 calls a seat.
    expect(result).toEqual({ revoked: 1, announced: 0, failed: 0, limit: 562 });
    expect(connect.commandCalls(DeleteUserCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: CONNECT_INSTANCE_ID, UserId: userId },
    ]);
    const entries = putEntries(bus);
    expect(entries).toEqual([
      { Source: 'peakline', DetailType: 'SeatRevoked', Detail: expect.any(String), EventBusName: BUS_NAME },
    ]);
    expect(JSON.parse(String(entries[0]?.Detail))).toEqual({
      username,
      type: 'chat-2',
      userId,
      contractEnd: expect.any(String),
      revokedAt: expect.any(String),
      revokedBy: 'sweeper',
    });
    expect(await store.get(username, new Date(), { includeRevoked: true })).toMatchObject({
      state: 'REVOKED',
      revokedBy: 'sweeper',
    });
  });

  it('logs each revocation by username and type, and counts it in SeatsRevoked', async () => {
    // Prepare
    const { username, userId } = await activeSeat(-2);

    // Act
    await handler({}, context());

    // Assess
    const logged = jsonLines(output).filter((line) => line.message === 'seat revoked');
    expect(logged).toEqual([
      expect.objectContaining({ username, type: 'chat-2', userId, revokedBy: 'sweeper' }),
    ]);
    expect(metricValues(output, 'SeatsRevoked')).toEqual([
      expect.objectContaining({ SeatsRevoked: 1, service: 'peakline-seat-sweeper' }),
    ]);
  });

  it("deletes the user's quick connect before the user", async () => {
    // Prepare
    const { userId } = await activeSeat(-1);
    connect.on(SearchQuickConnectsCommand).resolves({
      QuickConnects: [
        {
          QuickConnectId: 'qc-1',
          QuickConnectConfig: {
            QuickConnectType: 'USER',
            UserConfig: { UserId: userId, ContactFlowId: 'flow-transfer-to-agent' },
          },
        },
      ],
    });
    connect.on(DeleteQuickConnectCommand).resolves({});

    // Act
    await handler({}, context());

    // Assess
    expect(connect.commandCalls(DeleteQuickConnectCommand).map((c) => c.args[0].input)).toEqual([
      { InstanceId: CONNECT_INSTANCE_ID, QuickConnectId: 'qc-1' },
    ]);
    const order = connect.calls().map((call) => (call.args[0] as object).constructor.name);
    expect(order).toEqual([
      'DescribeUserCommand',
      'SearchQuickConnectsCommand',
      'DeleteQuickConnectCommand',
      'DeleteUserCommand',
    ]);
  });

  it('leaves a seat whose contract has not ended alone, and counts zero', async () => {
    // Prepare
    const { username } = await activeSeat(24);

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result.revoked).toBe(0);
    expect(connect.commandCalls(DeleteUserCommand)).toHaveLength(0);
    expect(putEntries(bus)).toHaveLength(0);
    expect(await store.get(username, new Date())).toMatchObject({ state: 'ACTIVE' });
    expect(metricValues(output, 'SeatsRevoked')).toEqual([expect.objectContaining({ SeatsRevoked: 0 })]);
  });

  it('takes on only as many seats as fit the run at the Connect rate, oldest end first', async () => {
    // Prepare: 0.3 s left at 50 calls a second is 11.25 calls, two revocations of four calls.
    const oldest = await activeSeat(-3);
    const middle = await activeSeat(-2);
    const newest = await activeSeat(-1);

    // Act
    const first = await handler({}, planningWith(300));
    const second = await handler({}, planningWith(300));

    // Assess
    expect(first).toMatchObject({ revoked: 2, limit: 2 });
    expect(second).toMatchObject({ revoked: 1, limit: 2 });
    expect(deletedUsers()).toEqual([oldest.userId, middle.userId, newest.userId]);
  });

  it('waits out Connect throttling and revokes all the same', async () => {
    // Prepare
    const { userId } = await activeSeat(-1);
    connect
      .on(DeleteUserCommand)
      .rejectsOnce(new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } }))
      .resolves({});

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result.revoked).toBe(1);
    expect(deletedUsers()).toEqual([userId, userId]);
  });

  it('leaves a seat due when Connect refuses to delete its user, goes on with the others, and revokes it next run', async () => {
    // Prepare: the older seat's user is refused once (before the fix, this failed the whole run).
    const refused = await activeSeat(-2);
    const other = await activeSeat(-1);
    const denied = new AccessDeniedException({
      message: 'not authorized',
      $metadata: { httpStatusCode: 403 },
    });
    connect.on(DeleteUserCommand, { UserId: refused.userId }).rejectsOnce(denied).resolves({});

    // Act
    const failing = await handler({}, context());
    const stillDue = await store.get(refused.username, new Date(), { includeExpired: true });
    const nextRun = await handler({}, context());

    // Assess: the other seat was revoked by the same run; the refused one was reported, counted, and kept.
    expect(failing).toMatchObject({ revoked: 1, failed: 1 });
    expect(stillDue).toMatchObject({ state: 'ACTIVE' });
    expect(await store.get(other.username, new Date(), { includeRevoked: true })).toMatchObject({
      state: 'REVOKED',
    });
    expect(jsonLines(output)).toContainEqual(
      expect.objectContaining({
        message: 'seat revocation failed',
        username: refused.username,
        step: 'revoke',
        reason: 'not authorized',
      }),
    );
    expect(metricValues(output, 'SeatRevocationFailures')).toEqual([
      expect.objectContaining({ SeatRevocationFailures: 1, service: 'peakline-seat-sweeper' }),
      expect.objectContaining({ SeatRevocationFailures: 0 }),
    ]);
    expect(nextRun).toMatchObject({ revoked: 1, failed: 0 });
    expect(deletedUsers()).toEqual([refused.userId, other.userId, refused.userId]);
    expect(putEntries(bus)).toHaveLength(2);
  });

  it('refuses a user without the stage’s peakline:managed tag and deletes nothing of it', async () => {
    // Prepare
    const { username, userId } = await activeSeat(-1);
    connect.on(DescribeUserCommand, { UserId: userId }).resolves({ User: { Tags: { team: 'permanent' } } });

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result).toMatchObject({ revoked: 0, failed: 1 });
    expect(connect.commandCalls(DeleteUserCommand)).toHaveLength(0);
    expect(connect.commandCalls(SearchQuickConnectsCommand)).toHaveLength(0);
    expect(await store.get(username, new Date(), { includeExpired: true })).toMatchObject({
      state: 'ACTIVE',
    });

    // The seats table is this file's: once tagged, the seat is revoked, and leaves the later tests alone.
    connect.on(DescribeUserCommand).resolves(MANAGED_USER);
    expect(await handler({}, context())).toMatchObject({ revoked: 1, failed: 0 });
  });

  it('revokes when PutEvents fails, and announces it once on a run after the grace', async () => {
    // Prepare: the bus fails every attempt of the run that revokes the seat.
    const { username, userId } = await activeSeat(-1);
    bus.answer(() => awsError(500, 'InternalException', 'EventBridge is unavailable'));

    // Act
    const failing = await handler({}, context());
    const failedAttempts = bus.requests.length;
    bus.answer(busAccepts);
    // The revocation as the failing run left it, moved back past the grace (the handler runs on the real
    // clock): what a run six minutes later finds.
    const revokedAt = new Date(Date.now() - 6 * 60_000);
    await documents.send(
      new UpdateCommand({
        TableName: seatsTableName,
        Key: { username },
        UpdateExpression: 'SET revokedAt = :at',
        ExpressionAttributeValues: { ':at': revokedAt.toISOString() },
      }),
    );
    const recovered = await handler({}, context());
    const after = await handler({}, context());

    // Assess
    expect(failing).toMatchObject({ revoked: 1, failed: 1 });
    // The SDK's default, kept: three attempts before the announcement is left to a later run.
    expect(failedAttempts).toBe(3);
    expect(deletedUsers()).toEqual([userId]);
    expect(recovered).toMatchObject({ revoked: 0, announced: 1, failed: 0 });
    expect(after).toMatchObject({ revoked: 0, announced: 0 });
    // One entry a request: the failed attempts' entries first, then what the later runs announced.
    const announced = putEntries(bus)
      .slice(failedAttempts)
      .map((entry) => JSON.parse(String(entry.Detail)) as Record<string, unknown>);
    expect(announced).toEqual([
      expect.objectContaining({ username, userId, revokedBy: 'sweeper', revokedAt: revokedAt.toISOString() }),
    ]);
  });
});
