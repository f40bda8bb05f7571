import { randomUUID } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoSeatStore, seatFromItem } from '#adapters/dynamodb/seat-store.js';
import {
  ANNOUNCE_GRACE_MS,
  isTtlRemoval,
  type RevocationDeps,
  revokeAfterTtl,
  revokeDueSeats,
  revokeSeat,
} from '#core/seats/revocation.js';
import { pendingSeat, type Seat } from '#core/seats/seat.js';
import { createContactCentre, LOCAL_MANAGED_USER_TAG } from '#simulator/contact-centre.js';
import ttlEvent from '#test/fixtures/seats/ttl-removal-stream-event.json' with { type: 'json' };
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';

const documents = localDocumentClient();
afterAll(() => documents.destroy());

/** A recorded TTL deletion, cloned per test (Lambda's DynamoDB stream event shape). */
const ttlRecord = (): DynamoDBRecord => structuredClone(ttlEvent.Records[0]) as DynamoDBRecord;

/** The tags the seats CLI gives every user it creates (locally: peakline:managed=local). */
const MANAGED = { [LOCAL_MANAGED_USER_TAG.key]: LOCAL_MANAGED_USER_TAG.value };

/** A world at `now`; with `busDown`, every PutEvents fails (after the seat is marked, as it happens). */
const world = (
  now: Date,
  options: { busDown?: boolean; simulator?: ReturnType<typeof createContactCentre> } = {},
) => {
  const clock = { now: () => now };
  const simulator = options.simulator ?? createContactCentre(now.getTime());
  const published: { detailType: string; detail: Record<string, unknown> }[] = [];
  const deps: RevocationDeps = {
    store: new DynamoSeatStore(documents, tableName('seats')),
    contactCentre: simulator,
    events: {
      publish: async (detailType, detail) => {
        if (options.busDown === true) throw new Error('EventBridge: InternalException');
        published.push({ detailType, detail });
      },
    },
    clock,
  };
  return { deps, simulator, published };
};

const revokedOf = (w: ReturnType<typeof world>, username: string) =>
  w.published.filter((p) => p.detailType === 'SeatRevoked' && p.detail.username === username);

const namesOf = (seats: readonly Seat[]) => seats.map((s) => s.username);

/** A seat with a Connect user in the simulator, ending at `end`. */
const seatWithUser = async (
  w: ReturnType<typeof world>,
  end: string,
  tags: Record<string, string> = MANAGED,
) => {
  const username = `it.${randomUUID().slice(0, 8)}`;
  const { userId } = await w.simulator.createUser({
    username,
    firstName: 'Anna',
    lastName: 'Nowak',
    routingProfileId: 'chat2',
    securityProfileIds: ['agent'],
    tags,
  });
  await w.deps.store.put(
    pendingSeat({
      username,
      type: 'chat-2',
      firstName: 'Anna',
      lastName: 'Nowak',
      email: 'anna@example.pl',
      validFrom: '2026-11-20T00:00:00.000Z',
      expiresAt: end,
    }),
  );
  await w.deps.store.markActive(username, userId);
  return { username, userId };
};

const users = (w: ReturnType<typeof world>) => w.simulator.snapshot().agents.map((a) => a.userId);

describe('seat revocation on DynamoDB Local', () => {
  it('revokes an ended seat: deletes the Connect user, marks the seat and announces it once', async () => {
    // Prepare
    const w = world(new Date('2027-01-01T00:05:00Z'));
    const { username, userId } = await seatWithUser(w, '2026-12-31T23:00:00.000Z');

    // Act
    const first = await revokeDueSeats(w.deps, 100);
    const second = await revokeDueSeats(w.deps, 100);

    // Assess
    expect(namesOf(first.revoked)).toContain(username);
    expect(namesOf(second.revoked)).not.toContain(username);
    expect(users(w)).not.toContain(userId);
    const announced = w.published.filter((p) => p.detail.username === username);
    expect(announced).toEqual([
      {
        detailType: 'SeatRevoked',
        detail: expect.objectContaining({ type: 'chat-2', userId, revokedBy: 'sweeper' }),
      },
    ]);
  });

  it('finds and deletes the user of a seat whose provisioning stopped before the user id was recorded', async () => {
    // Prepare: CreateUser answered, then the import died before recording the user on the seat.
    const w = world(new Date('2027-01-01T00:05:00Z'));
    const username = `it.${randomUUID().slice(0, 8)}`;
    await w.deps.store.put(
      pendingSeat({
        username,
        type: 'light',
        firstName: 'Ola',
        lastName: 'Piątek',
        email: 'ola@example.pl',
        validFrom: '2026-11-20T00:00:00.000Z',
        expiresAt: '2026-12-31T23:00:00.000Z',
      }),
    );
    const { userId } = await w.simulator.createUser({
      username,
      firstName: 'Ola',
      lastName: 'Piątek',
      routingProfileId: 'light',
      securityProfileIds: ['lightAgent'],
      tags: MANAGED,
    });

    // Act
    const { revoked } = await revokeDueSeats(w.deps, 100);

    // Assess
    expect(revoked.find((s) => s.username === username)).toMatchObject({
      state: 'REVOKED',
      revokedBy: 'sweeper',
    });
    expect(users(w)).not.toContain(userId);
  });

  it('leaves a seat extended before its end alone', async () => {
    // Prepare
    const w = world(new Date('2026-12-31T12:00:00Z'));
    const { username, userId } = await seatWithUser(w, '2026-12-31T23:00:00.000Z');
    await w.deps.store.extend(username, new Date('2027-01-15T23:00:00Z'), new Date('2026-12-31T12:00:00Z'));

    // Act: the sweep runs after the original end.
    const later = world(new Date('2027-01-01T00:05:00Z'));
    const { revoked } = await revokeDueSeats({ ...later.deps, contactCentre: w.simulator }, 100);

    // Assess
    expect(namesOf(revoked)).not.toContain(username);
    expect(users(w)).toContain(userId);
  });

  it('tells a TTL deletion from anyone else’s DeleteItem by the stream record’s principal', () => {
    const byTtl = ttlRecord();
    const byHand = { ...ttlRecord(), userIdentity: undefined };
    expect(isTtlRemoval(byTtl)).toBe(true);
    expect(isTtlRemoval(byHand)).toBe(false);
    expect(isTtlRemoval({ ...byTtl, eventName: 'MODIFY' })).toBe(false);
  });

  it('revokes, as the backstop, the user of a seat the TTL deleted, once however often the record comes', async () => {
    // Prepare: the recorded stream record, pointing at a user that exists in this simulator.
    const w = world(new Date('2027-01-01T01:00:00Z'));
    const { userId } = await w.simulator.createUser({
      username: `ttl.${randomUUID().slice(0, 8)}`,
      firstName: 'Anna',
      lastName: 'Nowak',
      routingProfileId: 'chat2',
      securityProfileIds: ['agent'],
      tags: MANAGED,
    });
    const record = ttlRecord();
    const image = unmarshall(record.dynamodb?.OldImage as never);
    const seat = seatFromItem({ ...image, userId, username: `ttl.${randomUUID().slice(0, 8)}` });

    // Act
    const first = await revokeAfterTtl(w.deps, seat);
    const again = await revokeAfterTtl(w.deps, seat);

    // Assess
    expect(first).toMatchObject({ state: 'REVOKED', revokedBy: 'ttl-backstop' });
    expect(again).toBeUndefined();
    expect(users(w)).not.toContain(userId);
    expect(w.published.filter((p) => p.detailType === 'SeatRevoked')).toHaveLength(1);
  });

  it('does nothing for a revoked seat whose retention the TTL ended', async () => {
    const w = world(new Date('2028-02-01T00:00:00Z'));
    const image = unmarshall(ttlRecord().dynamodb?.OldImage as never);
    const seat = seatFromItem({ ...image, state: 'REVOKED', revokedAt: '2027-01-01T00:05:00.000Z' });
    expect(await revokeAfterTtl(w.deps, seat)).toBeUndefined();
    expect(w.published).toEqual([]);
  });

  it('goes on with the other seats when one keeps failing, and reports the one', async () => {
    // Prepare: three ended seats, the oldest of them holding a user Connect will not delete (it lacks the
    // peakline:managed tag, so IAM refuses its DeleteUser), the two others ordinary.
    const w = world(new Date('2027-03-01T00:05:00Z'));
    const stuck = await seatWithUser(w, '2027-02-28T20:00:00.000Z', { team: 'permanent' });
    const second = await seatWithUser(w, '2027-02-28T21:00:00.000Z');
    const third = await seatWithUser(w, '2027-02-28T22:00:00.000Z');

    // Act: two sweeps, as the stuck seat would fail on every run.
    const first = await revokeDueSeats(w.deps, 100);
    const again = await revokeDueSeats(w.deps, 100);

    // Assess: the two others are revoked and announced; the stuck one is reported each time, kept, and its
    // user untouched.
    expect(namesOf(first.revoked)).toEqual(expect.arrayContaining([second.username, third.username]));
    expect(namesOf(first.revoked)).not.toContain(stuck.username);
    for (const report of [first, again]) {
      expect(report.failures.filter((f) => f.username === stuck.username)).toEqual([
        {
          username: stuck.username,
          step: 'revoke',
          reason: expect.stringMatching(/not tagged peakline:managed=local/),
        },
      ]);
    }
    expect(users(w)).toContain(stuck.userId);
    expect(users(w)).not.toContain(second.userId);
    expect(users(w)).not.toContain(third.userId);
    expect(revokedOf(w, second.username)).toHaveLength(1);
    expect(revokedOf(w, third.username)).toHaveLength(1);
    expect(revokedOf(w, stuck.username)).toHaveLength(0);
    expect(
      await w.deps.store.get(stuck.username, new Date('2027-03-01T00:05:00Z'), { includeExpired: true }),
    ).toMatchObject({ state: 'ACTIVE' });
  });

  it('announces a revocation whose PutEvents failed after the mark exactly once, when the bus is back', async () => {
    // Prepare: the bus fails at the sweep that revokes the seat, after its user is deleted and it is marked.
    const revokedAt = new Date('2027-04-01T00:05:00Z');
    const down = world(revokedAt, { busDown: true });
    const { username, userId } = await seatWithUser(down, '2027-03-31T23:00:00.000Z');
    const sameCentre = { simulator: down.simulator };

    // Act: the failing sweep; a sweep a minute later (the revoker may still be announcing: left alone); one
    // after the grace; and one more.
    const failing = await revokeDueSeats(down.deps, 100);
    const early = world(new Date(revokedAt.getTime() + 60_000), sameCentre);
    await revokeDueSeats(early.deps, 100);
    const recovered = world(new Date(revokedAt.getTime() + ANNOUNCE_GRACE_MS + 60_000), sameCentre);
    const recovery = await revokeDueSeats(recovered.deps, 100);
    const later = world(new Date(revokedAt.getTime() + ANNOUNCE_GRACE_MS + 120_000), sameCentre);
    await revokeDueSeats(later.deps, 100);

    // Assess: the revocation itself stood from the first sweep, the failed announcement was reported, and
    // SeatRevoked went out once, by the sweep after the grace, with the revocation's own time and revoker.
    expect(failing.revoked.find((s) => s.username === username)).toMatchObject({
      state: 'REVOKED',
      announced: false,
    });
    expect(failing.failures).toContainEqual({
      username,
      step: 'announce',
      reason: expect.stringMatching(/SeatRevoked could not be published/),
    });
    expect(users(down)).not.toContain(userId);
    expect(revokedOf(early, username)).toHaveLength(0);
    expect(namesOf(recovery.announced)).toContain(username);
    expect(revokedOf(recovered, username)).toEqual([
      {
        detailType: 'SeatRevoked',
        detail: expect.objectContaining({
          userId,
          revokedBy: 'sweeper',
          revokedAt: revokedAt.toISOString(),
        }),
      },
    ]);
    expect(revokedOf(later, username)).toHaveLength(0);
  });

  it('leaves the backstop’s unannounced revocation to the sweeper, which announces it once', async () => {
    // Prepare: the TTL deleted a seat; the backstop revokes it while the bus is down.
    const at = new Date('2027-05-01T01:00:00Z');
    const down = world(at, { busDown: true });
    const { userId } = await down.simulator.createUser({
      username: `ttl.${randomUUID().slice(0, 8)}`,
      firstName: 'Anna',
      lastName: 'Nowak',
      routingProfileId: 'chat2',
      securityProfileIds: ['agent'],
      tags: MANAGED,
    });
    const image = unmarshall(ttlRecord().dynamodb?.OldImage as never);
    const username = `ttl.${randomUUID().slice(0, 8)}`;
    const seat = seatFromItem({ ...image, userId, username });

    // Act
    const byBackstop = await revokeAfterTtl(down.deps, seat);
    const redelivered = await revokeAfterTtl(down.deps, seat);
    const sweep = world(new Date(at.getTime() + ANNOUNCE_GRACE_MS + 60_000), { simulator: down.simulator });
    await revokeDueSeats(sweep.deps, 100);
    await revokeDueSeats(sweep.deps, 100);

    // Assess
    expect(byBackstop).toMatchObject({ state: 'REVOKED', revokedBy: 'ttl-backstop', announced: false });
    expect(redelivered).toBeUndefined();
    expect(users(down)).not.toContain(userId);
    expect(revokedOf(sweep, username)).toEqual([
      { detailType: 'SeatRevoked', detail: expect.objectContaining({ userId, revokedBy: 'ttl-backstop' }) },
    ]);
  });

  it('revokes on an operator’s word even when the bus is down, and the sweeper announces it later', async () => {
    // Prepare
    const at = new Date('2027-06-01T10:00:00Z');
    const down = world(at, { busDown: true });
    const { username, userId } = await seatWithUser(down, '2027-06-30T22:00:00.000Z');

    // Act
    const result = await revokeSeat(down.deps, username);
    const sweep = world(new Date(at.getTime() + ANNOUNCE_GRACE_MS + 1_000), { simulator: down.simulator });
    await revokeDueSeats(sweep.deps, 100);

    // Assess
    expect(result).toMatchObject({ ok: true, announcement: { announced: false } });
    expect(users(down)).not.toContain(userId);
    expect(revokedOf(sweep, username)).toEqual([
      { detailType: 'SeatRevoked', detail: expect.objectContaining({ revokedBy: 'ops' }) },
    ]);
  });
});
