import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addSimulateCommand } from '#cli/simulate/command.js';
import { loadConfig } from '#infra/config/load.js';
import { forecastCsv } from '#core/planning/forecast-file.js';
import type { ForecastInterval } from '#core/planning/types.js';
import { launchChromium, openReport } from '#test/support/chromium.js';
import { runPeakline, WORKED_EXAMPLE_QUEUE } from '#test/support/cli.js';

const NOW = new Date('2027-11-20T12:00:00Z');

/** `peakline simulate <args>` with the clock at NOW, so that the HTML report's stamp is known. */
const run = (...args: string[]) =>
  runPeakline(['simulate', ...args], {
    program: (io) => {
      const program = new Command('peakline').exitOverride();
      addSimulateCommand(program, io, () => NOW);
      return program;
    },
  });

/** Two days: a quiet Thursday and a busier Friday, 10:00-12:00. */
const forecast = (): ForecastInterval[] =>
  ['2027-11-25', '2027-11-26'].flatMap((date, d) =>
    Array.from({ length: 8 }, (_, q) => {
      const start = `${date}T${String(10 + Math.floor(q / 4)).padStart(2, '0')}:${String((q % 4) * 15).padStart(2, '0')}:00+01:00`;
      return [
        { start, minutes: 15, channel: 'voice' as const, contacts: 30 + 30 * d, ahtSeconds: 180 },
        { start, minutes: 15, channel: 'chat' as const, contacts: 8, ahtSeconds: 300 },
      ];
    }).flat(),
  );

let dir = '';
let forecastFile = '';
let seatsFile = '';
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'peakline-simulate-'));
  forecastFile = join(dir, 'forecast.csv');
  seatsFile = join(dir, 'seats.csv');
  await writeFile(forecastFile, forecastCsv(forecast()));
  await writeFile(seatsFile, 'type,count\nvoice,18\nchat-2,4\nsecond-line,3\n');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('peakline simulate, constant rate', () => {
  it('prints each figure with its 95% interval, the same JSON for the same seed with or without workers', async () => {
    // Prepare
    const args = [...WORKED_EXAMPLE_QUEUE, '--agents', '14'];
    const common = [...args, '--hours', '2', '--replications', '4', '--seed', '3', '--json'];

    // Act
    const inThread = await run(...common, '--workers', '1');
    const inWorkers = await run(...common, '--workers', '2');

    // Assess
    expect(inThread.exitCode).toBe(0);
    expect(inWorkers.out).toBe(inThread.out);
    const json = JSON.parse(inThread.out) as Record<string, { mean: number; ci95: [number, number] }>;
    for (const figure of ['serviceLevel', 'waitProbability', 'asa', 'abandonment', 'occupancy']) {
      expect(json[figure]).toEqual({
        mean: expect.any(Number),
        ci95: [expect.any(Number), expect.any(Number)],
      });
    }
    expect(json.model).toBe('Erlang C');
  });

  it('refuses agents of 0 in words, with exit code 1', async () => {
    // Prepare / Act
    const result = await run(...WORKED_EXAMPLE_QUEUE, '--agents', '0', '--json');

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('agents must be a whole number above 0 (got 0)');
    expect(result.out).toBe('');
  });
});

describe('peakline simulate, a forecast day', () => {
  it('simulates the busiest day by default and reports per queue and in total', async () => {
    // Prepare / Act
    const result = await run('--forecast', forecastFile, '--seats', seatsFile, '--json');

    // Assess
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.out) as { from: string; rows: { key: string }[]; deflection: object };
    expect(json.from).toBe('2027-11-26T09:00:00.000Z');
    expect(json.rows.map((r) => r.key)).toContain('total');
    expect(json.rows.map((r) => r.key)).toContain('primary-voice');
  });

  it('adds up repeated seats files and reads the scenario as x3', async () => {
    // Prepare
    const extra = join(dir, 'extra.csv');
    await writeFile(extra, 'type,count\nvoice,2\n');

    // Act
    const result = await run(
      '--forecast',
      forecastFile,
      '--seats',
      seatsFile,
      '--seats',
      extra,
      '--scenario',
      'x3',
      '--day',
      '2027-11-25',
      '--json',
    );

    // Assess
    const json = JSON.parse(result.out) as { agents: Record<string, number>; scenario: number };
    expect(json.agents.voice).toBe(14);
    expect(json.scenario).toBe(3);
  });

  it('counts the seats of a seats-import file whose contract covers the simulated day', async () => {
    // Prepare: three seasonal hires, one of whom starts only after the simulated day
    const hires = join(dir, 'hires.csv');
    await writeFile(
      hires,
      [
        'username,firstName,lastName,email,type,validFrom,validUntil',
        'anna.k,Anna,K,anna@example.com,voice,2027-11-01,2027-12-24',
        'jan.n,Jan,N,jan@example.com,voice,2027-11-20,2027-11-30',
        'ola.w,Ola,W,ola@example.com,voice,2027-12-01,2027-12-24',
      ].join('\n'),
    );
    const counts = join(dir, 'two-voice.csv');
    await writeFile(counts, 'type,count\nvoice,8\n');

    // Act: shrinkage 0, so every seat is an agent
    const result = await run(
      '--forecast',
      forecastFile,
      '--seats',
      counts,
      '--seats',
      hires,
      '--day',
      '2027-11-25',
      '--shrinkage',
      '0',
      '--json',
    );

    // Assess
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.out) as { agents: Record<string, number> };
    expect(json.agents.voice).toBe(10);
  });

  it('refuses malformed rows with their line numbers, simulates the good ones and exits 1', async () => {
    // Prepare
    const bad = join(dir, 'bad.csv');
    const lines = forecastCsv(forecast()).trimEnd().split('\n');
    lines.splice(3, 0, '2027-11-26T10:00:00+01:00,15,fax,3,100');
    await writeFile(bad, `${lines.join('\n')}\n`);
    const badSeats = join(dir, 'bad-seats.csv');
    await writeFile(badSeats, 'type,count\nvoice,18\nwizard,2\n');

    // Act
    const result = await run('--forecast', bad, '--seats', badSeats);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4: `));
    expect(result.err).toMatch(/bad-seats\.csv:3: /);
    expect(result.out).toContain('primary · calls');
  });

  it('says which file it cannot read', async () => {
    // Prepare / Act
    const result = await run('--forecast', join(dir, 'missing.csv'), '--seats', seatsFile);

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('Cannot read the forecast');
  });

  it('writes an HTML report with its charts to --out', async () => {
    // Prepare
    const out = join(dir, 'report.html');

    // Act
    const result = await run(
      '--forecast',
      forecastFile,
      '--seats',
      seatsFile,
      '--scenario',
      'x3',
      '--html',
      '--out',
      out,
      '--replications',
      '2',
      '--workers',
      '1',
    );

    // Assess
    expect(result.exitCode).toBe(0);
    const html = await readFile(out, 'utf8');
    expect(html.match(/<svg/g)?.length).toBe(3);
    expect(html).toContain('Overflow state periods');
    expect(html).toContain(NOW.toISOString());

    // The file opens in a real browser with nothing missing, and prints
    const browser = await launchChromium();
    try {
      const { page, errors, requests } = await openReport(browser, html);
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(await page.locator('figure svg').count()).toBe(3);
      expect(await page.locator('table tbody tr').count()).toBeGreaterThan(2);
      const pdf = await page.pdf({ format: 'A4', landscape: true });
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    } finally {
      await browser.close();
    }
  });
});

describe('peakline simulate --policy and --compare', () => {
  it('runs peakline by default: --policy peakline prints the same as no --policy', async () => {
    // Prepare
    const args = ['--forecast', forecastFile, '--seats', seatsFile, '--scenario', 'x3', '--seed', '5'];

    // Act
    const unnamed = await run(...args);
    const named = await run(...args, '--policy', 'peakline');
    const json = await run(...args, '--json');

    // Assess
    expect(named.exitCode).toBe(0);
    expect(named.out).toBe(unnamed.out);
    expect(named.out.split('\n')[0]).toContain('policy peakline');
    expect((JSON.parse(json.out) as { policy: string }).policy).toBe('peakline');
  });

  it('names the policy it ran in the first line, and refuses one it does not know', async () => {
    // Prepare / Act
    const none = await run('--forecast', forecastFile, '--seats', seatsFile, '--policy', 'none');
    const unknown = await run('--forecast', forecastFile, '--seats', seatsFile, '--policy', 'random');

    // Assess
    expect(none.exitCode).toBe(0);
    expect(none.out.split('\n')[0]).toContain('policy none');
    expect(unknown.exitCode).not.toBe(0);
    expect(unknown.out).toBe('');
  });

  it('--compare --json lists the three policies with their figures on calls, in total and per queue', async () => {
    // Prepare
    const args = ['--forecast', forecastFile, '--seats', seatsFile, '--scenario', 'x3'];

    // Act
    const result = await run(...args, '--compare', '--json', '--replications', '2', '--workers', '1');
    const text = await run(...args, '--compare', '--workers', '1');

    // Assess
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.out) as { policies: Record<string, unknown>[] };
    expect(json.policies.map((p) => p.policy)).toEqual(['none', 'connect-delay', 'peakline']);
    const estimate = { mean: expect.any(Number), ci95: [expect.any(Number), expect.any(Number)] };
    for (const p of json.policies) {
      for (const figure of ['serviceLevel', 'abandonment', 'asa', 'longestWaitSeconds', 'stateChanges']) {
        expect(p[figure]).toEqual(estimate);
      }
      const queues = p.queues as Record<string, Record<string, unknown>>;
      expect(Object.keys(queues)).toContain('primary');
      for (const figure of ['serviceLevel', 'abandonment', 'asa', 'longestWaitSeconds']) {
        expect(queues.primary?.[figure]).toEqual(estimate);
      }
    }
    expect(json.policies[0]?.stateChanges).toEqual({ mean: 0, ci95: [0, 0] });
    expect(text.exitCode).toBe(0);
    expect(text.out.split('\n')[0]).toContain('Compared none, connect-delay, peakline');
    expect(text.out).toContain('connect-delay · all callers');
  });
});

describe('peakline simulate --status-only-share (issue 15)', () => {
  it('takes the stage’s share by default, says how many callers the order status contained, and 0 prints as before', async () => {
    // Prepare
    const args = ['--forecast', forecastFile, '--seats', seatsFile, '--scenario', 'x3', '--seed', '5'];

    // Act
    const byDefault = await run(...args, '--json');
    const fifth = await run(...args, '--status-only-share', '0.2');
    const none = await run(...args, '--status-only-share', '0');

    // Assess
    const json = JSON.parse(byDefault.out) as {
      statusOnlyShare: number;
      calls: { contained: { mean: number } };
    };
    expect(json.statusOnlyShare).toBe(loadConfig('dev').orderStatus.statusOnlyCallerShare);
    expect(json.calls.contained.mean).toBeGreaterThan(0);
    expect(fifth.exitCode).toBe(0);
    expect(fifth.out).toMatch(
      /Contained by order status: [\d,]+ callers \(\d+\.\d% of the calls in opening hours\) heard their order's status and left without queueing \(status-only share 0\.2\)/,
    );
    expect(none.exitCode).toBe(0);
    expect(none.out).not.toContain('Contained by order status');
  });

  it('--compare gains a line with the contained share, the same under every policy', async () => {
    // Prepare
    const args = ['--forecast', forecastFile, '--seats', seatsFile, '--scenario', 'x3', '--workers', '1'];

    // Act
    const text = await run(...args, '--compare', '--status-only-share', '0.3');
    const json = await run(...args, '--compare', '--status-only-share', '0.3', '--json');

    // Assess
    expect(text.exitCode).toBe(0);
    expect(text.out).toMatch(
      /Contained by order status before routing, under every policy alike: \d+\.\d% of all callers \(status-only share 0\.3\)/,
    );
    const policies = (JSON.parse(json.out) as { policies: { contained: { mean: number } }[] }).policies;
    expect(new Set(policies.map((p) => p.contained.mean)).size).toBe(1);
  });

  it('refuses the share for the constant-rate form, whose every call queues', async () => {
    // Prepare / Act
    const result = await run(...WORKED_EXAMPLE_QUEUE, '--agents', '14', '--status-only-share', '0.2');

    // Assess
    expect(result.exitCode).toBe(1);
    expect(result.err).toContain('--status-only-share applies to a forecast day (--forecast)');
    expect(result.out).toBe('');
  });

  it('refuses a share above 1 in words', async () => {
    // Prepare / Act: the whole program, whose parser's messages reach the user's error output
    const result = await runPeakline([
      'simulate',
      '--forecast',
      forecastFile,
      '--seats',
      seatsFile,
      '--status-only-share',
      '1.5',
    ]);

    // Assess
    expect(result.exitCode).not.toBe(0);
    expect(result.err).toContain('expected a share from 0 to 1');
    expect(result.out).toBe('');
  });
});
