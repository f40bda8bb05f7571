/**
 * The cost model's arithmetic against the examples AWS publishes with its prices, so the dollars a user reads
 * follow the rules the bill follows.
 */
import { describe, expect, it } from 'vitest';
import {
  billableLogBytes,
  billedMs,
  coldStartGbSecondsPerInvocation,
  costPerMillionOrderEvents,
  type CostInputs,
  eventBridgeChunks,
  fixedMonthly,
  gbSeconds,
  itemBytes,
  numberBytes,
  perMillion,
  type PriceList,
  putEventsEntryBytes,
  readUnits,
  smsPerMillion,
  storageCostPerMillion,
  tieredCost,
  type WireValue,
  writeUnits,
} from '../../../bench/cost-model.js';

const KB = 1024;

describe('DynamoDB request units from item sizes', () => {
  // AWS, "Amazon DynamoDB pricing for on-demand capacity", key terms (read request unit), 2025: "a strongly
  // consistent read request of an 8 KB item requires two read request units, an eventually consistent read
  // of an 8 KB item requires one read request unit, and a transactional read of an 8 KB item requires four".
  it.each([
    { bytes: 8 * KB, consistency: 'strong', units: 2 },
    { bytes: 8 * KB, consistency: 'eventual', units: 1 },
    { bytes: 8 * KB, consistency: 'transactional', units: 4 },
    // "A strongly consistent read request of up to 4 KB requires one read request unit"; up to 4 KB
    // eventually consistent, one half.
    { bytes: 4 * KB, consistency: 'strong', units: 1 },
    { bytes: 4 * KB + 1, consistency: 'strong', units: 2 },
    { bytes: 300, consistency: 'eventual', units: 0.5 },
    // An item not found is still a read of the smallest size.
    { bytes: 0, consistency: 'strong', units: 1 },
  ] as const)('a $consistency read of $bytes bytes costs $units RRU', ({ bytes, consistency, units }) => {
    // Prepare: the size and consistency of one read. Act:
    const charged = readUnits(bytes, consistency);
    // Assess
    expect(charged).toBe(units);
  });

  // AWS, "Amazon DynamoDB pricing for provisioned capacity", key terms (write capacity unit), 2025: "a standard
  // write request of a 1 KB item would require one WCU, a standard write request of a 3 KB item would require
  // three WCUs, and a transactional write request of a 3 KB item would require six WCUs" (on demand bills
  // write request units by the same rule).
  it.each([
    { bytes: 1 * KB, transactional: false, units: 1 },
    { bytes: 3 * KB, transactional: false, units: 3 },
    { bytes: 3 * KB, transactional: true, units: 6 },
    { bytes: 1 * KB + 1, transactional: false, units: 2 },
    { bytes: 120, transactional: false, units: 1 },
  ])(
    'a write of $bytes bytes (transactional: $transactional) costs $units WRU',
    ({ bytes, transactional, units }) => {
      // Prepare / Act
      const charged = writeUnits(bytes, transactional);
      // Assess
      expect(charged).toBe(units);
    },
  );
});

describe('DynamoDB item sizes', () => {
  // AWS, Amazon DynamoDB Developer Guide, "Item sizes and formats" (2025): strings are their UTF-8 bytes,
  // numbers about one byte per two significant digits plus one, null and Boolean one byte, lists and maps
  // 3 bytes plus one per element, and every attribute's name counts as its UTF-8 bytes.
  it.each<{ what: string; item: Record<string, WireValue>; bytes: number }>([
    { what: 'a string', item: { id: { S: 'abc' } }, bytes: 2 + 3 },
    { what: 'a multi-byte string', item: { n: { S: 'ę' } }, bytes: 1 + 2 },
    { what: 'a number of 3 digits', item: { n: { N: '123' } }, bytes: 1 + 3 },
    { what: 'a number with trailing zeros', item: { n: { N: '1000' } }, bytes: 1 + 2 },
    { what: 'a Boolean and a null', item: { a: { BOOL: true }, b: { NULL: true } }, bytes: 1 + 1 + 1 + 1 },
    { what: 'a map of one string', item: { m: { M: { k: { S: 'v' } } } }, bytes: 1 + 3 + (1 + 1 + 1) },
    {
      what: 'a list of two numbers',
      item: { l: { L: [{ N: '1' }, { N: '22' }] } },
      bytes: 1 + 3 + (2 + 1) + (2 + 1),
    },
  ])('$what', ({ item, bytes }) => {
    // Prepare: one item. Act:
    const size = itemBytes(item);
    // Assess
    expect(size).toBe(bytes);
  });

  it('counts a number by its significant digits, not its sign, point or exponent', () => {
    // Prepare / Act / Assess
    expect(numberBytes('-12.5')).toBe(numberBytes('125'));
  });
});

describe('EventBridge events billed', () => {
  // AWS, "Amazon EventBridge pricing" (2025): "Each 64 KB chunk of a payload is billed as one event (for
  // example, an event with a 256 KB payload is billed as 4 events)".
  it.each([
    { bytes: 256 * KB, events: 4 },
    { bytes: 64 * KB, events: 1 },
    { bytes: 64 * KB + 1, events: 2 },
    { bytes: 400, events: 1 },
  ])('an entry of $bytes bytes is billed as $events events', ({ bytes, events }) => {
    // Prepare / Act
    const billed = eventBridgeChunks(bytes);
    // Assess
    expect(billed).toBe(events);
  });

  // AWS, Amazon EventBridge User Guide, "Calculating PutEvents event entry size" (2025): Time is 14 bytes if
  // given; Source, DetailType, Detail and each Resources entry are their UTF-8 bytes.
  it('sizes an entry as EventBridge does', () => {
    // Prepare
    const entry = {
      Source: 'shop',
      DetailType: 'OrderPlaced',
      Detail: '{"a":"ż"}',
      Resources: ['r1'],
      Time: new Date(),
    };
    // Act
    const bytes = putEventsEntryBytes(entry);
    // Assess: 14 + 4 + 11 + 10 + 2
    expect(bytes).toBe(41);
  });
});

describe('Lambda duration', () => {
  it('rounds each invocation up to the millisecond (AWS Lambda pricing: "rounded up to the nearest 1 ms")', () => {
    // Prepare / Act / Assess
    expect(billedMs(1.0001)).toBe(2);
    expect(gbSeconds(1000, 1024)).toBe(1);
    expect(gbSeconds(100, 256)).toBe(0.025);
  });

  it.each([
    { rate: 0, initMs: 300, memoryMb: 256, gbs: 0 },
    { rate: 1, initMs: 200, memoryMb: 256, gbs: 0.05 },
    { rate: 0.01, initMs: 200, memoryMb: 256, gbs: 0.0005 },
    { rate: 0.001, initMs: 1000, memoryMb: 1024, gbs: 0.001 },
  ])(
    'a cold-start rate of $rate with $initMs ms of INIT at $memoryMb MiB adds $gbs GB-s per invocation',
    ({ rate, initMs, memoryMb, gbs }) => {
      // Prepare / Act
      const share = coldStartGbSecondsPerInvocation(rate, initMs, memoryMb);
      // Assess
      expect(share).toBeCloseTo(gbs, 12);
    },
  );
});

describe('CloudWatch Logs', () => {
  it('bills each log event its bytes and 26 bytes of metadata', () => {
    // Prepare / Act / Assess
    expect(billableLogBytes(['{"a":1}', 'ż'])).toBe(7 + 26 + 2 + 26);
  });

  // The Duckbill Group, "Lambda logs: the new tiered CloudWatch pricing" (May 2025): 60 TB of Lambda logs a
  // month cost US$30,000 at the former flat US$0.50 per GB and US$12,500 in the tiers (US East: 0.50 for the
  // first 10 TB, 0.25 for the next 20, 0.10 for the next 20, 0.05 above 50 TB; a TB taken as 1,000 GB).
  it.each([
    { tiers: [{ upTo: null, price: 0.5 }], cost: 30_000 },
    {
      tiers: [
        { upTo: 10_000, price: 0.5 },
        { upTo: 30_000, price: 0.25 },
        { upTo: 50_000, price: 0.1 },
        { upTo: null, price: 0.05 },
      ],
      cost: 12_500,
    },
  ])('60 TB cost US$$cost', ({ tiers, cost }) => {
    // Prepare / Act
    const dollars = tieredCost(60_000, tiers);
    // Assess
    expect(dollars).toBeCloseTo(cost, 6);
  });

  it('stays in the first tier below it', () => {
    // Prepare / Act / Assess
    expect(
      tieredCost(2, [
        { upTo: 10_000, price: 0.63 },
        { upTo: null, price: 0.1 },
      ]),
    ).toBeCloseTo(1.26, 10);
  });
});

describe('dollars per million order events', () => {
  it.each([
    { perEvent: 2, price: 0.000001, dollars: 2 },
    { perEvent: 3.8, price: 0.0000004, dollars: 1.52 },
    { perEvent: 5.28, price: 0.0000007625, dollars: 4.026 },
  ])(
    '$perEvent units per event at $price a unit cost US$$dollars per million',
    ({ perEvent, price, dollars }) => {
      // Prepare / Act / Assess
      expect(perMillion(perEvent, price)).toBeCloseTo(dollars, 9);
    },
  );

  it('stores a gigabyte of a million events for a month at the GB-month price', () => {
    // Prepare: a million events of 1,073.741824 bytes are one GB; 30.4375 days are a month.
    // Act
    const dollars = storageCostPerMillion(1024 ** 3 / 1_000_000, 365.25 / 12, 0.306);
    // Assess
    expect(dollars).toBeCloseTo(0.306, 10);
  });

  it('prices SMS per part: two parts at US$0.04 are US$80,000 a million', () => {
    // Prepare / Act / Assess
    expect(smsPerMillion(2, 0.04)).toBeCloseTo(80_000, 6);
  });
});

const entry = (price: number) => ({ unit: 'u', price, source: 'test' });
const prices: PriceList = {
  region: 'eu-central-1',
  asOf: '2026-12-07',
  prices: {
    eventBridgeCustomEvents: entry(0.000001),
    eventBridgeArchiveProcessed: entry(0.1),
    eventBridgeArchiveStorage: entry(0.023),
    sqsStandardRequests: entry(0.0000004),
    lambdaRequests: entry(0.0000002),
    lambdaArmGbSecond: entry(0.0000133334),
    dynamoWriteRequestUnits: entry(0.0000007625),
    dynamoReadRequestUnits: entry(0.0000001525),
    dynamoStorage: entry(0.306),
    dynamoIaWriteRequestUnits: entry(0.000000953125),
    dynamoIaReadRequestUnits: entry(0.000000190625),
    dynamoIaStorage: entry(0.1224),
    dynamoPointInTimeRecovery: entry(0.2448),
    cloudWatchLogsVendedIngestion: { unit: 'GB', tiers: [{ upToGb: null, price: 0.63 }], source: 'test' },
    cloudWatchLogsStorage: entry(0.0324),
    cloudWatchCustomMetrics: entry(0.3),
    cloudWatchStandardAlarms: entry(0.1),
    cloudWatchCompositeAlarms: entry(0.5),
    cloudWatchDashboards: entry(3),
  },
  smsPerPart: { countries: {} },
};

const nothing: CostInputs = {
  eventBridgeShopEvents: 0,
  eventBridgeBillableEvents: 0,
  archivedBytes: 0,
  archiveRetentionDays: 7,
  sqsRequests: 0,
  invocations: {},
  warmGbSeconds: 0,
  initMs: {},
  coldStartRate: 0,
  memoryMb: 256,
  smsParts: 0,
  smsPartsPerSecondPerSender: 10,
  readUnits: 0,
  writeUnits: 0,
  storage: [],
  logBytes: 0,
  logRetentionDays: 90,
};

describe('the cost table', () => {
  it.each<{ what: string; inputs: Partial<CostInputs>; service: string; dollars: number }>([
    {
      what: "the shop's event and one SMS fact",
      inputs: { eventBridgeShopEvents: 1, eventBridgeBillableEvents: 2 },
      service: 'EventBridge',
      dollars: 2,
    },
    {
      what: 'three deliveries and a batch of ten',
      inputs: { sqsRequests: 3.2 },
      service: 'SQS',
      dollars: 1.28,
    },
    { what: 'one write unit', inputs: { writeUnits: 1 }, service: 'DynamoDB', dollars: 0.7625 },
    {
      what: 'one write unit on a Standard-IA table',
      inputs: { infrequentAccessWriteUnits: 1 },
      service: 'DynamoDB',
      dollars: 0.953125,
    },
    {
      what: 'a GB-month of a million events on a Standard-IA table',
      inputs: {
        storage: [
          {
            table: 'facts',
            bytesPerEvent: 1024 ** 3 / 1e6,
            retentionDays: 365.25 / 12,
            infrequentAccess: true,
          },
        ],
      },
      service: 'DynamoDB',
      // its storage, and point-in-time recovery of the same gigabyte
      dollars: 0.1224 + 0.2448,
    },
    {
      what: 'a kilobyte of logs',
      inputs: { logBytes: 1024 ** 3 / 1_000_000 },
      service: 'CloudWatch',
      dollars: 0.63 + 0.0324 * (90 / (365.25 / 12)),
    },
    // Two parts at 10 parts/s per sender: 0.2 s asleep at 256 MiB = 0.05 GB-s an event.
    {
      what: 'the wait on the SMS rate',
      inputs: { smsParts: 2 },
      service: 'Lambda',
      dollars: 0.05 * 0.0000133334 * 1e6,
    },
    {
      what: 'a cold start in a hundred invocations of 200 ms INIT',
      inputs: { invocations: { 'order-sms': 1 }, initMs: { 'order-sms': 200 }, coldStartRate: 0.01 },
      service: 'Lambda',
      dollars: 0.2 + 0.0005 * 0.0000133334 * 1e6,
    },
  ])('$what: US$$dollars of $service per million order events', ({ inputs, service, dollars }) => {
    // Prepare: nothing but the one count.
    // Act
    const { rows, total } = costPerMillionOrderEvents({ ...nothing, ...inputs }, prices);
    // Assess: that service carries the whole cost, and the total is the rows' sum.
    const ofService = rows.filter((r) => r.service === service).reduce((s, r) => s + r.dollars, 0);
    expect(ofService).toBeCloseTo(dollars, 9);
    expect(total).toBeCloseTo(dollars, 9);
  });

  it('sums the fixed monthly costs: alarms, a dashboard, metrics and idle polling', () => {
    // Prepare
    const inputs = {
      polledQueues: 6,
      idlePollRequestsPerQueueMonth: 1_000_000,
      standardAlarmMetrics: 74,
      compositeAlarms: 1,
      dashboards: 1,
      customMetrics: 5,
    };
    // Act
    const { total } = fixedMonthly(inputs, prices);
    // Assess: 6 × 0.40 + 7.40 + 0.50 + 3.00 + 1.50
    expect(total).toBeCloseTo(14.8, 9);
  });
});
