/**
 * Issue 13's yardstick in the bench report: `peakline simulate --compare` on the bundled peak day at x1,
 * x1.5 and x3, as the section "Overflow policies compared" of bench/results.md and `bench.overflowPolicies`
 * in bench/results.json. Pure: `npm run bench:overflow` (overflow-compare-run.ts) runs the CLI and writes
 * the files; everything a reader sees is made here, so a test can check it from a given comparison.
 */
import { DateTime } from 'luxon';
import { num, POLICY_FIGURES_HEAD, pct, secs } from '#cli/simulate/format.js';
import type { PolicyComparison } from '#simulator/peak/summary.js';
import type { Estimate } from '#simulator/statistics.js';

export const OVERFLOW_COMPARE_HEADING = '## Overflow policies compared';

/** The demands compared: the forecast, and the x1.5 and x3 the plan keeps a reserve for. */
export const DEMANDS = [1, 1.5, 3] as const;

/** One demand's `simulate --compare --json`. */
export interface DemandComparison {
  readonly scenario: number;
  readonly comparison: PolicyComparison;
}

/** What was run, for the section's paragraph and the JSON. */
export interface OverflowCompareRun {
  /** The forecast command of the README's walk-through. */
  readonly forecastCommand: string;
  /** The simulate command, `<x>` where the demand goes. */
  readonly simulateCommand: string;
  /** The simulated local date: the forecast's busiest day. */
  readonly day: string;
  /** Agents logged in over the opening hours per seat type (the seats less shrinkage), as simulate says. */
  readonly agents: Readonly<Record<string, number>>;
  readonly replications: number;
  readonly seed: number;
  readonly stage: string;
  /** Calls answered within this count as in time (simulate's `--target-seconds`). */
  readonly targetSeconds: number;
  readonly node: string;
  /** When the run started, from its own clock. */
  readonly startedAt: Date;
  readonly wallSeconds: number;
  readonly demands: readonly DemandComparison[];
}

const QUEUES = [
  { id: 'primary', label: 'primary' },
  { id: 'secondLine', label: 'second line' },
] as const;

const QUEUE_NAMES: Readonly<Record<string, string>> = {
  primary: 'primary',
  secondLine: 'second line',
  callback: 'queued callbacks',
};

const demandLabel = (scenario: number) => `x${scenario}`;

/** A mean, or `–` for a figure nobody had (no callback asked for). */
const mean = (value: Estimate | null, format: (n: number) => string): string =>
  value === null ? '–' : format(value.mean);

/** `71.3% [70.1%, 72.4%]`: the mean and its 95% interval, the interval left out when it shows nothing. */
export const withInterval = (value: Estimate | null, format: (n: number) => string): string => {
  if (value === null) return '–';
  const shown = format(value.mean);
  if (value.ci95 === undefined) return shown;
  const [low, high] = value.ci95.map(format);
  return low === shown && high === shown ? shown : `${shown} [${low}, ${high}]`;
};

const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
const ruler = (columns: number) => row(Array.from({ length: columns }, () => '---'));

export const POLICY_HEAD = ['demand', 'policy', ...POLICY_FIGURES_HEAD] as const;

/** The calls per demand and policy: a markdown table, head first. */
export const policyTable = (demands: readonly DemandComparison[]): string[] => [
  row(POLICY_HEAD),
  ruler(POLICY_HEAD.length),
  ...demands.flatMap(({ scenario, comparison }) =>
    comparison.policies.map((p) =>
      row([
        demandLabel(scenario),
        p.policy,
        withInterval(p.serviceLevel, pct),
        withInterval(p.abandonment, pct),
        mean(p.asa, secs),
        mean(p.longestWaitSeconds, secs),
        mean(p.deflected, pct),
        mean(p.callbacksReturned, pct),
        mean(p.stateChanges, num),
      ]),
    ),
  ),
];

export const QUEUE_HEAD = [
  'demand',
  'policy',
  ...QUEUES.flatMap((q) => [`${q.label} service level`, `${q.label} abandoned`]),
] as const;

/** Each voice queue's service level and abandonment (means) per demand and policy. */
export const queueTable = (demands: readonly DemandComparison[]): string[] => [
  row(QUEUE_HEAD),
  ruler(QUEUE_HEAD.length),
  ...demands.flatMap(({ scenario, comparison }) =>
    comparison.policies.map((p) =>
      row([
        demandLabel(scenario),
        p.policy,
        ...QUEUES.flatMap((q) => {
          const figures = p.queues[q.id];
          return [mean(figures?.serviceLevel ?? null, pct), mean(figures?.abandonment ?? null, pct)];
        }),
      ]),
    ),
  ),
];

/** Whether two estimates' 95% intervals overlap: a difference inside them may be the seeds' luck. */
const overlap = (a: Estimate, b: Estimate): boolean => {
  const [aLow, aHigh] = a.ci95 ?? [a.mean, a.mean];
  const [bLow, bHigh] = b.ci95 ?? [b.mean, b.mean];
  return aLow <= bHigh && bLow <= aHigh;
};

const DEPLOYED = 'peakline';

/**
 * The figures against issue 13's goal, by the means: peakline beats both alternatives on abandonment and
 * service level above the forecast, is no worse at it, and no queue loses more of its callers than the
 * primary queue. One sentence per shortfall, or one saying the goal held.
 */
export const goalFindings = (demands: readonly DemandComparison[]): string[] => {
  const findings: string[] = [];
  for (const { scenario, comparison } of demands) {
    const deployed = comparison.policies.find((p) => p.policy === DEPLOYED);
    if (deployed === undefined) continue;
    const above = scenario > 1;
    for (const other of comparison.policies.filter((p) => p.policy !== DEPLOYED)) {
      const checks: {
        name: string;
        ours: Estimate | null;
        theirs: Estimate | null;
        better: (a: number, b: number) => boolean;
      }[] = [
        {
          name: 'service level',
          ours: deployed.serviceLevel,
          theirs: other.serviceLevel,
          better: (a, b) => a > b,
        },
        {
          name: 'abandonment',
          ours: deployed.abandonment,
          theirs: other.abandonment,
          better: (a, b) => a < b,
        },
      ];
      for (const { name, ours, theirs, better } of checks) {
        if (ours === null || theirs === null) continue;
        const short = above ? !better(ours.mean, theirs.mean) : better(theirs.mean, ours.mean);
        if (!short) continue;
        findings.push(
          `At ${demandLabel(scenario)} ${DEPLOYED} ${above ? 'does not beat' : 'is worse than'} ${other.policy} on ${name}: ${pct(ours.mean)} against ${pct(theirs.mean)}${overlap(ours, theirs) ? ' (the 95% intervals overlap)' : ''}.`,
        );
      }
    }
    for (const policy of comparison.policies) {
      const primary = policy.queues.primary?.abandonment;
      if (primary === null || primary === undefined) continue;
      for (const [queue, figures] of Object.entries(policy.queues)) {
        if (queue === 'primary' || figures.abandonment === null) continue;
        if (figures.abandonment.mean <= primary.mean) continue;
        findings.push(
          `At ${demandLabel(scenario)} under ${policy.policy} the ${QUEUE_NAMES[queue] ?? queue} queue loses ${pct(figures.abandonment.mean)} of its calls, more than the primary queue's ${pct(primary.mean)}.`,
        );
      }
    }
  }
  return findings.length > 0
    ? findings
    : [
        `${DEPLOYED} beats both alternatives on abandonment and service level above the forecast, is no worse at it, and no queue loses more of its calls than the primary queue.`,
      ];
};

const agentsText = (agents: Readonly<Record<string, number>>): string =>
  Object.entries(agents)
    .filter(([, n]) => n > 0)
    .map(([type, n]) => `${type} ${n}`)
    .join(', ');

/** The section of bench/results.md: what was run, the calls per policy, each queue, the goal. */
export const overflowCompareSection = (run: OverflowCompareRun): string[] => {
  const date = run.startedAt.toISOString().slice(0, 10);
  const weekday = DateTime.fromISO(run.day).setLocale('en').toFormat('cccc');
  const demands = run.demands.map((d) => demandLabel(d.scenario)).join(', ');
  return [
    OVERFLOW_COMPARE_HEADING,
    '',
    `Written by \`npm run bench:overflow\` on ${date} (Node ${run.node}, stage ${run.stage}; the run took ${Math.round(run.wallSeconds)} s). It makes the forecast of the README's walk-through (\`${run.forecastCommand}\`) and replays its busiest day, ${weekday} ${run.day}, with the permanent and the seasonal seats (agents logged in after shrinkage: ${agentsText(run.agents)}) at ${demands} the forecast: \`${run.simulateCommand}\`, which runs the three routing policies on the same seeds (${run.replications} replications, seed ${run.seed}). Calls only. Abandoned: callers who hung up while waiting, of all callers (those who took a queued callback or the SMS did not hang up); service level (answered within ${run.targetSeconds} s), ASA and longest wait: the callers who queued on the line (primary queue and second line); deflected: took a queued callback or the SMS instead of waiting; callbacks returned: of those callbacks, answered the same day; state changes: the primary queue's, over the day. Means over the replications, with their 95% interval in brackets.`,
    '',
    ...policyTable(run.demands),
    '',
    'Each queue (abandoned: hung up, of the calls that queued there), means:',
    '',
    ...queueTable(run.demands),
    '',
    'Against the goal of issue 13, by the means:',
    '',
    ...goalFindings(run.demands).map((f) => `- ${f}`),
    '',
  ];
};

/** Where the line `heading` starts in `md`, or -1: a heading's text inside a paragraph does not count. */
const headingAt = (md: string, heading: string): number => {
  if (md.startsWith(`${heading}\n`)) return 0;
  const at = md.indexOf(`\n${heading}\n`);
  return at < 0 ? -1 : at + 1;
};

/** Where the section starting at `start` ends: the next `## ` heading, or the end. */
const sectionEnd = (md: string, start: number): number => {
  const next = md.indexOf('\n## ', start + 1);
  return next < 0 ? md.length : next + 1;
};

/**
 * `md` with the section under `heading` replaced by `section` (up to the next `## ` heading), the other
 * sections as they were; appended at the end when the report has none yet.
 */
export const replaceSection = (md: string, heading: string, section: string): string => {
  const body = `${section.trimEnd()}\n`;
  const start = headingAt(md, heading);
  if (start < 0) return `${md.trimEnd()}\n\n${body}`;
  const end = sectionEnd(md, start);
  return `${md.slice(0, start)}${body}${end < md.length ? `\n${md.slice(end)}` : ''}`;
};

/** The section under `heading` in `md` (to the next `## ` heading), or undefined: for a writer that keeps it. */
export const sectionOf = (md: string, heading: string): string | undefined => {
  const start = headingAt(md, heading);
  return start < 0 ? undefined : md.slice(start, sectionEnd(md, start)).trimEnd();
};

/** bench/results.json's document with `bench.overflowPolicies` set to this run, the rest as it was. */
export const withOverflowCompareJson = (
  json: Readonly<Record<string, unknown>>,
  run: OverflowCompareRun,
): Record<string, unknown> => ({
  ...json,
  bench: {
    ...((json.bench ?? {}) as Record<string, unknown>),
    overflowPolicies: {
      writtenAt: run.startedAt.toISOString(),
      forecastCommand: run.forecastCommand,
      simulateCommand: run.simulateCommand,
      day: run.day,
      agents: run.agents,
      replications: run.replications,
      seed: run.seed,
      stage: run.stage,
      targetSeconds: run.targetSeconds,
      node: run.node,
      wallSeconds: Number(run.wallSeconds.toFixed(1)),
      demands: run.demands.map((d) => ({
        scenario: d.scenario,
        policies: d.comparison.policies,
      })),
    },
  },
});
