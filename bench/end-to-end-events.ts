/**
 * The pure parts of `npm run bench:e2e` (bench/end-to-end.ts): the shop's events it sends, the one
 * configuration override of the run, the percentiles, and how the figures are written.
 */
import type { PeaklineConfig } from '#infra/config/schema.js';
import { Random } from '#simulator/connect/random.js';

/** One PutEvents entry, as a shop backend sends it. */
export interface ShopEntry {
  readonly Source: string;
  readonly DetailType: 'OrderPlaced' | 'OrderStatusChanged';
  readonly Detail: string;
  readonly EventBusName: string;
}

export interface PlannedEvent {
  readonly entry: ShopEntry;
  /** The outbox record's id this event's SMS gets (`order#STATUS`, PLACED for an OrderPlaced). */
  readonly smsId: string;
}

/** Quiet hours whose start equals their end are none (infra/config/schema.ts, `sms.quietHours`). */
export const NO_QUIET_HOURS = { start: '00:00', end: '00:00' } as const;

/**
 * The run's configuration: the stage's settings with quiet hours off (an SMS deferred to the morning would
 * measure the clock, not the pipeline) and the account's SMS rate the run says; nothing else changes.
 */
export const benchConfig = (config: PeaklineConfig, maxPartsPerSecond: number): PeaklineConfig => ({
  ...config,
  sms: { ...config.sms, quietHours: NO_QUIET_HOURS, maxPartsPerSecond },
});

const pad = (n: number, width: number) => String(n % 10 ** width).padStart(width, '0');

/**
 * The shop's customers: Poland first (Polish, some Russian and English speakers), Finland, and a few
 * abroad in Germany, each with a mobile number of that country (the prefixes are mobile ranges), so the
 * phone check, the language and the time zone all take their usual paths. Shares of the orders.
 */
const MARKETS = [
  {
    share: 0.7,
    prefixes: ['+48501', '+48512', '+48601', '+48660', '+48691', '+48721', '+48790', '+48880'],
    digits: 6,
    locale: 'pl-PL',
    currency: 'PLN',
    timeZone: 'Europe/Warsaw',
  },
  { share: 0.06, prefixes: ['+48502', '+48603'], digits: 6, locale: 'ru-RU', currency: 'PLN' },
  {
    share: 0.06,
    prefixes: ['+48504', '+48605'],
    digits: 6,
    locale: 'en-GB',
    currency: 'PLN',
    timeZone: 'Europe/Warsaw',
  },
  {
    share: 0.13,
    prefixes: ['+35840', '+35850'],
    digits: 7,
    locale: 'fi-FI',
    currency: 'EUR',
    timeZone: 'Europe/Helsinki',
  },
  { share: 0.05, prefixes: ['+49151', '+49160'], digits: 8, locale: 'en-GB', currency: 'EUR' },
] as const;

/** Each status the shop reports sends an SMS; their rough shares among status changes. */
const STATUS_CHANGES = ['SHIPPED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELAYED', 'DELIVERED'] as const;

export interface EventPlanOptions {
  readonly source: string;
  readonly busName: string;
  readonly seed: number;
  /** Share of the events that are status changes of orders placed earlier in the run. @default 0.2 */
  readonly statusShare?: number;
  /** Events between an order and its status change: its OrderPlaced SMS has long gone. @default 300 */
  readonly statusLag?: number;
}

/**
 * The events of the run, one at a time: distinct orders with distinct phones, and some OrderStatusChanged
 * for an order placed `statusLag` events before (each order changes status at most once, so every event
 * stands for exactly one SMS). Deterministic for a seed; timestamps are the moment of sending.
 */
export class EventPlan {
  private readonly random: Random;
  private readonly placed: { orderId: string; customer: Record<string, unknown>; currency: string }[] = [];
  private nextStatusOf = 0;
  private orders = 0;
  private statusChanges = 0;

  constructor(private readonly options: EventPlanOptions) {
    this.random = new Random(options.seed);
  }

  next(at: Date): PlannedEvent {
    const lag = this.options.statusLag ?? 300;
    const statusDue =
      this.placed.length - this.nextStatusOf > lag && this.random.next() < (this.options.statusShare ?? 0.2);
    return statusDue ? this.statusChange(at) : this.order(at);
  }

  get counts(): { orderPlaced: number; orderStatusChanged: number } {
    return { orderPlaced: this.orders, orderStatusChanged: this.statusChanges };
  }

  private entry(DetailType: ShopEntry['DetailType'], detail: Record<string, unknown>): ShopEntry {
    return {
      Source: this.options.source,
      DetailType,
      Detail: JSON.stringify(detail),
      EventBusName: this.options.busName,
    };
  }

  private order(at: Date): PlannedEvent {
    const n = this.orders++;
    let roll = this.random.next();
    const market = MARKETS.find((m) => (roll -= m.share) < 0) ?? MARKETS[0];
    const prefix = market.prefixes[n % market.prefixes.length] ?? market.prefixes[0];
    const customer = {
      customerId: `C-E2E-${pad(n, 7)}`,
      // Distinct for every order: the run's index in the subscriber number.
      phone: `${prefix}${pad(n, market.digits)}`,
      locale: market.locale,
      ...('timeZone' in market ? { timeZone: market.timeZone } : {}),
      consent: { transactionalSms: true, marketingSms: n % 3 === 0, callback: true },
    };
    const orderId = `E2E-${pad(this.options.seed, 4)}-${pad(n, 7)}`;
    this.placed.push({ orderId, customer, currency: market.currency });
    const amount = Math.round((20 + this.random.next() * 1980) * 100) / 100;
    return {
      entry: this.entry('OrderPlaced', {
        customer,
        orderId,
        cartId: `cart-e2e-${pad(n, 7)}`,
        total: { amount, currency: market.currency },
        placedAt: at.toISOString(),
      }),
      smsId: `${orderId}#PLACED`,
    };
  }

  private statusChange(at: Date): PlannedEvent {
    const order = this.placed[this.nextStatusOf++];
    if (order === undefined) throw new Error('no order placed to change');
    const status = STATUS_CHANGES[this.statusChanges++ % STATUS_CHANGES.length] ?? 'SHIPPED';
    const parcel = pad(this.random.int(1e9), 9);
    const details: Record<string, unknown> =
      status === 'DELAYED'
        ? { reason: 'Przewoźnik ma opóźnienia w sortowni.', estimatedDelivery: isoDate(at, 3) }
        : status === 'DELIVERED'
          ? {}
          : {
              carrier: 'InPost',
              trackingUrl: `https://inpost.pl/sledzenie-przesylek?number=620${parcel}`,
              estimatedDelivery: isoDate(at, 2),
            };
    return {
      entry: this.entry('OrderStatusChanged', {
        customer: order.customer,
        orderId: order.orderId,
        status,
        occurredAt: at.toISOString(),
        ...details,
      }),
      smsId: `${order.orderId}#${status}`,
    };
  }
}

const isoDate = (at: Date, days: number) =>
  new Date(at.getTime() + days * 86_400_000).toISOString().slice(0, 10);

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

/** Nearest-rank percentiles (the smallest value with at least p of the samples at or below it). */
export const percentiles = (values: readonly number[]): Percentiles | undefined => {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p: number) =>
    sorted[Math.min(sorted.length, Math.max(1, Math.ceil(p * sorted.length))) - 1] ?? NaN;
  return { p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] ?? NaN };
};

/** What one run measured: the shape of `bench.endToEnd` in bench/results.json. */
export interface EndToEndResult {
  /** The rate the run aimed at. */
  readonly eventsPerSecond: number;
  /** The rate the measured events were sent at (first to last send). */
  readonly achievedEventsPerSecond: number;
  /** Events sent in the measured window (the warm-up's excluded). */
  readonly events: number;
  readonly accepted: number;
  /** Accepted events whose SMS reached the outbox before the run gave up waiting. */
  readonly arrived: number;
  readonly warmupEvents: number;
  readonly seconds: number;
  readonly warmupSeconds: number;
  /** Seconds the warm-up's backlog took to drain before the measured window began. */
  readonly warmupDrainSeconds: number;
  /** Seconds the run waited after the last send for the last SMS. */
  readonly drainSeconds: number;
  /** The measured events' SMS that arrived, per second from the first acceptance to the last arrival. */
  readonly smsPerSecond: number;
  readonly p50Ms: number | null;
  readonly p99Ms: number | null;
  readonly maxMs: number | null;
  /** Each 10-second slice of the measured window: a growing p50 would be a backlog, not a steady state. */
  readonly slices: readonly {
    readonly fromSecond: number;
    readonly events: number;
    readonly p50Ms: number | null;
    readonly p99Ms: number | null;
  }[];
  /** PutEvents' own answer time (request sent to answer read), which the latency starts after. */
  readonly putEventsMs: { readonly p50: number | null; readonly p99: number | null };
  readonly byType: { readonly orderPlaced: number; readonly orderStatusChanged: number };
  readonly segmentsPerSms: number | null;
  readonly quietHours: 'off';
  readonly clock: string;
  readonly settings: {
    readonly stage: string;
    readonly batchSize: number;
    readonly batchingWindowMs: number;
    readonly bufferConcurrency: number;
    readonly maxPartsPerSecond: number;
    readonly smsPartsPerSecond: number;
    readonly database: string;
  };
  /** os.loadavg() (what `uptime` prints) before and after the run: 1, 5 and 15 minutes. */
  readonly loadAverage: { readonly before: readonly number[]; readonly after: readonly number[] };
  readonly machine: string;
  /** DynamoDB Local's Java process was gone after the stack stopped. */
  readonly javaStopped: boolean;
}

export const E2E_HEADING = '## End to end on the local stack: event accepted to SMS in the outbox';

const ms = (value: number | null) => (value === null ? 'n/a' : `${value.toFixed(0)} ms`);
const load = (values: readonly number[]) => values.map((v) => v.toFixed(2)).join(', ');

/** The section of bench/results.md. */
export const endToEndSection = (r: EndToEndResult): string[] => {
  const withData = r.slices.filter((slice) => slice.p50Ms !== null);
  const first = withData[0]?.p50Ms ?? null;
  const last = withData[withData.length - 1]?.p50Ms ?? null;
  const trend =
    r.arrived < r.accepted
      ? ` ${r.accepted - r.arrived} of the accepted events' SMS had not reached the outbox ${r.drainSeconds} s after the last send, and the stack delivered ${r.smsPerSecond.toFixed(1)} SMS/s: it did not keep up with ${r.eventsPerSecond} events/s on this machine, and the percentiles are those of a growing queue, over the SMS that arrived.`
      : first !== null && last !== null && last > 2 * first + 1_000
        ? ` The p50 grew from ${ms(first)} in the first 10 s to ${ms(last)} in the last: the stack did not keep up with ${r.eventsPerSecond} events/s on this machine, and these figures are those of a growing queue.`
        : first !== null && last !== null
          ? ` The p50 went from ${ms(first)} in the first 10 s to ${ms(last)} in the last.`
          : '';
  return [
    E2E_HEADING,
    '',
    `\`npm run bench:e2e\` starts the local stack (as \`npm start -- --no-demo\` does, stage ${r.settings.stage}) in a process of its own, on the real clock (${r.clock}), with quiet hours off and the account's SMS rate at ${r.settings.maxPartsPerSecond} parts/s (the run's only configuration overrides), and sends distinct OrderPlaced and OrderStatusChanged events (orders and mobile phones of Poland, Finland and Germany), one per PutEvents request over HTTP with the AWS SDK, as a shop backend would, at a steady ${r.eventsPerSecond} events/s: ${r.warmupSeconds} s of warm-up, not counted, whose backlog is left to drain (${r.warmupDrainSeconds.toFixed(1)} s), then ${r.seconds} s measured. An event's latency runs from PutEvents' answer (accepted by the bus) to its SMS line appearing in \`outbox.jsonl\`, read by the bench as \`tail -f\` reads it, matched by order id and status.`,
    '',
    '| events/s aimed | sent at | measured events | SMS arrived | p50 | p99 | max | PutEvents p50 / p99 | load average before; after |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    `| ${r.eventsPerSecond} | ${r.achievedEventsPerSecond.toFixed(1)} | ${r.events} (${r.byType.orderPlaced} OrderPlaced, ${r.byType.orderStatusChanged} OrderStatusChanged) | ${r.arrived} of ${r.accepted} accepted | ${ms(r.p50Ms)} | ${ms(r.p99Ms)} | ${ms(r.maxMs)} | ${ms(r.putEventsMs.p50)} / ${ms(r.putEventsMs.p99)} | ${load(r.loadAverage.before)}; ${load(r.loadAverage.after)} |`,
    '',
    `By 10-second slice of the measured window (p50 / p99): ${r.slices.map((s) => `${ms(s.p50Ms)} / ${ms(s.p99Ms)}`).join('; ')}.${trend}`,
    '',
    `What the latency is made of. Each buffer hands its function a batch when it has ${r.settings.batchSize} records or its oldest has waited ${r.settings.batchingWindowMs} ms (the batching window; the CDK app deploys \`maxBatchingWindow\` 1 s; at ${r.eventsPerSecond} events/s a batch of ${r.settings.batchSize} fills in about ${Math.round((1000 * r.settings.batchSize) / r.eventsPerSecond)} ms), ${r.settings.bufferConcurrency} batches at once (the event source's \`maxConcurrency\`); the order-SMS function takes a batch's records one after the other; SNS's stand-in paces to ${r.settings.smsPartsPerSecond} parts/s (the order-SMS function's two invocations' share of ${r.settings.maxPartsPerSecond}; ${r.segmentsPerSms === null ? 'n/a' : r.segmentsPerSms.toFixed(2)} parts per SMS here). Every order event also feeds the order index, the fact recorder and the cart callbacks, all in the stack's one process and on one DynamoDB Local (${r.settings.database}), where each call costs CPU on the same machine. Machine: ${r.machine}, shared with other work: the figures are noisy, the load average says how busy it was.`,
    '',
  ];
};

/** `markdown` with the section under `heading` replaced by `section` (appended when there is none). */
export const replaceSection = (markdown: string, heading: string, section: string): string => {
  const start = markdown.indexOf(heading);
  if (start < 0) return `${markdown.trimEnd()}\n\n${section}`;
  const next = markdown.indexOf('\n## ', start + heading.length);
  return `${markdown.slice(0, start)}${section}${next < 0 ? '' : `\n${markdown.slice(next + 1)}`}`;
};
