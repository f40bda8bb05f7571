import { describe, expect, it } from 'vitest';
import { isActiveAt, isExpiredAt, pendingSeat, promote, type Seat, seatDays } from '#core/seats/seat.js';

const seat = (overrides: Partial<Seat> = {}): Seat => ({
  username: 'anna.kowalska',
  userId: 'user-anna',
  type: 'chat-2',
  tier: 2,
  firstName: 'Anna',
  lastName: 'Kowalska',
  email: 'anna.kowalska@example.com',
  validFrom: '2026-11-20T00:00:00.000Z',
  expiresAt: '2026-12-24T00:00:00.000Z',
  state: 'ACTIVE',
  ...overrides,
});

describe('isActiveAt: whether the agent still has access', () => {
  it.each([
    { case: 'an active seat before its end', over: {}, now: '2026-12-23T23:59:59Z', active: true },
    { case: 'an active seat at its end', over: {}, now: '2026-12-24T00:00:00Z', active: false },
    {
      case: 'an active seat past its end, not yet swept',
      over: {},
      now: '2026-12-30T00:00:00Z',
      active: false,
    },
    {
      case: 'a seat revoked before its end',
      over: { state: 'REVOKED' as const, revokedAt: '2026-12-01T10:00:00.000Z', revokedBy: 'ops' as const },
      now: '2026-12-02T00:00:00Z',
      active: false,
    },
    {
      case: 'a seat whose user is not created yet',
      over: { state: 'PENDING' as const },
      now: '2026-12-01T00:00:00Z',
      active: false,
    },
  ])('$case -> $active', ({ over, now, active }) => {
    // Prepare
    const subject = seat(over);

    // Act
    const answer = isActiveAt(subject, new Date(now));

    // Assess
    expect(answer).toBe(active);
  });

  it('counts a seat as expired from its end on, whatever its state says', () => {
    // Prepare
    const subject = seat({ state: 'ACTIVE' });

    // Act
    const before = isExpiredAt(subject, new Date('2026-12-23T23:59:59.999Z'));
    const at = isExpiredAt(subject, new Date('2026-12-24T00:00:00.000Z'));

    // Assess
    expect(before).toBe(false);
    expect(at).toBe(true);
  });
});

describe('pendingSeat', () => {
  it('starts a chat seat as PENDING with the tier of its type', () => {
    // Prepare
    const { username, type, firstName, lastName, email, validFrom, expiresAt } = seat({ type: 'chat-4' });

    // Act
    const pending = pendingSeat({ username, type, firstName, lastName, email, validFrom, expiresAt });

    // Assess
    expect(pending).toMatchObject({ username, state: 'PENDING', type: 'chat-4', tier: 4 });
    expect(pending.userId).toBeUndefined();
  });

  it('gives a light seat no chat tier', () => {
    // Prepare
    const { username, firstName, lastName, email, validFrom, expiresAt } = seat();

    // Act
    const pending = pendingSeat({
      username,
      type: 'light',
      firstName,
      lastName,
      email,
      validFrom,
      expiresAt,
    });

    // Assess
    expect(pending.tier).toBeUndefined();
  });
});

describe('seatDays: what the season cost, per seat type', () => {
  const from = new Date('2026-11-01T00:00:00Z');
  const to = new Date('2027-01-01T00:00:00Z');

  it('counts a whole contract inside the period in days', () => {
    // Prepare
    const seats = [seat({ type: 'voice', tier: undefined })];

    // Act
    const report = seatDays(seats, from, to);

    // Assess
    expect(report).toEqual({ voice: 34, 'chat-2': 0, 'chat-4': 0, 'chat-6': 0, light: 0, 'second-line': 0 });
  });

  it('counts only the part of a contract inside the period', () => {
    // Prepare
    const seats = [seat({ validFrom: '2026-10-15T00:00:00.000Z', expiresAt: '2027-01-10T00:00:00.000Z' })];

    // Act
    const december = seatDays(seats, new Date('2026-12-01T00:00:00Z'), new Date('2026-12-08T00:00:00Z'));

    // Assess
    expect(december['chat-2']).toBe(7);
  });

  it('stops counting when the seat is revoked before its contract ends', () => {
    // Prepare
    const seats = [
      seat({ state: 'REVOKED', revokedAt: '2026-11-30T12:00:00.000Z', revokedBy: 'ops' }),
      // The sweeper revokes a few minutes after the end; the contract's end is what was paid for.
      seat({
        username: 'jan.nowak',
        state: 'REVOKED',
        revokedAt: '2026-12-24T00:04:00.000Z',
        revokedBy: 'sweeper',
      }),
    ];

    // Act
    const report = seatDays(seats, from, to);

    // Assess
    expect(report['chat-2']).toBe(10.5 + 34);
  });

  it('counts part of a day as a fraction, rounded to 2 decimals once per type', () => {
    // Prepare: three 8-hour seats are one day, not 0.99
    const eightHours = (username: string): Seat =>
      seat({
        username,
        type: 'light',
        validFrom: '2026-12-01T08:00:00.000Z',
        expiresAt: '2026-12-01T16:00:00.000Z',
      });
    const seats = [eightHours('a'), eightHours('b'), eightHours('c')];

    // Act
    const report = seatDays(seats, from, to);
    const single = seatDays([eightHours('a')], from, to);

    // Assess
    expect(report.light).toBe(1);
    expect(single.light).toBe(0.33);
  });

  it('adds up each type separately and leaves out seats that never got a user or lie outside the period', () => {
    // Prepare
    const seats = [
      seat({ username: 'a', type: 'chat-2' }),
      seat({ username: 'b', type: 'chat-6', tier: 6 }),
      seat({ username: 'c', type: 'chat-6', tier: 6, validFrom: '2026-12-20T00:00:00.000Z' }),
      seat({ username: 'd', type: 'second-line', tier: undefined, state: 'PENDING', userId: undefined }),
      seat({
        username: 'e',
        type: 'voice',
        tier: undefined,
        validFrom: '2025-11-20T00:00:00.000Z',
        expiresAt: '2025-12-24T00:00:00.000Z',
      }),
    ];

    // Act
    const report = seatDays(seats, from, to);

    // Assess
    expect(report).toEqual({ voice: 0, 'chat-2': 34, 'chat-4': 0, 'chat-6': 38, light: 0, 'second-line': 0 });
  });

  it('refuses a period that ends before it starts', () => {
    // Prepare
    const seats = [seat()];

    // Act
    const report = () => seatDays(seats, to, from);

    // Assess
    expect(report).toThrow(/must end after it starts: from 2027-01-01T00:00:00.000Z to 2026-11-01/);
  });
});

describe('promote: the next chat tier, or why not', () => {
  it.each([
    { from: 'chat-2' as const, to: 'chat-4', tier: 4 },
    { from: 'chat-4' as const, to: 'chat-6', tier: 6 },
  ])('promotes $from to $to', ({ from, to, tier }) => {
    // Prepare
    const subject = seat({ type: from });

    // Act
    const promotion = promote(subject, new Date('2026-12-01T00:00:00Z'));

    // Assess
    expect(promotion).toEqual({ ok: true, type: to, tier });
  });

  it.each([
    {
      case: 'the top chat tier',
      over: { type: 'chat-6' as const, tier: 6 },
      reason: 'anna.kowalska already handles 6 chats at once (chat-6), the highest tier.',
    },
    {
      case: 'a voice seat',
      over: { type: 'voice' as const, tier: undefined },
      reason: 'anna.kowalska has a voice seat; only chat seats (chat-2, chat-4) can be promoted.',
    },
    {
      case: 'a light seat',
      over: { type: 'light' as const, tier: undefined },
      reason: 'anna.kowalska has a light seat; only chat seats (chat-2, chat-4) can be promoted.',
    },
    {
      case: 'a revoked seat',
      over: { state: 'REVOKED' as const, revokedAt: '2026-11-30T10:00:00.000Z', revokedBy: 'ops' as const },
      reason: "anna.kowalska's seat was revoked at 2026-11-30T10:00:00.000Z.",
    },
    {
      case: 'a seat still being provisioned',
      over: { state: 'PENDING' as const, userId: undefined },
      reason:
        'anna.kowalska has no Connect user yet (the seat is still being provisioned); finish the import first.',
    },
    {
      case: 'a seat that has ended',
      over: { expiresAt: '2026-11-30T00:00:00.000Z' },
      reason: "anna.kowalska's seat ended at 2026-11-30T00:00:00.000Z; extend it first.",
    },
  ])('refuses $case and says why', ({ over, reason }) => {
    // Prepare
    const subject = seat(over);

    // Act
    const promotion = promote(subject, new Date('2026-12-01T00:00:00Z'));

    // Assess
    expect(promotion).toEqual({ ok: false, reason });
  });
});
