import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { ConnectClient } from '@aws-sdk/client-connect';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConnectContactCentre } from '#adapters/connect/contact-centre.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import type { SeatStore } from '#core/seats/seat.js';
import { provisionSeats, type SeatDeps, seatProfiles } from '#core/seats/provisioning.js';
import type { NewSeat } from '#core/seats/seat.js';
import { createContactCentre } from '#simulator/contact-centre.js';
import { LOCAL_CONNECT_INSTANCE_ID } from '#local/http/connect-endpoint.js';
import { createEventsEndpoint } from '#local/http/events-endpoint.js';
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const NOW = new Date('2026-11-20T08:00:00Z');
const documents = localDocumentClient();

/**
 * The world an import runs in: seats on DynamoDB Local, and the real Connect adapter talking HTTP to the
 * local stack's Connect endpoint over the simulator, so a second CreateUser for a username meets Connect's
 * DuplicateResourceException, as it would on AWS.
 */
const simulator = createContactCentre(NOW.getTime());
const server = createEventsEndpoint({
  putEvents: async () => ({ FailedEntryCount: 0, Entries: [] }),
  contactCentre: simulator,
});
let connect: ConnectClient;

beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  connect = new ConnectClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'eu-central-1',
    credentials: { accessKeyId: 'ops', secretAccessKey: 'ops' },
    maxAttempts: 1,
  });
});

afterAll(async () => {
  connect?.destroy();
  documents.destroy();
  await new Promise((resolve) => server.close(resolve));
});

const world = (store: SeatStore = new DynamoSeatStore(documents, tableName('seats'))) => {
  const published: { detailType: string; detail: Record<string, unknown> }[] = [];
  const deps: SeatDeps = {
    store,
    contactCentre: new ConnectContactCentre(BridgedConnectSender.over(connect), {
      instanceId: LOCAL_CONNECT_INSTANCE_ID,
      callsPerSecond: 1_000,
    }),
    events: { publish: async (detailType, detail) => void published.push({ detailType, detail }) },
    clock: { now: () => NOW },
    profiles: seatProfiles(
      {
        voice: 'voice',
        chat2: 'chat2',
        chat4: 'chat4',
        chat6: 'chat6',
        light: 'light',
        secondLine: 'secondLine',
      },
      { agent: 'agent', lightAgent: 'lightAgent' },
    ),
  };
  return { deps, published };
};

const seasonOf = (count: number): NewSeat[] => {
  const batch = randomUUID().slice(0, 6);
  return Array.from({ length: count }, (_, i) => ({
    username: `s${batch}.${i}`,
    type: i % 2 === 0 ? 'voice' : 'chat-2',
    firstName: 'Seasonal',
    lastName: `Agent ${i}`,
    email: `agent${i}@example.com`,
    validFrom: '2026-11-20T00:00:00.000Z',
    expiresAt: '2026-12-25T00:00:00.000Z',
  }));
};

const usersNamed = (seats: readonly NewSeat[]) => {
  const names = new Set(seats.map((s) => s.username));
  return simulator.snapshot().agents.filter((a) => names.has(a.username) && !a.deleted);
};

describe('importing seats, interrupted and run again', () => {
  it('creates every Connect user once, whether stopped between seats or killed after a CreateUser', async () => {
    // Prepare: ten seats; the first run is stopped after four (Ctrl-C)
    const seats = seasonOf(10);
    const first = world();
    let done = 0;
    const stopped = await provisionSeats(first.deps, seats, {
      cancelled: () => done >= 4,
      onProgress: () => {
        done += 1;
      },
    });
    expect(stopped).toMatchObject({ created: 4, stopped: true });

    // The second run dies between the fifth seat's CreateUser and the write that records its user
    const real = new DynamoSeatStore(documents, tableName('seats'));
    let killed = false;
    const dying = Object.create(real) as SeatStore;
    dying.markActive = async (username, userId) => {
      if (username === seats[4]?.username) {
        killed = true;
        throw new Error('the process was killed');
      }
      return real.markActive(username, userId);
    };
    const second = world(dying);
    await provisionSeats(second.deps, seats, { cancelled: () => killed });
    expect(usersNamed(seats)).toHaveLength(5);

    // Act: the same file, run again to the end
    const third = world();
    const summary = await provisionSeats(third.deps, seats);

    // Assert
    expect(summary).toEqual({ created: 5, resumed: 1, unchanged: 4, problems: [], stopped: false });
    const users = usersNamed(seats);
    expect(users.map((u) => u.username).sort()).toEqual(seats.map((s) => s.username).sort());
    const stored = await real.list(NOW);
    for (const seat of seats) {
      const user = users.find((u) => u.username === seat.username);
      expect(stored.find((s) => s.username === seat.username)).toMatchObject({
        state: 'ACTIVE',
        userId: user?.userId,
      });
    }
    // Each seat announced once over the three runs: four, none (killed before), then six.
    const announced = [...first.published, ...second.published, ...third.published]
      .filter((e) => e.detailType === 'SeatProvisioned')
      .map((e) => e.detail.username);
    expect(announced.sort()).toEqual(seats.map((s) => s.username).sort());
  });

  it('refuses a row whose username already holds a different seat, and goes on with the others', async () => {
    // Prepare
    const [kept, other] = seasonOf(2) as [NewSeat, NewSeat];
    await provisionSeats(world().deps, [kept]);
    const changed: NewSeat = { ...kept, expiresAt: '2027-01-10T00:00:00.000Z' };

    // Act
    const summary = await provisionSeats(world().deps, [changed, other]);

    // Assert
    expect(summary.created).toBe(1);
    expect(summary.problems).toEqual([
      {
        index: 1,
        seat: changed,
        reason: expect.stringMatching(
          /already has a voice seat until 2026-12-25T00:00:00.000Z; use `seats extend`/,
        ),
      },
    ]);
  });

  it('stops after five failures in a row, keeping what was done', async () => {
    // Prepare: Connect refuses every user (an unknown routing profile, as after a wrong deployment)
    const seats = seasonOf(8);
    const broken = world();
    const deps: SeatDeps = {
      ...broken.deps,
      profiles: seatProfiles(
        { voice: 'gone', chat2: 'gone', chat4: 'gone', chat6: 'gone', light: 'gone', secondLine: 'gone' },
        { agent: 'agent', lightAgent: 'lightAgent' },
      ),
    };

    // Act
    const summary = await provisionSeats(deps, seats);

    // Assert
    expect(summary.stopped).toBe(true);
    expect(summary.problems).toHaveLength(5);
    expect(summary.problems[0]?.reason).toMatch(/routing profile/i);
    expect(usersNamed(seats)).toHaveLength(0);
  });
});
