/**
 * The SMS path's throughput on DynamoDB Local, beside DynamoDB Local's raw conditional-put rate measured
 * in the same run (the one write per event the path cannot avoid). Both run with the same number of
 * requests in flight, so the ratio is the path's cost, not the machine's.
 */
import { randomUUID } from 'node:crypto';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import { createTables } from '#adapters/dynamodb/create-tables.js';
import { createOrderSmsBatchConsumer } from '#functions/order-sms/consumer.js';
import { orderSmsEnvironment, orderSmsEnvironmentFrom } from '#functions/order-sms/environment.js';
import { orderSmsDeps } from '#functions/order-sms/wiring.js';
import { loadConfig } from '#infra/config/load.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local/dynamodb-local.js';
import { deliveredSample, sqsRecord } from '#test/support/events.js';

export interface SmsThroughput {
  readonly events: number;
  readonly inFlight: number;
  readonly rawConditionalPutsPerSecond: number;
  readonly smsEventsPerSecond: number;
  readonly dynamoCallsPerEvent: number;
  /** Records per batch, as the buffer hands them to the function. */
  readonly batchSize: number;
  /** DynamoDB calls by operation, per event. */
  readonly callsByOperation: Readonly<Record<string, number>>;
}

/** The buffer's batch size (EventBuffer's default): the order-SMS function gets up to 10 records at once. */
const BATCH_SIZE = 10;

const runPool = async (
  count: number,
  inFlight: number,
  work: (i: number) => Promise<void>,
): Promise<number> => {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      for (let i = next++; i < count; i = next++) await work(i);
    }),
  );
  return (count / (performance.now() - started)) * 1000;
};

export const measureSmsThroughput = async (events: number, inFlight: number): Promise<SmsThroughput> => {
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    const tables = await createTables(client, 'bench');
    // Raw: one conditional put per event, nothing else.
    const rawRun = randomUUID();
    const raw = await runPool(events, inFlight, async (i) => {
      await client.send(
        new PutItemCommand({
          TableName: tables.ledger,
          Item: { id: { S: `raw#${rawRun}#${i}` }, expiration: { N: '2000000000' } },
          ConditionExpression: 'attribute_not_exists(id)',
        }),
      );
    });

    // The SMS path: parse, the ledger's claim, suppression list, daily allowance, the batch's outcomes
    // recorded and marked announced; SNS and the bus stubbed.
    let calls = 0;
    const byOperation: Record<string, number> = {};
    client.middlewareStack.add(
      (next, context) => async (args) => {
        calls += 1;
        const operation = String(context.commandName ?? 'unknown').replace(/Command$/, '');
        byOperation[operation] = (byOperation[operation] ?? 0) + 1;
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );
    const config = loadConfig('dev');
    const env = orderSmsEnvironment.parse(
      orderSmsEnvironmentFrom(
        { ...config, sms: { ...config.sms, quietHours: { start: '00:00', end: '00:00' } } },
        {
          ledgerTable: tables.ledger ?? '',
          suppressionTable: tables.suppression ?? '',
          routingTable: tables.routing ?? '',
          rejectedEventsQueueUrl: 'http://127.0.0.1/rejected',
          busName: 'peakline',
          primaryQueueId: 'primary',
        },
      ),
    );
    const deps = orderSmsDeps(env, {
      clock: { now: () => new Date() },
      documentClient: DynamoDBDocumentClient.from(client),
      sender: { send: async () => ({ messageId: 'bench' }) },
      events: { publish: async () => {} },
    });
    const consume = createOrderSmsBatchConsumer({
      sms: deps,
      deadLetters: { put: async () => {} },
      maxAttempts: 5,
      log: () => {},
      count: () => {},
    });
    const records: SQSRecord[] = Array.from({ length: events }, (_, i) => {
      const event = deliveredSample('order-placed');
      event.detail.orderId = `BENCH-${rawRun.slice(0, 8)}-${i}`;
      return sqsRecord(event);
    });
    const batches = Array.from({ length: Math.ceil(events / BATCH_SIZE) }, (_, i) =>
      records.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE),
    );
    calls = 0;
    for (const key of Object.keys(byOperation)) delete byOperation[key];
    // As many batches in flight as raw puts: each batch is processed in order, one call at a time.
    const batchesPerSecond = await runPool(batches.length, inFlight, async (i) => {
      const batch = batches[i];
      if (batch) await consume(batch);
    });
    const sms = (batchesPerSecond * events) / batches.length;
    return {
      events,
      inFlight,
      rawConditionalPutsPerSecond: raw,
      smsEventsPerSecond: sms,
      dynamoCallsPerEvent: calls / events,
      batchSize: BATCH_SIZE,
      callsByOperation: Object.fromEntries(
        Object.entries(byOperation).map(([operation, n]) => [operation, n / events]),
      ),
    };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};
