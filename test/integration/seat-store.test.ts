import { DeleteCommand, GetCommand } from '#adapters/dynamodb/document-client.js';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoSeatStore, REVOKED_RETENTION_DAYS } from '#adapters/dynamodb/seat-store.js';
import { type Seat, seatDays } from '#core/seats/seat.js';
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';

const client: LeanDocumentClient = localDocumentClient();
afterAll(() => client.destroy());
const store = new DynamoSeatStore(client, tableName('seats'));

/** Unique usernames per test: the table (and its index) is shared with every other integration test. */
const RUN = Date.now().toString(36);
let counter = 0;
const uniqueUsername = (label: string) => `it.${RUN}.${counter++}.${label}`;
const ours = (prefix: string, seats: readonly Seat[]) => seats.filter((s) => s.username.startsWith(prefix));

// Contracts end a month from the real now, so that nothing here is due for a real TTL deletion while the
// tests run; the store is always told the (virtual) time explicitly.
const HOUR = 3_600_000;
const BASE = Math.ceil(Date.now() / HOUR) * HOUR + 30 * 24 * HOUR;
const at = (hours: number) => new Date(BASE + hours * HOUR);

const seat = (username: string, endsInHours: number, overrides: Partial<Seat> = {}): Seat => ({
  username,
  userId: `user-${username}`,
  type: 'chat-2',
  tier: 2,
  firstName: 'Anna',
  lastName: 'Kowalska',
  email: 'anna.kowalska@example.com',
  validFrom: at(-7 * 24).toISOString(),
  expiresAt: at(endsInHours).toISOString(),
  state: 'ACTIVE',
  ...overrides,
});

const rawItem = async (key: string) =>
  (
    await client.send(
      new GetCommand({ TableName: tableName('seats'), Key: { username: key }, ConsistentRead: true }),
    )
  ).Item;

describe('seat store on DynamoDB Local: reads treat an ended seat as gone', () => {
  it('returns a seat until its end, and nothing after it although the item is still there', async () => {
    // Prepare
    const username = uniqueUsername('expiry');
    await store.put(seat(username, 1));

    // Act
    const before = await store.get(username, at(0));
    const after = await store.get(username, at(2));
    const listedAfter = await store.list(at(2));

    // Assess
    expect(before).toEqual(seat(username, 1));
    expect(after).toBeUndefined();
    expect(listedAfter.map((s) => s.username)).not.toContain(username);
    expect(await rawItem(username)).toMatchObject({
      username,
      expiresAt: BASE / 1000 + 3600,
      active: 'ACTIVE',
    });
  });

  it('still lists an ended, not yet revoked seat for the seat-days report', async () => {
    // Prepare
    const username = uniqueUsername('report');
    await store.put(seat(username, 1));

    // Act
    const listed = await store.list(at(2), { includeExpired: true });

    // Assess
    expect(ours(username, listed)).toEqual([seat(username, 1)]);
  });
});

describe('seat store on DynamoDB Local: put', () => {
  it('answers "exists" for a second seat under the same username and keeps the first', async () => {
    // Prepare
    const username = uniqueUsername('twice');
    const first = await store.put(seat(username, 24));

    // Act
    const second = await store.put(seat(username, 48, { firstName: 'Someone', userId: 'user-other' }));

    // Assess
    expect(first).toBe('created');
    expect(second).toBe('exists');
    expect(await store.get(username, at(0))).toEqual(seat(username, 24));
  });

  it('does not overwrite an ended seat the sweeper has not revoked yet: its Connect user still exists', async () => {
    // Prepare
    const username = uniqueUsername('unswept');
    await store.put(seat(username, 1));

    // Act
    const answer = await store.put(seat(username, 48, { userId: undefined, state: 'PENDING' }));

    // Assess
    expect(answer).toBe('exists');
    expect(await rawItem(username)).toMatchObject({ userId: `user-${username}`, state: 'ACTIVE' });
  });

  it('gives a returning agent a new seat and keeps the revoked one for the report', async () => {
    // Prepare: last season's seat, revoked when it ended
    const username = uniqueUsername('returning');
    const lastSeason = seat(username, 1, { validFrom: at(-23).toISOString() });
    await store.put(lastSeason);
    await store.markRevoked(username, 'sweeper', at(1));
    const nextSeason = seat(username, 240, {
      validFrom: at(200).toISOString(),
      userId: undefined,
      state: 'PENDING',
    });

    // Act
    const answer = await store.put(nextSeason);

    // Assess
    expect(answer).toBe('created');
    expect(await store.get(username, at(201))).toEqual(nextSeason);
    const history = ours(username, await store.list(at(201), { includeRevoked: true }));
    expect(history).toEqual([
      // Revoked and not yet announced: the sweeper announces it, then settles it (write, announce, settle).
      {
        ...lastSeason,
        state: 'REVOKED',
        revokedAt: at(1).toISOString(),
        revokedBy: 'sweeper',
        announced: false,
      },
      nextSeason,
    ]);
    // Last season's day is still counted; the new seat has no Connect user yet, so it costs nothing yet.
    expect(seatDays(history, at(-48), at(300))['chat-2']).toBe(1);
  });
});

describe('seat store on DynamoDB Local: dueForRevocation', () => {
  it('returns exactly the ended seats that may hold a Connect user, oldest end first', async () => {
    // Prepare
    const prefix = uniqueUsername('due');
    await store.put(seat(`${prefix}.a`, 3));
    await store.put(seat(`${prefix}.b`, 1));
    await store.put(seat(`${prefix}.c`, 10)); // not ended yet
    await store.put(seat(`${prefix}.d`, 2));
    // An import that crashed after CreateUser may have left a user behind this PENDING seat.
    await store.put(seat(`${prefix}.e`, 1.5, { state: 'PENDING', userId: undefined }));
    await store.put(seat(`${prefix}.f`, 0.5));
    await store.markRevoked(`${prefix}.f`, 'ops', at(0.25));

    // Act
    const due = await store.dueForRevocation(at(5), 10_000);

    // Assess
    expect(ours(prefix, due).map((s) => s.username)).toEqual([
      `${prefix}.b`,
      `${prefix}.e`,
      `${prefix}.d`,
      `${prefix}.a`,
    ]);
    expect(ours(prefix, due)[0]).toEqual(seat(`${prefix}.b`, 1));
  });

  it('returns no more than the limit, all of them due, oldest first', async () => {
    // Prepare
    const prefix = uniqueUsername('limit');
    for (const hours of [1, 2, 3]) await store.put(seat(`${prefix}.${hours}`, hours));

    // Act
    const due = await store.dueForRevocation(at(5), 2);

    // Assess
    expect(due).toHaveLength(2);
    const ends = due.map((s) => Date.parse(s.expiresAt));
    expect(ends).toEqual([...ends].sort((a, b) => a - b));
    expect(ends.every((end) => end <= at(5).getTime())).toBe(true);
  });
});

describe('seat store on DynamoDB Local: extend', () => {
  it('keeps a seat extended before it ends, out of the sweeper and the TTL', async () => {
    // Prepare
    const username = uniqueUsername('extend');
    await store.put(seat(username, 1));

    // Act
    const extended = await store.extend(username, at(48), at(0.5));

    // Assess
    expect(extended).toEqual(seat(username, 48));
    expect(await store.get(username, at(2))).toEqual(seat(username, 48));
    expect(ours(username, await store.dueForRevocation(at(2), 10_000))).toEqual([]);
    expect(await rawItem(username)).toMatchObject({ expiresAt: at(48).getTime() / 1000 });
  });

  it('does not revive a seat that has already ended', async () => {
    // Prepare
    const username = uniqueUsername('too-late');
    await store.put(seat(username, 1));

    // Act
    const extended = await store.extend(username, at(48), at(1.5));

    // Assess
    expect(extended).toBeUndefined();
    expect(await store.get(username, at(1.5))).toBeUndefined();
    expect(ours(username, await store.dueForRevocation(at(1.5), 10_000))).toHaveLength(1);
  });

  it('refuses a new end that has already passed, and points to revoke', async () => {
    // Prepare
    const username = uniqueUsername('backwards');
    await store.put(seat(username, 24));

    // Act
    const extend = store.extend(username, at(1), at(2));

    // Assess
    await expect(extend).rejects.toThrow(/has already passed; to end a seat now, revoke it/);
  });
});

describe('seat store on DynamoDB Local: markRevoked', () => {
  it('takes the seat out of the index and keeps it, with the contract end, for the retention period', async () => {
    // Prepare
    const username = uniqueUsername('revoke');
    await store.put(seat(username, 1));

    // Act
    const revoked = await store.markRevoked(username, 'sweeper', at(1.05));

    // Assess
    const expected = {
      ...seat(username, 1),
      state: 'REVOKED',
      revokedAt: at(1.05).toISOString(),
      revokedBy: 'sweeper',
      // Written before it is announced: SeatRevoked goes out after this, then the seat is settled.
      announced: false,
    };
    expect(revoked).toEqual(expected);
    expect(ours(username, await store.dueForRevocation(at(2), 10_000))).toEqual([]);
    const item = await rawItem(username);
    // Out of the seats to revoke, into the revocations still to announce (the sweeper's next run).
    expect(item).toHaveProperty('active', 'UNANNOUNCED');
    expect(item).toMatchObject({
      contractEnd: at(1).toISOString(),
      expiresAt: Math.ceil(at(1.05).getTime() / 1000) + REVOKED_RETENTION_DAYS * 86_400,
    });
    expect(await store.get(username, at(2))).toBeUndefined();
    expect(await store.get(username, at(2), { includeRevoked: true })).toEqual(expected);
  });

  it('revokes once: a second revocation (the backstop after the sweeper) gets nothing', async () => {
    // Prepare
    const username = uniqueUsername('revoke-twice');
    await store.put(seat(username, 1));
    await store.markRevoked(username, 'sweeper', at(1.05));

    // Act
    const again = await store.markRevoked(username, 'ttl-backstop', at(3));

    // Assess
    expect(again).toBeUndefined();
    expect(await store.get(username, at(3), { includeRevoked: true })).toMatchObject({
      revokedBy: 'sweeper',
    });
  });

  it('shows a revoked seat only until its retention ends', async () => {
    // Prepare
    const username = uniqueUsername('retention');
    await store.put(seat(username, 1));
    await store.markRevoked(username, 'ops', at(0.5));

    // Act
    const within = await store.list(at(24 * (REVOKED_RETENTION_DAYS - 1)), { includeRevoked: true });
    const beyond = await store.list(at(24 * (REVOKED_RETENTION_DAYS + 1)), { includeRevoked: true });

    // Assess
    expect(ours(username, within)).toHaveLength(1);
    expect(ours(username, beyond)).toEqual([]);
  });
});

describe('seat store on DynamoDB Local: provisioning and promotion', () => {
  it('marks a PENDING seat active with its Connect user, and will not swap that user for another', async () => {
    // Prepare
    const username = uniqueUsername('activate');
    await store.put(seat(username, 24, { state: 'PENDING', userId: undefined }));

    // Act
    const active = await store.markActive(username, 'user-1');
    const swapped = await store.markActive(username, 'user-2');
    const repeated = await store.markActive(username, 'user-1');

    // Assess
    expect(active).toEqual(seat(username, 24, { userId: 'user-1' }));
    expect(swapped).toBeUndefined();
    expect(repeated).toEqual(active);
  });

  it('changes the type and the chat tier, and drops the tier for a seat without chat', async () => {
    // Prepare
    const username = uniqueUsername('promote');
    await store.put(seat(username, 24));

    // Act
    const promoted = await store.changeType(username, 'chat-4');
    const moved = await store.changeType(username, 'voice');

    // Assess
    expect(promoted).toMatchObject({ type: 'chat-4', tier: 4 });
    expect(moved?.type).toBe('voice');
    expect(moved).not.toHaveProperty('tier');
  });

  it('does not change a revoked seat', async () => {
    // Prepare
    const username = uniqueUsername('promote-revoked');
    await store.put(seat(username, 24));
    await store.markRevoked(username, 'ops', at(1));

    // Act
    const promoted = await store.changeType(username, 'chat-4');

    // Assess
    expect(promoted).toBeUndefined();
  });
});

describe('seat store on DynamoDB Local: recordRevoked (the TTL backstop)', () => {
  it('keeps an audit record of a seat the TTL deleted, once however often the stream delivers it', async () => {
    // Prepare: the sweeper missed the seat and DynamoDB's TTL deleted it
    const username = uniqueUsername('backstop');
    const deleted = seat(username, 1);
    await store.put(deleted);
    await client.send(new DeleteCommand({ TableName: tableName('seats'), Key: { username } }));

    // Act
    const first = await store.recordRevoked(deleted, 'ttl-backstop', at(30));
    const second = await store.recordRevoked(deleted, 'ttl-backstop', at(31));

    // Assess
    const expected = {
      ...deleted,
      state: 'REVOKED',
      revokedAt: at(30).toISOString(),
      revokedBy: 'ttl-backstop',
      announced: false,
    };
    expect(first).toEqual(expected);
    expect(second).toBeUndefined();
    expect(ours(username, await store.list(at(32), { includeRevoked: true }))).toEqual([expected]);
    expect(await store.put(seat(username, 100))).toBe('created');
  });
});
