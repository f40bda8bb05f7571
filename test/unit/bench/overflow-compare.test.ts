import { describe, expect, it } from 'vitest';
import {
  type DemandComparison,
  goalFindings,
  OVERFLOW_COMPARE_HEADING,
  type OverflowCompareRun,
  overflowCompareSection,
  policyTable,
  queueTable,
  replaceSection,
  sectionOf,
} from '../../../bench/overflow-compare.js';
import type { PolicyFigures } from '#simulator/peak/summary.js';
import type { Estimate } from '#simulator/statistics.js';

const e = (mean: number, low?: number, high?: number): Estimate =>
  low === undefined || high === undefined ? { mean } : { mean, ci95: [low, high] };

/** One policy's figures as `simulate --compare --json` prints them; the queues' figures from the totals. */
const policy = (
  name: PolicyFigures['policy'],
  figures: {
    serviceLevel: Estimate;
    abandonment: Estimate;
    secondLine?: { serviceLevel: Estimate; abandonment: Estimate };
    primaryAbandonment?: Estimate;
    callbacksReturned?: Estimate | null;
    stateChanges?: number;
  },
): PolicyFigures => ({
  policy: name,
  serviceLevel: figures.serviceLevel,
  abandonment: figures.abandonment,
  asa: e(11.46, 8.2, 14.7),
  longestWaitSeconds: e(103.5, 80, 127),
  callers: e(14_053),
  deflected: e(0.0512, 0.04, 0.06),
  callbacksReturned: figures.callbacksReturned === undefined ? null : figures.callbacksReturned,
  stateChanges: e(figures.stateChanges ?? 0),
  queues: {
    primary: {
      serviceLevel: figures.serviceLevel,
      abandonment: figures.primaryAbandonment ?? figures.abandonment,
      asa: e(11.46),
      longestWaitSeconds: e(103.5),
    },
    ...(figures.secondLine === undefined
      ? {}
      : {
          secondLine: {
            ...figures.secondLine,
            asa: e(4),
            longestWaitSeconds: e(40),
          },
        }),
  },
});

/** peakline ahead of both alternatives at x1.5, its second line losing fewer callers than the primary queue. */
const X15: DemandComparison = {
  scenario: 1.5,
  comparison: {
    policies: [
      policy('none', { serviceLevel: e(0.7031, 0.6512, 0.755), abandonment: e(0.0687, 0.05, 0.0874) }),
      policy('connect-delay', { serviceLevel: e(0.7073, 0.66, 0.7546), abandonment: e(0.0662, 0.05, 0.08) }),
      policy('peakline', {
        serviceLevel: e(0.8123, 0.79, 0.83),
        abandonment: e(0.0401, 0.035, 0.045),
        secondLine: { serviceLevel: e(0.9), abandonment: e(0.02) },
        primaryAbandonment: e(0.045),
        callbacksReturned: e(0.975, 0.95, 1),
        stateChanges: 2.8,
      }),
    ],
  },
};

const run = (demands: readonly DemandComparison[]): OverflowCompareRun => ({
  forecastCommand: 'peakline forecast --history examples/last-season.csv --growth 1.4 --year 2027',
  simulateCommand: 'peakline simulate --forecast forecast.csv --scenario <x> --compare --json',
  day: '2027-11-29',
  agents: { voice: 120, 'chat-2': 77, 'chat-4': 0, 'second-line': 5 },
  replications: 5,
  seed: 7,
  stage: 'dev',
  targetSeconds: 20,
  node: 'v20.20.2',
  startedAt: new Date('2026-12-07T09:30:00Z'),
  wallSeconds: 75.4,
  demands,
});

const REPORT = [
  '# Benchmark results',
  '',
  'Written by `npm run bench`.',
  '',
  '## Overflow router decision time',
  '',
  'router figures',
  '',
  OVERFLOW_COMPARE_HEADING,
  '',
  'last run: x1 only',
  '',
  '## Proof: load under faults',
  '',
  'proof figures',
  '',
].join('\n');

describe('bench:overflow, the policies compared in bench/results.md', () => {
  it('replaces its section in place and leaves the sections before and after it as they were', () => {
    // Prepare
    const section = overflowCompareSection(run([X15])).join('\n');

    // Act
    const md = replaceSection(REPORT, OVERFLOW_COMPARE_HEADING, section);

    // Assess
    expect(md).not.toContain('last run: x1 only');
    expect(md.slice(0, md.indexOf(OVERFLOW_COMPARE_HEADING))).toBe(
      REPORT.slice(0, REPORT.indexOf(OVERFLOW_COMPARE_HEADING)),
    );
    expect(md.slice(md.indexOf('## Proof'))).toBe(REPORT.slice(REPORT.indexOf('## Proof')));
    expect(sectionOf(md, OVERFLOW_COMPARE_HEADING)).toBe(section.trimEnd());
  });

  it('adds its section at the end of a report that has none, and a second run changes nothing more', () => {
    // Prepare
    const before = REPORT.replace(`${OVERFLOW_COMPARE_HEADING}\n\nlast run: x1 only\n\n`, '');
    const section = overflowCompareSection(run([X15])).join('\n');

    // Act
    const once = replaceSection(before, OVERFLOW_COMPARE_HEADING, section);
    const twice = replaceSection(once, OVERFLOW_COMPARE_HEADING, section);

    // Assess
    expect(once.startsWith(`${before.trimEnd()}\n\n${OVERFLOW_COMPARE_HEADING}\n`)).toBe(true);
    expect(twice).toBe(once);
  });

  it('does not take the heading named inside a paragraph for the section', () => {
    // Prepare
    const md = `# Benchmark results\n\nSee "${OVERFLOW_COMPARE_HEADING}" below.\n`;

    // Act
    const replaced = replaceSection(md, OVERFLOW_COMPARE_HEADING, `${OVERFLOW_COMPARE_HEADING}\n\nnew`);

    // Assess
    expect(replaced).toBe(`${md.trimEnd()}\n\n${OVERFLOW_COMPARE_HEADING}\n\nnew\n`);
  });

  it('gives a row per demand and policy: shares in percent with their 95% interval, seconds rounded', () => {
    // Act
    const rows = policyTable([X15]);

    // Assess
    expect(rows.slice(0, 2)).toEqual([
      '| demand | policy | service level | abandoned | ASA | longest wait | deflected | callbacks returned | state changes |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ]);
    expect(rows.slice(2)).toEqual([
      '| x1.5 | none | 70.3% [65.1%, 75.5%] | 6.9% [5.0%, 8.7%] | 11 s | 104 s | 5.1% | – | 0 |',
      '| x1.5 | connect-delay | 70.7% [66.0%, 75.5%] | 6.6% [5.0%, 8.0%] | 11 s | 104 s | 5.1% | – | 0 |',
      '| x1.5 | peakline | 81.2% [79.0%, 83.0%] | 4.0% [3.5%, 4.5%] | 11 s | 104 s | 5.1% | 97.5% | 2.8 |',
    ]);
  });

  it('leaves out an interval that shows nothing, and marks a queue nobody was sent to', () => {
    // Prepare
    const x1: DemandComparison = {
      scenario: 1,
      comparison: {
        policies: [policy('none', { serviceLevel: e(1, 1, 1), abandonment: e(0, 0, 0.00001) })],
      },
    };

    // Act
    const [row] = policyTable([x1]).slice(2);
    const [queues] = queueTable([x1]).slice(2);

    // Assess
    expect(row).toBe('| x1 | none | 100.0% | 0.0% | 11 s | 104 s | 5.1% | – | 0 |');
    expect(queues).toBe('| x1 | none | 100.0% | 0.0% | – | – |');
  });

  it("shows each queue's service level and abandonment per demand and policy", () => {
    // Act
    const rows = queueTable([X15]);

    // Assess
    expect(rows[0]).toBe(
      '| demand | policy | primary service level | primary abandoned | second line service level | second line abandoned |',
    );
    expect(rows[4]).toBe('| x1.5 | peakline | 81.2% | 4.5% | 90.0% | 2.0% |');
  });

  it('says the goal held when peakline is ahead above the forecast and no queue loses more than the primary', () => {
    // Act
    const findings = goalFindings([X15]);

    // Assess
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatch(/^peakline beats both alternatives/);
  });

  it('names each shortfall: behind an alternative at x3, worse at x1, a second line losing more than the primary', () => {
    // Prepare
    const x3: DemandComparison = {
      scenario: 3,
      comparison: {
        policies: [
          policy('none', { serviceLevel: e(0.119), abandonment: e(0.419) }),
          policy('connect-delay', { serviceLevel: e(0.119), abandonment: e(0.406, 0.39, 0.42) }),
          policy('peakline', {
            serviceLevel: e(0.215),
            abandonment: e(0.619, 0.6, 0.64),
            secondLine: { serviceLevel: e(0.05), abandonment: e(0.92) },
            primaryAbandonment: e(0.3),
          }),
        ],
      },
    };
    const x1: DemandComparison = {
      scenario: 1,
      comparison: {
        policies: [
          policy('none', { serviceLevel: e(0.998, 0.99, 1), abandonment: e(0) }),
          policy('peakline', { serviceLevel: e(0.997, 0.99, 1), abandonment: e(0) }),
        ],
      },
    };

    // Act
    const findings = goalFindings([x1, x3]);

    // Assess
    expect(findings).toEqual([
      'At x1 peakline is worse than none on service level: 99.7% against 99.8% (the 95% intervals overlap).',
      'At x3 peakline does not beat none on abandonment: 61.9% against 41.9%.',
      'At x3 peakline does not beat connect-delay on abandonment: 61.9% against 40.6%.',
      "At x3 under peakline the second line queue loses 92.0% of its calls, more than the primary queue's 30.0%.",
    ]);
  });

  it('says what was run: the command to rerun, the day, the seats, replications, seed, Node and the date of the run', () => {
    // Act
    const [heading, , paragraph] = overflowCompareSection(run([X15]));

    // Assess
    expect(heading).toBe(OVERFLOW_COMPARE_HEADING);
    expect(paragraph).toContain('`npm run bench:overflow` on 2026-12-07');
    expect(paragraph).toContain('Node v20.20.2');
    expect(paragraph).toContain('Monday 2027-11-29');
    expect(paragraph).toContain('voice 120, chat-2 77, second-line 5');
    expect(paragraph).toContain('5 replications, seed 7');
    expect(paragraph).toContain('--scenario <x>');
  });
});
