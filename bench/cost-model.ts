/**
 * The cost model's arithmetic, apart from any measuring, so each rule a bill follows is one small function
 * a test can hold to the documented examples: EventBridge's 64 KB chunks, DynamoDB's request units from item
 * sizes, CloudWatch Logs' per-event overhead, the cold starts' share of billed time, and dollars per million
 * order events from counts per event and a list price.
 */

/** A DynamoDB attribute value as it travels on the wire (DynamoDB JSON). */
export type WireValue =
  | { S: string }
  | { N: string }
  | { B: string }
  | { BOOL: boolean }
  | { NULL: boolean }
  | { SS: string[] }
  | { NS: string[] }
  | { BS: string[] }
  | { L: WireValue[] }
  | { M: Record<string, WireValue> };

const utf8 = (s: string): number => Buffer.byteLength(s, 'utf8');

/** A number's stored size: one byte per two significant digits, plus one (DynamoDB developer guide). */
export const numberBytes = (n: string): number => {
  const digits = n
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '')
    .replace(/^0+/, '');
  const significant = digits.replace(/0+$/, '').length || 1;
  return Math.ceil(significant / 2) + 1;
};

/** The stored size of one attribute value, by the rules of the DynamoDB developer guide's "Item sizes". */
export const valueBytes = (value: WireValue): number => {
  if ('S' in value) return utf8(value.S);
  if ('N' in value) return numberBytes(value.N);
  if ('B' in value) return Buffer.from(value.B, 'base64').length;
  if ('BOOL' in value || 'NULL' in value) return 1;
  if ('SS' in value) return value.SS.reduce((sum, s) => sum + utf8(s), 0);
  if ('NS' in value) return value.NS.reduce((sum, n) => sum + numberBytes(n), 0);
  if ('BS' in value) return value.BS.reduce((sum, b) => sum + Buffer.from(b, 'base64').length, 0);
  // Lists and maps: 3 bytes whatever their content, and 1 byte per element.
  if ('L' in value) return 3 + value.L.reduce((sum, v) => sum + valueBytes(v) + 1, 0);
  return 3 + Object.entries(value.M).reduce((sum, [k, v]) => sum + utf8(k) + valueBytes(v) + 1, 0);
};

/** An item's size: the names of its attributes and their values. */
export const itemBytes = (item: Record<string, WireValue> | undefined): number =>
  item === undefined ? 0 : Object.entries(item).reduce((sum, [k, v]) => sum + utf8(k) + valueBytes(v), 0);

/** Bytes DynamoDB adds to every item it stores (and to each index entry) for indexing. */
export const STORAGE_OVERHEAD_BYTES = 100;

/** Write request units of one standard write: 1 per KB (1,024 bytes) of the larger of the item before and after. */
export const writeUnits = (bytes: number, transactional = false): number =>
  Math.max(1, Math.ceil(bytes / 1024)) * (transactional ? 2 : 1);

/** Read request units: 1 per 4 KB strongly consistent, half of it eventually consistent, double in a transaction. */
export const readUnits = (
  bytes: number,
  consistency: 'strong' | 'eventual' | 'transactional' = 'strong',
): number => {
  const units = Math.max(1, Math.ceil(bytes / 4096));
  return consistency === 'eventual' ? units / 2 : consistency === 'transactional' ? units * 2 : units;
};

/** A PutEvents entry's size as EventBridge calculates it ("Calculating PutEvents event entry size"). */
export interface PutEventsEntryLike {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly Resources?: readonly string[];
  readonly Time?: unknown;
}

export const putEventsEntryBytes = (entry: PutEventsEntryLike): number =>
  (entry.Time === undefined ? 0 : 14) +
  utf8(entry.Source ?? '') +
  utf8(entry.DetailType ?? '') +
  utf8(entry.Detail ?? '') +
  (entry.Resources ?? []).reduce((sum, r) => sum + utf8(r), 0);

/** Events EventBridge bills for one entry: each 64 KB chunk of its payload is one event. */
export const eventBridgeChunks = (bytes: number): number => Math.max(1, Math.ceil(bytes / (64 * 1024)));

/** CloudWatch Logs bills each log event's UTF-8 bytes plus 26 bytes of metadata. */
export const LOG_EVENT_OVERHEAD_BYTES = 26;

export const billableLogBytes = (lines: readonly string[]): number =>
  lines.reduce((sum, line) => sum + utf8(line) + LOG_EVENT_OVERHEAD_BYTES, 0);

/** Lambda bills duration rounded up to the millisecond. */
export const billedMs = (ms: number): number => Math.ceil(ms);

/** GB-seconds of `ms` at `memoryMb` (Lambda counts a GB as 1,024 MB). */
export const gbSeconds = (ms: number, memoryMb: number): number => (billedMs(ms) / 1000) * (memoryMb / 1024);

/**
 * The INIT phase's GB-seconds spread over every invocation: `coldStartRate` of the invocations start a new
 * execution environment, and each such start bills `initMs` (AWS bills INIT since August 2025).
 */
export const coldStartGbSecondsPerInvocation = (
  coldStartRate: number,
  initMs: number,
  memoryMb: number,
): number => coldStartRate * gbSeconds(initMs, memoryMb);

/** Dollars for a million order events, from a count per order event and a price per unit. */
export const perMillion = (countPerEvent: number, pricePerUnit: number): number =>
  countPerEvent * 1_000_000 * pricePerUnit;

/** A price per unit that falls with volume: the first tier's `upTo` units at its price, and so on. */
export interface PriceTier {
  readonly upTo: number | null;
  readonly price: number;
}

/** What `quantity` units cost through the tiers, the first tier first. */
export const tieredCost = (quantity: number, tiers: readonly PriceTier[]): number => {
  let left = quantity;
  let from = 0;
  let cost = 0;
  for (const tier of tiers) {
    if (left <= 0) break;
    const width = tier.upTo === null ? left : Math.min(left, tier.upTo - from);
    cost += width * tier.price;
    left -= width;
    from = tier.upTo ?? from;
  }
  return cost;
};

/**
 * Storage for a million order events: each event leaves `bytesPerEvent` in a table that keeps them
 * `retentionDays`, so at a steady million events a month the table holds retention/30.4 months of them.
 */
export const storageCostPerMillion = (
  bytesPerEvent: number,
  retentionDays: number,
  pricePerGbMonth: number,
): number => ((bytesPerEvent * 1_000_000) / 1024 ** 3) * (retentionDays / (365.25 / 12)) * pricePerGbMonth;

/** The list prices the model reads (bench/prices-eu-central-1.json). */
export interface PriceEntry {
  readonly unit: string;
  readonly price: number;
  readonly source: string;
}

export interface TieredPriceEntry {
  readonly unit: string;
  readonly tiers: readonly { readonly upToGb: number | null; readonly price: number }[];
  readonly source: string;
}

export interface PriceList {
  readonly region: string;
  readonly asOf: string;
  readonly prices: {
    readonly eventBridgeCustomEvents: PriceEntry;
    readonly eventBridgeArchiveProcessed: PriceEntry;
    readonly eventBridgeArchiveStorage: PriceEntry;
    readonly sqsStandardRequests: PriceEntry;
    readonly lambdaRequests: PriceEntry;
    readonly lambdaArmGbSecond: PriceEntry;
    readonly dynamoWriteRequestUnits: PriceEntry;
    readonly dynamoReadRequestUnits: PriceEntry;
    readonly dynamoStorage: PriceEntry;
    readonly dynamoIaWriteRequestUnits: PriceEntry;
    readonly dynamoIaReadRequestUnits: PriceEntry;
    readonly dynamoIaStorage: PriceEntry;
    readonly dynamoPointInTimeRecovery: PriceEntry;
    readonly cloudWatchLogsVendedIngestion: TieredPriceEntry;
    readonly cloudWatchLogsStorage: PriceEntry;
    readonly cloudWatchCustomMetrics: PriceEntry;
    readonly cloudWatchStandardAlarms: PriceEntry;
    readonly cloudWatchCompositeAlarms: PriceEntry;
    readonly cloudWatchDashboards: PriceEntry;
  };
  readonly smsPerPart: {
    readonly countries: Readonly<
      Record<string, { readonly name: string; readonly price: number; readonly source: string }>
    >;
  };
}

/** What one order event costs the infrastructure, counted by the bench (bench.pipeline). */
export interface CostInputs {
  /** Billable events (64 KB chunks) per order event: the shop's entry, and all of them (peakline's too). */
  readonly eventBridgeShopEvents: number;
  readonly eventBridgeBillableEvents: number;
  readonly archivedBytes: number;
  readonly archiveRetentionDays: number;
  readonly sqsRequests: number;
  /** Invocations per order event, by function. */
  readonly invocations: Readonly<Record<string, number>>;
  readonly warmGbSeconds: number;
  /** INIT duration of a cold start, by function (bench.coldStarts), in ms. */
  readonly initMs: Readonly<Record<string, number>>;
  /** Share of invocations that start a new execution environment. */
  readonly coldStartRate: number;
  readonly memoryMb: number;
  /** SMS parts sent per order event, and the rate each sender paces them to: the wait is billed duration. */
  readonly smsParts: number;
  readonly smsPartsPerSecondPerSender: number;
  /** Request units per order event on tables of the Standard class. */
  readonly readUnits: number;
  readonly writeUnits: number;
  /** Request units per order event on tables of the Standard-IA class (dearer requests, cheaper storage). */
  readonly infrequentAccessReadUnits?: number;
  readonly infrequentAccessWriteUnits?: number;
  readonly storage: readonly {
    readonly table: string;
    readonly bytesPerEvent: number;
    readonly retentionDays: number;
    readonly infrequentAccess?: boolean;
  }[];
  readonly logBytes: number;
  readonly logRetentionDays: number;
}

export interface CostRow {
  readonly service: string;
  readonly item: string;
  /** Units per order event. */
  readonly perEvent: number;
  readonly unit: string;
  readonly unitPrice: number;
  /** US$ per million order events. */
  readonly dollars: number;
}

const MONTH_DAYS = 365.25 / 12;
const GB = 1024 ** 3;

/** The cost of a million order events, line by line, and its total (US$). */
export const costPerMillionOrderEvents = (
  inputs: CostInputs,
  prices: PriceList,
): { rows: CostRow[]; total: number } => {
  const p = prices.prices;
  const invocations = Object.values(inputs.invocations).reduce((a, b) => a + b, 0);
  const coldGbSeconds = Object.entries(inputs.invocations).reduce(
    (sum, [fn, n]) =>
      sum +
      n * coldStartGbSecondsPerInvocation(inputs.coldStartRate, inputs.initMs[fn] ?? 0, inputs.memoryMb),
    0,
  );
  const pacingGbSeconds =
    inputs.smsPartsPerSecondPerSender > 0
      ? (inputs.smsParts / inputs.smsPartsPerSecondPerSender) * (inputs.memoryMb / 1024)
      : 0;
  const logGb = (inputs.logBytes * 1_000_000) / GB;
  const row = (
    service: string,
    item: string,
    perEvent: number,
    unit: string,
    unitPrice: number,
  ): CostRow => ({
    service,
    item,
    perEvent,
    unit,
    unitPrice,
    dollars: perMillion(perEvent, unitPrice),
  });
  const rows: CostRow[] = [
    row(
      'EventBridge',
      "custom events: the shop's order events, per 64 KB chunk (billed to the shop's account when it is another)",
      inputs.eventBridgeShopEvents,
      'event',
      p.eventBridgeCustomEvents.price,
    ),
    row(
      'EventBridge',
      "custom events: peakline's facts published back (SMS sent or suppressed, callbacks)",
      inputs.eventBridgeBillableEvents - inputs.eventBridgeShopEvents,
      'event',
      p.eventBridgeCustomEvents.price,
    ),
    row(
      'EventBridge',
      'archive: events archived',
      inputs.archivedBytes / GB,
      'GB',
      p.eventBridgeArchiveProcessed.price,
    ),
    row(
      'EventBridge',
      `archive: storage for ${inputs.archiveRetentionDays} days`,
      (inputs.archivedBytes / GB) * (inputs.archiveRetentionDays / MONTH_DAYS),
      'GB-month',
      p.eventBridgeArchiveStorage.price,
    ),
    row(
      'SQS',
      'requests (SendMessage by the rules, Receive and DeleteMessageBatch by Lambda)',
      inputs.sqsRequests,
      'request',
      p.sqsStandardRequests.price,
    ),
    row('Lambda', 'invocations', invocations, 'request', p.lambdaRequests.price),
    row('Lambda', 'duration, warm handler time', inputs.warmGbSeconds, 'GB-s', p.lambdaArmGbSecond.price),
    row(
      'Lambda',
      `duration, INIT of cold starts (${(inputs.coldStartRate * 100).toFixed(2)}% of invocations)`,
      coldGbSeconds,
      'GB-s',
      p.lambdaArmGbSecond.price,
    ),
    row(
      'Lambda',
      'duration, order-sms waiting on the SMS rate',
      pacingGbSeconds,
      'GB-s',
      p.lambdaArmGbSecond.price,
    ),
    row(
      'DynamoDB',
      'write request units (their global indexes’ included)',
      inputs.writeUnits,
      'WRU',
      p.dynamoWriteRequestUnits.price,
    ),
    row('DynamoDB', 'read request units', inputs.readUnits, 'RRU', p.dynamoReadRequestUnits.price),
    ...((inputs.infrequentAccessWriteUnits ?? 0) > 0 || (inputs.infrequentAccessReadUnits ?? 0) > 0
      ? [
          row(
            'DynamoDB',
            'write request units, Standard-IA tables (their global indexes’ included)',
            inputs.infrequentAccessWriteUnits ?? 0,
            'WRU',
            p.dynamoIaWriteRequestUnits.price,
          ),
          row(
            'DynamoDB',
            'read request units, Standard-IA tables',
            inputs.infrequentAccessReadUnits ?? 0,
            'RRU',
            p.dynamoIaReadRequestUnits.price,
          ),
        ]
      : []),
    ...inputs.storage.map((s) =>
      row(
        'DynamoDB',
        `storage: ${s.table} (${s.retentionDays.toFixed(0)} days${s.infrequentAccess === true ? ', Standard-IA' : ''})`,
        (s.bytesPerEvent / GB) * (s.retentionDays / MONTH_DAYS),
        'GB-month',
        s.infrequentAccess === true ? p.dynamoIaStorage.price : p.dynamoStorage.price,
      ),
    ),
    // Every table has point-in-time recovery on (the DataStack; cdk-nag's DDB3), billed on the table's size
    // whatever its class. Priced on the same bytes as its storage, its indexes' copies included: an upper bound,
    // as AWS bills the table and its local indexes, not its global ones.
    ...inputs.storage.map((s) =>
      row(
        'DynamoDB',
        `point-in-time recovery: ${s.table}`,
        (s.bytesPerEvent / GB) * (s.retentionDays / MONTH_DAYS),
        'GB-month',
        p.dynamoPointInTimeRecovery.price,
      ),
    ),
    {
      // Tiered by the month's volume: a million order events' logs priced as if they were the month's only ones.
      service: 'CloudWatch',
      item: 'Lambda logs ingested (vended, tier 1), EMF included',
      perEvent: inputs.logBytes / GB,
      unit: 'GB',
      unitPrice: p.cloudWatchLogsVendedIngestion.tiers[0]?.price ?? 0,
      dollars: tieredCost(
        logGb,
        p.cloudWatchLogsVendedIngestion.tiers.map((t) => ({ upTo: t.upToGb, price: t.price })),
      ),
    },
    row(
      'CloudWatch',
      `logs stored ${inputs.logRetentionDays} days (uncompressed: an upper bound)`,
      (inputs.logBytes / GB) * (inputs.logRetentionDays / MONTH_DAYS),
      'GB-month',
      p.cloudWatchLogsStorage.price,
    ),
  ];
  return { rows, total: rows.reduce((sum, r) => sum + r.dollars, 0) };
};

/** What peakline costs a month whatever the traffic. */
export interface FixedInputs {
  /** Queues a Lambda event source polls, and the requests its pollers make on an idle queue a month. */
  readonly polledQueues: number;
  readonly idlePollRequestsPerQueueMonth: number;
  readonly standardAlarmMetrics: number;
  readonly compositeAlarms: number;
  readonly dashboards: number;
  readonly customMetrics: number;
}

export const fixedMonthly = (inputs: FixedInputs, prices: PriceList): { rows: CostRow[]; total: number } => {
  const p = prices.prices;
  const row = (service: string, item: string, count: number, unit: string, unitPrice: number): CostRow => ({
    service,
    item,
    perEvent: count,
    unit,
    unitPrice,
    dollars: count * unitPrice,
  });
  const rows = [
    row(
      'SQS',
      `Lambda's long polls of ${inputs.polledQueues} idle queues`,
      inputs.polledQueues * inputs.idlePollRequestsPerQueueMonth,
      'request',
      p.sqsStandardRequests.price,
    ),
    row(
      'CloudWatch',
      'alarms (standard resolution, per metric)',
      inputs.standardAlarmMetrics,
      'alarm metric',
      p.cloudWatchStandardAlarms.price,
    ),
    row('CloudWatch', 'composite alarms', inputs.compositeAlarms, 'alarm', p.cloudWatchCompositeAlarms.price),
    row('CloudWatch', 'dashboards', inputs.dashboards, 'dashboard', p.cloudWatchDashboards.price),
    row(
      'CloudWatch',
      'custom metrics (EMF), per metric-month',
      inputs.customMetrics,
      'metric',
      p.cloudWatchCustomMetrics.price,
    ),
  ];
  return { rows, total: rows.reduce((sum, r) => sum + r.dollars, 0) };
};

/** SMS for a million SMS-carrying order events to one country: parts per SMS × the country's price per part. */
export const smsPerMillion = (partsPerSms: number, pricePerPart: number): number =>
  partsPerSms * pricePerPart * 1_000_000;
