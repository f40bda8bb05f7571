import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BacklogInterval, backlogPositions } from '#core/planning/backlog.js';

const HOUR = 3600;
const START = Date.parse('2027-11-22T00:00:00+01:00');

/** Quarter hours from START, with these contacts; AHT 360 s. */
const quarters = (contacts: readonly number[], ahtSeconds = 360): (BacklogInterval & { startMs: number })[] =>
  contacts.map((c, i) => ({ startMs: START + i * 900_000, minutes: 15, contacts: c, ahtSeconds }));

/**
 * For each interval's deadline, the work done by then must cover the work due by then: the check that no
 * contact waits past its reply target, whatever rule made the positions.
 */
const missedDeadlines = (
  intervals: readonly (BacklogInterval & { startMs: number })[],
  positions: readonly number[],
  replySeconds: number,
): string[] => {
  const missed: string[] = [];
  intervals.forEach((arrival, i) => {
    const deadline = arrival.startMs + replySeconds * 1000;
    let due = 0;
    let done = 0;
    intervals.forEach((interval, j) => {
      const end = interval.startMs + interval.minutes * 60_000;
      if (j <= i || end <= deadline) {
        done += (positions[j] ?? 0) * interval.minutes * 60;
        if (interval.startMs <= arrival.startMs) due += interval.contacts * interval.ahtSeconds;
      }
    });
    if (done < due * (1 - 1e-9) - 1e-6) missed.push(`interval ${i}: ${done} of ${due} work seconds done`);
  });
  return missed;
};

describe('backlogPositions', () => {
  it('spreads a burst of tasks evenly over its 4-hour reply window', () => {
    // Prepare: 100 tasks of 6 minutes at 08:00, nothing after, the channel staffed all day.
    const intervals = quarters([100, ...Array<number>(40).fill(0)]);

    // Act
    const steps = backlogPositions(intervals, 4 * HOUR);

    // Assess: 36,000 work seconds over sixteen quarter hours is 2.5 agents, then nobody.
    expect(steps.slice(0, 16).map((s) => s.positions)).toEqual(Array<number>(16).fill(2.5));
    expect(steps.slice(16).every((s) => s.positions === 0)).toBe(true);
    expect(steps[0]?.backlogContacts).toBeCloseTo(100 - 100 / 16, 9);
    expect(steps[15]?.backlogContacts).toBeCloseTo(0, 9);
  });

  it('matches a steady stream with as many agents as its workload once the backlog has built up', () => {
    // Prepare: 10 e-mails of 6 minutes each quarter hour, for three days.
    const intervals = quarters(Array<number>(3 * 96).fill(10));

    // Act
    const steps = backlogPositions(intervals, 24 * HOUR);

    // Assess: 3,600 work seconds per 900 s is 4 agents, from the second day on.
    expect(steps.slice(96, 192).every((s) => Math.abs(s.positions - 4) < 1e-9)).toBe(true);
    expect(steps[0]?.positions).toBeLessThan(4);
    expect(steps[150]?.backlogContacts).toBeCloseTo((10 * 95) / 2, 6);
  });

  it('answers evening e-mails the next day when the channel is staffed 08:00 to 20:00 only', () => {
    // Prepare: two days of quarter hours, staffed 08:00-20:00; 60 e-mails at 19:00 on the first day.
    const intervals = quarters(Array.from({ length: 2 * 96 }, (_, i) => (i === 76 ? 60 : 0))).map(
      (interval, i) => ({ ...interval, staffed: i % 96 >= 32 && i % 96 < 80 }),
    );

    // Act
    const steps = backlogPositions(intervals, 12 * HOUR);

    // Assess: due 19:00 the next day, 12 working hours away (19-20 h, then 08-19 h): 21,600 s / 43,200 s.
    const staffed = steps.map((s, i) => ({ i, positions: s.positions })).filter((s) => s.positions > 0);
    expect(staffed.map((s) => s.i)).toEqual([
      ...[76, 77, 78, 79],
      ...Array.from({ length: 44 }, (_, i) => 96 + 32 + i),
    ]);
    expect(staffed.every((s) => Math.abs(s.positions - 0.5) < 1e-9)).toBe(true);
    expect(steps[100]?.backlogContacts).toBeCloseTo(60 - 60 / 12, 9);
  });

  it('starts the reply clock at the next staffed interval for a task arriving at night', () => {
    // Prepare: tasks at 22:00 with a 4-hour target; staffed 08:00-20:00.
    const intervals = quarters(Array.from({ length: 96 + 64 }, (_, i) => (i === 88 ? 40 : 0))).map(
      (interval, i) => ({ ...interval, staffed: i % 96 >= 32 && i % 96 < 80 }),
    );

    // Act
    const steps = backlogPositions(intervals, 4 * HOUR);

    // Assess: 40 × 360 s worked from 08:00 to 12:00 the next day: 1 agent.
    const staffed = steps.map((s, i) => ({ i, positions: s.positions })).filter((s) => s.positions > 0);
    expect(staffed.map((s) => s.i)).toEqual(Array.from({ length: 16 }, (_, i) => 96 + 32 + i));
    expect(staffed.every((s) => Math.abs(s.positions - 1) < 1e-9)).toBe(true);
  });

  it('lets the reply clock stop at closing time and run on the next morning', () => {
    // Prepare: tasks at 19:45 with a 4-hour target; staffed 08:00-20:00.
    const intervals = quarters(Array.from({ length: 96 + 64 }, (_, i) => (i === 79 ? 40 : 0))).map(
      (interval, i) => ({ ...interval, staffed: i % 96 >= 32 && i % 96 < 80 }),
    );

    // Act
    const steps = backlogPositions(intervals, 4 * HOUR);

    // Assess: 15 minutes that evening and 3 h 45 min the next morning (to 11:45): 14,400 s / 14,400 s.
    const staffed = steps.map((s, i) => ({ i, positions: s.positions })).filter((s) => s.positions > 0);
    expect(staffed.map((s) => s.i)).toEqual([79, ...Array.from({ length: 15 }, (_, i) => 96 + 32 + i)]);
    expect(staffed.every((s) => Math.abs(s.positions - 1) < 1e-9)).toBe(true);
  });

  it('handles contacts within their own interval when the reply target is shorter than it', () => {
    // Prepare
    const intervals = quarters([8, 0, 0]);

    // Act
    const steps = backlogPositions(intervals, 600);

    // Assess: 2,880 work seconds in 900 s.
    expect(steps.map((s) => s.positions)).toEqual([3.2, 0, 0]);
  });

  it('never lets a contact wait past its reply target', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0, max: 50, noNaN: true }), { minLength: 1, maxLength: 120 }),
        fc.integer({ min: 1, max: 30 }).map((quarterHours) => quarterHours * 900),
        (contacts, replySeconds) => {
          // Prepare
          // Quiet quarter hours after the last arrivals, so every deadline falls inside the forecast.
          const intervals = quarters([...contacts, ...Array<number>(30).fill(0)]);

          // Act
          const steps = backlogPositions(intervals, replySeconds);

          // Assess
          expect(
            missedDeadlines(
              intervals,
              steps.map((s) => s.positions),
              replySeconds,
            ),
          ).toEqual([]);
        },
      ),
    );
  });
});
