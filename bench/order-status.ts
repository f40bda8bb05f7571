/**
 * The order lookup's warm time in process (issue 15): the order-status Lambda handler answering the inbound
 * flow's `lookup` for a caller with an order, its index read from a fake DynamoDB on loopback (so the
 * figure is the function's own work, the SDK and the network stack: not DynamoDB's latency). Every caller
 * of a stage with order status waits on this before the menu, as on the router.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectContactFlowEvent, Context } from 'aws-lambda';
import { orderStatusEnvironmentFrom } from '#functions/order-status/environment.js';
import { loadConfig } from '#infra/config/load.js';
import invocation from '#test/fixtures/connect/order-status-invocation.json' with { type: 'json' };
import type { Percentiles } from './overflow.js';

const dev = loadConfig('dev');

/** The function's environment as the CDK app builds it, for the benchmark's fake AWS. */
export const orderStatusBenchEnvironment = orderStatusEnvironmentFrom(dev, {
  ordersTable: 'peakline-bench-orders',
  callerSmsQueueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-bench-deflection-sms',
});

/** What the inbound flow sends first: the lookup of the caller's number. */
export const orderStatusBenchEvent = (): ConnectContactFlowEvent => {
  const event = structuredClone(invocation) as unknown as ConnectContactFlowEvent;
  event.Details.Parameters = { action: 'lookup' };
  (event.Details.ContactData as { Attributes: Record<string, string> }).Attributes = {};
  return event;
};

const CONTEXT = {
  functionName: 'bench',
  awsRequestId: 'bench',
  getRemainingTimeInMillis: () => 4_000,
} as unknown as Context;

/** A DynamoDB whose every Query answers one order in progress, shipped, with a link and consent. */
const fakeOrdersTable = async () => {
  const item = {
    phoneKey: { S: 'bench' },
    orderId: { S: 'PL-2026-00123' },
    status: { S: 'SHIPPED' },
    changedAt: { S: new Date(Date.now() - 86_400_000).toISOString() },
    carrier: { S: 'DPD' },
    trackingUrl: { S: 'https://tracking.example.com/pl/abc123' },
    estimatedDelivery: { S: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10) },
    language: { S: 'pl' },
    timeZone: { S: 'Europe/Warsaw' },
    smsConsent: { BOOL: true },
    expiresAt: { N: String(Math.floor(Date.now() / 1000) + 30 * 86_400) },
  };
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' });
      res.end(JSON.stringify({ Items: [item], Count: 1, ScannedCount: 1 }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

const percentiles = (values: number[]): Percentiles => {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
};

export interface LookupTimes {
  readonly lookups: number;
  /** Through the handler: the Query on loopback, the answer and its SSML, the log line and the metric. */
  readonly warmMs: Percentiles;
}

export const measureOrderLookups = async (lookups: number): Promise<LookupTimes> => {
  const { server, endpoint } = await fakeOrdersTable();
  // The handler's log line and EMF metric go to stdout on every told caller: kept out of the bench's output.
  const write = process.stdout.write.bind(process.stdout);
  try {
    Object.assign(process.env, orderStatusBenchEnvironment, {
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
      POWERTOOLS_SERVICE_NAME: 'bench',
    });
    const { handler } = await import('#functions/order-status/handler.js');
    const event = orderStatusBenchEvent();
    process.stdout.write = () => true;
    for (let i = 0; i < 500; i += 1) await handler(event, CONTEXT);
    const warm = new Array<number>(lookups);
    for (let i = 0; i < lookups; i += 1) {
      const started = performance.now();
      const answer = await handler(event, CONTEXT);
      warm[i] = performance.now() - started;
      if (answer.found !== 'true') throw new Error('the lookup did not find the fake table’s order');
    }
    return { lookups, warmMs: percentiles(warm) };
  } finally {
    process.stdout.write = write;
    server.close();
  }
};
