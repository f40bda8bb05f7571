import { describe, expect, it } from 'vitest';
import type { Channel } from '#core/ports.js';
import type { SmsRecord } from '#local/runtime/records.js';
import { type LiveNow, LiveStats, type LiveStatsOptions } from '#local/runtime/live-stats.js';
import type { ContactEvent } from '#simulator/connect/index.js';

const OPTIONS: LiveStatsOptions = {
  timeZone: 'Europe/Warsaw',
  serviceLevelSeconds: 20,
  serviceLevelTarget: 0.8,
  shortAbandonSeconds: 5,
  queues: [
    { id: 'primary', name: 'primary' },
    { id: 'secondLine', name: 'second-line' },
  ],
  primaryQueueId: 'primary',
};

/** Warsaw wall-clock time on Black Friday 2026 (UTC+1) as epoch ms. */
const at = (hhmmss: string, date = '2026-11-27') => Date.parse(`${date}T${hhmmss}+01:00`);

let nextId = 0;
const contact = (
  type: ContactEvent['type'],
  time: number,
  waitSeconds: number,
  channel: Channel = 'VOICE',
): ContactEvent => ({
  type,
  time,
  contactId: `c${(nextId += 1)}`,
  channel,
  queueId: 'primary',
  waitSeconds,
  attributes: {},
});

const sms = (status: SmsRecord['status'], segments: number, reason?: string): SmsRecord => ({
  id: `o${(nextId += 1)}#SHIPPED`,
  to: '+48*****4567',
  body: status === 'SUPPRESSED' ? '' : 'Twoje zamówienie jest w drodze',
  kind: 'order-shipped',
  status,
  segments,
  encoding: 'UCS-2',
  sendAt: new Date(at('18:00:00')).toISOString(),
  ...(reason === undefined ? {} : { reason }),
});

const sample = (time: number, callsArrived: number, primaryState: string, oldest = 0, expected = 0) => ({
  at: time,
  callsArrived,
  queues: [
    {
      id: 'primary',
      oldestWaitSeconds: oldest,
      expectedWaitSeconds: expected,
      routingState: primaryState,
    },
    { id: 'secondLine', oldestWaitSeconds: 0, expectedWaitSeconds: null, routingState: 'NORMAL' },
  ],
});

const now = (time: number, callsArrived: number, extra: Partial<LiveNow> = {}): LiveNow => ({
  at: time,
  callsArrived,
  callsWaiting: 0,
  agentsBusy: 0,
  agentsOnline: 0,
  ...extra,
});

/**
 * Six minutes of an evening, figures worked out by hand:
 * - calls answered after 5 s, 20 s and 40 s: 2 of them within 20 s; ASA (5 + 20 + 40) / 3 = 21.67 s;
 * - callers hanging up after 3 s (inside the 5 s allowance) and after 60 s: 2 abandoned, 1 missed;
 * - service level = 2 in time / (3 answered + 1 missed) = 50 %;
 * - a chat answered after 100 s is no call; 2 calls and a task completed: 3 cases closed;
 * - the arrivals counter goes 0, 4, 5, 6, 6 at 18:00, 18:01, 18:02, 18:03, 18:05 and is 7 at 18:06;
 * - the primary queue is NORMAL, NORMAL, OVERFLOW (18:02), DEFLECT (18:03), NORMAL (18:05): 1 minute in
 *   OVERFLOW and 2 in DEFLECT.
 */
const evening = (): LiveStats => {
  const stats = new LiveStats(OPTIONS, at('18:00:00'));
  stats.sample(sample(at('18:00:00'), 0, 'NORMAL'));
  stats.contact(contact('answered', at('18:00:30'), 5));
  stats.sample(sample(at('18:01:00'), 4, 'NORMAL', 30, 25));
  stats.contact(contact('answered', at('18:01:00'), 20));
  stats.contact(contact('answered', at('18:01:30'), 40));
  stats.contact(contact('answered', at('18:01:40'), 100, 'CHAT'));
  stats.contact(contact('abandoned', at('18:02:00'), 3));
  stats.sample(sample(at('18:02:00'), 5, 'OVERFLOW', 90, 120));
  stats.contact(contact('abandoned', at('18:03:00'), 60));
  stats.sample(sample(at('18:03:00'), 6, 'DEFLECT', 200, 260));
  stats.contact(contact('completed', at('18:04:00'), 5));
  stats.contact(contact('completed', at('18:04:10'), 20));
  stats.contact(contact('completed', at('18:04:20'), 0, 'TASK'));
  stats.sample(sample(at('18:05:00'), 6, 'NORMAL', 10, 15));
  return stats;
};

describe('LiveStats: today on the dashboard', () => {
  it('counts the calls, the service level, ASA, the cases closed and the overflow minutes of the day', () => {
    // Prepare
    const stats = evening();

    // Act
    const tiles = stats.tiles(now(at('18:06:00'), 7, { callsWaiting: 1, agentsBusy: 3, agentsOnline: 4 }));

    // Assess
    expect(tiles.day).toBe('2026-11-27');
    expect(tiles.calls).toMatchObject({
      offered: 7,
      answered: 3,
      abandoned: 2,
      missed: 1,
      waiting: 1,
      answeredInTime: 2,
      serviceLevel: 0.5,
    });
    expect(tiles.calls.asaSeconds).toBeCloseTo(65 / 3, 10);
    expect(tiles.agents).toEqual({ busy: 3, online: 4 });
    expect(tiles.casesClosed).toBe(3);
    expect(tiles.casesClosedByChannel).toEqual({ VOICE: 2, CHAT: 0, TASK: 1 });
    expect(tiles.overflowMinutes).toBe(3);
    expect(tiles.deflectMinutes).toBe(2);
    expect(tiles.routingState).toBe('NORMAL');
  });

  it('counts the time since the last sample with the state that sample saw', () => {
    // Prepare
    const stats = new LiveStats(OPTIONS, at('18:00:00'));
    stats.sample(sample(at('18:00:00'), 0, 'OVERFLOW'));

    // Act: 90 s later, before the next sample
    const tiles = stats.tiles(now(at('18:01:30'), 0));

    // Assess
    expect(tiles.overflowMinutes).toBe(1.5);
    expect(tiles.deflectMinutes).toBe(0);
    expect(tiles.routingState).toBe('OVERFLOW');
  });

  it('counts SMS by outcome with their parts, and a callback announced twice once', () => {
    // Prepare
    const stats = new LiveStats(OPTIONS, at('18:00:00'));

    // Act
    stats.sms(sms('SENT', 2), at('18:00:10'));
    stats.sms(sms('SENT', 1), at('18:00:20'));
    stats.sms(sms('DEFERRED', 1), at('18:01:00'));
    stats.sms(sms('SUPPRESSED', 0, 'opted-out'), at('18:01:05'));
    stats.callback('scheduled', 'cart-a', at('18:00:10'));
    stats.callback('scheduled', 'cart-a', at('18:00:12'));
    stats.callback('scheduled', 'cart-b', at('18:00:40'));
    stats.callback('created', 'cart-a', at('18:02:00'));
    const tiles = stats.tiles(now(at('18:03:00'), 0));

    // Assess
    expect(tiles.sms).toEqual({
      sent: 2,
      parts: 3,
      deferred: 1,
      suppressed: 1,
      suppressedByReason: { 'opted-out': 1 },
    });
    expect(tiles.callbacks).toEqual({ scheduled: 2, created: 1 });
  });

  it("starts a new day at the zone's midnight, and leaves a late event of yesterday out", () => {
    // Prepare: an evening that runs past midnight in OVERFLOW
    const stats = new LiveStats(OPTIONS, at('23:50:00'), 10);
    stats.sample(sample(at('23:58:00'), 10, 'OVERFLOW'));
    stats.contact(contact('answered', at('23:59:30'), 10));
    stats.sms(sms('SENT', 1), at('23:59:40'));
    stats.callback('scheduled', 'cart-a', at('23:59:45'));
    const before = stats.tiles(now(at('23:59:50'), 11));

    // Act: the first event after midnight, then one stamped before it
    stats.contact(contact('answered', at('00:00:30', '2026-11-28'), 3));
    stats.contact(contact('answered', at('23:59:59'), 3));
    stats.sample(sample(at('00:01:00', '2026-11-28'), 12, 'OVERFLOW'));
    const after = stats.tiles(now(at('00:01:00', '2026-11-28'), 13));

    // Assess
    expect(before).toMatchObject({ day: '2026-11-27', calls: { offered: 1, answered: 1 } });
    expect(after.day).toBe('2026-11-28');
    // Offered from the counter at the last sample before midnight (10): 13 - 10.
    expect(after.calls).toMatchObject({ offered: 3, answered: 1, answeredInTime: 1, asaSeconds: 3 });
    expect(after.sms.sent).toBe(0);
    expect(after.callbacks.scheduled).toBe(0);
    // Only the minute after midnight is today's OVERFLOW time.
    expect(after.overflowMinutes).toBe(1);
  });

  it('keeps every minute of the day the clocks go back, and its last minute on the wall clock', () => {
    // Prepare: on 25 October 2026 Warsaw goes from 03:00 CEST back to 02:00 CET, a day of 25 hours.
    const stats = new LiveStats(OPTIONS, Date.parse('2026-10-25T00:00:00+02:00'));

    // Act
    stats.sample(sample(Date.parse('2026-10-25T00:00:00+02:00'), 0, 'NORMAL', 5));
    stats.sample(sample(Date.parse('2026-10-25T23:59:00+01:00'), 0, 'NORMAL', 7));
    const chart = stats.chart('wait');

    // Assess: 25 × 60 minutes, the hour from 02:00 twice; the last minute is 23:59, not folded into another.
    expect(chart.categories).toHaveLength(1500);
    expect(chart.categories.filter((label) => label === '02:30')).toHaveLength(2);
    expect(chart.categories.at(-1)).toBe('23:59');
    expect(chart.series[0]?.data.at(-1)).toBe(7);
    expect(stats.tiles(now(Date.parse('2026-10-25T23:59:30+01:00'), 0)).day).toBe('2026-10-25');
    expect(stats.tiles(now(Date.parse('2026-10-26T00:00:00+01:00'), 0)).day).toBe('2026-10-26');
  });

  it('charts the waits with the OVERFLOW and DEFLECT stretches as bands, from the first sampled minute', () => {
    // Prepare
    const stats = evening();

    // Act
    const chart = stats.chart('wait');

    // Assess
    expect(chart.categories).toEqual(['18:00', '18:01', '18:02', '18:03', '18:04', '18:05']);
    expect(chart.series.map((s) => s.name)).toEqual([
      'primary: oldest wait',
      'primary: expected wait',
      'second-line: oldest wait',
    ]);
    // 18:04 was not sampled: a gap, not a zero.
    expect(chart.series[0]?.data).toEqual([0, 30, 90, 200, null, 10]);
    expect(chart.series[1]?.data).toEqual([0, 25, 120, 260, null, 15]);
    expect(chart.bands).toEqual([
      { from: '18:02', to: '18:03', label: 'OVERFLOW' },
      { from: '18:03', to: '18:05', label: 'DEFLECT' },
    ]);
  });

  it('charts the calls that arrived before the first sample in the minute the stats began', () => {
    // Prepare: the stats begin at 18:00 with the counter at 0; the first sample comes at 18:01:30.
    const stats = new LiveStats(OPTIONS, at('18:00:00'));

    // Act
    stats.sample(sample(at('18:01:30'), 5, 'NORMAL'));

    // Assess
    expect(stats.chart('arrivals').series[0]?.data).toEqual([5]);
    expect(stats.tiles(now(at('18:01:30'), 5)).calls.offered).toBe(5);
  });

  it('charts arrivals against answered calls per 15 minutes, and SMS per minute by outcome', () => {
    // Prepare
    const stats = evening();
    stats.sample(sample(at('18:20:00'), 16, 'NORMAL'));
    stats.contact(contact('answered', at('18:20:10'), 1));
    stats.sms(sms('SENT', 1), at('18:00:10'));
    stats.sms(sms('SUPPRESSED', 0, 'opted-out'), at('18:02:10'));

    // Act
    const arrivals = stats.chart('arrivals');
    const perMinute = stats.chart('sms');

    // Assess: 6 arrived by 18:05, 10 more counted from the 18:05 sample (in the 18:00 interval)
    expect(arrivals.categories).toEqual(['18:00', '18:15']);
    expect(arrivals.series).toEqual([
      expect.objectContaining({ name: 'arrived', data: [16, 0] }),
      expect.objectContaining({ name: 'answered', data: [3, 1] }),
    ]);
    expect(perMinute.categories[0]).toBe('18:00');
    expect(perMinute.series.map((s) => [s.name, s.data.slice(0, 3)])).toEqual([
      ['sent', [1, 0, 0]],
      ['deferred (quiet hours)', [0, 0, 0]],
      ['suppressed', [0, 0, 1]],
    ]);
  });
});

describe('LiveStats: calls contained by the order status (issue 15)', () => {
  it('counts the callers the order status kept out of the queue, and the links sent, of all calls', () => {
    // Prepare: 8 calls through the flow: 2 hung up after the status, 1 took the link, 5 went on
    const stats = new LiveStats(OPTIONS, at('18:00:00'));
    const outcomes = [
      'queued',
      'contained',
      'overflowed',
      'sms-sent',
      'kept-waiting',
      'contained',
      'callback',
      'sms',
    ] as const;

    // Act
    outcomes.forEach((outcome, i) => stats.inboundOutcome(outcome, at(`18:0${i}:00`)));
    const tiles = stats.tiles(now(at('18:09:00'), 5));

    // Assess: 3 of 8 contained; the deflection SMS ('sms') is no tracking link
    expect(tiles.orderStatus).toEqual({ calls: 8, contained: 3, linksSent: 1, share: 3 / 8 });
  });

  it('has no share before the first call, and starts again at midnight', () => {
    // Prepare
    const stats = new LiveStats(OPTIONS, at('23:50:00'));
    const quiet = stats.tiles(now(at('23:51:00'), 0));
    stats.inboundOutcome('contained', at('23:59:00'));

    // Act
    stats.inboundOutcome('queued', at('00:00:30', '2026-11-28'));
    const after = stats.tiles(now(at('00:01:00', '2026-11-28'), 1));

    // Assess
    expect(quiet.orderStatus).toEqual({ calls: 0, contained: 0, linksSent: 0, share: null });
    expect(after.orderStatus).toEqual({ calls: 1, contained: 0, linksSent: 0, share: 0 });
  });
});
