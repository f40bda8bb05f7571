import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chatThroughput } from '#core/planning/concurrency.js';
import { planFromForecast } from '#core/planning/plan.js';
import { NO_SEATS } from '#core/planning/seat-counts-file.js';
import { DEFAULT_PLAN_SETTINGS, type PlanSettings } from '#core/planning/settings.js';
import type { ForecastInterval, PlanningChannel } from '#core/planning/types.js';

const CALL_CENTRE_HELPER =
  'Call Centre Helper, "Erlang C Formula - Made Simple With an Easy Worked Example" (callcentrehelper.com): ' +
  '100 calls in 30 minutes, AHT 180 s, 80% in 20 s needs 14 agents; with 30% shrinkage 20 scheduled';

const interval = (
  start: string,
  channel: PlanningChannel,
  contacts: number,
  ahtSeconds: number,
  minutes = 30,
): ForecastInterval => ({ start, minutes, channel, contacts, ahtSeconds });

/** A day of half hours 08:00-20:00 on one channel, with a peak of `peak` contacts at 11:00. */
const day = (date: string, channel: PlanningChannel, peak: number, ahtSeconds: number) =>
  Array.from({ length: 24 }, (_, i) => {
    const hour = 8 + i / 2;
    const shape = Math.max(0.2, 1 - Math.abs(hour - 11) / 9);
    const hh = String(Math.floor(hour)).padStart(2, '0');
    const mm = i % 2 === 0 ? '00' : '30';
    return interval(`${date}T${hh}:${mm}:00+01:00`, channel, peak * shape, ahtSeconds);
  });

describe('planFromForecast: voice', () => {
  it(`staffs a voice interval by Erlang C and grosses it up for shrinkage (${CALL_CENTRE_HELPER})`, () => {
    // Prepare
    const forecast = [interval('2027-11-26T10:00:00+01:00', 'voice', 100, 180)];

    // Act
    const plan = planFromForecast(forecast);

    // Assess
    const [row] = plan.rows;
    expect(row?.agents).toBe(14);
    expect(row?.serviceLevel).toBeCloseTo(0.8884, 4);
    expect(row?.scheduledWhole).toBe(20);
    expect(row?.positions).toBeGreaterThan(13);
    expect(row?.positions).toBeLessThanOrEqual(14);
    expect(row?.method).toBe('erlang-c');
  });

  it('needs more agents when the occupancy cap binds, and staffs by Erlang A with a patience', () => {
    // Prepare
    const forecast = [interval('2027-11-26T10:00:00+01:00', 'voice', 100, 180)];
    const capped: PlanSettings = {
      ...DEFAULT_PLAN_SETTINGS,
      voice: { ...DEFAULT_PLAN_SETTINGS.voice, maxOccupancy: 0.6 },
    };
    const patient: PlanSettings = {
      ...DEFAULT_PLAN_SETTINGS,
      voice: { ...DEFAULT_PLAN_SETTINGS.voice, patienceSeconds: 120 },
    };

    // Act
    const cappedRow = planFromForecast(forecast, capped).rows[0];
    const patientRow = planFromForecast(forecast, patient).rows[0];

    // Assess: 10 Erlangs at no more than 60% busy is 17 agents.
    expect(cappedRow?.agents).toBe(17);
    expect(patientRow?.method).toBe('erlang-a');
    expect(patientRow?.abandonment).toBeGreaterThan(0);
    expect(patientRow?.agents).toBeLessThanOrEqual(14);
  });
});

describe('planFromForecast: chat with concurrency', () => {
  it(`counts a chat-2 agent as two servers at the AHT of two chats at once (${CALL_CENTRE_HELPER})`, () => {
    // Prepare: a solo AHT of 144 s is 180 s at concurrency 2 (f(2) = 1.25): the worked example's queue.
    const forecast = [interval('2027-11-26T10:00:00+01:00', 'chat', 100, 144)];
    const target: PlanSettings = {
      ...DEFAULT_PLAN_SETTINGS,
      chat: { ...DEFAULT_PLAN_SETTINGS.chat, targetSeconds: 20 },
    };

    // Act
    const [row] = planFromForecast(forecast, target).rows;

    // Assess: 14 servers are 7 chat-2 agents.
    expect(row?.plannedAhtSeconds).toBe(180);
    expect(row?.servers).toBe(14);
    expect(row?.agents).toBe(7);
    expect(row?.positions).toBeLessThanOrEqual(7);
  });

  it('reads a forecast AHT measured at concurrency 2 as the AHT at 2, not the solo AHT', () => {
    // Prepare
    const forecast = [interval('2027-11-26T10:00:00+01:00', 'chat', 100, 180)];
    const measuredAt2: PlanSettings = {
      ...DEFAULT_PLAN_SETTINGS,
      chat: { ...DEFAULT_PLAN_SETTINGS.chat, targetSeconds: 20, ahtMeasuredAt: 2 },
    };

    // Act
    const [row] = planFromForecast(forecast, measuredAt2).rows;

    // Assess
    expect(row?.plannedAhtSeconds).toBe(180);
    expect(row?.servers).toBe(14);
  });

  it('counts permanent chat-4 and chat-6 agents by their throughput before adding chat-2 seats', () => {
    // Prepare
    const forecast = day('2027-11-26', 'chat', 300, 400);
    const without = planFromForecast(forecast);
    const permanent = { ...NO_SEATS, 'chat-4': 5, 'chat-6': 2 };

    // Act
    const plan = planFromForecast(forecast, DEFAULT_PLAN_SETTINGS, permanent);

    // Assess: the chat-2 seats at the peak shrink by what the permanent tiers handle.
    const need = without.groupPeaks.find((g) => g.group === 'chat')?.scheduledWhole ?? 0;
    const worth = (n: number) => chatThroughput(n) / chatThroughput(2);
    const seat = (type: string) => plan.seats.find((s) => s.type === type);
    expect(seat('chat-6')?.neededAtPeak).toBe(2);
    expect(seat('chat-4')?.neededAtPeak).toBe(5);
    expect(seat('chat-2')?.seasonal).toBe(Math.ceil(need - 2 * worth(6) - 5 * worth(4) - 1e-9));
  });
});

describe('planFromForecast: seats, peak and reserve', () => {
  const forecast = [
    ...day('2027-11-26', 'voice', 400, 300),
    ...day('2027-11-27', 'voice', 250, 300),
    ...day('2027-11-26', 'chat', 150, 400),
    ...day('2027-11-26', 'email', 120, 420),
    ...day('2027-11-26', 'task', 40, 480),
  ];

  it('finds the peak interval and adds seasonal seats over the permanent staff, never below zero', () => {
    // Prepare
    const permanent = { ...NO_SEATS, voice: 10, 'second-line': 4, light: 500 };

    // Act
    const plan = planFromForecast(forecast, DEFAULT_PLAN_SETTINGS, permanent);

    // Assess
    const voicePeak = plan.groupPeaks.find((g) => g.group === 'voice');
    const busiest = Math.max(...plan.rows.filter((r) => r.channel === 'voice').map((r) => r.scheduledWhole));
    expect(voicePeak?.start).toBe('2027-11-26T11:00:00+01:00');
    expect(voicePeak?.scheduledWhole).toBe(busiest);
    const seat = (type: string) => plan.seats.find((s) => s.type === type);
    expect(seat('voice')?.seasonal).toBe(busiest - 10 - 4);
    expect(seat('second-line')?.neededAtPeak).toBe(4);
    expect(seat('light')?.seasonal).toBe(0);
    expect(seat('light')?.neededAtPeak).toBeLessThan(500);
    expect(plan.peak?.start).toBe('2027-11-26T11:00:00+01:00');
  });

  it('sizes the reserve as the seats x1.5 and x3 the demand would add to the seasonal seats', () => {
    // Prepare
    const tripled = forecast.map((i) => ({ ...i, contacts: i.contacts * 3 }));

    // Act
    const plan = planFromForecast(forecast);
    const planOfTripled = planFromForecast(tripled);

    // Assess
    for (const line of plan.seats) {
      const [x15, x3] = line.reserve;
      const direct = planOfTripled.seats.find((s) => s.type === line.type);
      expect(x3?.extra).toBe((direct?.seasonal ?? 0) - line.seasonal);
      expect(x3?.extra).toBeGreaterThanOrEqual(x15?.extra ?? 0);
    }
    expect(plan.reserves.map((r) => r.factor)).toEqual([1.5, 3]);
    expect(plan.reserves[1]?.extra).toBeGreaterThan(plan.reserves[0]?.extra ?? 0);
  });

  it('never needs fewer seats of any type for more demand', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.double({ min: 1, max: 2, noNaN: true }),
        (scale, more) => {
          // Prepare
          const scaled = (factor: number) => forecast.map((i) => ({ ...i, contacts: i.contacts * factor }));

          // Act
          const lower = planFromForecast(scaled(scale));
          const higher = planFromForecast(scaled(scale * more));

          // Assess
          lower.seats.forEach((line, i) => {
            expect(higher.seats[i]?.neededAtPeak).toBeGreaterThanOrEqual(line.neededAtPeak);
          });
        },
      ),
      { numRuns: 25 },
    );
  });

  it('shows fractional positions beside whole ones: rounding per interval and queue adds up', () => {
    // Act
    const plan = planFromForecast(forecast);

    // Assess
    for (const row of plan.rows) {
      expect(row.positions).toBeLessThanOrEqual(row.agents);
      expect(row.positions).toBeGreaterThan(row.agents - 1);
    }
    const sum = (pick: (r: (typeof plan.rows)[number]) => number) =>
      plan.rows.reduce((s, r) => s + pick(r), 0);
    expect(plan.totals.agents).toBe(sum((r) => r.agents));
    expect(plan.totals.positions).toBeCloseTo(
      sum((r) => r.positions),
      6,
    );
    expect(plan.totals.agents).toBeGreaterThan(plan.totals.positions);
    expect(plan.totals.roundingShare).toBeCloseTo(plan.totals.agents / plan.totals.positions - 1, 12);
  });

  it('staffs e-mail and tasks with light seats from their pooled positions', () => {
    // Act
    const plan = planFromForecast(forecast);

    // Assess
    const light = plan.groupPeaks.find((g) => g.group === 'light');
    const at = plan.rows.filter((r) => r.start === light?.start && r.method === 'backlog');
    const pooled = at.reduce((s, r) => s + r.positions, 0) / (1 - DEFAULT_PLAN_SETTINGS.shrinkage);
    expect(light?.scheduledWhole).toBe(Math.ceil(pooled - 1e-9));
    expect(at.map((r) => r.channel).sort()).toEqual(['email', 'task']);
  });
});

describe('planFromForecast: bad input', () => {
  it.each([
    [{ voice: { ...DEFAULT_PLAN_SETTINGS.voice, serviceLevel: 1 } }, /service level 1 cannot be met/],
    [{ chat: { ...DEFAULT_PLAN_SETTINGS.chat, maxOccupancy: 0 } }, /occupancy cap 0 cannot be met/],
    [{ shrinkage: 1 }, /shrinkage 1/],
    [{ task: { ...DEFAULT_PLAN_SETTINGS.task, replySeconds: 0 } }, /reply target 0 s cannot be met/],
  ])('says an impossible target is impossible, in words (%#)', (override, message) => {
    // Prepare
    const settings = { ...DEFAULT_PLAN_SETTINGS, ...override } as PlanSettings;

    // Act and assess
    expect(() =>
      planFromForecast([interval('2027-11-26T10:00:00+01:00', 'voice', 10, 180)], settings),
    ).toThrow(message);
  });

  it('refuses an interval with contacts but no handling time and plans the others', () => {
    // Prepare
    const forecast = [
      interval('2027-11-26T10:00:00+01:00', 'voice', 100, 180),
      interval('2027-11-26T10:30:00+01:00', 'voice', 100, 0),
      interval('2027-11-26T10:00:00+01:00', 'task', 10, 0),
    ];

    // Act
    const plan = planFromForecast(forecast);

    // Assess
    expect(plan.problems.map((p) => [p.start, p.channel])).toEqual([
      ['2027-11-26T10:30:00+01:00', 'voice'],
      ['2027-11-26T10:00:00+01:00', 'task'],
    ]);
    expect(plan.problems[0]?.message).toMatch(/AHT 0 s with 100 contacts cannot be planned/);
    expect(plan.rows.map((r) => r.agents)).toEqual([14]);
  });

  it('works the e-mail backlog in quarter hours the forecast leaves out, in staffed hours only', () => {
    // Prepare: e-mails at 07:00 and 09:00 only; nothing listed in between.
    const forecast = [
      interval('2027-11-26T07:00:00+01:00', 'email', 20, 420, 15),
      interval('2027-11-26T09:00:00+01:00', 'email', 20, 420, 15),
    ];

    // Act
    const plan = planFromForecast(forecast);

    // Assess
    const starts = plan.rows.map((r) => r.start.slice(11, 16));
    expect(starts.slice(0, 5)).toEqual(['07:00', '07:15', '07:30', '07:45', '08:00']);
    expect(plan.rows.filter((r) => r.positions > 0).every((r) => r.start.slice(11, 16) >= '08:00')).toBe(
      true,
    );
    expect(plan.rows.find((r) => r.start.slice(11, 16) === '08:00')?.positions).toBeGreaterThan(0);
  });
});
