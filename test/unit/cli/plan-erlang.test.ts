import { describe, expect, it } from 'vitest';
import { runPeakline, WORKED_EXAMPLE_QUEUE } from '#test/support/cli.js';

const planErlang = (...args: string[]) => runPeakline(['plan', 'erlang', ...args]);

// The worked example's targets: 80% within 20 s, 85% occupancy cap, 30% shrinkage.
const WORKED_EXAMPLE = [
  ...WORKED_EXAMPLE_QUEUE,
  '--target-sl',
  '0.8',
  '--target-seconds',
  '20',
  '--max-occupancy',
  '0.85',
  '--shrinkage',
  '0.3',
];

describe('peakline plan erlang', () => {
  it('finds the fewest agents and grosses them up for shrinkage (JSON)', async () => {
    // Act
    const run = await planErlang(...WORKED_EXAMPLE, '--json');

    // Assess: 14 on the phones, 20 scheduled (14 / 0.7, not 21 from floating-point dust).
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.out) as Record<string, unknown>;
    expect(json).toMatchObject({ model: 'erlang-c', agents: 14, scheduled: 20, meetsTarget: true });
    expect(json.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(json.waitProbability).toBeCloseTo(0.1741, 4);
    expect(json.asa).toBeCloseTo(7.84, 2);
    expect(json.occupancy).toBeCloseTo(0.714, 3);
    expect(json).not.toHaveProperty('abandonment');
  });

  it('prints a readable table without --json', async () => {
    // Act
    const run = await planErlang(...WORKED_EXAMPLE);

    // Assess
    expect(run.exitCode).toBe(0);
    expect(run.out).toContain('Erlang C: 100 calls in 1800 s, AHT 180 s = 10 Erlangs');
    expect(run.out).toMatch(/agents needed\s+│ 14 \(13\.\d\d as a fractional position\)/);
    expect(run.out).toMatch(/scheduled \(30% shrinkage\)\s+│ 20/);
    expect(run.out).toMatch(/service level \(within 20 s\)\s+│ 88\.84% \(target 80%\)/);
    expect(run.out).toMatch(/ASA \(answered calls\)\s+│ 7\.84 s/);
  });

  it('uses Erlang A with --patience and reports abandonment', async () => {
    // Act
    const run = await planErlang(...WORKED_EXAMPLE, '--patience', '60', '--json');

    // Assess: callers who hang up shorten the queue, so fewer agents meet the same target.
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.out) as Record<string, number | string>;
    expect(json.model).toBe('erlang-a');
    expect(json.agents).toBeLessThan(14);
    expect(json.serviceLevel).toBeGreaterThanOrEqual(0.8);
    expect(json.abandonment).toBeGreaterThan(0);
    expect(json.abandonment).toBeLessThan(0.2);
  });

  it('gives the figures of the agents given with --agents', async () => {
    // Act
    const run = await planErlang(...WORKED_EXAMPLE, '--agents', '15', '--json');

    // Assess
    expect(run.exitCode).toBe(0);
    const json = JSON.parse(run.out) as Record<string, unknown>;
    expect(json).toMatchObject({ agents: 15, scheduled: 22, occupancy: 10 / 15, meetsTarget: true });
    expect(json).not.toHaveProperty('fractionalAgents');
    expect(json.serviceLevel).toBeGreaterThan(0.8884);
  });

  it('says when the given agents miss the target or exceed the occupancy cap, and exits 1', async () => {
    // Act: 12 agents on 10 Erlangs are 83% busy and answer 64% within 20 s.
    const run = await planErlang(...WORKED_EXAMPLE.slice(0, 10), '--max-occupancy', '0.8', '--agents', '12');

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.out).toMatch(/service level \(within 20 s\)\s+│ 64\.02%/);
    expect(run.err).toContain(
      '12 agents miss the service level target: 64.0% answered within 20 s, 80% wanted.',
    );
    expect(run.err).toContain(
      '12 agents are busier than the occupancy cap: 83.3% busy, at most 80% allowed.',
    );
  });

  it('refuses agents that cannot carry the traffic under Erlang C, in words', async () => {
    // Act: 400 calls of 90 s in half an hour are 20 Erlangs.
    const run = await planErlang(
      '--calls',
      '400',
      '--interval-seconds',
      '1800',
      '--aht',
      '90',
      '--target-seconds',
      '20',
      '--agents',
      '14',
      '--json',
    );

    // Assess: no figures at all, rather than a NaN or a negative wait.
    expect(run.exitCode).toBe(1);
    expect(run.out).toBe('');
    expect(run.err).toContain('14 agents cannot carry 20 Erlangs: the queue grows without end');
  });

  it('says a 100% service level is never reached', async () => {
    // Act
    const run = await planErlang(...WORKED_EXAMPLE_QUEUE, '--target-sl', '1', '--target-seconds', '20');

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(/A service level of 100% is never reached/);
  });

  it('asks for a target when neither --target-sl nor --agents is given', async () => {
    // Act
    const run = await planErlang(...WORKED_EXAMPLE_QUEUE, '--target-seconds', '20');

    // Assess
    expect(run.exitCode).toBe(1);
    expect(run.err).toMatch(/Give --target-sl/);
  });

  const badArguments = [
    { option: '--calls', value: '-3', message: 'expected a number above 0' },
    { option: '--aht', value: 'abc', message: 'expected a number' },
    { option: '--target-sl', value: '1.2', message: 'at most 1' },
    { option: '--shrinkage', value: '1', message: 'below 1' },
    { option: '--max-occupancy', value: '0', message: 'above 0' },
    { option: '--agents', value: '12.5', message: 'expected a whole number of agents' },
    { option: '--patience', value: '0', message: 'expected a number above 0' },
  ];
  for (const bad of badArguments) {
    it(`refuses ${bad.option} ${bad.value} with a clear message`, async () => {
      // Act
      const run = await planErlang(...WORKED_EXAMPLE, bad.option, bad.value);

      // Assess
      expect(run.exitCode).toBe(1);
      expect(run.err).toContain(`'${bad.option}`);
      expect(run.err).toContain(bad.message);
      expect(run.out).toBe('');
    });
  }
});
