/**
 * `npm run cost`'s reading of its inputs: the cold starts bench.coldStarts measured, the PipelineStack's
 * alarms and polled queues, and the section it replaces in bench/results.md.
 */
import { describe, expect, it } from 'vitest';
import {
  computeCost,
  COST_HEADING,
  countTemplate,
  initMsByFunction,
  readPrices,
  withCostSection,
} from '../../../bench/cost.js';
import { DEFAULT_MIX, type PipelineFigures, type ScenarioFigures } from '../../../bench/pipeline-calls.js';

describe('INIT time per function', () => {
  it('takes the deployed variant measured, and the median of the measured for a function not measured', () => {
    // Prepare
    const coldStarts = [
      { name: 'order-sms', deployed: false, loadMs: 300 },
      { name: 'order-sms', deployed: true, loadMs: 90 },
      { name: 'order-index', deployed: true, loadMs: 60 },
      { name: 'overflow-router', deployed: true, loadMs: 20 },
    ];
    // Act
    const init = initMsByFunction(coldStarts, ['order-sms', 'order-index', 'fact-recorder']);
    // Assess
    expect(init['order-sms']?.ms).toBe(90);
    expect(init['order-index']?.ms).toBe(60);
    expect(init['fact-recorder']).toEqual({
      ms: 60,
      from: 'not in bench.coldStarts: the median load time of the functions it measured',
    });
  });

  it('says so when nothing was measured', () => {
    // Prepare / Act
    const init = initMsByFunction([], ['order-sms']);
    // Assess
    expect(init['order-sms']?.from).toContain('bench.coldStarts is missing');
  });
});

describe('the PipelineStack counted from its template', () => {
  it('bills an alarm on metric math per metric, and polls queues but not streams', () => {
    // Prepare
    const template = {
      Resources: {
        Plain: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors' } },
        Math: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: { Metrics: [{ Expression: 'a + b' }, { MetricStat: {} }, { MetricStat: {} }] },
        },
        Pager: { Type: 'AWS::CloudWatch::CompositeAlarm' },
        Board: { Type: 'AWS::CloudWatch::Dashboard' },
        Queue: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { BatchSize: 10 } },
        Stream: { Type: 'AWS::Lambda::EventSourceMapping', Properties: { StartingPosition: 'LATEST' } },
      },
    };
    // Act
    const counted = countTemplate(template);
    // Assess
    expect(counted).toEqual({ standardAlarmMetrics: 3, compositeAlarms: 1, dashboards: 1, polledQueues: 1 });
  });
});

describe('the section in bench/results.md', () => {
  it('replaces its own section in place and leaves the others', () => {
    // Prepare
    const md = `# Benchmark results\n\n## Cold starts\n\nA\n\n${COST_HEADING}\n\nold figures\n\n## SMS path\n\nB\n`;
    // Act
    const updated = withCostSection(md, [COST_HEADING, '', 'new figures', '']);
    // Assess
    expect(updated).toBe(
      `# Benchmark results\n\n## Cold starts\n\nA\n\n${COST_HEADING}\n\nnew figures\n\n## SMS path\n\nB\n`,
    );
  });

  it('adds it at the end when there is none yet', () => {
    // Prepare / Act
    const updated = withCostSection('# Benchmark results\n\n## Cold starts\n\nA\n', [
      COST_HEADING,
      '',
      'figures',
      '',
    ]);
    // Assess
    expect(updated.endsWith(`A\n\n${COST_HEADING}\n\nfigures\n`)).toBe(true);
  });
});

const scenario = (batchSize: number): ScenarioFigures => ({
  batchSize,
  orderEvents: 100,
  perOrderEvent: {
    eventBridgeEvents: { shopEntries: 1, shopBillable: 1, published: 1, billable: 2, meanEntryBytes: 400 },
    archivedBytes: 0,
    sqsRequests: { sendMessage: 3, receiveMessage: 0.3, deleteMessageBatch: 0.3, total: 3.6 },
    lambdaInvocations: { total: 0.3, byFunction: { 'order-sms': 0.1, 'order-index': 0.2 } },
    lambdaGbSeconds: { warm: 0, byFunction: {} },
    dynamo: { calls: 0, callsByTable: {}, readUnits: {}, writeUnits: { ledger: 2, orders: 1 } },
    logBytes: { total: 0, byFunction: {} },
    metricValues: 0,
    smsSent: 1,
    smsParts: 0,
  },
  warmMsPerBatch: {},
  batchItemFailures: 0,
});

const pipeline: PipelineFigures = {
  mix: DEFAULT_MIX,
  orders: 20,
  seed: 1,
  memoryMb: 256,
  busy: scenario(10),
  quiet: scenario(1),
  storage: {},
  distinctMetrics: ['a', 'b'],
  smsByCountry: {},
  smsByLanguage: {
    pl: { sms: 10, parts: 28, encodings: ['UCS-2'] },
    fi: { sms: 4, parts: 4, encodings: ['GSM-7'] },
  },
  smsPartsPerSecondPerSender: 10,
  smsPerOrderEvent: 1,
  smsPartsPerOrderEvent: 0,
};

describe('the cost of a counted run', () => {
  it('prices each country by the parts its language cost in the run, and sums the services', () => {
    // Prepare
    const prices = readPrices();
    // Act
    const cost = computeCost(pipeline, prices, {
      coldStarts: [],
      archiveRetentionDays: 7,
      logRetentionDays: 90,
      template: undefined,
      templateFrom: 'none',
    });
    // Assess: Poland's SMS are Polish, 2.8 parts each; Finland's Finnish, 1 part each.
    const poland = cost.smsPerCountry.find((c) => c.country === 'PL');
    const finland = cost.smsPerCountry.find((c) => c.country === 'FI');
    expect(poland?.partsPerSms).toBeCloseTo(2.8, 10);
    expect(poland?.perMillionSmsEvents).toBeCloseTo(
      2.8 * (prices.smsPerPart.countries.PL?.price ?? 0) * 1e6,
      6,
    );
    expect(finland?.partsPerSms).toBe(1);
    // EventBridge: two events at the custom-event price; DynamoDB: three write units.
    expect(cost.perMillionOrderEvents.byService.EventBridge).toBeCloseTo(
      2 * prices.prices.eventBridgeCustomEvents.price * 1e6,
      9,
    );
    expect(cost.perMillionOrderEvents.byService.DynamoDB).toBeCloseTo(
      3 * prices.prices.dynamoWriteRequestUnits.price * 1e6,
      9,
    );
    const sum = Object.values(cost.perMillionOrderEvents.byService).reduce((a, b) => a + b, 0);
    expect(cost.perMillionOrderEvents.total).toBeCloseTo(sum, 9);
    expect(cost.withinBudget).toBe(cost.perMillionOrderEvents.total < 3);
  });
});
