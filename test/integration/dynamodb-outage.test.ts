/**
 * The proof "DynamoDB Local stopped and restarted mid-run: records retried, nothing lost" (issue 11).
 *
 * The order-SMS function, wired exactly as the local stack wires it (`bufferedFunctions`), consumes its
 * buffer (the local SQS queue with its visibility timeout, redelivery and dead letters) against a DynamoDB
 * Local of its own. The database stops at the harshest point there is: inside SNS's call, once SNS has
 * accepted a message and before the function could record it; it comes back on the same port with the same
 * data folder, as DynamoDB comes back after an outage. Time is a virtual clock this test moves, so neither
 * the queue's redelivery nor the ledger's lease depends on how busy the machine is.
 *
 * The promise: every event ends accounted for (sent, suppressed, deferred, outcome unknown or
 * dead-lettered, each once), and no order gets its SMS twice.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import type { SQSRecord } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables } from '#adapters/dynamodb/create-tables.js';
import type { TableName } from '#adapters/dynamodb/tables.js';
import type { ContactCentre, OutgoingSms } from '#core/ports.js';
import type { SmsDecision } from '#core/sms/order-sms.js';
import { loadConfig } from '#infra/config/load.js';
import { LocalQueue } from '#local/bus/local-queue.js';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from '#local/dynamodb-local.js';
import { bufferedFunctions, type LocalWiring } from '#local/functions.js';
import { deliveredSample } from '#test/support/events.js';

/** 16:00 in Warsaw on a weekday in November: no quiet hours. Fixed, not today. */
const START = Date.parse('2026-11-24T15:00:00Z');
const ORDERS = 40;
/** The same event delivered again, as EventBridge and SQS may. */
const REDELIVERED = 10;
/** SNS accepts this many messages, then DynamoDB goes down inside the call that accepted the last one. */
const SENDS_BEFORE_OUTAGE = 12;

const phoneOf = (i: number) => `+48601${String(200_000 + i)}`;
const orderIdOf = (i: number) => `PL-OUTAGE-${String(i).padStart(4, '0')}`;

describe('DynamoDB Local stopped and restarted in the middle of an order-SMS run', () => {
  let dataDir: string;
  let dynamo: RunningDynamoDbLocal;
  let client: DynamoDBClient;

  beforeAll(async () => {
    // On disk, so the restart keeps the data, as an outage of DynamoDB does; a JVM on a busy machine may
    // take long to answer, at the start and at the restart.
    dataDir = mkdtempSync(join(tmpdir(), 'peakline-outage-'));
    dynamo = await startDynamoDbLocal({ dbPath: dataDir, timeoutMs: 120_000 });
    client = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
  }, 180_000);

  afterAll(async () => {
    client?.destroy();
    await dynamo?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('retries every record the outage failed, sends no SMS twice, and accounts for every event', async ({
    annotate,
  }) => {
    // Prepare: the function as the local stack wires it, on this DynamoDB Local and a virtual clock
    let now = START;
    const clock = { now: () => new Date(now), nowMs: () => now };
    const tableNames = (await createTables(client, 'outage')) as Record<TableName, string>;
    const sends: OutgoingSms[] = [];
    const decisions: SmsDecision[] = [];
    const deadLetters: string[] = [];
    let outage: Promise<void> | undefined;
    const wiring = {
      config: loadConfig('dev'),
      dynamoClient: client,
      documentClient: BridgedDocumentClient.over(client),
      tableNames,
      deadLetters: { put: async (letter: unknown) => void deadLetters.push(JSON.stringify(letter)) },
      clock,
      log: () => {},
      count: () => {},
      smsSender: {
        // SNS's stand-in: a message is on its way to the phone the moment this is called.
        send: async (sms: OutgoingSms) => {
          sends.push(sms);
          if (sends.length === SENDS_BEFORE_OUTAGE) {
            outage = dynamo.stop();
            await outage;
          }
          return { messageId: `outage-${sends.length}` };
        },
      },
      events: { publish: async () => {} },
      onSmsDecision: (decision: SmsDecision) => void decisions.push(decision),
      busName: 'peakline-outage',
      contactCentre: {} as ContactCentre,
    } as unknown as LocalWiring;
    const orderSms = bufferedFunctions(wiring).find((fn) => fn.name === 'order-sms');
    if (orderSms === undefined) throw new Error('the local stack has no order-sms function');
    let failedDeliveries = 0;
    const queue = new LocalQueue({
      name: 'peakline-outage-order-sms',
      region: LOCAL_REGION,
      account: '000000000000',
      nowMs: clock.nowMs,
      consume: async (records: SQSRecord[]) => {
        const result = await orderSms.consume(records);
        failedDeliveries += result.batchItemFailures.length;
        return result;
      },
      onDeadLetter: (body, reason) => void deadLetters.push(`${reason} ${body}`),
    });
    const events = Array.from({ length: ORDERS }, (_, i) => {
      const event = deliveredSample('order-status-changed');
      event.id = `outage-event-${i}`;
      event.time = new Date(START - 60_000).toISOString();
      event.detail = {
        ...event.detail,
        orderId: orderIdOf(i),
        occurredAt: new Date(START - 60_000).toISOString(),
        customer: { ...(event.detail.customer as object), phone: phoneOf(i) },
      };
      return JSON.stringify(event);
    });

    // Act: every event, some twice; DynamoDB goes down mid-run and comes back on the same port
    for (const body of events) queue.send(body);
    for (const body of events.slice(0, REDELIVERED)) queue.send(body);
    await queue.pump();
    expect(outage, 'the outage happened in the middle of the run').toBeDefined();
    const sentBeforeRestart = sends.length;
    const failedDuringOutage = failedDeliveries;
    await dynamo.restart();
    // Redeliveries, one visibility timeout apart, until the queue is empty (at most maxReceiveCount).
    for (let round = 0; round < 10; round++) {
      const { visible, inFlight } = queue.stats();
      if (visible + inFlight === 0) break;
      now += 61_000;
      await queue.pump();
    }

    // The figures of the run, shown by the reporter (`npm run proof:outage`).
    const outcomes = Object.entries(
      decisions.reduce<Record<string, number>>(
        (m, d) => ({ ...m, [d.outcome]: (m[d.outcome] ?? 0) + 1 }),
        {},
      ),
    )
      .map(([outcome, n]) => `${outcome} ${n}`)
      .join(', ');
    await annotate(
      `${ORDERS} orders + ${REDELIVERED} redelivered events; DynamoDB down after SMS ${sentBeforeRestart}; ` +
        `${failedDuringOutage} records failed during the outage, ${failedDeliveries} failed deliveries in all; ` +
        `SMS sent ${sends.length}; decisions: ${outcomes}; dead letters ${deadLetters.length}`,
    );
    // Assert: the outage failed records, they were retried, and the run went on after the restart
    expect(failedDuringOutage).toBeGreaterThan(0);
    expect(sentBeforeRestart).toBe(SENDS_BEFORE_OUTAGE);
    expect(sends.length).toBeGreaterThan(sentBeforeRestart);
    expect(queue.stats()).toMatchObject({ visible: 0, inFlight: 0 });
    // No order's SMS reached its phone twice.
    const sentPerOrder = new Map<string, number>();
    for (const sms of sends) sentPerOrder.set(sms.to, (sentPerOrder.get(sms.to) ?? 0) + 1);
    expect([...sentPerOrder].filter(([, count]) => count > 1)).toEqual([]);
    // Every order accounted for, once: sent, suppressed, deferred, outcome unknown, or dead-lettered.
    const accounted = Array.from({ length: ORDERS }, (_, i) => {
      const outcomes = [
        ...(sentPerOrder.has(phoneOf(i)) ? ['SENT'] : []),
        ...decisions
          .filter((d) => d.orderId === orderIdOf(i) && d.outcome !== 'SENT' && d.outcome !== 'DUPLICATE')
          .map((d) => d.outcome),
        ...(deadLetters.some((letter) => letter.includes(orderIdOf(i))) ? ['DEAD_LETTER'] : []),
      ];
      return [orderIdOf(i), outcomes.length] as const;
    });
    expect(accounted.filter(([, n]) => n !== 1)).toEqual([]);
    expect(sends.length + deadLetters.length).toBeLessThanOrEqual(ORDERS);
  }, 300_000);
});
