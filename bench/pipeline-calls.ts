/**
 * One order event's whole path, counted: the shop's PutEvents, the rules that match it, one SQS delivery
 * per rule target, the deployed handlers (order-sms, order-index, and for an order with a cart id
 * cart-callbacks and fact-recorder; the facts peakline publishes for an SMS go to fact-recorder too) run
 * in this process in batches as the buffers hand them over, against DynamoDB Local.
 *
 * The handlers are imported as Lambda imports them (their handler.ts, the environment the CDK app gives
 * them), so what is counted follows the functions as their owners change them. DynamoDB is counted on the
 * wire, by a proxy in front of DynamoDB Local, rather than by a middleware on one client: it sees every call
 * whichever client a function uses (the SDK's, or a lean signed request), and the request units come from
 * the items' sizes as the wire carries them. EventBridge, SNS and SQS answer from a fake that records what
 * was sent.
 */
import { createHash, randomUUID } from 'node:crypto';
import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { createTables } from '#adapters/dynamodb/create-tables.js';
import { TABLES, type TableName } from '#adapters/dynamodb/tables.js';
import { measureSms } from '#core/sms/segments.js';
import { rules } from '#events/rules.js';
import { callbackEnvironmentFrom } from '#functions/cart-callbacks/environment.js';
import { orderIndexEnvironmentFrom } from '#functions/order-index/environment.js';
import { orderSmsEnvironmentFrom } from '#functions/order-sms/environment.js';
import { runtimeEnvironment } from '#infra/constructs/bundling.js';
import { loadConfig } from '#infra/config/load.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { matchesEventPattern } from '#local/bus/event-pattern.js';
import { type EventBridgeEvent, putEvents } from '#local/bus/put-events.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION, startDynamoDbLocal } from '#local/dynamodb-local.js';
import { type PutEventsEntry, sampleEntries, sqsRecord } from '#test/support/events.js';
import {
  billableLogBytes,
  eventBridgeChunks,
  itemBytes,
  putEventsEntryBytes,
  readUnits,
  STORAGE_OVERHEAD_BYTES,
  type WireValue,
  writeUnits,
} from './cost-model.js';

/** The order path's functions, each behind its own buffer; all deploy at 256 MiB (PeaklineFunction's default). */
export const PIPELINE_FUNCTIONS = ['order-sms', 'order-index', 'cart-callbacks', 'fact-recorder'] as const;
export type PipelineFunction = (typeof PIPELINE_FUNCTIONS)[number];
const RULE_OF: Record<PipelineFunction, 'orderSms' | 'orderIndex' | 'cartCallbacks' | 'factRecorder'> = {
  'order-sms': 'orderSms',
  'order-index': 'orderIndex',
  'cart-callbacks': 'cartCallbacks',
  'fact-recorder': 'factRecorder',
};
export const MEMORY_MB = 256;

/** The mix of order events the shop sends, stated in the results. */
export interface OrderMix {
  /** Share of orders whose OrderPlaced carries a cart id. */
  readonly cartShare: number;
  /** Share of orders that are delayed once on the way (one DELAYED more). */
  readonly delayedShare: number;
  /** Share of orders cancelled after being placed (no further status). */
  readonly cancelledShare: number;
  /** Customers by phone country and language. */
  readonly customers: readonly {
    readonly country: string;
    readonly locale: string;
    readonly share: number;
  }[];
}

export const DEFAULT_MIX: OrderMix = {
  cartShare: 0.5,
  delayedShare: 0.05,
  cancelledShare: 0.03,
  customers: [
    { country: 'PL', locale: 'pl-PL', share: 0.75 },
    { country: 'PL', locale: 'ru-RU', share: 0.05 },
    { country: 'FI', locale: 'fi-FI', share: 0.1 },
    { country: 'DE', locale: 'en-GB', share: 0.1 },
  ],
};

const PHONES: Record<string, { prefix: string; digits: number; zone: string }> = {
  PL: { prefix: '+4860', digits: 7, zone: 'Europe/Warsaw' },
  FI: { prefix: '+35840', digits: 7, zone: 'Europe/Helsinki' },
  DE: { prefix: '+49151', digits: 8, zone: 'Europe/Berlin' },
};

/** A seeded generator, so a run's mix is the same every time. */
const mulberry32 = (seed: number) => () => {
  let t = (seed += 0x6d2b79f5);
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

/** The shop's PutEvents entries for `orders` orders, from the committed samples, in the order they happen. */
export const orderEntries = (orders: number, mix: OrderMix, seed: number, now: Date): PutEventsEntry[] => {
  const random = mulberry32(seed);
  const [placed] = sampleEntries('order-placed');
  const [status] = sampleEntries('order-status-changed');
  if (!placed || !status) throw new Error('events/samples lack order-placed or order-status-changed');
  const base = JSON.parse(placed.Detail) as Record<string, unknown>;
  const baseStatus = JSON.parse(status.Detail) as Record<string, unknown>;
  const timelines: PutEventsEntry[][] = [];
  for (let o = 0; o < orders; o++) {
    let pick = random();
    const customer = mix.customers.find((c) => (pick -= c.share) < 0) ?? mix.customers[0];
    if (!customer) throw new Error('the mix has no customers');
    const phone = PHONES[customer.country];
    if (!phone) throw new Error(`no phone plan for ${customer.country}`);
    const number = `${phone.prefix}${String(Math.floor(random() * 10 ** phone.digits)).padStart(phone.digits, '0')}`;
    const orderId = `COST-${seed}-${o}`;
    const placedAt = new Date(now.getTime() - 6 * 3600_000 + o * 1000);
    const who = {
      ...(base.customer as Record<string, unknown>),
      customerId: `C-${seed}-${o}`,
      phone: number,
      locale: customer.locale,
      timeZone: phone.zone,
    };
    const { cartId: _cart, ...withoutCart } = base;
    const withCart = random() < mix.cartShare;
    const detail = {
      ...withoutCart,
      ...(withCart ? { cartId: `cart-${seed}-${o}` } : {}),
      customer: who,
      orderId,
      placedAt: placedAt.toISOString(),
    };
    const timeline: PutEventsEntry[] = [{ ...placed, Detail: JSON.stringify(detail) }];
    const statuses =
      random() < mix.cancelledShare
        ? ['CANCELLED']
        : random() < mix.delayedShare
          ? ['PACKED', 'SHIPPED', 'DELAYED', 'OUT_FOR_DELIVERY', 'DELIVERED']
          : ['PACKED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED'];
    statuses.forEach((s, i) => {
      const occurredAt = new Date(placedAt.getTime() + (i + 1) * 3600_000);
      const change: Record<string, unknown> = {
        ...baseStatus,
        customer: who,
        orderId,
        status: s,
        occurredAt: occurredAt.toISOString(),
      };
      if (s === 'DELAYED') change.reason = 'Opóźnienie u przewoźnika';
      if (s === 'CANCELLED') {
        delete change.trackingUrl;
        delete change.carrier;
        delete change.estimatedDelivery;
      }
      timeline.push({ ...status, Detail: JSON.stringify(change) });
    });
    timelines.push(timeline);
  }
  // Orders interleave as they do in a shop: the n-th event of every order, then the (n+1)-th.
  const entries: PutEventsEntry[] = [];
  for (let step = 0; timelines.some((t) => t.length > step); step++) {
    for (const t of timelines) {
      const entry = t[step];
      if (entry) entries.push(entry);
    }
  }
  return entries;
};

// ---------------------------------------------------------------------------------------------------------
// The fakes: EventBridge, SNS and SQS answer from here; DynamoDB is proxied and counted.

interface Recorded {
  published: { Source: string; DetailType: string; Detail: string }[];
  smsTexts: { phone: string; text: string }[];
  sqsSends: number;
}

const readBody = (req: NodeJS.ReadableStream): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });

const listen = async (server: Server): Promise<string> => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
};

const fakeAws = (recorded: Recorded): Server =>
  createServer((req, res) => {
    void readBody(req).then((body) => {
      const target = String(req.headers['x-amz-target'] ?? '');
      if (String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        const form = new URLSearchParams(body.toString());
        if (form.get('Action') === 'Publish') {
          recorded.smsTexts.push({ phone: form.get('PhoneNumber') ?? '', text: form.get('Message') ?? '' });
        }
        res.writeHead(200, { 'content-type': 'text/xml', 'x-amzn-requestid': 'cost' });
        res.end(
          `<PublishResponse><PublishResult><MessageId>${randomUUID()}</MessageId></PublishResult><ResponseMetadata><RequestId>cost</RequestId></ResponseMetadata></PublishResponse>`,
        );
        return;
      }
      const json = body.length > 0 ? (JSON.parse(body.toString()) as Record<string, unknown>) : {};
      let answer: unknown = {};
      if (target.endsWith('.PutEvents')) {
        const entries = (json.Entries ?? []) as Recorded['published'];
        recorded.published.push(...entries);
        answer = { FailedEntryCount: 0, Entries: entries.map(() => ({ EventId: randomUUID() })) };
      } else if (target.endsWith('.SendMessage')) {
        recorded.sqsSends += 1;
        const md5 = createHash('md5')
          .update(String(json.MessageBody ?? ''))
          .digest('hex');
        answer = { MessageId: randomUUID(), MD5OfMessageBody: md5 };
      }
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'cost' });
      res.end(JSON.stringify(answer));
    });
  });

type Item = Record<string, WireValue>;

/** An item as the proxy last saw it written: its size, and where each global index holds it. */
interface ItemState {
  readonly bytes: number;
  readonly indexKeys: Readonly<Record<string, string>>;
}
const NO_ITEM: ItemState = { bytes: 0, indexKeys: {} };

/** What the proxy counted, by table: calls by operation, and request units (their indexes' included). */
interface DynamoTally {
  calls: Record<string, Record<string, number>>;
  readUnits: Record<string, number>;
  writeUnits: Record<string, number>;
}

const forward = (
  endpoint: string,
  method: string,
  path: string,
  headers: IncomingHttpHeaders,
  body: Buffer,
): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> =>
  new Promise((resolve, reject) => {
    const url = new URL(path, endpoint);
    const out = httpRequest(url, { method, headers: { ...headers, host: url.host } }, (res) => {
      void readBody(res).then((b) =>
        resolve({ status: res.statusCode ?? 500, headers: res.headers, body: b }),
      );
    });
    out.on('error', reject);
    out.end(body);
  });

const dynamoProxy = (
  endpoint: string,
  raw: DynamoDBClient,
  logicalOf: (physical: string) => TableName | undefined,
  tally: DynamoTally,
): { server: Server; settle: () => Promise<void> } => {
  const keyOf = (table: string, item: Item): Item | undefined => {
    const logical = logicalOf(table);
    if (!logical) return undefined;
    const def = TABLES[logical];
    const key: Item = {};
    for (const k of [def.partitionKey.name, def.sortKey?.name]) {
      if (k === undefined) continue;
      const v = item[k];
      if (v === undefined) return undefined;
      key[k] = v;
    }
    return key;
  };
  /**
   * Where each global index holds an item: the index's key values, by index name. Every index projects ALL,
   * so a write of an item that is in an index (before or after) is a write of the index too, billed as the
   * table's: one for a put into it or a delete from it or a change in place, two when its key moves.
   */
  const indexKeysOf = (table: string, item: Item | undefined): Record<string, string> => {
    const logical = logicalOf(table);
    if (!logical || !item) return {};
    const keys: Record<string, string> = {};
    for (const index of TABLES[logical].indexes) {
      const partition = item[index.partitionKey.name];
      const sort = index.sortKey ? item[index.sortKey.name] : undefined;
      if (partition === undefined || (index.sortKey && sort === undefined)) continue;
      keys[index.name] = JSON.stringify([partition, sort]);
    }
    return keys;
  };
  const stateOf = (table: string, item: Item | undefined): ItemState => ({
    bytes: itemBytes(item),
    indexKeys: indexKeysOf(table, item),
  });
  const stateNow = async (table: string, key: Item | undefined): Promise<ItemState> => {
    if (!key) return NO_ITEM;
    const got = await raw.send(
      new GetItemCommand({
        TableName: table,
        Key: key as Record<string, AttributeValue>,
        ConsistentRead: true,
      }),
    );
    return stateOf(table, got.Item as Item | undefined);
  };
  /** The write units a successful write costs the table's global indexes. */
  const indexWriteUnits = (old: ItemState, now: ItemState, transactional: boolean): number => {
    let units = 0;
    for (const name of new Set([...Object.keys(old.indexKeys), ...Object.keys(now.indexKeys)])) {
      const was = old.indexKeys[name];
      const is = now.indexKeys[name];
      if (was !== undefined && is !== undefined && was === is)
        units += writeUnits(Math.max(old.bytes, now.bytes), transactional);
      else
        units +=
          (was === undefined ? 0 : writeUnits(old.bytes, transactional)) +
          (is === undefined ? 0 : writeUnits(now.bytes, transactional));
    }
    return units;
  };
  const sizes = new Map<string, Promise<ItemState>>();
  const pending: Promise<void>[] = [];
  const count = (table: string, op: string, r = 0, w = 0, calls = 1) => {
    const byOp = (tally.calls[table] ??= {});
    byOp[op] = (byOp[op] ?? 0) + calls;
    tally.readUnits[table] = (tally.readUnits[table] ?? 0) + r;
    tally.writeUnits[table] = (tally.writeUnits[table] ?? 0) + w;
  };

  const server = createServer((req, res) => {
    void (async () => {
      const body = await readBody(req);
      const op = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? 'unknown';
      const input = body.length > 0 ? (JSON.parse(body.toString()) as Record<string, unknown>) : {};
      const table = String(input.TableName ?? '');
      // Sizes before a write: a write is billed on the larger of the item before and after it.
      const before = new Map<string, ItemState>();
      const keyText = (t: string, k: Item | undefined) => `${t}|${JSON.stringify(k)}`;
      const writesOf = (): {
        table: string;
        key: Item | undefined;
        newItem?: Item;
        delete?: boolean;
      }[] => {
        if (op === 'PutItem') {
          const item = input.Item as Item;
          return [{ table, key: keyOf(table, item), newItem: item }];
        }
        if (op === 'UpdateItem') return [{ table, key: input.Key as Item }];
        if (op === 'DeleteItem') return [{ table, key: input.Key as Item, delete: true }];
        if (op === 'BatchWriteItem') {
          const requests = (input.RequestItems ?? {}) as Record<
            string,
            { PutRequest?: { Item: Item }; DeleteRequest?: { Key: Item } }[]
          >;
          return Object.entries(requests).flatMap(([t, list]) =>
            list.map((r) =>
              r.PutRequest
                ? { table: t, key: keyOf(t, r.PutRequest.Item), newItem: r.PutRequest.Item }
                : { table: t, key: r.DeleteRequest?.Key, delete: true },
            ),
          );
        }
        if (op === 'TransactWriteItems') {
          const items = (input.TransactItems ?? []) as Record<
            string,
            { TableName: string; Item?: Item; Key?: Item }
          >[];
          return items.flatMap((ti) =>
            Object.entries(ti).map(([kind, w]) => ({
              table: w.TableName,
              key: w.Item ? keyOf(w.TableName, w.Item) : w.Key,
              ...(w.Item ? { newItem: w.Item } : {}),
              ...(kind === 'Delete' ? { delete: true } : {}),
            })),
          );
        }
        return [];
      };
      const writes = writesOf();
      // From the proxy's own record of every item it saw written: no read in the request's path, so the
      // measured handler time is not the measuring's. Every item of the run was written through here.
      for (const w of writes)
        before.set(keyText(w.table, w.key), await (sizes.get(keyText(w.table, w.key)) ?? NO_ITEM));

      const answer = await forward(endpoint, req.method ?? 'POST', req.url ?? '/', req.headers, body);
      const output =
        answer.body.length > 0 ? (JSON.parse(answer.body.toString()) as Record<string, unknown>) : {};
      const failedCondition = String(output.__type ?? '').includes('ConditionalCheckFailed');

      if (op === 'GetItem') {
        count(
          table,
          op,
          readUnits(itemBytes(output.Item as Item), input.ConsistentRead ? 'strong' : 'eventual'),
        );
      } else if (op === 'Query' || op === 'Scan') {
        const bytes = ((output.Items ?? []) as Item[]).reduce((s, i) => s + itemBytes(i), 0);
        const consistent = input.ConsistentRead === true && input.IndexName === undefined;
        count(table, op, readUnits(bytes, consistent ? 'strong' : 'eventual'));
      } else if (op === 'BatchGetItem') {
        const asked = (input.RequestItems ?? {}) as Record<
          string,
          { Keys: Item[]; ConsistentRead?: boolean }
        >;
        const got = (output.Responses ?? {}) as Record<string, Item[]>;
        for (const [t, request] of Object.entries(asked)) {
          const items = got[t] ?? [];
          const consistency = request.ConsistentRead ? 'strong' : 'eventual';
          const units =
            items.reduce((s, i) => s + readUnits(itemBytes(i), consistency), 0) +
            Math.max(0, request.Keys.length - items.length) * readUnits(0, consistency);
          count(t, op, units);
        }
      } else if (op === 'TransactGetItems') {
        for (const r of ((output.Responses ?? []) as { Item?: Item }[]) ?? []) {
          count(table || 'transact', op, readUnits(itemBytes(r.Item), 'transactional'));
        }
      } else if (writes.length > 0) {
        const transactional = op === 'TransactWriteItems';
        const perTable = new Map<string, number>();
        const later: Promise<void>[] = [];
        for (const w of writes) {
          const k = keyText(w.table, w.key);
          const old = before.get(k) ?? NO_ITEM;
          if (failedCondition || answer.status !== 200) {
            // A refused write is billed on the table alone: nothing reached an index.
            perTable.set(w.table, (perTable.get(w.table) ?? 0) + writeUnits(old.bytes, transactional));
            continue;
          }
          const billed = (now: ItemState) =>
            writeUnits(Math.max(old.bytes, now.bytes), transactional) +
            indexWriteUnits(old, now, transactional);
          if (w.delete || w.newItem !== undefined) {
            const now = w.delete ? NO_ITEM : stateOf(w.table, w.newItem);
            sizes.set(k, Promise.resolve(now));
            perTable.set(w.table, (perTable.get(w.table) ?? 0) + billed(now));
            continue;
          }
          // An update's result is read after the answer has gone back, and billed on the larger size.
          const after = new Promise<void>((resolve) => setImmediate(resolve)).then(() =>
            stateNow(w.table, w.key),
          );
          sizes.set(k, after);
          later.push(after.then((now) => count(w.table, op, 0, billed(now), 0)));
        }
        if (later.length > 0) pending.push(Promise.all(later).then(() => undefined));
        for (const table of new Set(writes.map((w) => w.table))) {
          count(table, op, 0, perTable.get(table) ?? 0);
        }
        perTable.clear();
      } else {
        count(table || 'none', op);
      }
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    })().catch((error: unknown) => {
      res.writeHead(500, { 'content-type': 'application/x-amz-json-1.0' });
      res.end(JSON.stringify({ __type: 'ProxyError', message: String(error) }));
    });
  });
  const settle = async () => {
    while (pending.length > 0) await Promise.all(pending.splice(0));
  };
  return { server, settle };
};

// ---------------------------------------------------------------------------------------------------------
// Running the handlers

type Handler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

const lambdaContext = (name: string): Context => ({
  callbackWaitsForEmptyEventLoop: true,
  functionName: `peakline-prod-${name}`,
  functionVersion: '$LATEST',
  invokedFunctionArn: `arn:aws:lambda:eu-central-1:123456789012:function:peakline-prod-${name}`,
  memoryLimitInMB: String(MEMORY_MB),
  awsRequestId: randomUUID(),
  logGroupName: `/aws/lambda/peakline-prod-${name}`,
  logStreamName: `2026/12/07/[$LATEST]${randomUUID().replaceAll('-', '')}`,
  getRemainingTimeInMillis: () => 30_000,
  done: () => {},
  fail: () => {},
  succeed: () => {},
});

/**
 * The platform records Lambda writes for every invocation in the JSON log format (platform.start and
 * platform.report), shaped as AWS documents them: they are ingested and billed like the function's own.
 */
const platformLines = (ms: number): string[] => {
  const requestId = randomUUID();
  const time = new Date().toISOString();
  return [
    JSON.stringify({ time, type: 'platform.start', record: { requestId, version: '$LATEST' } }),
    JSON.stringify({
      time,
      type: 'platform.report',
      record: {
        requestId,
        metrics: {
          durationMs: ms,
          billedDurationMs: Math.ceil(ms),
          memorySizeMB: MEMORY_MB,
          maxMemoryUsedMB: 98,
        },
        tracing: { spanId: '2f1b2c3d4e5f6a7b', type: 'X-Amzn-Trace-Id', value: `Root=1-${requestId}` },
        status: 'success',
      },
    }),
  ];
};

interface FunctionTally {
  invocations: number;
  warmMs: number[];
  firstMs: number;
  logLines: string[];
  emfValues: number;
  metrics: Set<string>;
  failures: number;
}

/** Captures what the handler writes to stdout and stderr, line by line, while `run` runs. */
const capture = async <T>(lines: string[], run: () => Promise<T>): Promise<T> => {
  const out = process.stdout.write.bind(process.stdout);
  const err = process.stderr.write.bind(process.stderr);
  let pending = '';
  const sink = (chunk: unknown): boolean => {
    pending += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString();
    const parts = pending.split('\n');
    pending = parts.pop() ?? '';
    lines.push(...parts.filter((p) => p.length > 0));
    return true;
  };
  process.stdout.write = sink as typeof process.stdout.write;
  process.stderr.write = sink as typeof process.stderr.write;
  try {
    return await run();
  } finally {
    process.stdout.write = out;
    process.stderr.write = err;
    if (pending.length > 0) lines.push(pending);
  }
};

const emfOf = (line: string): { values: number; metrics: string[] } => {
  if (!line.includes('"_aws"')) return { values: 0, metrics: [] };
  try {
    const doc = JSON.parse(line) as Record<string, unknown> & {
      _aws: {
        CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string }[] }[];
      };
    };
    let values = 0;
    const metrics: string[] = [];
    for (const directive of doc._aws.CloudWatchMetrics) {
      for (const metric of directive.Metrics) {
        const value = doc[metric.Name];
        values += Array.isArray(value) ? value.length : 1;
        for (const dims of directive.Dimensions) {
          const id = dims.map((d) => `${d}=${String(doc[d])}`).join(',');
          metrics.push(`${directive.Namespace}/${metric.Name}{${id}}`);
        }
      }
    }
    return { values, metrics };
  } catch {
    return { values: 0, metrics: [] };
  }
};

// ---------------------------------------------------------------------------------------------------------

export interface ScenarioFigures {
  readonly batchSize: number;
  readonly orderEvents: number;
  readonly perOrderEvent: {
    readonly eventBridgeEvents: {
      readonly shopEntries: number;
      /** The shop's entries' 64 KB chunks. */
      readonly shopBillable: number;
      readonly published: number;
      /** Billable events: every entry's 64 KB chunks, the shop's and peakline's. */
      readonly billable: number;
      readonly meanEntryBytes: number;
    };
    /** Bytes the archive takes in (the shop's events only; its pattern is `source: [shop]`). */
    readonly archivedBytes: number;
    readonly sqsRequests: {
      readonly sendMessage: number;
      readonly receiveMessage: number;
      readonly deleteMessageBatch: number;
      readonly total: number;
    };
    readonly lambdaInvocations: { readonly total: number; readonly byFunction: Record<string, number> };
    /** Warm handler time, billed per invocation rounded up to the millisecond, at MEMORY_MB. */
    readonly lambdaGbSeconds: { readonly warm: number; readonly byFunction: Record<string, number> };
    readonly dynamo: {
      readonly calls: number;
      readonly callsByTable: Record<string, Record<string, number>>;
      readonly readUnits: Record<string, number>;
      readonly writeUnits: Record<string, number>;
    };
    /** Bytes ingested by CloudWatch Logs (lines + 26 bytes each), the platform's records included. */
    readonly logBytes: { readonly total: number; readonly byFunction: Record<string, number> };
    readonly metricValues: number;
    readonly smsSent: number;
    readonly smsParts: number;
  };
  /** Median and mean warm handler time per batch (the first batch of each function, its first use, left out). */
  readonly warmMsPerBatch: Record<
    string,
    { readonly median: number; readonly mean: number; readonly batches: number }
  >;
  readonly batchItemFailures: number;
}

export interface SmsTally {
  sms: number;
  parts: number;
  encodings: string[];
}

export interface PipelineFigures {
  readonly mix: OrderMix;
  readonly orders: number;
  readonly seed: number;
  readonly memoryMb: number;
  readonly busy: ScenarioFigures;
  readonly quiet: ScenarioFigures;
  /** Items each order event leaves in a table, and how long they are kept (from their TTL). */
  readonly storage: Record<string, { readonly bytesPerEvent: number; readonly retentionDays: number }>;
  readonly distinctMetrics: readonly string[];
  /** SMS texts as sent, by destination country: how many, their parts, their encodings. */
  readonly smsByCountry: Record<string, SmsTally>;
  /** The same by the customer's language (pl, ru, fi, en): the parts a text costs follow its language. */
  readonly smsByLanguage: Record<string, SmsTally>;
  /** The SMS rate each order-sms sender paces to (sms.maxPartsPerSecond shared by the senders). */
  readonly smsPartsPerSecondPerSender: number;
  readonly smsPerOrderEvent: number;
  readonly smsPartsPerOrderEvent: number;
}

const countryOf = (phone: string): string =>
  phone.startsWith('+48')
    ? 'PL'
    : phone.startsWith('+358')
      ? 'FI'
      : phone.startsWith('+49')
        ? 'DE'
        : phone.startsWith('+7')
          ? 'RU'
          : 'other';

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return 0;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

export interface MeasureOptions {
  /** Orders in the busy run (each is 2 to 6 order events); the quiet run takes a fifth as many. */
  readonly orders?: number;
  readonly seed?: number;
  readonly mix?: OrderMix;
  readonly log?: (line: string) => void;
}

export const measurePipelineCalls = async (options: MeasureOptions = {}): Promise<PipelineFigures> => {
  const orders = options.orders ?? 120;
  const seed = options.seed ?? 16;
  const mix = options.mix ?? DEFAULT_MIX;
  const log = options.log ?? (() => {});
  const config: PeaklineConfig = loadConfig('prod');
  const dynamo = await startDynamoDbLocal();
  const raw = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  const recorded: Recorded = { published: [], smsTexts: [], sqsSends: 0 };
  const tally: DynamoTally = { calls: {}, readUnits: {}, writeUnits: {} };
  const servers: Server[] = [];
  const savedEnv = { ...process.env };
  try {
    const tables = await createTables(raw, 'cost');
    const logical = new Map(Object.entries(tables).map(([name, physical]) => [physical, name as TableName]));
    const { server: proxy, settle } = dynamoProxy(dynamo.endpoint, raw, (p) => logical.get(p), tally);
    const fake = fakeAws(recorded);
    servers.push(proxy, fake);
    const [proxyUrl, fakeUrl] = [await listen(proxy), await listen(fake)];
    const rejected = 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-prod-rejected-events';
    const rateShare = config.sms.maxPartsPerSecond / 2;
    // The SMS rate is not paced here (the wait is billed time, added by the cost model from the parts sent at
    // the configured rate), and quiet hours are off so every SMS goes out whatever the hour of the run.
    const smsConfig = {
      ...config,
      sms: { ...config.sms, maxPartsPerSecond: 100_000, quietHours: { start: '00:00', end: '00:00' } },
    };
    const environments: Record<PipelineFunction, Record<string, string>> = {
      'order-sms': orderSmsEnvironmentFrom(smsConfig, {
        ledgerTable: tables.ledger ?? '',
        suppressionTable: tables.suppression ?? '',
        routingTable: tables.routing ?? '',
        rejectedEventsQueueUrl: rejected,
        busName: config.bus.name,
        primaryQueueId: 'primary',
      }),
      'order-index': orderIndexEnvironmentFrom(config, {
        ordersTable: tables.orders ?? '',
        rejectedEventsQueueUrl: rejected,
      }),
      'cart-callbacks': {
        ...callbackEnvironmentFrom(config, {
          callbacksTable: tables.callbacks ?? '',
          suppressionTable: tables.suppression ?? '',
          busName: config.bus.name,
          callbackQueueId: 'callback',
        }),
        REJECTED_EVENTS_QUEUE_URL: rejected,
      },
      'fact-recorder': {
        FACTS_TABLE_NAME: tables.facts ?? '',
        REJECTED_EVENTS_QUEUE_URL: rejected,
        SHOP_SOURCE: config.shop.source,
        FACTS_RETENTION_DAYS: String(config.data.factsRetentionDays),
      },
    };
    // Kept for the whole run: a client a handler builds lazily, on a rare branch, must reach the fakes too.
    const aws = {
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_ENDPOINT_URL: fakeUrl,
      AWS_ENDPOINT_URL_DYNAMODB: proxyUrl,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    const handlers = {} as Record<PipelineFunction, Handler>;
    for (const name of PIPELINE_FUNCTIONS) {
      const { NODE_OPTIONS: _sourceMaps, ...runtime } = runtimeEnvironment({
        name,
        stage: config.stage,
        logLevel: config.logs.level,
      });
      process.env = { ...savedEnv, ...aws, ...runtime, ...environments[name] };
      const module = (await capture([], () => import(`#functions/${name}/handler.js`))) as {
        handler: Handler;
      };
      handlers[name] = module.handler;
    }
    process.env = { ...savedEnv, ...aws };

    const ruleSet = rules({ shopSource: config.shop.source });
    const bus = {
      name: config.bus.name,
      account: '123456789012',
      region: 'eu-central-1',
      admitsSource: () => true,
    };
    const archivePattern = { source: [config.shop.source] };
    const tallies = {} as Record<PipelineFunction, FunctionTally>;
    for (const name of PIPELINE_FUNCTIONS) {
      tallies[name] = {
        invocations: 0,
        warmMs: [],
        firstMs: 0,
        logLines: [],
        emfValues: 0,
        metrics: new Set(),
        failures: 0,
      };
    }

    const runScenario = async (
      batchSize: number,
      scenarioOrders: number,
      scenarioSeed: number,
    ): Promise<ScenarioFigures> => {
      for (const t of Object.values(tallies)) {
        t.invocations = 0;
        t.warmMs = [];
        t.logLines = [];
        t.emfValues = 0;
        t.failures = 0;
      }
      for (const key of Object.keys(tally.calls)) delete tally.calls[key];
      for (const key of Object.keys(tally.readUnits)) delete tally.readUnits[key];
      for (const key of Object.keys(tally.writeUnits)) delete tally.writeUnits[key];
      recorded.published.length = 0;
      recorded.smsTexts.length = 0;
      recorded.sqsSends = 0;

      const now = new Date();
      const entries = orderEntries(scenarioOrders, mix, scenarioSeed, now);
      let billable = 0;
      let shopBillable = 0;
      let entryBytes = 0;
      let archivedBytes = 0;
      let deliveries = 0;
      let receives = 0;
      const queues: Record<PipelineFunction, EventBridgeEvent[]> = {
        'order-sms': [],
        'order-index': [],
        'cart-callbacks': [],
        'fact-recorder': [],
      };
      const route = (event: EventBridgeEvent) => {
        for (const name of PIPELINE_FUNCTIONS) {
          if (matchesEventPattern(ruleSet[RULE_OF[name]].pattern, event)) {
            queues[name].push(event);
            deliveries += 1;
          }
        }
      };
      for (const entry of entries) {
        const bytes = putEventsEntryBytes(entry);
        billable += eventBridgeChunks(bytes);
        shopBillable += eventBridgeChunks(bytes);
        entryBytes += bytes;
        const { events } = putEvents({ Entries: [entry] }, { bus, now });
        for (const event of events) {
          if (matchesEventPattern(archivePattern, event))
            archivedBytes += Buffer.byteLength(JSON.stringify(event));
          route(event);
        }
      }

      const drain = async (name: PipelineFunction) => {
        const queue = queues[name].splice(0);
        const t = tallies[name];
        for (let i = 0; i < queue.length; i += batchSize) {
          const records = queue.slice(i, i + batchSize).map((e) => sqsRecord(e));
          const lines: string[] = [];
          const started = performance.now();
          const answer = await capture(lines, () =>
            handlers[name]({ Records: records }, lambdaContext(name)),
          );
          const ms = performance.now() - started;
          receives += 1;
          t.failures += answer?.batchItemFailures?.length ?? 0;
          if (t.firstMs === 0) t.firstMs = ms;
          else t.warmMs.push(ms);
          t.invocations += 1;
          t.logLines.push(...lines, ...platformLines(ms));
          for (const line of lines) {
            const emf = emfOf(line);
            t.emfValues += emf.values;
            for (const m of emf.metrics) t.metrics.add(m);
          }
        }
      };
      let published = 0;
      for (;;) {
        for (const name of PIPELINE_FUNCTIONS) await drain(name);
        // What peakline published goes back on the bus and through the rules, as on AWS.
        const fresh = recorded.published.splice(0);
        if (fresh.length === 0) break;
        for (const entry of fresh) {
          published += 1;
          billable += eventBridgeChunks(putEventsEntryBytes(entry));
          const { events } = putEvents({ Entries: [entry] }, { bus, now });
          for (const event of events) route(event);
        }
      }

      await settle();
      const n = entries.length;
      const perEvent = (x: number) => x / n;
      const byFunction = <T>(f: (t: FunctionTally, name: PipelineFunction) => T) =>
        Object.fromEntries(PIPELINE_FUNCTIONS.map((name) => [name, f(tallies[name], name)]));
      const warmGbSeconds = (t: FunctionTally) => {
        const meanMs =
          t.warmMs.length > 0
            ? t.warmMs.reduce((a, b) => a + Math.ceil(b), 0) / t.warmMs.length
            : Math.ceil(t.firstMs);
        return (meanMs / 1000) * (MEMORY_MB / 1024) * t.invocations;
      };
      const smsParts = recorded.smsTexts.reduce((s, m) => s + measureSms(m.text).segments, 0);
      const localeOf = new Map<string, string>();
      for (const entry of entries) {
        const { customer } = JSON.parse(entry.Detail) as { customer: { phone: string; locale: string } };
        localeOf.set(customer.phone, customer.locale.slice(0, 2));
      }
      for (const m of recorded.smsTexts) {
        const measured = measureSms(m.text);
        for (const [tally, key] of [
          [smsByCountry, countryOf(m.phone)],
          [smsByLanguage, localeOf.get(m.phone) ?? 'other'],
        ] as const) {
          const entry = (tally[key] ??= { sms: 0, parts: 0, encodings: [] });
          entry.sms += 1;
          entry.parts += measured.segments;
          if (!entry.encodings.includes(measured.encoding)) entry.encodings.push(measured.encoding);
        }
      }
      const dynamoCalls = Object.values(tally.calls).reduce(
        (s, byOp) => s + Object.values(byOp).reduce((a, b) => a + b, 0),
        0,
      );
      const logical = (physical: string) =>
        physical.startsWith('peakline-cost-') ? physical.slice('peakline-cost-'.length) : physical;
      const byTable = (source: Record<string, number>) =>
        Object.fromEntries(Object.entries(source).map(([t, v]) => [logical(t), perEvent(v)]));
      const invocations = PIPELINE_FUNCTIONS.reduce((s, name) => s + tallies[name].invocations, 0);
      log(
        `batch ${batchSize}: ${n} order events, ${invocations} invocations, ${recorded.smsTexts.length} SMS`,
      );
      return {
        batchSize,
        orderEvents: n,
        perOrderEvent: {
          eventBridgeEvents: {
            shopEntries: 1,
            shopBillable: perEvent(shopBillable),
            published: perEvent(published),
            billable: perEvent(billable),
            meanEntryBytes: entryBytes / n,
          },
          archivedBytes: perEvent(archivedBytes),
          sqsRequests: {
            sendMessage: perEvent(deliveries + recorded.sqsSends),
            receiveMessage: perEvent(receives),
            deleteMessageBatch: perEvent(receives),
            total: perEvent(deliveries + recorded.sqsSends + 2 * receives),
          },
          lambdaInvocations: {
            total: perEvent(invocations),
            byFunction: byFunction((t) => perEvent(t.invocations)),
          },
          lambdaGbSeconds: {
            warm: perEvent(PIPELINE_FUNCTIONS.reduce((s, name) => s + warmGbSeconds(tallies[name]), 0)),
            byFunction: byFunction((t) => perEvent(warmGbSeconds(t))),
          },
          dynamo: {
            calls: perEvent(dynamoCalls),
            callsByTable: Object.fromEntries(
              Object.entries(tally.calls).map(([t, byOp]) => [
                logical(t),
                Object.fromEntries(Object.entries(byOp).map(([op, c]) => [op, perEvent(c)])),
              ]),
            ),
            readUnits: byTable(tally.readUnits),
            writeUnits: byTable(tally.writeUnits),
          },
          logBytes: {
            total: perEvent(
              PIPELINE_FUNCTIONS.reduce((s, name) => s + billableLogBytes(tallies[name].logLines), 0),
            ),
            byFunction: byFunction((t) => perEvent(billableLogBytes(t.logLines))),
          },
          metricValues: perEvent(PIPELINE_FUNCTIONS.reduce((s, name) => s + tallies[name].emfValues, 0)),
          smsSent: perEvent(recorded.smsTexts.length),
          smsParts: perEvent(smsParts),
        },
        warmMsPerBatch: byFunction((t) => ({
          median: Number(median(t.warmMs).toFixed(2)),
          mean: Number((t.warmMs.reduce((a, b) => a + b, 0) / Math.max(1, t.warmMs.length)).toFixed(2)),
          batches: t.warmMs.length,
        })),
        batchItemFailures: PIPELINE_FUNCTIONS.reduce((s, name) => s + tallies[name].failures, 0),
      };
    };

    const smsByCountry: Record<string, SmsTally> = {};
    const smsByLanguage: Record<string, SmsTally> = {};
    // A first small run warms DynamoDB Local's JVM and each handler's first use; it is not counted.
    const warmUp = await runScenario(10, 6, seed + 1000);
    for (const key of Object.keys(smsByCountry)) delete smsByCountry[key];
    for (const key of Object.keys(smsByLanguage)) delete smsByLanguage[key];
    const busy = await runScenario(10, orders, seed);
    // The tables hold the warm-up's orders too: they are order events like the others.
    const storedEvents = warmUp.orderEvents + busy.orderEvents;

    // What the busy run left in the tables, per order event, and how long it stays (the items' TTL).
    const storage: Record<string, { bytesPerEvent: number; retentionDays: number }> = {};
    const nowSeconds = Date.now() / 1000;
    for (const [name, physical] of Object.entries(tables)) {
      const def = TABLES[name as TableName];
      let bytes = 0;
      let items = 0;
      let retentionSum = 0;
      let withTtl = 0;
      let start: Record<string, AttributeValue> | undefined;
      do {
        const page = await raw.send(new ScanCommand({ TableName: physical, ExclusiveStartKey: start }));
        for (const item of (page.Items ?? []) as Item[]) {
          const size = itemBytes(item) + STORAGE_OVERHEAD_BYTES;
          // Every index projects ALL: an item in an index is stored again there.
          const inIndexes = def.indexes.filter((i) => item[i.partitionKey.name] !== undefined).length;
          bytes += size * (1 + inIndexes);
          items += 1;
          const ttl = item[def.ttlAttribute];
          if (ttl && 'N' in ttl) {
            retentionSum += Math.max(0, Number(ttl.N) - nowSeconds) / 86_400;
            withTtl += 1;
          }
        }
        start = page.LastEvaluatedKey;
      } while (start);
      if (items === 0) continue;
      storage[name] = {
        bytesPerEvent: Number((bytes / storedEvents).toFixed(1)),
        retentionDays: Number((withTtl > 0 ? retentionSum / withTtl : 365).toFixed(1)),
      };
    }
    const copy = (t: Record<string, SmsTally>) =>
      Object.fromEntries(Object.entries(t).map(([k, v]) => [k, { ...v, encodings: [...v.encodings] }]));
    const smsCounted = copy(smsByCountry);
    const smsLanguages = copy(smsByLanguage);
    const quiet = await runScenario(1, Math.max(10, Math.round(orders / 5)), seed + 1);
    const distinct = new Set<string>();
    for (const t of Object.values(tallies)) for (const m of t.metrics) distinct.add(m);
    return {
      mix,
      orders,
      seed,
      memoryMb: MEMORY_MB,
      busy,
      quiet,
      storage,
      distinctMetrics: [...distinct].sort(),
      smsByCountry: smsCounted,
      smsByLanguage: smsLanguages,
      smsPartsPerSecondPerSender: rateShare,
      smsPerOrderEvent: busy.perOrderEvent.smsSent,
      smsPartsPerOrderEvent: busy.perOrderEvent.smsParts,
    };
  } finally {
    process.env = savedEnv;
    for (const server of servers) server.close();
    raw.destroy();
    await dynamo.stop();
  }
};
