import { describe, expect, it } from 'vitest';
import { backstopTimeoutSeconds, seatsPerRun } from '#functions/seat-sweeper/connect-budget.js';

describe('how much a seat revocation run takes on at the Connect rate', () => {
  it.each([
    // A one-minute run at Connect's default 2 calls a second: 90 of its 120 call slots, 3 calls a seat.
    [60_000, 2, 30],
    // A five-minute run.
    [300_000, 2, 150],
    // Ten calls a second.
    [60_000, 10, 150],
    // Too little time for even one revocation still makes progress with one.
    [500, 2, 1],
    [0, 2, 1],
  ])('%i ms left at %d calls/s: %i seats', (remainingMs, callsPerSecond, seats) => {
    // Act
    const limit = seatsPerRun(remainingMs, callsPerSecond);

    // Assess
    expect(limit).toBe(seats);
  });

  it('keeps a full run inside its time at the rate, with room for throttling', () => {
    // Prepare
    const remainingMs = 60_000;
    const callsPerSecond = 2;

    // Act
    const seats = seatsPerRun(remainingMs, callsPerSecond);

    // Assess: three calls a seat, paced at the rate, take at most three quarters of the run.
    expect((seats * 3) / callsPerSecond).toBeLessThanOrEqual((remainingMs / 1000) * 0.75);
  });

  it.each([
    // 10 records × 3 calls at 2/s is 15 s; four times over is a minute.
    [2, 60],
    [50, 60],
    [0.5, 240],
    [0.01, 900],
  ])('gives the backstop at %d calls/s a timeout of %i s', (callsPerSecond, seconds) => {
    // Act
    const timeout = backstopTimeoutSeconds(callsPerSecond);

    // Assess
    expect(timeout).toBe(seconds);
  });
});
