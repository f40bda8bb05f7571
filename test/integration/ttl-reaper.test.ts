/**
 * The local stack's TTL (issue 11, defect 10): DynamoDB Local's own TTL, which runs on the real clock, is
 * off, and the reaper deletes what has expired on the VIRTUAL clock, feeding the seat backstop the stream
 * record AWS writes for a TTL deletion. The tables here are this file's own (a stage no one else uses): the
 * reaper deletes whatever has expired in a table, and other tests' items must not be in them.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  DeleteItemCommand,
  UpdateItemCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTables } from '#adapters/dynamodb/create-tables.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { TABLE_NAMES, type TableName } from '#adapters/dynamodb/tables.js';
import type { ContactCentre } from '#core/ports.js';
import { pendingSeat } from '#core/seats/seat.js';
import { loadConfig } from '#infra/config/load.js';
import ttlEvent from '#test/fixtures/seats/ttl-removal-stream-event.json' with { type: 'json' };
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import type { LocalWiring } from '#local/functions.js';
import { seatTtlBackstop } from '#local/seat-ttl-backstop.js';
import { type StreamSubscription, TtlReaper } from '#local/runtime/ttl-reaper.js';
import { inject } from 'vitest';

/** A virtual "now" far from today in either direction: nothing here may depend on the real date. */
const VIRTUAL_NOW = Date.parse('2031-03-01T12:00:00Z');
const seconds = (ms: number) => Math.floor(ms / 1000);

let client: DynamoDBClient;
let documents: BridgedDocumentClient;
let tableNames: Record<TableName, string>;

beforeAll(async () => {
  client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  documents = BridgedDocumentClient.over(client);
  tableNames = (await createTables(client, `reaper${randomUUID().slice(0, 8)}`)) as Record<TableName, string>;
});

afterAll(() => {
  client.destroy();
});

/** The seat backstop as the local stack wires it, with a contact centre that records what it deletes. */
const backstopWorld = () => {
  const deletedUsers: string[] = [];
  const published: { detailType: string; detail: unknown }[] = [];
  let failuresLeft = 0;
  const contactCentre = {
    deleteUser: async (userId: string) => {
      if (failuresLeft > 0) {
        failuresLeft -= 1;
        throw new Error('ThrottlingException: Rate exceeded');
      }
      deletedUsers.push(userId);
    },
    findUserId: async () => undefined,
  } as unknown as ContactCentre;
  const wiring = {
    config: loadConfig('dev'),
    dynamoClient: client,
    documentClient: documents,
    tableNames,
    clock: { now: () => new Date(virtualNow), nowMs: () => virtualNow },
    busName: 'peakline-local',
    log: () => {},
    count: () => {},
    events: {
      publish: async (detailType: string, detail: unknown) => {
        published.push({ detailType, detail });
      },
    },
    contactCentre,
  } as unknown as LocalWiring;
  const backstop = seatTtlBackstop(wiring);
  const delivered: DynamoDBRecord[] = [];
  const subscription: StreamSubscription = {
    ...backstop,
    consume: async (records) => {
      delivered.push(...records);
      return backstop.consume(records);
    },
  };
  return {
    subscription,
    delivered,
    deletedUsers,
    published,
    failNextDeletes: (n: number) => {
      failuresLeft = n;
    },
  };
};

let virtualNow = VIRTUAL_NOW;
beforeEach(() => {
  virtualNow = VIRTUAL_NOW;
});

const reaperFor = (
  subscriptions: readonly StreamSubscription[],
  overrides: { client?: DynamoDBClient; lagMs?: number; deadLetters?: string[] } = {},
) =>
  new TtlReaper({
    client: overrides.client ?? client,
    tableNames,
    nowMs: () => virtualNow,
    lagMs: overrides.lagMs ?? 0,
    region: LOCAL_REGION,
    account: '000000000000',
    streams: { seats: subscriptions },
    onDeadLetter: (_name, record, reason) => {
      overrides.deadLetters?.push(`${record.dynamodb?.Keys?.username?.S}: ${reason}`);
    },
  });

const addActiveSeat = async (username: string, expiresAtMs: number, userId: string) => {
  const store = new DynamoSeatStore(documents, tableNames.seats);
  await store.put(
    pendingSeat({
      username,
      type: 'voice',
      firstName: 'Jan',
      lastName: 'Krótki',
      email: `${username}@example.com`,
      validFrom: new Date(expiresAtMs - 30 * 86_400_000).toISOString(),
      expiresAt: new Date(expiresAtMs).toISOString(),
    }),
  );
  await store.markActive(username, userId);
  return store;
};

const ledgerItem = async (id: string) =>
  (await client.send(new GetItemCommand({ TableName: tableNames.ledger, Key: { id: { S: id } } }))).Item;

const putLedgerItem = (id: string, expiration: number | string) =>
  client.send(
    new PutItemCommand({
      TableName: tableNames.ledger,
      Item: {
        id: { S: id },
        expiration: typeof expiration === 'number' ? { N: String(expiration) } : { S: expiration },
      },
    }),
  );

describe('local tables', () => {
  it("leave DynamoDB Local's own TTL (on the real clock) off on every table", async () => {
    // Act
    const statuses = await Promise.all(
      TABLE_NAMES.map(async (table) => {
        const { TimeToLiveDescription } = await client.send(
          new DescribeTimeToLiveCommand({ TableName: tableNames[table] }),
        );
        return [table, TimeToLiveDescription?.TimeToLiveStatus] as const;
      }),
    );

    // Assert
    expect(statuses).toEqual(TABLE_NAMES.map((table) => [table, 'DISABLED']));
  });

  it('turn off the TTL a table kept from an older run (`--keep`) still has on', async () => {
    // Prepare: tables created before, one with DynamoDB Local's TTL on, as older versions left them
    const stage = `kept${randomUUID().slice(0, 8)}`;
    const kept = await createTables(client, stage);
    const seats = kept.seats ?? '';
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: seats,
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      }),
    );

    // Act: the next start creates the tables again
    await createTables(client, stage);

    // Assert
    const { TimeToLiveDescription } = await client.send(new DescribeTimeToLiveCommand({ TableName: seats }));
    expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
  });
});

describe('the TTL reaper, on the virtual clock', () => {
  it('revokes a seat whose TTL passed on the virtual clock: a REMOVE by the DynamoDB service reaches the backstop', async () => {
    // Prepare: a contract that ended a minute ago, virtually, with its Connect user still there
    const username = `ended.${randomUUID().slice(0, 6)}`;
    const store = await addActiveSeat(username, VIRTUAL_NOW - 60_000, 'user-ended');
    const world = backstopWorld();

    // Act
    const result = await reaperFor([world.subscription]).reap();

    // Assert: the seat's user is gone and the revocation is recorded and announced as the backstop's
    expect(result.deleted.seats).toBeGreaterThanOrEqual(1);
    expect(world.deletedUsers).toEqual(['user-ended']);
    // As `seats list --all` and /api/seats show it: revoked by the backstop, not vanished.
    const seats = await store.list(new Date(virtualNow), { includeRevoked: true, includeExpired: true });
    expect(seats.filter((s) => s.username === username)).toEqual([
      expect.objectContaining({ state: 'REVOKED', revokedBy: 'ttl-backstop' }),
    ]);
    expect(world.published).toEqual([
      expect.objectContaining({
        detailType: 'SeatRevoked',
        detail: expect.objectContaining({ username, revokedBy: 'ttl-backstop' }),
      }),
    ]);
    // The record is the one AWS sends for a TTL deletion: same fields, the service's identity, old image.
    const record = world.delivered.find((r) => r.dynamodb?.Keys?.username?.S === username);
    const aws = ttlEvent.Records[0];
    expect(record).toMatchObject({
      eventName: 'REMOVE',
      eventSource: 'aws:dynamodb',
      eventVersion: aws?.eventVersion,
      userIdentity: { type: 'Service', principalId: 'dynamodb.amazonaws.com' },
      dynamodb: {
        StreamViewType: 'OLD_IMAGE',
        Keys: { username: { S: username } },
        OldImage: { username: { S: username }, userId: { S: 'user-ended' }, state: { S: 'ACTIVE' } },
      },
    });
    expect(Object.keys(record ?? {}).sort()).toEqual(Object.keys(aws ?? {}).sort());
    expect(Object.keys(record?.dynamodb ?? {}).sort()).toEqual(Object.keys(aws?.dynamodb ?? {}).sort());
  });

  it('keeps an item whose TTL passed by the real clock but not by the virtual one', async () => {
    // Prepare: the virtual clock in 2020; the item expires in 2021, long past in real time
    virtualNow = Date.parse('2020-01-01T00:00:00Z');
    const id = `real-past-${randomUUID()}`;
    await putLedgerItem(id, seconds(Date.parse('2021-01-01T00:00:00Z')));
    const world = backstopWorld();

    // Act
    await reaperFor([world.subscription]).reap();

    // Assert
    expect(await ledgerItem(id)).toBeDefined();
  });

  it('deletes expired items of every table, keeps an item whose TTL is not a Number, and waits out the lag', async () => {
    // Prepare
    const expired = `expired-${randomUUID()}`;
    const withinLag = `within-lag-${randomUUID()}`;
    const notANumber = `text-ttl-${randomUUID()}`;
    await putLedgerItem(expired, seconds(VIRTUAL_NOW - 2 * 3_600_000));
    await putLedgerItem(withinLag, seconds(VIRTUAL_NOW - 30 * 60_000));
    await putLedgerItem(notANumber, String(seconds(VIRTUAL_NOW - 2 * 3_600_000)));

    // Act: AWS-like lag of an hour
    const result = await reaperFor([], { lagMs: 3_600_000 }).reap();

    // Assert
    expect(result.deleted.ledger).toBeGreaterThanOrEqual(1);
    expect(await ledgerItem(expired)).toBeUndefined();
    expect(await ledgerItem(withinLag)).toBeDefined();
    expect(await ledgerItem(notANumber)).toBeDefined();
  });

  it('keeps an item whose TTL was extended between the scan and the delete, and sends no record for it', async () => {
    // Prepare: the seat's contract is extended by a year just as the reaper is about to delete it
    const username = `extended.${randomUUID().slice(0, 6)}`;
    await addActiveSeat(username, VIRTUAL_NOW - 60_000, 'user-extended');
    const extendedTo = seconds(VIRTUAL_NOW + 365 * 86_400_000);
    const racing = {
      send: async (command: unknown) => {
        if (command instanceof DeleteItemCommand && command.input.Key?.username?.S === username) {
          await client.send(
            new UpdateItemCommand({
              TableName: tableNames.seats,
              Key: { username: { S: username } },
              UpdateExpression: 'SET expiresAt = :later',
              ExpressionAttributeValues: { ':later': { N: String(extendedTo) } },
            }),
          );
        }
        return client.send(command as never);
      },
    } as unknown as DynamoDBClient;
    const world = backstopWorld();

    // Act
    const result = await reaperFor([world.subscription], { client: racing }).reap();

    // Assert
    expect(result.skipped).toBeGreaterThanOrEqual(1);
    const item = (
      await client.send(
        new GetItemCommand({ TableName: tableNames.seats, Key: { username: { S: username } } }),
      )
    ).Item;
    expect(item?.expiresAt).toEqual({ N: String(extendedTo) });
    expect(world.delivered.some((r) => r.dynamodb?.Keys?.username?.S === username)).toBe(false);
    expect(world.deletedUsers).not.toContain('user-extended');
  });

  it('retries a record the backstop failed on the next pass, and dead-letters it after the last retry', async () => {
    // Prepare: Connect throttles the first delete of one seat, then every delete of another
    const retried = `retried.${randomUUID().slice(0, 6)}`;
    await addActiveSeat(retried, VIRTUAL_NOW - 60_000, 'user-retried');
    const world = backstopWorld();
    const deadLetters: string[] = [];
    const reaper = reaperFor([{ ...world.subscription, retryAttempts: 2 }], { deadLetters });
    world.failNextDeletes(1);

    // Act
    await reaper.reap();
    const afterFirstPass = [...world.deletedUsers];
    await reaper.reap();

    // Assert: the deletion happened once, its record came back, and the seat's user went on the retry
    expect(afterFirstPass).toEqual([]);
    expect(world.deletedUsers).toEqual(['user-retried']);
    expect(reaper.backlog()).toBe(0);

    // Prepare: a seat Connect never lets go
    const stuck = `stuck.${randomUUID().slice(0, 6)}`;
    await addActiveSeat(stuck, VIRTUAL_NOW - 60_000, 'user-stuck');
    world.failNextDeletes(100);

    // Act: the first delivery and two retries fail
    for (let pass = 0; pass < 3; pass++) await reaper.reap();

    // Assert
    expect(deadLetters).toEqual([
      expect.stringMatching(new RegExp(`^${stuck}: seat-ttl-backstop: .*failed 3 times`)),
    ]);
    expect(reaper.backlog()).toBe(0);
  });
});
