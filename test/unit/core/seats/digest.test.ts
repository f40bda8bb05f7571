import { describe, expect, it } from 'vitest';
import { digestMessage, seatsEndingTomorrow, sendSeatDigest } from '#core/seats/digest.js';
import type { Seat } from '#core/seats/seat.js';

const ZONE = 'Europe/Warsaw';

const seat = (username: string, expiresAt: string, overrides: Partial<Seat> = {}): Seat => ({
  username,
  userId: `user-${username}`,
  type: 'voice',
  firstName: 'Jan',
  lastName: 'Nowak',
  email: `${username}@example.com`,
  validFrom: '2026-10-01T00:00:00.000Z',
  expiresAt: new Date(expiresAt).toISOString(),
  state: 'ACTIVE',
  ...overrides,
});

const usernames = (seats: Seat[], now: string) =>
  seatsEndingTomorrow(seats, new Date(now), ZONE).byType.flatMap((group) =>
    group.seats.map((s) => s.username),
  );

describe('seats ending tomorrow, in the contact centre’s time zone', () => {
  // Sunday 25 October 2026 is 25 hours long in Warsaw: at 03:00 CEST the clocks go back to 02:00 CET.
  describe('the day before the clocks go back (25 hours tomorrow)', () => {
    const NOW = '2026-10-24T16:00:00+02:00';
    const seats = [
      // "until 25 October": access ends at the midnight after it, 26 Oct 00:00 CET = 25 Oct 23:00 UTC
      seat('until-sunday', '2026-10-26T00:00:00+01:00'),
      // In its 25th hour: 23:30 CET on the Sunday
      seat('sunday-late', '2026-10-25T23:30:00+01:00'),
      // The hour that happens twice: 02:30 CET, after 02:30 CEST
      seat('sunday-repeated-hour', '2026-10-25T02:30:00+01:00'),
      // "until 24 October" (today): ends at tonight's midnight, not tomorrow
      seat('until-today', '2026-10-25T00:00:00+02:00'),
      // A second after Sunday's end: Monday
      seat('monday', '2026-10-26T00:00:01+01:00'),
      seat('revoked', '2026-10-26T00:00:00+01:00', {
        state: 'REVOKED',
        revokedAt: '2026-10-20T10:00:00.000Z',
        revokedBy: 'ops',
      }),
    ];

    it('lists the seats whose last moment of access falls on the Sunday, and no other', () => {
      expect(usernames(seats, NOW)).toEqual(['sunday-repeated-hour', 'sunday-late', 'until-sunday']);
    });

    it('lists Monday’s seat on the Sunday, the 25-hour day itself', () => {
      expect(usernames(seats, '2026-10-25T16:00:00+01:00')).toEqual(['monday']);
    });
  });

  // Sunday 29 March 2026 is 23 hours long: at 02:00 CET the clocks go forward to 03:00 CEST.
  describe('the day before the clocks go forward (23 hours tomorrow)', () => {
    const NOW = '2026-03-28T16:00:00+01:00';

    it('lists "until 29 March" (ending 30 Mar 00:00 CEST), not "until 28 March"', () => {
      // Act
      const listed = usernames(
        [
          seat('until-sunday', '2026-03-30T00:00:00+02:00'),
          seat('until-saturday', '2026-03-29T00:00:00+01:00'),
          seat('sunday-morning', '2026-03-29T03:30:00+02:00'),
        ],
        NOW,
      );

      // Assess
      expect(listed).toEqual(['sunday-morning', 'until-sunday']);
    });
  });

  it('groups by seat type in the types’ order, each by end then username', () => {
    // Act
    const digest = seatsEndingTomorrow(
      [
        seat('zofia', '2026-12-25T00:00:00+01:00', { type: 'chat-4', tier: 4 }),
        seat('adam', '2026-12-25T00:00:00+01:00', { type: 'chat-4', tier: 4 }),
        seat('ewa', '2026-12-24T18:00:00+01:00', { type: 'chat-4', tier: 4 }),
        seat('piotr', '2026-12-25T00:00:00+01:00', { type: 'voice', state: 'PENDING' }),
        seat('later', '2026-12-26T00:00:00+01:00', { type: 'light' }),
      ],
      new Date('2026-12-23T16:00:00+01:00'),
      ZONE,
    );

    // Assess
    expect(digest.day).toBe('2026-12-24');
    expect(digest.total).toBe(4);
    expect(digest.byType.map((g) => [g.type, g.seats.map((s) => s.username)])).toEqual([
      ['voice', ['piotr']],
      ['chat-4', ['ewa', 'adam', 'zofia']],
    ]);
  });
});

describe('the digest message', () => {
  const NOW = new Date('2026-12-23T16:00:00+01:00');

  it('names each seat by type and when its access ends, with how to extend it', () => {
    // Act
    const message = digestMessage(
      seatsEndingTomorrow(
        [
          seat('ewa', '2026-12-24T18:00:00+01:00', { type: 'chat-4', tier: 4 }),
          seat('piotr', '2026-12-25T00:00:00+01:00', { state: 'PENDING' }),
        ],
        NOW,
        ZONE,
      ),
    );

    // Assess
    expect(message).toEqual({
      subject: 'peakline: 2 seats end tomorrow (2026-12-24)',
      message: [
        '2 seasonal seats end tomorrow, Thursday 24 December 2026 (Europe/Warsaw). Their agents lose access to Amazon Connect then, unless the contract is extended: peakline seats extend <username> --until <date>.',
        '',
        'voice (1):',
        '  piotr: access ends at the end of the day (still being provisioned)',
        '',
        'chat-4 (1):',
        '  ewa: access ends at 18:00',
      ].join('\n'),
    });
  });

  it('is nothing when no seat ends tomorrow', () => {
    expect(digestMessage(seatsEndingTomorrow([seat('later', '2026-12-31T00:00:00+01:00')], NOW, ZONE))).toBe(
      undefined,
    );
  });
});

describe('sending the digest', () => {
  const world = (seats: Seat[]) => {
    const sent: { subject: string; message: string }[] = [];
    const listedAt: Date[] = [];
    return {
      sent,
      listedAt,
      deps: {
        store: {
          list: async (now: Date) => {
            listedAt.push(now);
            return seats;
          },
        },
        ops: {
          notify: async (subject: string, message: string) => {
            sent.push({ subject, message });
          },
        },
        clock: { now: () => new Date('2026-12-23T16:00:00+01:00') },
      },
    };
  };

  it('tells ops once, reading the seats as they are now', async () => {
    // Prepare
    const { deps, sent, listedAt } = world([seat('piotr', '2026-12-25T00:00:00+01:00')]);

    // Act
    const result = await sendSeatDigest(deps, ZONE);

    // Assess
    expect(result.sent).toBe(true);
    expect(sent.map((s) => s.subject)).toEqual(['peakline: 1 seat ends tomorrow (2026-12-24)']);
    expect(sent[0]?.message).toMatch(/^1 seasonal seat ends tomorrow, Thursday 24 December 2026/);
    expect(listedAt).toEqual([new Date('2026-12-23T15:00:00Z')]);
  });

  it('sends nothing on a day with none', async () => {
    // Prepare
    const { deps, sent } = world([]);

    // Act
    const result = await sendSeatDigest(deps, ZONE);

    // Assess
    expect(result).toMatchObject({ sent: false, digest: { total: 0, day: '2026-12-24' } });
    expect(sent).toEqual([]);
  });
});
