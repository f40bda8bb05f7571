import { describe, expect, it } from 'vitest';
import {
  benchConfig,
  E2E_HEADING,
  type EndToEndResult,
  endToEndSection,
  EventPlan,
  NO_QUIET_HOURS,
  percentiles,
  type PlannedEvent,
  replaceSection,
} from '../../../bench/end-to-end-events.js';
import { loadConfig } from '#infra/config/load.js';
import { checkPhone } from '#core/sms/phone-check.js';
import { parseQuietHours, quietPeriodEnd } from '#core/sms/quiet-hours.js';
import { orderPlacedSchema } from '#events/schemas/order-placed.js';
import { orderStatusChangedSchema } from '#events/schemas/order-status-changed.js';

const AT = new Date('2026-11-27T22:30:00Z');

const planOf = (count: number, seed = 16): PlannedEvent[] => {
  const plan = new EventPlan({ source: 'shop', busName: 'peakline', seed, statusLag: 50 });
  return Array.from({ length: count }, (_, i) => plan.next(new Date(AT.getTime() + i * 10)));
};

const detailOf = (event: PlannedEvent) => JSON.parse(event.entry.Detail) as Record<string, unknown>;

describe('the events bench:e2e sends', () => {
  it('are valid shop events, each standing for an SMS of its own', () => {
    // Prepare
    const events = planOf(1_000);

    // Act
    const invalid = events.filter((e) =>
      e.entry.DetailType === 'OrderPlaced'
        ? !orderPlacedSchema.safeParse(detailOf(e)).success
        : !orderStatusChangedSchema.safeParse(detailOf(e)).success,
    );

    // Assess
    expect(invalid).toEqual([]);
    expect(new Set(events.map((e) => e.smsId)).size).toBe(events.length);
  });

  it('give every order its own mobile phone in Poland, Finland or Germany', () => {
    // Prepare
    const orders = planOf(1_000).filter((e) => e.entry.DetailType === 'OrderPlaced');

    // Act
    const phones = orders.map((e) => (detailOf(e).customer as { phone: string }).phone);
    const countries = phones.map((phone) => {
      const check = checkPhone(phone, 'Europe/Warsaw');
      return check.ok ? check.country : check.reason;
    });

    // Assess
    expect(new Set(phones).size).toBe(orders.length);
    expect(new Set(countries)).toEqual(new Set(['PL', 'FI', 'DE']));
  });

  it('change the status only of an order placed earlier in the run, once each', () => {
    // Prepare
    const events = planOf(1_000);

    // Act
    const placedBefore = new Set<string>();
    const changedOrders: string[] = [];
    const unknown: string[] = [];
    for (const e of events) {
      const orderId = detailOf(e).orderId as string;
      if (e.entry.DetailType === 'OrderPlaced') placedBefore.add(orderId);
      else {
        changedOrders.push(orderId);
        if (!placedBefore.has(orderId)) unknown.push(orderId);
      }
    }

    // Assess
    expect(unknown).toEqual([]);
    expect(changedOrders.length).toBeGreaterThan(100);
    expect(new Set(changedOrders).size).toBe(changedOrders.length);
  });

  it('are the same for the same seed and differ for another', () => {
    // Act
    const again = planOf(200).map((e) => e.entry.Detail);
    const other = planOf(200, 17).map((e) => e.entry.Detail);

    // Assess
    expect(again).toEqual(planOf(200).map((e) => e.entry.Detail));
    expect(other).not.toEqual(again);
  });
});

describe("the run's configuration", () => {
  it('turns quiet hours off and sets the SMS rate, and nothing else', () => {
    // Prepare
    const dev = loadConfig('dev');

    // Act
    const config = benchConfig(dev, 1000);

    // Assess
    expect(config.sms.quietHours).toEqual(NO_QUIET_HOURS);
    expect(config.sms.maxPartsPerSecond).toBe(1000);
    expect({
      ...config,
      sms: { ...config.sms, quietHours: dev.sms.quietHours, maxPartsPerSecond: dev.sms.maxPartsPerSecond },
    }).toEqual(dev);
  });

  it('lets an SMS go at 23:30 in Warsaw, inside the stage’s own quiet hours', () => {
    // Prepare
    const dev = loadConfig('dev');
    const lateEvening = new Date('2026-11-27T22:30:00Z');

    // Act
    const withStage = quietPeriodEnd(lateEvening, 'Europe/Warsaw', parseQuietHours(dev.sms.quietHours));
    const withRun = quietPeriodEnd(
      lateEvening,
      'Europe/Warsaw',
      parseQuietHours(benchConfig(dev, 1000).sms.quietHours),
    );

    // Assess
    expect(withStage).toBeInstanceOf(Date);
    expect(withRun).toBeUndefined();
  });
});

describe('percentiles', () => {
  it('are nearest-rank: the smallest value with at least that share of the samples at or below it', () => {
    // Prepare
    const values = Array.from({ length: 200 }, (_, i) => 200 - i);

    // Act
    const p = percentiles(values);

    // Assess
    expect(p).toEqual({ p50: 100, p99: 198, max: 200 });
  });

  it('are undefined without samples', () => {
    expect(percentiles([])).toBeUndefined();
  });
});

const result = (slices: [number, number][], arrived = 4000): EndToEndResult => ({
  eventsPerSecond: 100,
  achievedEventsPerSecond: 99.8,
  events: 4000,
  accepted: 4000,
  arrived,
  warmupEvents: 1000,
  seconds: 40,
  warmupSeconds: 10,
  warmupDrainSeconds: 2.5,
  drainSeconds: 30,
  smsPerSecond: 99.5,
  p50Ms: 120,
  p99Ms: 900,
  maxMs: 1500,
  slices: slices.map(([p50, p99], k) => ({ fromSecond: k * 10, events: 1000, p50Ms: p50, p99Ms: p99 })),
  putEventsMs: { p50: 3, p99: 20 },
  byType: { orderPlaced: 3200, orderStatusChanged: 800 },
  segmentsPerSms: 1.8,
  quietHours: 'off',
  clock: 'virtual clock at ×1, i.e. real time',
  settings: {
    stage: 'dev',
    batchSize: 10,
    batchingWindowMs: 1000,
    bufferConcurrency: 2,
    maxPartsPerSecond: 1000,
    smsPartsPerSecond: 400,
    database: 'DynamoDB Local in memory',
  },
  loadAverage: { before: [1.5, 1.2, 1], after: [2, 1.4, 1.1] },
  machine: 'Node v20, 2 × CPU',
  javaStopped: true,
});

describe('the results.md section', () => {
  it('shows the figures and says when the stack fell behind or the latency grew through the run', () => {
    // Act
    const steady = endToEndSection(
      result([
        [110, 800],
        [130, 950],
      ]),
    ).join('\n');
    const growing = endToEndSection(
      result([
        [900, 2000],
        [9000, 12000],
      ]),
    ).join('\n');
    const behind = endToEndSection(
      result(
        [
          [900, 2000],
          [9000, 12000],
        ],
        1282,
      ),
    ).join('\n');

    // Assess
    expect(steady).toContain(
      '| 100 | 99.8 | 4000 (3200 OrderPlaced, 800 OrderStatusChanged) | 4000 of 4000 accepted | 120 ms | 900 ms | 1500 ms |',
    );
    expect(steady).toContain('The p50 went from 110 ms in the first 10 s to 130 ms in the last.');
    expect(steady).not.toContain('did not keep up');
    expect(growing).toContain('The p50 grew from 900 ms in the first 10 s to 9000 ms in the last');
    expect(behind).toContain(
      "2718 of the accepted events' SMS had not reached the outbox 30 s after the last send",
    );
  });

  it('replaces its own section in place and leaves the others', () => {
    // Prepare
    const md = `# Benchmark results\n\n## Before\n\nb\n\n${E2E_HEADING}\n\nold figures\n\n## After\n\na\n`;

    // Act
    const replaced = replaceSection(md, E2E_HEADING, `${E2E_HEADING}\n\nnew figures\n`);
    const appended = replaceSection('# Benchmark results\n', E2E_HEADING, `${E2E_HEADING}\n\nnew\n`);

    // Assess
    expect(replaced).toBe(
      `# Benchmark results\n\n## Before\n\nb\n\n${E2E_HEADING}\n\nnew figures\n\n## After\n\na\n`,
    );
    expect(appended).toBe(`# Benchmark results\n\n${E2E_HEADING}\n\nnew\n`);
  });
});
