import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStack } from '#local/stack.js';
import { runPeakline } from '#test/support/cli.js';
import { eventually, getJson, startTestStack } from '#test/support/local-stack.js';

const BAD_ROWS = fileURLToPath(new URL('../fixtures/seats/bad-rows.csv', import.meta.url));
const WRONG_HEADER = fileURLToPath(new URL('../fixtures/seats/wrong-header.csv', import.meta.url));
const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface SeatJson {
  readonly username: string;
  readonly type: string;
  readonly tier?: number;
  readonly state: string;
  readonly validFrom: string;
  readonly validUntil: string;
  readonly userId?: string;
  readonly revokedBy?: string;
}

/** Runs `peakline <args>` on the local stack, as `npx peakline … --local` would. */
const peakline = (stack: LocalStack, ...args: string[]) =>
  runPeakline([...args, '--local', '--dashboard-url', stack.dashboardUrl, '--rate', '50']);

/** The simulator's users, as Connect would list them. */
const users = (stack: LocalStack) =>
  stack.simulator
    .snapshot()
    .agents.filter((a) => !a.deleted)
    .map((a) => ({
      username: a.username,
      routingProfileId: a.routingProfileId,
      securityProfileIds: a.securityProfileIds,
    }));

describe('peakline seats --local, against the running local stack', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    // 120 virtual seconds a second: a seat ending in a few virtual minutes ends within seconds.
    stack = await startTestStack({ startTime: new Date('2026-11-20T09:00:00+01:00'), speed: 120 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('imports the good rows of a file with bad ones, naming each bad row by its line', async () => {
    // Act
    const result = await peakline(stack, 'seats', 'import', BAD_ROWS);

    // Assert
    expect(result.exitCode).toBe(1);
    const reported = [...result.err.matchAll(/bad-rows\.csv:(\d+): (.*)/g)].map((m) => [Number(m[1]), m[2]]);
    expect(reported.map(([line]) => line)).toEqual([3, 4, 5, 6, 7, 9, 10, 11, 12]);
    expect(result.err).toMatch(/:3: missing email/);
    expect(result.err).toMatch(/:4: email "ewa\.wisniewska\.example\.com" is not an e-mail address/);
    expect(result.err).toMatch(/:5: type "chat-3" is not a seat type/);
    expect(result.err).toMatch(/:6: validUntil "2026-11-20" is not after validFrom "2026-12-24"/);
    expect(result.err).toMatch(/:7: username "anna\.kowalska" is already used on line 2/);
    expect(result.out).toMatch(/3 good rows, 9 refused/);
    expect(result.out).toMatch(/3 added/);
    expect(users(stack)).toEqual(
      expect.arrayContaining([
        { username: 'anna.kowalska', routingProfileId: 'chat2', securityProfileIds: ['agent'] },
        { username: 'tomasz.wojcik', routingProfileId: 'secondLine', securityProfileIds: ['agent'] },
        { username: 'ola.piatek', routingProfileId: 'light', securityProfileIds: ['lightAgent'] },
      ]),
    );
    const seats = await getJson<SeatJson[]>(stack, '/api/seats');
    expect(seats.map((s) => [s.username, s.type, s.state])).toEqual([
      ['anna.kowalska', 'chat-2', 'ACTIVE'],
      ['ola.piatek', 'light', 'ACTIVE'],
      ['tomasz.wojcik', 'second-line', 'ACTIVE'],
    ]);
  });

  it('refuses a file with a wrong header as a whole, at line 1, and creates nothing', async () => {
    // Prepare
    const before = users(stack).length;

    // Act
    const result = await peakline(stack, 'seats', 'import', WRONG_HEADER);

    // Assert
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(
      /wrong-header\.csv:1: the first line must be the header username,firstName,lastName,email,type,validFrom,validUntil \(missing username, email; unknown "login", "mail"\)/,
    );
    expect(users(stack)).toHaveLength(before);
  });

  it('creates nothing twice when the same file is imported again', async () => {
    // Prepare
    const before = users(stack).length;

    // Act
    const result = await peakline(stack, 'seats', 'import', BAD_ROWS);

    // Assert
    expect(result.out).toMatch(/0 added, 3 already there/);
    expect(users(stack)).toHaveLength(before);
  });

  it('lists the same seats as /api/seats, as JSON and as a table', async () => {
    // Act
    const json = await peakline(stack, 'seats', 'list', '--json');
    const tableOutput = await peakline(stack, 'seats', 'list');

    // Assert
    const listed = JSON.parse(json.out) as SeatJson[];
    const api = await getJson<SeatJson[]>(stack, '/api/seats');
    expect(listed).toEqual(api.filter((s) => s.state === 'ACTIVE'));
    expect(listed.every((s) => typeof s.userId === 'string')).toBe(true);
    for (const s of listed) expect(tableOutput.out).toContain(s.username);
    // Dates in the contact centre's zone: the import's 2026-11-20 starts at midnight in Warsaw.
    expect(tableOutput.out).toContain('2026-11-20 00:00');
  });

  it('promotes a chat agent one tier: the Connect user gets the chat-4 routing profile', async () => {
    // Act
    const result = await peakline(stack, 'seats', 'promote', 'anna.kowalska');

    // Assert
    expect(result.exitCode).toBe(0);
    expect(users(stack).find((u) => u.username === 'anna.kowalska')?.routingProfileId).toBe('chat4');
    const seat = (await getJson<SeatJson[]>(stack, '/api/seats')).find((s) => s.username === 'anna.kowalska');
    expect(seat).toMatchObject({ type: 'chat-4', tier: 4 });
  });

  it('refuses to promote a seat that is not a chat seat, and says why', async () => {
    // Act
    const result = await peakline(stack, 'seats', 'promote', 'ola.piatek');

    // Assert
    expect(result.exitCode).toBe(1);
    expect(result.err).toMatch(/light seat; only chat seats .* can be promoted/);
  });

  it('the sweeper revokes a seat within minutes of its end, on the virtual clock', async () => {
    // Prepare: a contract that ends four virtual minutes from now
    const end = new Date(stack.clock.now().getTime() + 4 * 60_000).toISOString();
    const added = await peakline(
      stack,
      'seats',
      'add',
      'short.contract',
      '--first-name',
      'Jan',
      '--last-name',
      'Krótki',
      '--email',
      'jan.krotki@example.com',
      '--type',
      'voice',
      '--from',
      '2026-11-20',
      '--until',
      end,
    );
    expect(added.err).toBe('');
    expect(users(stack).map((u) => u.username)).toContain('short.contract');

    // Act: the virtual clock runs on
    await eventually(stack, async () => {
      const seat = (await getJson<SeatJson[]>(stack, '/api/seats')).find(
        (s) => s.username === 'short.contract',
      );
      expect(seat).toMatchObject({ state: 'REVOKED', revokedBy: 'sweeper' });
    });

    // Assert
    expect(users(stack).map((u) => u.username)).not.toContain('short.contract');
    const revoked = stack.bus
      .recent()
      .filter((e) => e.source === 'peakline' && e.detailType === 'SeatRevoked');
    expect(revoked).toHaveLength(1);
    expect(stack.bus.recent().some((e) => e.detailType === 'SeatProvisioned')).toBe(true);
  });

  it('extends a seat, and revokes one at once on request', async () => {
    // Act
    const extended = await peakline(stack, 'seats', 'extend', 'tomasz.wojcik', '--until', '2027-01-15');
    const revoked = await peakline(stack, 'seats', 'revoke', 'ola.piatek');

    // Assert
    expect(extended.out).toMatch(/extended tomasz\.wojcik: second-line seat, .* to 2027-01-16 00:00/);
    expect(revoked.out).toMatch(/revoked ola\.piatek's light seat/);
    const seats = await getJson<SeatJson[]>(stack, '/api/seats');
    expect(seats.find((s) => s.username === 'ola.piatek')).toMatchObject({
      state: 'REVOKED',
      revokedBy: 'ops',
    });
    expect(users(stack).map((u) => u.username)).not.toContain('ola.piatek');
  });

  it('reports seat-days per type over a period', async () => {
    // Act: 20 November to 24 December, both included, is 35 days
    const result = await peakline(
      stack,
      'seats',
      'report',
      '--from',
      '2026-11-20',
      '--to',
      '2026-12-24',
      '--json',
    );

    // Assert
    const report = JSON.parse(result.out) as { seatDays: Record<string, number>; total: number };
    // Anna's chat seat covers the whole period (promoted to chat-4, so counted there); Tomasz's too.
    expect(report.seatDays['chat-4']).toBe(35);
    expect(report.seatDays['second-line']).toBeCloseTo(35 - 8 / 24, 2);
    // Ola's seat counted until the revoke, the short contract for its few minutes.
    expect(report.seatDays.light).toBeGreaterThan(0);
    expect(report.seatDays.light).toBeLessThan(1);
    expect(report.seatDays.voice).toBeLessThan(0.5);
  });

  it('runs as `npx peakline` in its own process', async () => {
    // Act
    const { stdout } = await promisify(execFile)(
      'npx',
      ['peakline', 'seats', 'list', '--local', '--dashboard-url', stack.dashboardUrl],
      { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } },
    );

    // Assert
    expect(stdout).toContain('tomasz.wojcik');
    expect(stdout).not.toContain('ola.piatek');
  });
});
