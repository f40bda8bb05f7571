/**
 * The load proof: a whole local stack (DynamoDB Local, the local bus, the real function code, the
 * simulator), optionally under injected faults, fed N shop events through the local PutEvents endpoint
 * with the AWS SDK's own EventBridge client, then left to settle; then the promises are checked against
 * what reached the outside world (the outbox is SNS's record of every message it accepted):
 *
 * - every SMS-bearing fact accounted for: each distinct (order, status) of a valid OrderPlaced or
 *   OrderStatusChanged ends as exactly one of sent, suppressed (with its reason), deferred (still waiting
 *   for its quiet hours to end), dead-lettered or outcome-unknown; one with none of these is lost;
 * - no (order, status) texted twice, counted from the outbox;
 * - no SMS to a phone whose opt-out was processed before the load;
 * - no callback made, or still waiting to be made, for a cart that was ordered;
 * - no phone number in clear in any log line the functions wrote during the run.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ScanCommand } from '#adapters/dynamodb/document-client.js';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import {
  FaultInjector,
  type FaultRates,
  type FaultsSnapshot,
  formatFaultRates,
} from '#local/faults/fault-plan.js';
import type { DeadLetterRecord, SmsRecord } from '#local/runtime/records.js';
import { type LocalStack, startLocalStack } from '#local/stack.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { loadConfig } from '#infra/config/load.js';
import { ORDER_SMS_CONCURRENCY } from '#functions/order-sms/environment.js';
import { type LoadPlan, maskOf, planLoad, type ShopEntry } from './load-events.js';

/** A Friday in the season, 08:30 in Warsaw: the working day ahead, and the Azores' quiet hours ending in 90 minutes. */
export const PROOF_START = '2026-11-27T08:30:00+01:00';

export interface LoadProofOptions {
  readonly events: number;
  /** Faults to inject; none when undefined. */
  readonly faults?: FaultRates;
  readonly faultSeed?: number;
  /** Seed of the load itself. @default 2026 */
  readonly seed?: number;
  /** Virtual seconds per real second. @default 60 */
  readonly speed?: number;
  /** PutEvents requests in flight. @default 4 */
  readonly inFlight?: number;
  /** Real milliseconds the pipeline may take to settle after the last event. @default 15 minutes */
  readonly settleTimeoutMs?: number;
  /** Batches each buffer consumes at once. @default 2, the order-SMS event source's `maxConcurrency` */
  readonly bufferConcurrency?: number;
  /** SMS parts per virtual second for the SNS stand-in. @default the function's share, as on AWS */
  readonly smsPartsPerSecond?: number;
  readonly config?: PeaklineConfig;
  readonly log?: (line: string) => void;
  /** Stop the stack (DynamoDB Local's Java included) and exit on Ctrl-C or SIGTERM: for the CLI. @default false */
  readonly stopOnSignal?: boolean;
}

export type FactOutcome = 'sent' | 'suppressed' | 'deferred' | 'dead-lettered' | 'outcome-unknown' | 'lost';

export interface Broken {
  readonly promise: string;
  readonly count: number;
  readonly examples: readonly string[];
}

export interface LoadProofResult {
  readonly label: string;
  readonly events: number;
  readonly faults: string;
  readonly faultSeed: number;
  /** The virtual clock's speed, and the SNS stand-in's pace where the run set one. */
  readonly speed: number;
  readonly smsPartsPerSecond?: number;
  readonly injected: FaultsSnapshot;
  readonly load: {
    readonly byType: Readonly<Record<string, number>>;
    readonly duplicates: { readonly sameEvent: number; readonly sameFactNewEvent: number };
    readonly malformed: number;
    readonly optOutsBefore: number;
    readonly orderedCarts: number;
    /** PutEvents requests the sender had to make again after the SDK's own retries gave up. */
    readonly resentRequests: number;
  };
  /** Each SMS-bearing (order, status) the load emitted, by how it ended. */
  readonly accounting: Readonly<Record<FactOutcome, number>> & {
    readonly emitted: number;
    readonly sentAfterDeferral: number;
    readonly suppressedBy: Readonly<Record<string, number>>;
  };
  readonly smsInOutbox: number;
  readonly duplicateSms: number;
  readonly smsToOptedOut: number;
  readonly callbacksForOrderedCarts: number;
  /** Callbacks of bought carts made before the OrderPlaced was processed: nothing left to cancel, not a broken promise. */
  readonly callbacksMadeBeforeTheirOrder: number;
  readonly malformedDeadLettered: number;
  readonly settled: boolean;
  /** Real seconds from the first event sent to the pipeline settled. */
  readonly seconds: number;
  /** Seconds to put the events on the bus. */
  readonly sendSeconds: number;
  readonly eventsPerSecond: number;
  readonly broken: readonly Broken[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);

const statusOfKind = (kind: string) =>
  kind
    .replace(/^order-/, '')
    .replace(/-/g, '_')
    .toUpperCase();

/** Puts the entries in batches of 10 (PutEvents' most), `inFlight` at once, resending what failed, as a shop backend does. */
const sendAll = async (
  client: EventBridgeClient,
  entries: readonly ShopEntry[],
  inFlight: number,
): Promise<{ resent: number }> => {
  const batches: ShopEntry[][] = [];
  for (let i = 0; i < entries.length; i += 10) batches.push(entries.slice(i, i + 10));
  let next = 0;
  let resent = 0;
  const worker = async () => {
    while (next < batches.length) {
      let batch = batches[next++] as ShopEntry[];
      for (let attempt = 1; batch.length > 0; attempt++) {
        try {
          const result = await client.send(new PutEventsCommand({ Entries: batch }));
          // Entries refused on purpose (none here) would stay refused; only failures worth retrying are resent.
          batch = batch.filter((_, i) => {
            const code = result.Entries?.[i]?.ErrorCode;
            return code !== undefined && /Throttl|Internal/i.test(code);
          });
        } catch (error) {
          if (attempt >= 20) throw error;
          resent += 1;
          await sleep(20 * attempt);
        }
      }
    }
  };
  await Promise.all(Array.from({ length: inFlight }, worker));
  return { resent };
};

interface StatusView {
  readonly queues: readonly { name: string; visible: number; inFlight: number; delivered: number }[];
  readonly metrics: Readonly<Record<string, number>>;
}

const status = async (stack: LocalStack): Promise<StatusView> => {
  const res = await fetch(`${stack.dashboardUrl}/api/status`);
  return (await res.json()) as StatusView;
};

const queueEmpty = (view: StatusView, name?: string) =>
  view.queues
    .filter((q) => name === undefined || q.name.endsWith(name))
    .every((q) => q.visible + q.inFlight === 0);

export const runLoadProof = async (options: LoadProofOptions): Promise<LoadProofResult> => {
  const log = options.log ?? (() => {});
  const config = options.config ?? loadConfig('dev');
  const faultSeed = options.faultSeed ?? 1;
  const faults = new FaultInjector(options.faults ?? {}, faultSeed);
  const label = faults.enabled ? `with faults ${formatFaultRates(faults.rates)}` : 'without faults';
  const stateDir = mkdtempSync(join(tmpdir(), 'peakline-proof-'));
  const stack = await startLocalStack({
    config,
    stateDir,
    startTime: new Date(PROOF_START),
    speed: options.speed ?? 60,
    demo: false,
    eventsPort: 0,
    dashboardPort: 0,
    inMemoryDatabase: true,
    log: (line) => log(`  stack: ${line}`),
    faults,
    bufferConcurrency: options.bufferConcurrency ?? ORDER_SMS_CONCURRENCY,
    ...(options.smsPartsPerSecond === undefined ? {} : { smsPartsPerSecond: options.smsPartsPerSecond }),
  });
  const onSignal = () => {
    log('stopping the local stack…');
    void stack.stop().finally(() => process.exit(130));
  };
  if (options.stopOnSignal) {
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
  }
  const client = new EventBridgeClient({
    endpoint: stack.eventsUrl,
    region: config.region,
    credentials: { accessKeyId: 'shop', secretAccessKey: 'shop' },
  });
  const dynamo = new DynamoDBClient({
    endpoint: stack.dynamodbEndpoint,
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  // The run's outbox, logs and dead letters are evidence only when a promise broke: then they are kept
  // and their folder named; otherwise the folder goes with the run.
  let keepEvidence = true;
  try {
    const plan: LoadPlan = planLoad({
      events: options.events,
      seed: options.seed ?? 2026,
      startMs: stack.clock.nowMs(),
      busName: config.bus.name,
      source: config.shop.source,
    });
    log(`${label}: ${plan.optOuts.length} opt-outs first, then ${plan.entries.length} events`);

    // The opt-outs first, processed before the load: from then on those phones must get nothing.
    const started = performance.now();
    const first = await sendAll(client, plan.optOuts, options.inFlight ?? 4);
    await waitFor(async () => queueEmpty(await status(stack), 'customer-opt-out'), 120_000);

    const load = await sendAll(client, plan.entries, options.inFlight ?? 4);
    const sendSeconds = (performance.now() - started) / 1000;
    log(`${label}: events on the bus after ${sendSeconds.toFixed(1)} s; waiting for the pipeline to settle`);

    const settled = await settle(stack, options.settleTimeoutMs ?? 15 * 60_000, log);
    const seconds = (performance.now() - started) / 1000;
    const figures = await check(stack, stateDir, plan, dynamo);
    keepEvidence = !settled || figures.broken.length > 0;
    if (keepEvidence) log(`${label}: the run's outbox, logs and dead letters are kept in ${stateDir}`);
    return {
      label,
      events: plan.entries.length,
      faults: formatFaultRates(faults.rates),
      faultSeed,
      speed: stack.clock.speed,
      ...(options.smsPartsPerSecond === undefined ? {} : { smsPartsPerSecond: options.smsPartsPerSecond }),
      injected: stack.faults.snapshot(),
      load: {
        byType: plan.byType,
        duplicates: plan.duplicates,
        malformed: plan.malformed,
        optOutsBefore: plan.optOuts.length,
        orderedCarts: plan.orderedCarts.size,
        resentRequests: first.resent + load.resent,
      },
      ...figures,
      settled,
      seconds,
      sendSeconds,
      eventsPerSecond: plan.entries.length / seconds,
      broken: [
        ...figures.broken,
        ...(settled
          ? []
          : [
              {
                promise: 'the pipeline settles',
                count: 1,
                examples: ['queues or deferred SMS still busy at the time limit'],
              },
            ]),
      ],
    };
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    client.destroy();
    dynamo.destroy();
    await stack.stop();
    if (!keepEvidence) rmSync(stateDir, { recursive: true, force: true });
  }
};

const waitFor = async (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> => {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    if (await check()) return true;
    await sleep(250);
  }
  return false;
};

/**
 * Quiescent: every buffer empty, no deferred SMS whose release is still to come, no callback held by a
 * sweep, and nothing new in the outbox or the function log for a few virtual minutes.
 */
const settle = async (
  stack: LocalStack,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<boolean> => {
  let lastSize = '';
  let quietSince = Number.POSITIVE_INFINITY;
  let lastReport = 0;
  return waitFor(async () => {
    const view = await status(stack);
    // Activity: what the SMS path and the buffers did. The overflow controller samples forever (and under
    // faults logs each failed sample), and the callback sweeper works through its backlog for hours at its
    // share of the Connect rate (20 tasks a virtual minute at the default 2 calls a second): neither counts.
    // A callback still waiting at the end is checked all the same (none may wait for an ordered cart).
    const size = [
      statSync(stack.outbox.file).size,
      statSync(stack.deadLetters.file).size,
      ...view.queues.map((q) => q.delivered),
      ...Object.entries(view.metrics)
        .filter(([name]) => !name.startsWith('overflow-controller.') && !name.startsWith('callback-sweeper.'))
        .map(([, n]) => n),
    ].join(',');
    const now = stack.clock.nowMs();
    if (size !== lastSize || !queueEmpty(view)) {
      lastSize = size;
      quietSince = now;
    }
    if (performance.now() - lastReport > 10_000) {
      lastReport = performance.now();
      const busy = view.queues
        .filter((q) => q.visible + q.inFlight > 0)
        .map((q) => `${q.name} ${q.visible + q.inFlight}`);
      log(`  settling at ${stack.clock.now().toISOString()}: ${busy.join(', ') || 'buffers empty'}`);
    }
    if (now - quietSince < 5 * 60_000) return false;
    // Deferred SMS whose time has not come hold the stack open until it has (plus a release run).
    const deferredUntil = readJsonl<SmsRecord>(stack.outbox.file)
      .filter((r) => r.status === 'DEFERRED')
      .reduce((latest, r) => Math.max(latest, Date.parse(r.sendAt)), 0);
    return now > deferredUntil + 2 * 60_000;
  }, timeoutMs);
};

interface Decision {
  readonly message: string;
  readonly fn: string;
  readonly outcome?: string;
  readonly orderId?: string;
  readonly status?: string;
  readonly reason?: string;
}

const check = async (stack: LocalStack, stateDir: string, plan: LoadPlan, dynamo: DynamoDBClient) => {
  const outbox = readJsonl<SmsRecord>(stack.outbox.file);
  const decisions = readJsonl<Decision>(join(stateDir, 'functions.jsonl')).filter(
    (l) =>
      l.message === 'sms decision' ||
      /outcome[ -]unknown/i.test(l.message) ||
      /UNKNOWN/i.test(l.outcome ?? ''),
  );
  const letters = readJsonl<DeadLetterRecord>(stack.deadLetters.file);

  // What reached a phone: every message SNS accepted.
  const sent = outbox.filter((r) => r.status === 'SENT' && r.messageId !== undefined);
  const sentByFact = new Map<string, SmsRecord[]>();
  for (const r of sent) {
    if (r.orderId === undefined || !r.kind.startsWith('order-')) continue;
    const key = `${r.orderId}#${statusOfKind(r.kind)}`;
    sentByFact.set(key, [...(sentByFact.get(key) ?? []), r]);
  }
  const byFact = (outcomeOf: (d: Decision) => boolean) => {
    const map = new Map<string, Decision>();
    for (const d of decisions) {
      if (d.orderId !== undefined && d.status !== undefined && outcomeOf(d))
        map.set(`${d.orderId}#${d.status}`, d);
    }
    return map;
  };
  const suppressed = byFact((d) => d.outcome === 'SUPPRESSED');
  const deferred = byFact((d) => d.outcome === 'DEFERRED');
  const unknown = byFact((d) => /UNKNOWN/i.test(d.outcome ?? '') || /outcome[ -]unknown/i.test(d.message));
  const deadLettered = new Set<string>();
  let malformedDeadLettered = 0;
  for (const letter of letters) {
    const event = letter.event as {
      'detail-type'?: string;
      detail?: { orderId?: unknown; status?: unknown };
    };
    const orderId = event?.detail?.orderId;
    if (typeof orderId !== 'string') continue;
    if (orderId.startsWith('MALFORMED-')) malformedDeadLettered += 1;
    const statusOf = event['detail-type'] === 'OrderPlaced' ? 'PLACED' : event.detail?.status;
    if (typeof statusOf === 'string') deadLettered.add(`${orderId}#${statusOf}`);
  }

  const counts: Record<FactOutcome, number> = {
    sent: 0,
    suppressed: 0,
    deferred: 0,
    'dead-lettered': 0,
    'outcome-unknown': 0,
    lost: 0,
  };
  const suppressedBy: Record<string, number> = {};
  const lost: string[] = [];
  let sentAfterDeferral = 0;
  for (const fact of plan.facts) {
    if (sentByFact.has(fact)) {
      counts.sent += 1;
      if (deferred.has(fact)) sentAfterDeferral += 1;
    } else if (unknown.has(fact)) counts['outcome-unknown'] += 1;
    else if (suppressed.has(fact)) {
      counts.suppressed += 1;
      const reason = suppressed.get(fact)?.reason ?? 'unknown';
      suppressedBy[reason] = (suppressedBy[reason] ?? 0) + 1;
    } else if (deadLettered.has(fact)) counts['dead-lettered'] += 1;
    else if (deferred.has(fact)) counts.deferred += 1;
    else {
      counts.lost += 1;
      lost.push(fact);
    }
  }

  const duplicates = [...sentByFact.entries()].filter(([, records]) => records.length > 1);
  const toOptedOut = sent.filter((r) => plan.optedOutMasks.has(r.to));
  // A bought cart's callback may only have been made before its OrderPlaced was processed (the task
  // already existed: nothing to cancel). Made after, or still waiting at the end, breaks the promise.
  const orderProcessedAt = new Map<string, number>();
  for (const line of readJsonl<{ message: string; cartId?: string; at: string }>(
    join(stateDir, 'functions.jsonl'),
  )) {
    if (line.message !== 'callback cancellation' || line.cartId === undefined) continue;
    const at = Date.parse(line.at);
    orderProcessedAt.set(line.cartId, Math.min(at, orderProcessedAt.get(line.cartId) ?? at));
  }
  const madeAfterOrder = (cartId: string, at: string | undefined) => {
    const processed = orderProcessedAt.get(cartId);
    return processed === undefined || at === undefined || Date.parse(at) >= processed;
  };
  const callbacks = (await scanCallbacks(dynamo, stack.tableNames.callbacks)).filter((c) =>
    plan.orderedCarts.has(c.cartId),
  );
  const madeOrWaiting = callbacks.filter(
    (c) =>
      ['SCHEDULED', 'POSTPONED', 'CLAIMED'].includes(c.state) ||
      (['CREATED', 'REPLACED_BY_SMS'].includes(c.state) && madeAfterOrder(c.cartId, c.endedAt)),
  );
  const madeBeforeOrder = callbacks.filter(
    (c) => ['CREATED', 'REPLACED_BY_SMS'].includes(c.state) && !madeAfterOrder(c.cartId, c.endedAt),
  ).length;
  const cartSmsForOrdered = sent.filter(
    (r) => r.cartId !== undefined && plan.orderedCarts.has(r.cartId) && madeAfterOrder(r.cartId, r.sendAt),
  );

  // Every log line the functions wrote in the run: a phone number may appear masked (+48*****4567), never
  // whole. (The dead letters keep the event as received, phone included, by design: see the README.)
  const phonesInClear = [
    ...new Set(readFileSync(join(stateDir, 'functions.jsonl'), 'utf8').match(/\+\d{9,15}/g) ?? []),
  ];

  const broken: Broken[] = [];
  const add = (promise: string, examples: string[]) => {
    if (examples.length > 0) broken.push({ promise, count: examples.length, examples: examples.slice(0, 5) });
  };
  add('every event accounted for (none lost)', lost);
  add(
    'one SMS per (order, status)',
    duplicates.map(
      ([fact, records]) =>
        `${fact}: ${records.length} SMS (${records.map((r) => `${r.messageId}${r.answeredWith ? ` answered ${r.answeredWith}` : ''}`).join(', ')})`,
    ),
  );
  add(
    'no SMS to an opted-out phone',
    toOptedOut.map((r) => `${r.to} ${r.kind} ${r.orderId ?? r.cartId ?? ''} at ${r.sendAt}`),
  );
  add('no callback for a cart that was ordered', [
    ...madeOrWaiting.map(
      (c) =>
        `${c.cartId}: callback ${c.state}${c.endedAt ? ` at ${c.endedAt}` : ''}, order processed ${
          orderProcessedAt.has(c.cartId)
            ? new Date(orderProcessedAt.get(c.cartId) ?? 0).toISOString()
            : 'never'
        }`,
    ),
    ...cartSmsForOrdered.map((r) => `${r.cartId}: ${r.kind} SMS at ${r.sendAt}`),
  ]);
  add(
    'no phone number in clear in a log line',
    phonesInClear.map((phone) => `${maskOf(phone)} in clear in functions.jsonl`),
  );
  add(
    'every malformed event dead-lettered with its reason',
    malformedDeadLettered >= plan.malformed
      ? []
      : [`${plan.malformed - malformedDeadLettered} of ${plan.malformed} not in the rejected events`],
  );

  return {
    accounting: { emitted: plan.facts.size, ...counts, sentAfterDeferral, suppressedBy },
    smsInOutbox: sent.length,
    duplicateSms: duplicates.reduce((sum, [, records]) => sum + records.length - 1, 0),
    smsToOptedOut: toOptedOut.length,
    callbacksForOrderedCarts: madeOrWaiting.length + cartSmsForOrdered.length,
    callbacksMadeBeforeTheirOrder: madeBeforeOrder,
    malformedDeadLettered,
    broken,
  };
};

const scanCallbacks = async (client: DynamoDBClient, tableName: string) => {
  const documents = BridgedDocumentClient.over(client);
  const found: { cartId: string; state: string; endedAt?: string }[] = [];
  let startKey: Record<string, unknown> | undefined;
  do {
    const page = await documents.send(
      new ScanCommand({ TableName: tableName, ...(startKey ? { ExclusiveStartKey: startKey } : {}) }),
    );
    for (const item of page.Items ?? []) {
      const pk = String(item.pk ?? '');
      if (pk.startsWith('cart#')) {
        found.push({
          cartId: pk.slice('cart#'.length),
          state: String(item.state ?? ''),
          ...(typeof item.endedAt === 'string' ? { endedAt: item.endedAt } : {}),
        });
      }
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey);
  return found;
};
