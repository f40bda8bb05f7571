/**
 * Runs the local stack's scheduled parts (sweepers, the overflow controller, the simulator, the demo)
 * on the virtual clock, the way EventBridge Scheduler runs them on AWS: each job at its virtual
 * interval, never two runs of one job at once (a slow run delays the next, as a Lambda with reserved
 * concurrency 1 would), and a failing run is reported and retried at the next interval.
 */
export interface Job {
  readonly name: string;
  /** Virtual milliseconds between runs. */
  readonly everyMs: number;
  readonly run: (nowMs: number) => Promise<void> | void;
}

interface JobState {
  readonly job: Job;
  nextAt: number;
  running: boolean;
  runs: number;
  failures: number;
  lastError?: string;
}

export interface SchedulerOptions {
  readonly nowMs: () => number;
  /** Reports a failed run. */
  readonly onError: (job: string, error: unknown) => void;
  /** Real milliseconds between checks. @default 25 */
  readonly tickMs?: number;
}

export class Scheduler {
  private readonly jobs: JobState[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: SchedulerOptions) {}

  /** Adds a job; its first run is due at once. */
  add(job: Job): void {
    if (!(job.everyMs > 0)) throw new Error(`job ${job.name}: everyMs must be positive`);
    this.jobs.push({ job, nextAt: this.options.nowMs(), running: false, runs: 0, failures: 0 });
  }

  start(): void {
    this.timer ??= setInterval(() => this.runDue(), this.options.tickMs ?? 25);
  }

  /** Starts every job that is due and not already running; resolves when those runs end. */
  async runDue(): Promise<void> {
    const now = this.options.nowMs();
    const started: Promise<void>[] = [];
    for (const state of this.jobs) {
      if (state.running || state.nextAt > now) continue;
      state.running = true;
      // The next run is due one interval after this one was due, not after it ends, so a job keeps its
      // rhythm in virtual time; if virtual time raced ahead (high speed), missed runs are skipped.
      state.nextAt = Math.max(state.nextAt + state.job.everyMs, now);
      const run = (async () => {
        try {
          await state.job.run(now);
          state.runs += 1;
        } catch (error) {
          state.failures += 1;
          state.lastError = error instanceof Error ? error.message : String(error);
          this.options.onError(state.job.name, error);
        } finally {
          state.running = false;
        }
      })();
      this.inFlight.add(run);
      void run.finally(() => this.inFlight.delete(run));
      started.push(run);
    }
    await Promise.all(started);
  }

  status(): { name: string; everyMs: number; runs: number; failures: number; lastError?: string }[] {
    return this.jobs.map((s) => ({
      name: s.job.name,
      everyMs: s.job.everyMs,
      runs: s.runs,
      failures: s.failures,
      ...(s.lastError ? { lastError: s.lastError } : {}),
    }));
  }

  /** Stops scheduling and waits for the runs under way. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await Promise.all([...this.inFlight]);
  }
}
