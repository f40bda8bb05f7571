/**
 * The SMS path's throughput on DynamoDB Local, beside DynamoDB Local's raw conditional-put rate measured
 * in the same run (the one write per event the path cannot avoid). Both run with the same number of
 * requests in flight, so the ratio is the path's cost, not the machine's.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutCommand } from '#adapters/dynamodb/document-client.js';
import { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
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
  /** The median over the rounds of SMS events/s over raw puts/s, each round's two measured back to back. */
  readonly ratio: number;
  readonly roundRatios: readonly number[];
  readonly roundRates: readonly { readonly raw: number; readonly sms: number }[];
  /** Mean time of one call by operation, as the client saw it (loopback, the machine's load included). */
  readonly msPerCall: Readonly<Record<string, number>>;
  /** Records per batch, as the buffer hands them to the function. */
  readonly batchSize: number;
  /** Events of each phase run before the measured rounds, not counted. */
  readonly warmupEvents: number;
  /**
   * CPU ms per event over the measured rounds, of this process and of DynamoDB Local's JVM, by phase:
   * what each event costs the machine, less moved by other work on it than the rates. Undefined where
   * the JVM's CPU time cannot be read (no /proc).
   */
  readonly cpuMsPerEvent?: {
    readonly raw: { readonly bench: number; readonly dynamoDbLocal: number };
    readonly sms: { readonly bench: number; readonly dynamoDbLocal: number };
  };
  /** DynamoDB calls by operation, per event. */
  readonly callsByOperation: Readonly<Record<string, number>>;
}

/** The buffer's batch size (EventBuffer's default): the order-SMS function gets up to 10 records at once. */
const BATCH_SIZE = 10;

/** A Polish mobile number (+48 60x) of its own per round and event. */
const benchPhone = (round: number, i: number): string =>
  `+4860${String(1_000_000 + ((round * 100_003 + i * 7_919) % 8_999_999)).padStart(7, '0')}`;

/** CPU ms a process has used so far (user + system), from /proc; undefined where there is none. */
const processCpuMs = (pid: number | undefined): number | undefined => {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // After the command name in parentheses: state is field 3, utime 14 and stime 15, in clock ticks
    // (100 a second on Linux).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
};
const ownCpuMs = (): number => {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
};

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

/**
 * Raw puts and the SMS path alternate in `rounds` rounds of `events / rounds` each, so that whatever else
 * loads the machine weighs on both alike; the ratio reported is the median of the rounds' ratios. Before
 * them, `warmupEvents` of each phase in rounds of the same size, not counted: DynamoDB Local's JIT takes
 * thousands of requests to settle, and longer for the SMS path's mix (conditional UpdateItem,
 * BatchGetItem, BatchWriteItem) than for the raw PutItem. Measured (issue 16, in rounds of 500): the
 * JVM's CPU per raw put settled after about 3,500 puts (3.7 ms to 0.9 ms), per SMS event it was still
 * falling after 5,000 (5.6 ms to 1.8 ms); with one round of warm-up the ratio compared a warm PutItem
 * with a half-warm SMS path, and the same code's ratio still rose from round to round (0.33, 0.42, 0.37,
 * 0.46 in one run).
 */
export const measureSmsThroughput = async (
  events: number,
  inFlight: number,
  rounds = 4,
  warmupEvents = 4_000,
): Promise<SmsThroughput> => {
  const dynamo = await startDynamoDbLocal();
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  let documents: LeanDocumentClient | undefined;
  try {
    const tables = await createTables(client, 'bench');
    const run = randomUUID().slice(0, 8);
    // Counted only while the SMS path runs.
    let counting = false;
    let calls = 0;
    const byOperation: Record<string, number> = {};
    const msByOperation: Record<string, number> = {};
    // The document client the deployed order-SMS function uses; the raw puts go through it too, so both
    // rates carry the same client's cost per request and the ratio is DynamoDB's work per event.
    const lean = new LeanDocumentClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      wire: async (operation, _input, attempt) => {
        if (!counting) return attempt();
        calls += 1;
        byOperation[operation] = (byOperation[operation] ?? 0) + 1;
        const started = performance.now();
        try {
          return await attempt();
        } finally {
          msByOperation[operation] = (msByOperation[operation] ?? 0) + performance.now() - started;
        }
      },
    });
    documents = lean;
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
      documentClient: lean,
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

    const perRound = Math.max(BATCH_SIZE, Math.floor(events / rounds));
    const warmupRounds = Math.ceil(warmupEvents / perRound);
    const ratios: number[] = [];
    const roundRates: { raw: number; sms: number }[] = [];
    let rawMs = 0;
    let smsMs = 0;
    const cpu = { raw: { bench: 0, dynamoDbLocal: 0 }, sms: { bench: 0, dynamoDbLocal: 0 } };
    let jvmReadable = dynamo.pid !== undefined && processCpuMs(dynamo.pid) !== undefined;
    /** Adds the CPU both processes spent in `phase` while `work` ran, in measured rounds only. */
    const metered = async <T>(phase: 'raw' | 'sms', counted: boolean, work: () => Promise<T>): Promise<T> => {
      const jvm = processCpuMs(dynamo.pid);
      const own = ownCpuMs();
      const result = await work();
      const jvmAfter = processCpuMs(dynamo.pid);
      if (counted) {
        cpu[phase].bench += ownCpuMs() - own;
        if (jvm === undefined || jvmAfter === undefined) jvmReadable = false;
        else cpu[phase].dynamoDbLocal += jvmAfter - jvm;
      }
      return result;
    };
    // The warm-up rounds (negative) are not counted.
    for (let round = -warmupRounds; round < rounds; round += 1) {
      // Raw: one conditional put per event, nothing else.
      // Grouped as the path's records are, 10 one after another per task and `inFlight` tasks at once, so
      // that both phases end alike: the last tasks of a phase run with fewer beside them.
      const rawGroups = Math.ceil(perRound / BATCH_SIZE);
      const rawGroupRate = await metered('raw', round >= 0, () =>
        runPool(rawGroups, inFlight, async (group) => {
          for (let i = group * BATCH_SIZE; i < Math.min(perRound, (group + 1) * BATCH_SIZE); i += 1) {
            await lean.send(
              new PutCommand({
                TableName: tables.ledger,
                Item: { id: `raw#${run}#${round}#${i}`, expiration: 2_000_000_000 },
                ConditionExpression: 'attribute_not_exists(id)',
              }),
            );
          }
        }),
      );
      const rawRate = (rawGroupRate * perRound) / rawGroups;
      // The SMS path, in batches as the buffer hands them over, as many batches in flight as raw puts.
      // Each order its own customer's phone, as in a real peak: a batch's opt-out read asks for 10 keys,
      // and no per-phone memo of this process can make the path look cheaper than it is.
      const records: SQSRecord[] = Array.from({ length: perRound }, (_, i) => {
        const event = deliveredSample('order-placed');
        event.detail.orderId = `BENCH-${run}-${round}-${i}`;
        (event.detail.customer as { phone: string }).phone = benchPhone(round + 1, i);
        return sqsRecord(event);
      });
      const batches = Array.from({ length: Math.ceil(perRound / BATCH_SIZE) }, (_, i) =>
        records.slice(i * BATCH_SIZE, (i + 1) * BATCH_SIZE),
      );
      counting = true;
      const batchRate = await metered('sms', round >= 0, () =>
        runPool(batches.length, inFlight, async (i) => {
          const batch = batches[i];
          if (batch) await consume(batch);
        }),
      );
      counting = false;
      const smsRate = (batchRate * perRound) / batches.length;
      if (round < 0) {
        calls = 0;
        for (const key of Object.keys(byOperation)) delete byOperation[key];
        for (const key of Object.keys(msByOperation)) delete msByOperation[key];
        continue;
      }
      ratios.push(smsRate / rawRate);
      roundRates.push({ raw: rawRate, sms: smsRate });
      rawMs += (perRound / rawRate) * 1000;
      smsMs += (perRound / smsRate) * 1000;
    }
    const total = perRound * rounds;
    const sorted = [...ratios].sort((a, b) => a - b);
    const median =
      ((sorted[Math.floor((rounds - 1) / 2)] ?? 0) + (sorted[Math.ceil((rounds - 1) / 2)] ?? 0)) / 2;
    return {
      events: total,
      inFlight,
      rawConditionalPutsPerSecond: (total / rawMs) * 1000,
      smsEventsPerSecond: (total / smsMs) * 1000,
      ratio: median,
      roundRatios: ratios,
      roundRates,
      dynamoCallsPerEvent: calls / total,
      batchSize: BATCH_SIZE,
      warmupEvents: warmupRounds * perRound,
      ...(jvmReadable
        ? {
            cpuMsPerEvent: {
              raw: { bench: cpu.raw.bench / total, dynamoDbLocal: cpu.raw.dynamoDbLocal / total },
              sms: { bench: cpu.sms.bench / total, dynamoDbLocal: cpu.sms.dynamoDbLocal / total },
            },
          }
        : {}),
      callsByOperation: Object.fromEntries(
        Object.entries(byOperation).map(([operation, n]) => [operation, n / total]),
      ),
      msPerCall: Object.fromEntries(
        Object.entries(msByOperation).map(([operation, ms]) => [
          operation,
          ms / (byOperation[operation] ?? 1),
        ]),
      ),
    };
  } finally {
    documents?.destroy();
    client.destroy();
    await dynamo.stop();
  }
};
