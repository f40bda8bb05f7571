import { describe, expect, it } from 'vitest';
import { connectCallsPerSecondFor } from '#adapters/connect/api-rate-split.js';
import {
  backstopTimeoutSeconds,
  CONNECT_CALLS_PER_REVOCATION,
  seatsPerRun,
} from '#functions/seat-sweeper/connect-budget.js';

describe('how much a seat revocation run takes on at its share of the Connect rate', () => {
  it.each([
    // A one-minute run at 2 calls a second: 90 of its 120 call slots, 4 calls a seat.
    [60_000, 2, 22],
    // A five-minute run at the sweeper's share of Connect's default 2/s (1/3 a second).
    [300_000, 2 / 6, 18],
    // Ten calls a second.
    [60_000, 10, 112],
    // Too little time for even one revocation still makes progress with one.
    [500, 2, 1],
    [0, 2, 1],
  ])('%i ms left at %d calls/s: %i seats', (remainingMs, callsPerSecond, seats) => {
    // Act
    const limit = seatsPerRun(remainingMs, callsPerSecond);

    // Assess
    expect(limit).toBe(seats);
  });

  it('keeps a full run inside its time at its share, with room for throttling', () => {
    // Prepare
    const remainingMs = 300_000;
    const callsPerSecond = connectCallsPerSecondFor('seat-sweeper', 2);

    // Act
    const seats = seatsPerRun(remainingMs, callsPerSecond);

    // Assess: four calls a seat (DescribeUser, quick connects, DeleteUser), paced at the share, take at
    // most three quarters of the run.
    expect(CONNECT_CALLS_PER_REVOCATION).toBe(4);
    expect((seats * CONNECT_CALLS_PER_REVOCATION) / callsPerSecond).toBeLessThanOrEqual(
      (remainingMs / 1000) * 0.75,
    );
  });

  it.each([
    // 10 records × 4 calls at 2/s is 20 s; four times over is 80 s.
    [2, 80],
    [50, 60],
    // The backstop's share of the default 2/s: 10 × 4 × 3 s × 4 = 480 s.
    [2 / 6, 480],
    [0.01, 900],
  ])('gives the backstop at %d calls/s a timeout of %i s', (callsPerSecond, seconds) => {
    // Act
    const timeout = backstopTimeoutSeconds(callsPerSecond);

    // Assess
    expect(timeout).toBe(seconds);
  });
});
