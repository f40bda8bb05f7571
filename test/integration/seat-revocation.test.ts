import { randomUUID } from 'node:crypto';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { DynamoSeatStore, seatFromItem } from '#adapters/dynamodb/seat-store.js';
import { isTtlRemoval, revokeAfterTtl, revokeDueSeats, type RevocationDeps } from '#core/seats/revocation.js';
import { pendingSeat } from '#core/seats/seat.js';
import { createContactCentre } from '#local/contact-centre.js';
import ttlEvent from '#test/fixtures/seats/ttl-removal-stream-event.json' with { type: 'json' };
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';

const documents = localDocumentClient();
afterAll(() => documents.destroy());

/** A recorded TTL deletion, cloned per test (Lambda's DynamoDB stream event shape). */
const ttlRecord = (): DynamoDBRecord => structuredClone(ttlEvent.Records[0]) as DynamoDBRecord;

const world = (now: Date) => {
  const clock = { now: () => now };
  const simulator = createContactCentre(now.getTime());
  const published: { detailType: string; detail: Record<string, unknown> }[] = [];
  const deps: RevocationDeps = {
    store: new DynamoSeatStore(documents, tableName('seats')),
    contactCentre: simulator,
    events: { publish: async (detailType, detail) => void published.push({ detailType, detail }) },
    clock,
  };
  return { deps, simulator, published };
};

/** A seat with a Connect user in the simulator, ending at `end`. */
const seatWithUser = async (w: ReturnType<typeof world>, end: string) => {
  const username = `it.${randomUUID().slice(0, 8)}`;
  const { userId } = await w.simulator.createUser({
    username,
    firstName: 'Anna',
    lastName: 'Nowak',
    routingProfileId: 'chat2',
    securityProfileIds: ['agent'],
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
    expect(first.map((s) => s.username)).toContain(username);
    expect(second.map((s) => s.username)).not.toContain(username);
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
    });

    // Act
    const revoked = await revokeDueSeats(w.deps, 100);

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
    const revoked = await revokeDueSeats({ ...later.deps, contactCentre: w.simulator }, 100);

    // Assess
    expect(revoked.map((s) => s.username)).not.toContain(username);
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
});
