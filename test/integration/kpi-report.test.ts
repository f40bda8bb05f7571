/**
 * The KPI report from fixture data on DynamoDB Local (facts, seats, the routing audit, each in a table of this
 * file's own) and a recorded GetMetricDataV2 answer (test/fixtures/connect) through aws-sdk-client-mock, read by
 * the real adapters; every figure checked against values worked out by hand below. The HTML is then opened in
 * headless Chromium, as a shop owner would open the file, and printed.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ConnectClient, GetMetricDataV2Command, type GetMetricDataV2Response } from '@aws-sdk/client-connect';
import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { mockClient } from 'aws-sdk-client-mock';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConnectMetricDataSource } from '#adapters/connect/metric-data.js';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { TABLES, type TableName, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { kpiCsv } from '#cli/report/kpi-csv.js';
import { kpiHtml } from '#cli/report/kpi-html.js';
import type { RoutingState } from '#core/ports.js';
import { checkRange } from '#core/reporting/days.js';
import { buildKpiReport, type KpiReport } from '#core/reporting/report.js';
import type { ReportQueue } from '#core/reporting/types.js';
import type { QueueMemory, Thresholds } from '#core/routing/hysteresis.js';
import type { Seat } from '#core/seats/seat.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { launchChromium, openReport } from '#test/support/chromium.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import { createFactsTable, putFixtureFacts } from '#test/support/facts.js';
import { BridgedConnectSender } from '#adapters/connect/sdk-connect-sender.js';

const ZONE = 'Europe/Warsaw';
/** 5 Nov 2026, 11:00 in Warsaw: the range (24-26 Oct) is over and within Connect's three months. */
const NOW = new Date('2026-11-05T10:00:00Z');
const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:111122223333:instance/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
// The recorded answer's two queues (test/fixtures/connect/README.md).
const PRIMARY_ID = '0f1d2c3b-4a59-4687-9a1b-2c3d4e5f6a70';
const CALLBACK_ID = '7e6d5c4b-3a29-4187-8f1e-0d9c8b7a6f50';
const QUEUES: readonly ReportQueue[] = [
  { key: 'primary', id: `${INSTANCE_ARN}/queue/${PRIMARY_ID}`, name: 'primary' },
  {
    key: 'secondLine',
    id: `${INSTANCE_ARN}/queue/5a4b3c2d-1e0f-4a9b-8c7d-6e5f4a3b2c1d`,
    name: 'second-line',
  },
  { key: 'callback', id: CALLBACK_ID, name: 'callback' },
];
const SETTINGS = { serviceLevelSeconds: 20, serviceLevelTarget: 0.8, smsPricePerPartUSD: 0.05 };

/** A recorded page as the SDK hands it over: the wire JSON with the interval's epoch seconds read as Dates. */
const recordedPage = (name: string): GetMetricDataV2Response => {
  const wire = JSON.parse(readFileSync(new URL(`../fixtures/connect/${name}`, import.meta.url), 'utf8')) as {
    MetricResults: { MetricInterval: { StartTime: number; EndTime: number } & Record<string, unknown> }[];
  };
  return {
    ...wire,
    MetricResults: wire.MetricResults.map((result) => ({
      ...result,
      MetricInterval: {
        ...result.MetricInterval,
        StartTime: new Date(result.MetricInterval.StartTime * 1000),
        EndTime: new Date(result.MetricInterval.EndTime * 1000),
      },
    })),
  } as GetMetricDataV2Response;
};

/** A table of this file's own, from the DataStack's definition. */
const createTable = async (table: TableName): Promise<string> => {
  const name = `peakline-test-${table}-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(TABLES[table], name)));
  } finally {
    client.destroy();
  }
  return name;
};

const seat = (username: string, type: Seat['type'], validFrom: string, expiresAt: string): Seat => ({
  username,
  type,
  firstName: 'Test',
  lastName: 'Agent',
  email: `${username}@example.com`,
  validFrom,
  expiresAt,
  state: 'PENDING',
});

/** The overflow controller's changes of the primary queue, written through the real store (state + audit). */
const writeAudit = async (
  store: DynamoRoutingStateStore,
  changes: readonly [string, RoutingState, RoutingState][],
) => {
  let version = 0;
  for (const [at, from, to] of changes) {
    const memory: QueueMemory = {
      state: to,
      aboveEnter: 0,
      aboveDeflect: 0,
      belowEnter: 0,
      belowExit: 0,
      version: version + 1,
      updatedAt: at,
      since: at,
    };
    const written = await store.write('primary', version, memory, {
      queueKey: 'primary',
      queueId: PRIMARY_ID,
      from,
      to,
      at,
      oldestContactAgeSeconds: 90,
      contactsInQueue: 12,
      thresholds: {} as Thresholds,
    });
    if (!written) throw new Error(`audit at ${at} not written`);
    version += 1;
  }
};

describe('the KPI report from DynamoDB Local and a recorded GetMetricDataV2 answer', () => {
  const connect = mockClient(ConnectClient);
  let documents: LeanDocumentClient;
  let report: KpiReport;
  let browser: Browser;

  beforeAll(async () => {
    documents = localDocumentClient();
    const [factsTable, seatsTable, routingTable] = await Promise.all([
      createFactsTable(),
      createTable('seats'),
      createTable('routing'),
    ]);

    // SMS, in the shop's zone (CEST +02:00 until 25 Oct 03:00, CET +01:00 after):
    // in range: 24 Oct order-placed 2 parts + order-shipped 1 part (23:30 CEST is still the 24th), 25 Oct
    // order-shipped 3 parts (02:30 CET, the hour lived twice) and one suppressed for no consent, 26 Oct a
    // deflection SMS of 2 parts at 23:59; outside: 23 Oct 23:59 and 27 Oct 00:30.
    // Callbacks: c1 made on the 24th, ordered after its task -> converted (300); c2 made on the 25th, never
    // ordered; c3 cancelled on the 25th (order placed before its task); c4 made on the 26th, ordered on the
    // 28th -> converted (80); c5 made on the 26th, but the order came an hour before the task -> not converted.
    await putFixtureFacts(
      factsTable,
      [
        { type: 'SmsSent', at: '2026-10-23T23:59:00+02:00', kind: 'order-placed', parts: 1 },
        { type: 'SmsSent', at: '2026-10-24T10:00:00+02:00', kind: 'order-placed', parts: 2 },
        {
          type: 'SmsSent',
          at: '2026-10-24T23:30:00+02:00',
          kind: 'order-shipped',
          status: 'SHIPPED',
          parts: 1,
        },
        {
          type: 'SmsSent',
          at: '2026-10-25T02:30:00+01:00',
          kind: 'order-shipped',
          status: 'SHIPPED',
          parts: 3,
        },
        {
          type: 'SmsSuppressed',
          at: '2026-10-25T12:00:00+01:00',
          kind: 'order-shipped',
          status: 'SHIPPED',
          reason: 'no-consent',
        },
        { type: 'SmsSent', at: '2026-10-26T23:59:00+01:00', kind: 'deflection', parts: 2 },
        { type: 'SmsSent', at: '2026-10-27T00:30:00+01:00', kind: 'order-placed', parts: 1 },
        { type: 'CallbackScheduled', at: '2026-10-24T09:00:00+02:00', cartId: 'c1' },
        { type: 'CallbackCreated', at: '2026-10-24T11:00:00+02:00', cartId: 'c1', cartValue: 300 },
        { type: 'OrderPlaced', at: '2026-10-24T12:00:00+02:00', cartId: 'c1' },
        { type: 'CallbackScheduled', at: '2026-10-25T10:00:00+01:00', cartId: 'c2' },
        { type: 'CallbackCreated', at: '2026-10-25T12:00:00+01:00', cartId: 'c2', cartValue: 150 },
        { type: 'CallbackScheduled', at: '2026-10-25T11:00:00+01:00', cartId: 'c3' },
        { type: 'CallbackCancelled', at: '2026-10-25T11:30:00+01:00', cartId: 'c3', reason: 'order-placed' },
        { type: 'CallbackScheduled', at: '2026-10-26T09:00:00+01:00', cartId: 'c4' },
        { type: 'CallbackCreated', at: '2026-10-26T10:00:00+01:00', cartId: 'c4', cartValue: 80 },
        { type: 'OrderPlaced', at: '2026-10-28T09:00:00+01:00', cartId: 'c4' },
        { type: 'OrderPlaced', at: '2026-10-26T14:00:00+01:00', cartId: 'c5' },
        { type: 'CallbackCreated', at: '2026-10-26T15:00:00+01:00', cartId: 'c5', cartValue: 50 },
      ],
      documents,
    );

    // Seats: anna (voice) all range long; jan (chat-4) from 25 Oct 12:00 Z, revoked 26 Oct 00:00 Z; piotr
    // (second line) ended 24 Oct 10:00 Z, not revoked yet; ewa never got a Connect user (PENDING).
    const seats = new DynamoSeatStore(documents, seatsTable);
    for (const s of [
      seat('anna', 'voice', '2026-10-20T08:00:00.000Z', '2026-12-31T23:00:00.000Z'),
      seat('jan', 'chat-4', '2026-10-25T12:00:00.000Z', '2026-12-31T23:00:00.000Z'),
      seat('piotr', 'second-line', '2026-09-01T06:00:00.000Z', '2026-10-24T10:00:00.000Z'),
      seat('ewa', 'light', '2026-10-24T06:00:00.000Z', '2026-12-31T23:00:00.000Z'),
    ]) {
      await seats.put(s);
      if (s.username !== 'ewa') await seats.markActive(s.username, `user-${s.username}`);
    }
    await seats.markRevoked('jan', 'ops', new Date('2026-10-26T00:00:00.000Z'));

    // The primary queue's changes: OVERFLOW since before the range, NORMAL at 02:30 CEST on the 24th; on the
    // 25th OVERFLOW at 02:30 CEST, DEFLECT at 02:30 CET (the same wall-clock time an hour later), NORMAL at
    // 03:00 CET; OVERFLOW at 23:30 CET on the 26th until after the range.
    await writeAudit(new DynamoRoutingStateStore(documents, routingTable), [
      ['2026-10-23T20:00:00.000Z', 'NORMAL', 'OVERFLOW'],
      ['2026-10-24T00:30:00.000Z', 'OVERFLOW', 'NORMAL'],
      ['2026-10-25T00:30:00.000Z', 'NORMAL', 'OVERFLOW'],
      ['2026-10-25T01:30:00.000Z', 'OVERFLOW', 'DEFLECT'],
      ['2026-10-25T02:00:00.000Z', 'DEFLECT', 'NORMAL'],
      ['2026-10-26T22:30:00.000Z', 'NORMAL', 'OVERFLOW'],
      ['2026-10-27T01:00:00.000Z', 'OVERFLOW', 'NORMAL'],
    ]);

    connect
      .on(GetMetricDataV2Command)
      .resolvesOnce(recordedPage('get-metric-data-v2-page-1.json'))
      .resolvesOnce(recordedPage('get-metric-data-v2-page-2.json'));

    const checked = checkRange('2026-10-24', '2026-10-26', NOW, ZONE);
    if (!checked.ok) throw new Error(checked.problems.join(' '));
    report = await buildKpiReport(
      {
        contactMetrics: new ConnectMetricDataSource(
          BridgedConnectSender.over(new ConnectClient({ region: 'eu-central-1' })),
          {
            instanceArn: INSTANCE_ARN,
            nowMs: () => NOW.getTime(),
          },
        ),
        ownFigures: new DynamoFactStore(documents, factsTable),
        seats,
        routingAudit: new DynamoRoutingStateStore(documents, routingTable),
      },
      { range: checked.range, queues: QUEUES, settings: SETTINGS, now: NOW },
    );
    browser = await launchChromium();
  });

  afterAll(async () => {
    connect.restore();
    documents?.destroy();
    await browser?.close();
  });

  describe('contacts (the recorded answer)', () => {
    it('keeps each day, queue and channel as Connect gave it, a day without answers without an ASA', () => {
      // Assess: five rows; the 26th's 3 voice calls were all abandoned: no ASA, no AHT (null, not 0).
      expect(report.contacts.rows.map((r) => [r.day, r.queueKey, r.channel, r.queued])).toEqual([
        ['2026-10-24', 'primary', 'VOICE', 120],
        ['2026-10-24', 'primary', 'CHAT', 40],
        ['2026-10-25', 'primary', 'VOICE', 96],
        ['2026-10-25', 'callback', 'TASK', 12],
        ['2026-10-26', 'primary', 'VOICE', 3],
      ]);
      const last = report.contacts.rows.at(-1);
      expect([last?.asaSeconds, last?.ahtSeconds, last?.serviceLevel]).toEqual([null, null, 0]);
    });

    it('weights the primary voice totals as worked out by hand', () => {
      // Act
      const voice = report.contacts.byQueueChannel.find(
        (r) => r.queueKey === 'primary' && r.channel === 'VOICE',
      );

      // Assess: queued 120 + 96 + 3 = 219, handled 102 + 90 + 0 = 192, abandoned 18 + 6 + 3 = 27 (27/219);
      // SL weighted by contacts queued (120, 96, 3): (120*0.75 + 96*0.875 + 3*0)/219 = 174/219;
      // ASA by handled: (102*14.5 + 90*9.75)/192 = 2356.5/192 = 12.2734375 s (the mean of daily means: 12.125);
      // AHT: (102*287.25 + 90*301.5)/192 = 56434.5/192 = 293.9296875 s; longest 312 s.
      expect(voice).toMatchObject({ queued: 219, handled: 192, abandoned: 27, maxQueuedSeconds: 312 });
      expect(voice?.abandonmentRate).toBeCloseTo(27 / 219, 12);
      expect(voice?.serviceLevel).toBeCloseTo(174 / 219, 12);
      expect(voice?.asaSeconds).toBeCloseTo(12.2734375, 12);
      expect(voice?.ahtSeconds).toBeCloseTo(293.9296875, 12);
    });

    it('adds every queue and channel up into the period’s totals', () => {
      // Assess: queued 219 + 40 + 12 = 271, handled 192 + 40 + 9 = 241, abandoned 27 (the task day had no
      // CONTACTS_ABANDONED: 0); SL weighted by queued (174 + 40*1 + 12*0.25)/(219 + 40 + 12) = 217/271;
      // ASA (2356.5 + 40*3.2 + 9*1260)/241 = 13824.5/241; AHT (56434.5 + 40*540 + 9*400)/241 = 81634.5/241;
      // longest 5400 s (the task).
      const t = report.contacts.total;
      expect(t).toMatchObject({ queued: 271, handled: 241, abandoned: 27, maxQueuedSeconds: 5400 });
      expect(t.serviceLevel).toBeCloseTo(217 / 271, 12);
      expect(t.asaSeconds).toBeCloseTo(13824.5 / 241, 12);
      expect(t.ahtSeconds).toBeCloseTo(81634.5 / 241, 12);
    });
    it('heads the report with the customers’ contacts: calls and chats, tasks left out', () => {
      // Assess: primary voice and chat: queued 219 + 40 = 259, handled 192 + 40 = 232, abandoned 27;
      // SL (174 + 40*1)/(219 + 40) = 214/259; ASA (2356.5 + 40*3.2)/232 = 2484.5/232; longest 312 s (the
      // task's 5400 s stays out).
      const c = report.contacts.customers;
      expect(c).toMatchObject({ queued: 259, handled: 232, abandoned: 27, maxQueuedSeconds: 312 });
      expect(c.serviceLevel).toBeCloseTo(214 / 259, 12);
      expect(c.asaSeconds).toBeCloseTo(2484.5 / 232, 12);
    });
  });

  it('counts SMS by the shop’s days, with parts and cost', () => {
    // Assess: in range 4 sent (2 + 1 + 3 + 2 = 8 parts, 8 * US$0.05 = 0.40) and 1 suppressed; per day
    // 24th: 2 sent, 3 parts; 25th: 1 sent, 3 parts, 1 suppressed; 26th: 1 sent, 2 parts.
    expect(report.sms.total).toEqual({ sent: 4, suppressed: 1, parts: 8, costUSD: 0.4 });
    expect(report.sms.byDay.map((d) => [d.day, d.sent, d.parts, d.suppressed])).toEqual([
      ['2026-10-24', 2, 3, 0],
      ['2026-10-25', 1, 3, 1],
      ['2026-10-26', 1, 2, 0],
    ]);
    expect(report.sms.byKind).toEqual([
      { kind: 'deflection', sent: 1, suppressed: 0, parts: 2, costUSD: 0.1 },
      { kind: 'order-placed', sent: 1, suppressed: 0, parts: 2, costUSD: 0.1 },
      { kind: 'order-shipped', sent: 2, suppressed: 1, parts: 4, costUSD: 0.2 },
    ]);
    expect(report.sms.byStatus).toEqual([{ status: 'SHIPPED', sent: 2, parts: 4 }]);
    expect(report.sms.suppressedByReason).toEqual([{ reason: 'no-consent', count: 1 }]);
  });

  it('converts the callbacks whose cart was ordered after the task', () => {
    // Assess: scheduled c1-c4 = 4, tasks c1, c2, c4, c5 = 4, cancelled c3 (order-placed), converted c1 and c4
    // (300 + 80 = 380): 2 of 4 = 50%.
    expect(report.callbacks.total).toEqual({
      scheduled: 4,
      created: 4,
      cancelled: { 'order-placed': 1 },
      cancelledTotal: 1,
      converted: 2,
      convertedValues: { PLN: 380 },
      conversionRate: 0.5,
    });
    expect(report.callbacks.byDay.map((d) => [d.day, d.created, d.converted])).toEqual([
      ['2026-10-24', 1, 1],
      ['2026-10-25', 1, 0],
      ['2026-10-26', 2, 1],
    ]);
  });

  it('counts seat-days over the range’s 73 hours, revoked and ended seats included', () => {
    // Assess: the range runs from 23 Oct 22:00 Z to 26 Oct 23:00 Z: 24 + 25 + 24 = 73 h. anna 73/24 = 3.04;
    // jan 25 Oct 12:00 Z to his revocation 26 Oct 00:00 Z = 0.5; piotr 23 Oct 22:00 Z to 24 Oct 10:00 Z = 0.5;
    // ewa PENDING = 0. Total 4.04.
    expect(report.seatDays.byType).toEqual({
      voice: 3.04,
      'chat-2': 0,
      'chat-4': 0.5,
      'chat-6': 0,
      light: 0,
      'second-line': 0.5,
    });
    expect(report.seatDays.total).toBe(4.04);
  });

  it('measures overflow and deflect minutes per day from the audit, the state at the start included', () => {
    // Assess: 24th: OVERFLOW from midnight (23 Oct 22:00 Z) to 00:30 Z = 150 min; 25th: OVERFLOW 00:30-01:30 Z
    // = 60 min, DEFLECT 01:30-02:00 Z = 30 min; 26th: OVERFLOW 22:30-23:00 Z (the range's end) = 30 min.
    expect(report.routing.daily.filter((d) => d.queueKey === 'primary')).toEqual([
      { day: '2026-10-24', queueKey: 'primary', overflowMinutes: 150, deflectMinutes: 0 },
      { day: '2026-10-25', queueKey: 'primary', overflowMinutes: 60, deflectMinutes: 30 },
      { day: '2026-10-26', queueKey: 'primary', overflowMinutes: 30, deflectMinutes: 0 },
    ]);
    expect(report.routing.queues).toEqual([
      { queueKey: 'primary', stateAtStart: 'OVERFLOW', changes: 5, overflowMinutes: 240, deflectMinutes: 30 },
      { queueKey: 'secondLine', stateAtStart: 'NORMAL', changes: 0, overflowMinutes: 0, deflectMinutes: 0 },
      { queueKey: 'callback', stateAtStart: 'NORMAL', changes: 0, overflowMinutes: 0, deflectMinutes: 0 },
    ]);
  });

  it('writes the CSV a spreadsheet reads: the contacts rows, then the sections', () => {
    // Act
    const csv = kpiCsv(report);

    // Assess: the primary voice total row carries the hand-worked figures, rounded as documented.
    expect(csv).toContain('contacts,total,primary,VOICE,219,192,27,0.1233,0.7945,12.3,293.9,312\n');
    expect(csv).toContain('routing,2026-10-25,primary,60,30\n');
    expect(csv).toContain('seats,voice,3.04\n');
  });

  describe.each(['pl', 'en'] as const)('the HTML report in %s, opened in Chromium', (lang) => {
    it('shows every chart as SVG, no console error, no outside request, and prints on 8 A4 pages', async () => {
      // Prepare
      const html = kpiHtml(report, { lang });

      // Act
      const { page, errors, requests } = await openReport(browser, html);
      const charts = await page.locator('figure svg').count();
      const sections = await page.locator('section').count();
      const appendixRows = await page.locator('section:last-of-type tbody tr').count();
      const pdf = await page.pdf({ format: 'A4', preferCSSPageSize: true });
      await page.close();

      // Assess: charts: service level, contacts per day, ASA (day by day), overflow minutes, SMS per day,
      // callbacks per day, seat-days = 7. Each of the 8 chapters starts a page, and with 3 days each fits one
      // (the appendix's 5 rows too): 8 pages.
      expect(errors).toEqual([]);
      expect(requests).toEqual([]);
      expect(html).not.toContain('<script');
      expect(charts).toBe(7);
      expect(sections).toBe(8);
      expect(appendixRows).toBe(5);
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      expect(pdf.toString('latin1').match(/\/Type\s*\/Page(?!s)/g)).toHaveLength(8);
    });
  });
});
