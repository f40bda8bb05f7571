import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { StateChangeRecord } from '#core/routing/store.js';
import { contactKpis } from '#core/reporting/contact-kpis.js';
import { checkRange, lastMonth } from '#core/reporting/days.js';
import { buildKpiReport, type KpiReportSources } from '#core/reporting/report.js';
import { routingMinutesOf } from '#core/reporting/routing-minutes.js';
import type { DailyQueueFigures } from '#core/reporting/types.js';
import type { Seat } from '#core/seats/seat.js';

const ZONE = 'Europe/Warsaw';

const day = (d: string, overrides: Partial<DailyQueueFigures> = {}): DailyQueueFigures => ({
  day: d,
  queueKey: 'primary',
  channel: 'VOICE',
  contactsQueued: 0,
  contactsHandled: 0,
  contactsAbandoned: 0,
  serviceLevel: null,
  avgQueueAnswerTimeSeconds: null,
  avgHandleTimeSeconds: null,
  maxQueuedTimeSeconds: null,
  ...overrides,
});

const change = (
  at: string,
  from: StateChangeRecord['from'],
  to: StateChangeRecord['to'],
): StateChangeRecord => ({
  queueKey: 'primary',
  queueId: 'primary',
  from,
  to,
  at,
  oldestContactAgeSeconds: 0,
  contactsInQueue: 0,
  thresholds: {} as StateChangeRecord['thresholds'],
});

const rangeOf = (from: string, to: string, now: Date) => {
  const checked = checkRange(from, to, now, ZONE);
  if (!checked.ok) throw new Error(checked.problems.join(' '));
  return checked.range;
};

describe('contact KPIs over several days', () => {
  it('weights averages by the contacts handled, never the mean of daily means', () => {
    // Prepare: a quiet day (10 handled, ASA 10 s, AHT 100 s) and a busy one (90 handled, ASA 60 s, AHT 200 s).
    const rows = [
      day('2026-11-01', {
        contactsQueued: 12,
        contactsHandled: 10,
        contactsAbandoned: 2,
        serviceLevel: 1,
        avgQueueAnswerTimeSeconds: 10,
        avgHandleTimeSeconds: 100,
        maxQueuedTimeSeconds: 40,
      }),
      day('2026-11-02', {
        contactsQueued: 100,
        contactsHandled: 90,
        contactsAbandoned: 10,
        serviceLevel: 0.5,
        avgQueueAnswerTimeSeconds: 60,
        avgHandleTimeSeconds: 200,
        maxQueuedTimeSeconds: 300,
      }),
    ];

    // Act
    const kpis = contactKpis(rows);

    // Assess: ASA (10*10 + 90*60) / 100 = 55 s (the mean of daily means would say 35 s);
    // AHT (10*100 + 90*200) / 100 = 190 s; abandoned 12 of 112 queued;
    // SL weighted by contacts queued: (12*1 + 100*0.5) / 112 = 62/112.
    expect(kpis.asaSeconds).toBeCloseTo(55, 10);
    expect(kpis.ahtSeconds).toBeCloseTo(190, 10);
    expect(kpis.abandonmentRate).toBeCloseTo(12 / 112, 10);
    expect(kpis.serviceLevel).toBeCloseTo(62 / 112, 10);
    expect(kpis.maxQueuedSeconds).toBe(300);
    expect([kpis.queued, kpis.handled, kpis.abandoned]).toEqual([112, 100, 12]);
  });

  it('leaves a day Connect gave no value for out of the average instead of counting it as 0', () => {
    // Prepare: the second day handled 50 contacts but carries no ASA.
    const rows = [
      day('2026-11-01', { contactsHandled: 10, avgQueueAnswerTimeSeconds: 30 }),
      day('2026-11-02', { contactsHandled: 50, avgQueueAnswerTimeSeconds: null }),
    ];

    // Act
    const kpis = contactKpis(rows);

    // Assess
    expect(kpis.asaSeconds).toBe(30);
    expect(kpis.serviceLevel).toBeNull();
    expect(kpis.abandonmentRate).toBeNull();
  });
});

describe('totals, whatever the grouping', () => {
  const dayFigures = fc.record({
    handled: fc.integer({ min: 0, max: 500 }),
    abandoned: fc.integer({ min: 0, max: 100 }),
    asa: fc.option(fc.double({ min: 0, max: 600, noNaN: true }), { nil: null }),
  });

  it('a month’s ASA is the same from its days or from its weeks’ totals (seeded)', () => {
    fc.assert(
      fc.property(
        fc.array(dayFigures, { minLength: 1, maxLength: 31 }),
        fc.integer({ min: 1, max: 30 }),
        (days, cut) => {
          // Prepare
          const rows = days.map((d, i) =>
            day(`2026-10-${String(i + 1).padStart(2, '0')}`, {
              contactsQueued: d.handled + d.abandoned,
              contactsHandled: d.handled,
              contactsAbandoned: d.abandoned,
              avgQueueAnswerTimeSeconds: d.asa,
            }),
          );
          const first = contactKpis(rows.slice(0, cut));
          const second = contactKpis(rows.slice(cut));

          // Act
          const whole = contactKpis(rows);

          // Assess: the two parts' ASAs weighted by what each part handled with an ASA give the whole's.
          const weight = (part: typeof rows) =>
            part.reduce((n, r) => n + (r.avgQueueAnswerTimeSeconds === null ? 0 : r.contactsHandled), 0);
          const parts = [
            [first.asaSeconds, weight(rows.slice(0, cut))],
            [second.asaSeconds, weight(rows.slice(cut))],
          ] as const;
          const total = parts.reduce((n, [, w]) => n + w, 0);
          const expected = total === 0 ? null : parts.reduce((n, [asa, w]) => n + (asa ?? 0) * w, 0) / total;
          if (expected === null) expect(whole.asaSeconds).toBeNull();
          else expect(whole.asaSeconds).toBeCloseTo(expected, 6);
          expect(whole.handled).toBe(first.handled + second.handled);
        },
      ),
      { seed: 14, numRuns: 200 },
    );
  });
});

describe('the range a user asks for', () => {
  const now = new Date('2026-12-06T23:00:00Z'); // 2026-12-07 00:00 in Warsaw

  it.each([
    ['2026-11-31', '2026-12-01', /--from 2026-11-31 is not a day/],
    ['2026-11-01', '1.12.2026', /--to 1.12.2026 is not a day/],
    ['2026-11-10', '2026-11-01', /--from 2026-11-10 is after --to 2026-11-01/],
    ['2026-08-31', '2026-09-30', /more than 3 months back.*earliest day is 2026-09-07/],
    ['2026-12-01', '2026-12-08', /--to 2026-12-08 is after today \(2026-12-07/],
  ])('refuses --from %s --to %s in words', (from, to, message) => {
    // Act
    const checked = checkRange(from, to, now, ZONE);

    // Assess
    expect(checked.ok).toBe(false);
    expect(checked.ok ? '' : checked.problems.join(' ')).toMatch(message);
  });

  it('cuts days at the shop’s midnights, 25 hours on the night the clocks go back', () => {
    // Act
    const range = rangeOf('2026-10-01', '2026-10-31', now);

    // Assess: October 2026 in Warsaw: 1 Oct 00:00 CEST (22:00 Z the day before) to 1 Nov 00:00 CET (23:00 Z).
    expect(range.start.toISOString()).toBe('2026-09-30T22:00:00.000Z');
    expect(range.end.toISOString()).toBe('2026-10-31T23:00:00.000Z');
    expect(range.days).toHaveLength(31);
  });

  it('takes last month on the shop’s wall clock, even when UTC is still in the month before', () => {
    // Prepare: 1 Dec 00:30 in Warsaw is still 30 Nov in UTC.
    const early = new Date('2026-11-30T23:30:00Z');

    // Act / Assess
    expect(lastMonth(early, ZONE)).toEqual({ from: '2026-11-01', to: '2026-11-30' });
  });
});

describe('overflow and deflect minutes', () => {
  it('counts a DST day’s 25 hours and starts from the state before the range', () => {
    // Prepare: the queue went into OVERFLOW on 24 Oct 23:00 Warsaw and came back on 25 Oct (the night the clocks go
    // back, 02:00-03:00 lived twice) at 12:00 Warsaw = 11:00 Z; DEFLECT from 26 Oct 10:00 to 10:30 Warsaw (CET).
    const now = new Date('2026-11-05T12:00:00Z');
    const range = rangeOf('2026-10-25', '2026-10-26', now);
    const changes = [
      change('2026-10-25T11:00:00.000Z', 'OVERFLOW', 'NORMAL'),
      change('2026-10-26T09:00:00.000Z', 'NORMAL', 'DEFLECT'),
      change('2026-10-26T09:30:00.000Z', 'DEFLECT', 'NORMAL'),
    ];

    // Act
    const minutes = routingMinutesOf('primary', 'OVERFLOW', changes, range, now);

    // Assess: 25 Oct from midnight (24 Oct 22:00 Z) to 11:00 Z is 13 h = 780 min (12 wall-clock hours plus the
    // hour lived twice); 26 Oct: 30 min of DEFLECT.
    expect(minutes).toEqual([
      { day: '2026-10-25', queueKey: 'primary', overflowMinutes: 780, deflectMinutes: 0 },
      { day: '2026-10-26', queueKey: 'primary', overflowMinutes: 0, deflectMinutes: 30 },
    ]);
  });

  it('stops counting at now when the range runs into today', () => {
    // Prepare: OVERFLOW since before the range; it is 09:15 Warsaw on the range's only day.
    const now = new Date('2026-12-06T08:15:00Z');
    const range = rangeOf('2026-12-06', '2026-12-06', now);

    // Act
    const [today] = routingMinutesOf('primary', 'OVERFLOW', [], range, now);

    // Assess: midnight (5 Dec 23:00 Z) to 08:15 Z = 555 min.
    expect(today?.overflowMinutes).toBe(555);
  });
});

describe('the report put together', () => {
  it('sums SMS cost from parts, converts callbacks, and counts seat-days only up to now', async () => {
    // Prepare: 2 days; 3 confirmations in 4 parts and 1 suppressed on day 1, 2 status SMS (SHIPPED) in 2 parts
    // on day 2; 4 callback tasks, 1 converted worth 250; a voice seat from day 1 noon, still running at now =
    // day 2 18:00 Warsaw.
    const now = new Date('2026-11-02T17:00:00Z');
    const range = rangeOf('2026-11-01', '2026-11-02', now);
    const seat: Seat = {
      username: 'anna',
      type: 'voice',
      firstName: 'Anna',
      lastName: 'Nowak',
      email: 'anna@example.com',
      validFrom: '2026-11-01T11:00:00.000Z',
      expiresAt: '2026-12-01T00:00:00.000Z',
      state: 'ACTIVE',
    };
    const sources: KpiReportSources = {
      contactMetrics: { dailyQueueFigures: async () => [] },
      ownFigures: {
        smsFigures: async () => [
          { day: '2026-11-01', kind: 'order-confirmation', outcome: 'SENT', count: 3, parts: 4 },
          {
            day: '2026-11-01',
            kind: 'order-confirmation',
            outcome: 'SUPPRESSED',
            reason: 'consent',
            count: 1,
            parts: 0,
          },
          { day: '2026-11-02', kind: 'status', status: 'SHIPPED', outcome: 'SENT', count: 2, parts: 2 },
        ],
        callbackFigures: async () => [
          {
            day: '2026-11-02',
            scheduled: 5,
            created: 4,
            cancelled: { 'order-placed': 1 },
            converted: 1,
            convertedValues: { PLN: 250 },
          },
        ],
      },
      seats: { list: async () => [seat] },
      routingAudit: { changesBetween: async () => [], lastChangeBefore: async () => undefined },
    };

    // Act
    const report = await buildKpiReport(sources, {
      range,
      queues: [{ key: 'primary', id: 'q1', name: 'primary' }],
      settings: { serviceLevelSeconds: 20, serviceLevelTarget: 0.8, smsPricePerPartUSD: 0.05 },
      now,
    });

    // Assess: 6 parts * 0.05 = 0.30 US$; conversion 1 of 4 tasks; seat from 11:00 Z on 1 Nov to 17:00 Z on
    // 2 Nov = 30 h = 1.25 seat-days.
    expect(report.sms.total).toEqual({ sent: 5, suppressed: 1, parts: 6, costUSD: 0.3 });
    expect(report.sms.suppressedByReason).toEqual([{ reason: 'consent', count: 1 }]);
    expect(report.sms.byStatus).toEqual([{ status: 'SHIPPED', sent: 2, parts: 2 }]);
    expect(report.callbacks.total.conversionRate).toBe(0.25);
    expect(report.callbacks.byDay.map((d) => d.created)).toEqual([0, 4]);
    expect(report.seatDays.byType.voice).toBe(1.25);
    expect(report.seatDays.total).toBe(1.25);
    expect(report.routing.queues).toEqual([
      { queueKey: 'primary', stateAtStart: 'NORMAL', changes: 0, overflowMinutes: 0, deflectMinutes: 0 },
    ]);
  });
});
