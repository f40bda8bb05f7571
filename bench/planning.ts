/**
 * The planning budgets (DESIGN.md, "Budgets"; `npm run bench:planning` runs only these):
 * - a 100,000-contact, 300-agent peak day through `peakline simulate`'s engine (controller, router,
 *   deflection menu and SMS on the virtual clock) in under 0.5 s;
 * - 30 replications of that day in under 10 s, over worker threads on every core;
 * - `plan` over a 90-day forecast at 15-minute intervals in under 1 s.
 * Figures, not pass/fail: each is printed beside its budget.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { planFromForecast } from '#core/planning/plan.js';
import type { ForecastInterval, PlanningChannel } from '#core/planning/types.js';
import { loadConfig } from '#infra/config/load.js';
import type { SeatType } from '#infra/constructs/connect/seat-types.js';
import { peakInput } from '#simulator/peak/input.js';
import { runPeak } from '#simulator/peak/run.js';
import { replicate } from '#simulator/replicate.js';

export const DAY_BUDGET_MS = 500;
export const REPLICATIONS_BUDGET_MS = 10_000;
export const PLAN_BUDGET_MS = 1_000;

/** Channel shares and AHTs of the synthetic day: a shop's peak, calls first. */
const MIX: readonly { channel: PlanningChannel; share: number; aht: number }[] = [
  { channel: 'voice', share: 0.6, aht: 240 },
  { channel: 'chat', share: 0.3, aht: 420 },
  { channel: 'email', share: 0.07, aht: 300 },
  { channel: 'task', share: 0.03, aht: 300 },
];

/**
 * One day of 15-minute intervals over the default opening hours (08:00-20:00, Europe/Warsaw), `contacts`
 * expected in all, peaking in the early afternoon.
 */
export const syntheticDay = (date: string, contacts: number): ForecastInterval[] => {
  const shape = (hour: number) => Math.exp(-((hour - 14) ** 2) / 18);
  const quarters = Array.from({ length: 48 }, (_, q) => 8 + q / 4);
  const total = quarters.reduce((sum, h) => sum + shape(h), 0);
  return quarters.flatMap((hour) => {
    const hh = String(Math.floor(hour)).padStart(2, '0');
    const mm = String(Math.round((hour % 1) * 60)).padStart(2, '0');
    const expected = (contacts * shape(hour)) / total;
    return MIX.map((m) => ({
      start: `${date}T${hh}:${mm}:00+01:00`,
      minutes: 15,
      channel: m.channel,
      contacts: expected * m.share,
      ahtSeconds: m.aht,
    }));
  });
};

/** 300 seats' worth of agents logged in (the seats file before 30% shrinkage: 429 seats). */
export const BENCH_SEATS: Readonly<Record<SeatType, number>> = {
  voice: 230,
  'chat-2': 60,
  'chat-4': 60,
  'chat-6': 19,
  light: 40,
  'second-line': 20,
};

export interface PeakDayFigures {
  readonly contacts: number;
  readonly agents: number;
  /** Median of the timed runs, ms. */
  readonly medianMs: number;
  /** The process's CPU time per run (all threads, the garbage collector's included), ms. */
  readonly cpuMs: number;
  readonly contactsPerSecond: number;
  /** The machine's 1-minute load average when measured: other work on the cores stretches wall time. */
  readonly loadAverage: number;
}

export interface ReplicationFigures {
  readonly replications: number;
  readonly workers: number;
  readonly wallMs: number;
  readonly contactsPerSecond: number;
}

export interface PlanFigures {
  readonly days: number;
  readonly rows: number;
  readonly medianMs: number;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
};

const benchInput = () => peakInput(syntheticDay('2027-11-26', 100_000), BENCH_SEATS, loadConfig('dev'));

export const measurePeakDay = async (runs = 5): Promise<PeakDayFigures> => {
  const input = benchInput();
  // The first run warms the JIT, as every later day of a season finds it.
  await runPeak(input, 1, 0);
  const times: number[] = [];
  let contacts = 0;
  let agents = 0;
  const cpu = process.cpuUsage();
  for (let run = 1; run <= runs; run += 1) {
    const started = performance.now();
    const result = await runPeak(input, 1, run);
    times.push(performance.now() - started);
    contacts = result.arrivals;
    agents = Object.values(result.agentsLoggedIn).reduce((sum, n) => sum + n, 0);
  }
  const used = process.cpuUsage(cpu);
  const medianMs = median(times);
  return {
    contacts,
    agents,
    medianMs,
    cpuMs: (used.user + used.system) / 1000 / runs,
    contactsPerSecond: contacts / (medianMs / 1000),
    loadAverage: loadavg()[0] ?? Number.NaN,
  };
};

export const measureReplications = async (replications = 30): Promise<ReplicationFigures> => {
  const input = benchInput();
  const workers = availableParallelism();
  const started = performance.now();
  const results = await replicate({ kind: 'peak', input }, { seed: 1, replications, workers });
  const wallMs = performance.now() - started;
  const contacts = results.reduce((sum, r) => sum + r.arrivals, 0);
  return { replications, workers, wallMs, contactsPerSecond: contacts / (wallMs / 1000) };
};

/** `plan` over a 90-day forecast, when the plan helper's core has landed; undefined until then. */
export const measurePlan = (runs = 5): PlanFigures => {
  const plan = planFromForecast;
  const start = Date.UTC(2027, 9, 1);
  const intervals: ForecastInterval[] = [];
  for (let day = 0; day < 90; day += 1) {
    const date = new Date(start + day * 86_400_000).toISOString().slice(0, 10);
    intervals.push(...syntheticDay(date, 10_000 + 200 * day));
  }
  plan(intervals);
  const times: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    plan(intervals);
    times.push(performance.now() - started);
  }
  return { days: 90, rows: intervals.length, medianMs: median(times) };
};

/** The bench report's section. */
export const planningSection = (
  day: PeakDayFigures,
  reps: ReplicationFigures,
  plan: PlanFigures,
): string[] => {
  const within = (ms: number, budget: number) => (ms <= budget ? 'within' : '**over**');
  const rate = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;
  return [
    PLANNING_HEADING,
    '',
    `\`peakline simulate\`'s engine on a synthetic peak day (${day.contacts.toLocaleString('en')} contacts: 60% calls, 30% chats, 7% e-mails, 3% tasks, 08:00-20:00; ${day.agents} agents logged in from the seats file), with the overflow controller sampling, the router answering every caller, the deflection menu and the SMS, on the virtual clock. One day: the median of 5 runs after one warm-up run, in one thread. Replications: the same day ${reps.replications} times over ${reps.workers} worker threads, wall time including the workers' start. The machine's load average was ${day.loadAverage.toFixed(1)} on ${availableParallelism()} cores when measured: other work stretches wall time.`,
    '',
    '| what | time | contacts a second | budget |',
    '| --- | --- | --- | --- |',
    `| one day, ${day.contacts.toLocaleString('en')} contacts, ${day.agents} agents | ${day.medianMs.toFixed(0)} ms (CPU ${day.cpuMs.toFixed(0)} ms) | ${rate(day.contactsPerSecond)} | ${DAY_BUDGET_MS} ms: ${within(day.medianMs, DAY_BUDGET_MS)} |`,
    `| ${reps.replications} replications, ${reps.workers} workers | ${(reps.wallMs / 1000).toFixed(2)} s | ${rate(reps.contactsPerSecond)} | ${REPLICATIONS_BUDGET_MS / 1000} s: ${within(reps.wallMs, REPLICATIONS_BUDGET_MS)} |`,
    `| \`plan\`, ${plan.days} days at 15 minutes (${plan.rows.toLocaleString('en')} interval rows) | ${plan.medianMs.toFixed(0)} ms | - | ${PLAN_BUDGET_MS / 1000} s: ${within(plan.medianMs, PLAN_BUDGET_MS)} |`,
    '',
  ];
};

const JSON_FILE = new URL('./results.json', import.meta.url);
const MD_FILE = new URL('./results.md', import.meta.url);
export const PLANNING_HEADING = '## Planning: simulate and plan';

export interface PlanningFigures {
  readonly day: PeakDayFigures;
  readonly replications: ReplicationFigures;
  readonly plan: PlanFigures;
}

export const measurePlanning = async (): Promise<PlanningFigures> => ({
  day: await measurePeakDay(),
  replications: await measureReplications(),
  plan: measurePlan(),
});

/** Merges the figures into bench/results.json under `bench.planning`. */
export const writePlanningJson = (figures: PlanningFigures): void => {
  const json = existsSync(JSON_FILE)
    ? (JSON.parse(readFileSync(JSON_FILE, 'utf8')) as Record<string, unknown>)
    : {};
  const round = (n: number) => Number(n.toFixed(1));
  json.bench = {
    ...((json.bench ?? {}) as Record<string, unknown>),
    planning: {
      writtenAt: new Date().toISOString(),
      peakDay: {
        ...figures.day,
        medianMs: round(figures.day.medianMs),
        cpuMs: round(figures.day.cpuMs),
        loadAverage: round(figures.day.loadAverage),
        contactsPerSecond: Math.round(figures.day.contactsPerSecond),
        budgetMs: DAY_BUDGET_MS,
      },
      replications: {
        ...figures.replications,
        wallMs: round(figures.replications.wallMs),
        contactsPerSecond: Math.round(figures.replications.contactsPerSecond),
        budgetMs: REPLICATIONS_BUDGET_MS,
      },
      plan: { ...figures.plan, medianMs: round(figures.plan.medianMs), budgetMs: PLAN_BUDGET_MS },
    },
  };
  writeFileSync(JSON_FILE, `${JSON.stringify(json, null, 2)}\n`);
};

/** Replaces the planning section of bench/results.md in place (the other sections untouched). */
export const replacePlanningSection = (figures: PlanningFigures): void => {
  const md = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : '# Benchmark results\n';
  const section = planningSection(figures.day, figures.replications, figures.plan).join('\n');
  const start = md.indexOf(PLANNING_HEADING);
  if (start < 0) {
    writeFileSync(MD_FILE, `${md.trimEnd()}\n\n${section}`);
    return;
  }
  const next = md.indexOf('\n## ', start + PLANNING_HEADING.length);
  writeFileSync(MD_FILE, `${md.slice(0, start)}${section}${next < 0 ? '' : `\n${md.slice(next + 1)}`}`);
};
