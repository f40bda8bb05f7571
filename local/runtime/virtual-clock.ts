import type { Clock } from '#core/ports.js';

export interface VirtualClockOptions {
  /** Virtual time at the moment the clock is created. */
  readonly startTime: Date;
  /** Virtual milliseconds per real millisecond: 60 plays an hour in a minute. */
  readonly speed: number;
  /** Real time source, replaceable in tests. @default performance.now */
  readonly realNow?: () => number;
}

/**
 * The local stack's time: starts at `--start-time` and runs `--speed` times faster than the wall clock,
 * so a Black Friday evening plays in minutes. Everything that asks for "now" in the local stack (the
 * handlers through the Clock port, the simulator, the sweepers) asks this clock.
 */
export class VirtualClock implements Clock {
  readonly speed: number;
  private readonly startMs: number;
  private readonly realStart: number;
  private readonly realNow: () => number;

  constructor(options: VirtualClockOptions) {
    if (!(options.speed > 0) || !Number.isFinite(options.speed)) {
      throw new Error(`speed must be a positive number, got ${options.speed}`);
    }
    this.speed = options.speed;
    this.startMs = options.startTime.getTime();
    this.realNow = options.realNow ?? (() => performance.now());
    this.realStart = this.realNow();
  }

  nowMs(): number {
    return this.startMs + (this.realNow() - this.realStart) * this.speed;
  }

  now(): Date {
    return new Date(this.nowMs());
  }

  /** Real milliseconds until the virtual clock reaches `virtualMs` (0 if it already has). */
  realDelayUntil(virtualMs: number): number {
    return Math.max(0, (virtualMs - this.nowMs()) / this.speed);
  }
}
