/**
 * The SeatsActive gauge on DynamoDB Local: the seats whose contract runs at `now`, counted in the sweep
 * index, whatever the page size. Ended, revoked and other tables' seats are not counted.
 */
import { randomUUID } from 'node:crypto';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countActiveSeats, DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { pendingSeat } from '#core/seats/seat.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import { createSeatsTable } from '#test/support/seat-functions.js';

const HOUR = 3_600_000;
/** A fixed moment: no test depends on today's date. */
const NOW = new Date('2026-12-01T12:00:00Z');

const documents: LeanDocumentClient = localDocumentClient();
let table: string;
let store: DynamoSeatStore;

beforeAll(async () => {
  table = await createSeatsTable('active-count');
  store = new DynamoSeatStore(documents, table);
});

afterAll(() => {
  documents.destroy();
});

/** A seat ending `endsInHours` after NOW; made ACTIVE (a Connect user recorded) unless `pending`. */
const seat = async (endsInHours: number, options: { pending?: boolean } = {}) => {
  const username = `count.${randomUUID().slice(0, 8)}`;
  await store.put(
    pendingSeat({
      username,
      type: 'voice',
      firstName: 'Jan',
      lastName: 'Kowalski',
      email: 'jan.kowalski@example.pl',
      validFrom: new Date(NOW.getTime() - 10 * 24 * HOUR).toISOString(),
      expiresAt: new Date(NOW.getTime() + endsInHours * HOUR).toISOString(),
    }),
  );
  if (options.pending !== true) await store.markActive(username, `user-${username}`);
  return username;
};

describe('countActiveSeats (SeatsActive)', () => {
  it('counts the seats whose contract runs at now, pending ones included, not the ended or revoked', async () => {
    // Prepare: 3 running (one still being provisioned), 1 ended but not yet swept, 1 revoked
    await seat(5);
    await seat(48);
    await seat(2, { pending: true });
    await seat(-1);
    const revoked = await seat(24);
    await store.markRevoked(revoked, 'ops', NOW);

    // Act
    const active = await countActiveSeats(documents, table, NOW);

    // Assess
    expect(active).toBe(3);
  });

  it('is 0 for a table without seats', async () => {
    // Prepare
    const empty = await createSeatsTable('active-count-empty');

    // Act
    const active = await countActiveSeats(documents, empty, NOW);

    // Assess
    expect(active).toBe(0);
  });
});
