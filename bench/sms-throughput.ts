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
import { createOrderSmsConsumer } from '#functions/order-sms/consumer.js';
import { orderSmsEnvironment, orderSmsEnvironmentFrom } from '#functions/order-sms/environment.js';
import { idempotentDecide } from '#functions/order-sms/idempotent-decide.js';
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
}

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

    // The SMS path: parse, idempotency, suppression, ledger, daily count, decision record; SNS stubbed.
    let calls = 0;
    client.middlewareStack.add(
      (next) => async (args) => {
        calls += 1;
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
    const { decide } = idempotentDecide(deps, { client, tableName: tables.ledger ?? '', retentionDays: 30 });
    const consume = createOrderSmsConsumer({
      decide,
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
    calls = 0;
    const sms = await runPool(events, inFlight, async (i) => {
      const record = records[i];
      if (record) await consume(record);
    });
    return {
      events,
      inFlight,
      rawConditionalPutsPerSecond: raw,
      smsEventsPerSecond: sms,
      dynamoCallsPerEvent: calls / events,
    };
  } finally {
    client.destroy();
    await dynamo.stop();
  }
};
