import { describe, expect, it } from 'vitest';
import { Scheduler } from '#local/runtime/scheduler.js';
import { VirtualClock } from '#local/runtime/virtual-clock.js';

describe('virtual clock', () => {
  it('runs --speed times faster than real time from --start-time', () => {
    let real = 1_000;
    const clock = new VirtualClock({
      startTime: new Date('2026-11-27T16:00:00Z'),
      speed: 60,
      realNow: () => real,
    });
    real += 1_000;
    expect(clock.now().toISOString()).toBe('2026-11-27T16:01:00.000Z');
    expect(clock.realDelayUntil(Date.parse('2026-11-27T17:01:00Z'))).toBe(60_000);
  });

  it('refuses a speed that is not positive', () => {
    expect(() => new VirtualClock({ startTime: new Date(), speed: 0 })).toThrow(/speed/);
  });
});

describe('scheduler', () => {
  it('runs each job once per virtual interval and never two runs of a job at once', async () => {
    // Prepare
    let now = 0;
    const runs: number[] = [];
    let release: () => void = () => {};
    const scheduler = new Scheduler({ nowMs: () => now, onError: () => {} });
    scheduler.add({
      name: 'sweeper',
      everyMs: 60_000,
      run: (at) =>
        new Promise<void>((resolve) => {
          runs.push(at);
          release = resolve;
        }),
    });

    // Act
    const first = scheduler.runDue();
    now = 120_000;
    const whileRunning = scheduler.runDue();
    release();
    await Promise.all([first, whileRunning]);
    const afterwards = scheduler.runDue();
    release();
    await afterwards;

    // Assess
    expect(runs).toEqual([0, 120_000]);
  });

  it('reports a failing run and tries again at the next interval', async () => {
    // Prepare
    let now = 0;
    const errors: string[] = [];
    let attempts = 0;
    const scheduler = new Scheduler({
      nowMs: () => now,
      onError: (job, e) => errors.push(`${job}: ${(e as Error).message}`),
    });
    scheduler.add({
      name: 'controller',
      everyMs: 15_000,
      run: () => {
        attempts += 1;
        if (attempts === 1) throw new Error('ThrottlingException');
      },
    });

    // Act
    await scheduler.runDue();
    now = 15_000;
    await scheduler.runDue();

    // Assess
    expect(errors).toEqual(['controller: ThrottlingException']);
    expect(scheduler.status()[0]).toMatchObject({ runs: 1, failures: 1 });
  });
});
