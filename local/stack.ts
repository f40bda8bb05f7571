/**
 * The whole pipeline on one machine: AWS's DynamoDB Local with the DataStack's tables, the real
 * function code on local adapters, the rules of the CDK app on a local bus behind an EventBridge
 * endpoint, the contact-centre simulator, the scheduled parts on a virtual clock, and a dashboard.
 */
import { mkdirSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import { join, resolve } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import { standardRetryDelayMs } from '#adapters/signed-json/aws-json-client.js';
import { chartSvg } from '#cli/report/charts.js';
import { createTables } from '#adapters/dynamodb/create-tables.js';
import { EventBridgePublisher } from '#adapters/eventbridge/event-publisher.js';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import { SMS_SENDERS } from '#functions/order-sms/environment.js';
import { DynamoCallbackStore } from '#adapters/dynamodb/callback-store.js';
import { DynamoRoutingStateReader, DynamoRoutingStateStore } from '#adapters/dynamodb/routing-state.js';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import type { TableName } from '#adapters/dynamodb/tables.js';
import { maskPhone } from '#core/phone.js';
import type { DeadLetterSink, OutgoingSms } from '#core/ports.js';
import type { Callback } from '#core/callbacks/callback.js';
import { OverflowRouter } from '#core/routing/router.js';
import { seatView } from '#core/seats/seat.js';
import type { SmsDecision } from '#core/sms/order-sms.js';
import { PEAKLINE_SOURCE } from '#events/index.js';
import { REFUSED_BY_BUS, type RuleName, rules, unknownDetailTypeReason } from '#events/rules.js';
import type { PeaklineConfig } from '#infra/config/schema.js';
import { QUEUES, ROUTING_PROFILES } from '#infra/constructs/connect/contact-centre-model.js';
import {
  answerDeflection,
  type DeflectionRecord,
  sendQueuedCallerSms,
} from '#functions/deflection-sms/answer.js';
import {
  deflectionEnvironmentFrom,
  deflectionSmsEnvironment,
  trackingEnvironmentFrom,
} from '#functions/deflection-sms/environment.js';
import { callerSmsSenderDeps, trackingIndex } from '#functions/deflection-sms/wiring.js';
import { orderSmsEnvironmentFrom } from '#functions/order-sms/environment.js';
import { inboundFlow as inboundFlowDocument } from '#infra/constructs/connect/flows/inbound.js';
import { suppressionKeying } from '#adapters/secrets/phone-hash-key.js';
import { ORDER_ATTRIBUTES, type OrderStatusAnswer } from '#core/orders/types.js';
import type { QueuedTracking } from '#core/sms/tracking-sms.js';
import { answerOrderStatus, type OrderStatusRecord } from '#functions/order-status/answer.js';
import { orderStatusEnvironment, orderStatusEnvironmentFrom } from '#functions/order-status/environment.js';
import { orderStatusPorts } from '#functions/order-status/wiring.js';
import { documentReads } from '#adapters/dynamodb/document-reads.js';
import {
  type CallAnswer,
  contactFlowEvent,
  inboundOutcomeOf,
  LOCAL_CUSTOMER_QUEUE_FLOW,
  LOCAL_FLOW_QUEUES,
  LOCAL_FUNCTION_ARNS,
  LocalCalls,
  type LocalFunction,
  parseCallRequest,
} from './calls.js';
import { type LocalRule, LocalEventBus } from './bus/local-bus.js';
import { LocalQueue } from './bus/local-queue.js';
import type { EventBridgeEvent } from './bus/put-events.js';
import type { ConnectSimulator } from '#simulator/connect/index.js';
import { createContactCentre } from '#simulator/contact-centre.js';
import { Random } from '#simulator/connect/random.js';
import { Demo } from './demo.js';
import { LocalInboundFlow } from './inbound-flow.js';
import {
  LOCAL_CREDENTIALS,
  LOCAL_REGION,
  type RunningDynamoDbLocal,
  startDynamoDbLocal,
} from './dynamodb-local.js';
import {
  bufferedFunctions,
  callbackFunctions,
  deflectionSmsWorld,
  type LocalWiring,
  orderSmsWorld,
  scheduledJobs,
} from './functions.js';
import { createDashboardEndpoint } from './http/dashboard-endpoint.js';
import { LOCAL_CONNECT_INSTANCE_ID } from './http/connect-endpoint.js';
import { createEventsEndpoint } from './http/events-endpoint.js';
import { type FaultInjector, noFaults } from './faults/fault-plan.js';
import {
  type AcceptedSms,
  faultyContactCentre,
  dynamoDbFaultWire,
  localPutEvents,
  localSnsPublish,
  withSmsContext,
} from './faults/stand-ins.js';
import { close, listen } from './http/listen.js';
import { JsonlLog } from './runtime/jsonl-log.js';
import { LocalPublicStatus } from './runtime/public-status.js';
import { LIVE_CHARTS, type LiveChartName, LiveStats } from './runtime/live-stats.js';
import { queueRecords as queueRecordsOf } from './runtime/queue-records.js';
import type { DeadLetterRecord, QueueRecord, SmsRecord } from './runtime/records.js';
import { Scheduler } from './runtime/scheduler.js';
import { TtlReaper } from './runtime/ttl-reaper.js';
import { seatTtlBackstop } from './seat-ttl-backstop.js';
import { VirtualClock } from './runtime/virtual-clock.js';

/** The queues whose waits the dashboard charts: the accounting queue's tasks wait days, not minutes. */
const LIVE_WAIT_QUEUES = ['primary', 'secondLine', 'callback'] as const;
/**
 * Real milliseconds a rendered chart is served again before it is drawn anew: at ×60 a virtual minute is
 * a real second, and drawing three charts every second would take a good share of a core.
 */
const CHART_REFRESH_MS = 3_000;

/** The account id events carry in the local stack: clearly not a real one. */
export const LOCAL_ACCOUNT = '000000000000';

export interface LocalStackOptions {
  readonly config: PeaklineConfig;
  /** Where the outbox, the dead letters, the logs and the database live. */
  readonly stateDir: string;
  /** Keep what the previous run left in `stateDir`. @default false: start clean */
  readonly keep?: boolean;
  readonly startTime: Date;
  readonly speed: number;
  readonly demo: boolean;
  /** 0 picks a free port (tests). */
  readonly eventsPort: number;
  readonly dashboardPort: number;
  /** Keep DynamoDB Local in memory instead of in `stateDir` (tests). @default false */
  readonly inMemoryDatabase?: boolean;
  /** Progress and problems, one line each. @default console.error */
  readonly log?: (line: string) => void;
  /** The chaos switch (`--faults`): which share of SNS, EventBridge, Connect and DynamoDB calls fail. @default none */
  readonly faults?: FaultInjector;
  /**
   * SMS parts per virtual second the SNS stand-in paces to. @default the order-SMS function's share of
   * `sms.maxPartsPerSecond`, as on AWS
   */
  readonly smsPartsPerSecond?: number;
  /** Batches each buffer's function consumes at once (the event source's `maxConcurrency`). @default 1 */
  readonly bufferConcurrency?: number;
  /**
   * Virtual milliseconds each buffer holds a batch smaller than 10 for more messages (the event source's
   * `maxBatchingWindow`; the CDK app deploys 1 s). @default 0: a batch goes as soon as its function is free
   */
  readonly bufferBatchingWindowMs?: number;
  /** Virtual milliseconds an item outlives its TTL before the reaper deletes it. @default TTL_LAG_MS */
  readonly ttlLagMs?: number;
  /**
   * How many times longer than on AWS the local functions may take to answer the flow (its invocation
   * limits and the order lookup's budget, both real time): tests on a busy machine wait longer rather than
   * fail open. @default 1
   */
  readonly functionTimeScale?: number;
}

/**
 * AWS deletes an expired item within days of its TTL, never at once, so the code that owns an expiry acts
 * first and the TTL is the backstop; locally an item goes one virtual hour after its TTL, well after the seat
 * sweeper's next run (every 5 minutes at most), and soon enough to watch the backstop work.
 */
export const TTL_LAG_MS = 60 * 60_000;
/**
 * How often, in virtual time, the TTL reaper looks for expired items: each pass scans every table, so not
 * so often that a load run's large ledger keeps DynamoDB Local busy with scans.
 */
const TTL_REAP_EVERY_MS = 15 * 60_000;

export interface LocalStack {
  readonly eventsUrl: string;
  readonly dashboardUrl: string;
  readonly clock: VirtualClock;
  readonly bus: LocalEventBus;
  readonly simulator: ConnectSimulator;
  /** The inbound flow the demo's callers go through; tests place their own calls with it. */
  readonly inboundFlow: LocalInboundFlow;
  readonly outbox: JsonlLog<SmsRecord>;
  readonly deadLetters: JsonlLog<DeadLetterRecord>;
  readonly dynamodbEndpoint: string;
  readonly tableNames: Readonly<Record<TableName, string>>;
  /** The faults injected so far (`/api/faults`). */
  readonly faults: FaultInjector;
  /**
   * Places a test call through the deployed inbound flow's document (`POST /api/calls`): what the caller
   * heard and where the call ended. `keys`: one per input, `-` a silence; out of keys, the caller hangs up.
   */
  placeCall(from: string, keys?: string): Promise<CallAnswer>;
  /** Processes what is due now (queued retries, the simulator, the demo) and waits for it. */
  settle(): Promise<void>;
  stop(): Promise<void>;
}

/** The outbox's view of a decision: what `/api/sms` returns. */
export const toSmsRecord = (
  decision: Extract<SmsDecision, { outcome: 'SENT' | 'DEFERRED' | 'SUPPRESSED' }>,
  now: Date,
): SmsRecord => ({
  id: `${decision.orderId}#${decision.status}`,
  to: decision.to,
  kind: decision.kind,
  status: decision.outcome,
  orderId: decision.orderId,
  ...(decision.outcome === 'SUPPRESSED'
    ? {
        body: '',
        segments: 0,
        encoding: 'GSM-7' as const,
        sendAt: now.toISOString(),
        reason: decision.reason,
      }
    : {
        body: decision.body,
        segments: decision.segments,
        encoding: decision.encoding,
        sendAt: decision.outcome === 'SENT' ? decision.sentAt : decision.sendAt,
      }),
});

/** A callback as `/api/callbacks` shows it: its state and its offer, without the customer's phone. */
export const callbackView = (callback: Callback) => {
  const outOfStock = callback.offer.items.filter((item) => !item.inStock);
  const money = (m: { amount: number; currency: string }) => `${m.amount.toFixed(2)} ${m.currency}`;
  return {
    cartId: callback.cartId,
    status: callback.state,
    dueAt: callback.dueAt,
    customerId: callback.customer.customerId,
    postponements: callback.postponements,
    ...(callback.contactId === undefined ? {} : { contactId: callback.contactId }),
    ...(callback.endReason === undefined ? {} : { endReason: callback.endReason }),
    offer: {
      summary: [
        `${callback.offer.items.length} item${callback.offer.items.length === 1 ? '' : 's'}, ${money(callback.offer.total)}`,
        ...outOfStock.map(
          (item) => `${item.name} out of stock${item.alternative ? ` -> ${item.alternative.name}` : ''}`,
        ),
      ].join('; '),
      items: callback.offer.items,
      total: callback.offer.total,
      ...(callback.offer.recoveryUrl === undefined ? {} : { recoveryUrl: callback.offer.recoveryUrl }),
    },
  };
};

/** The order status an order SMS's kind tells (`order-out-for-delivery` -> OUT_FOR_DELIVERY). */
const statusOfKind = (kind: string) =>
  kind
    .replace(/^order-/, '')
    .replace(/-/g, '_')
    .toUpperCase();

/**
 * What the SNS stand-in accepted, as the outbox keeps it: with SNS's message id, and the error its caller
 * was told instead if an injected fault lost the answer. Keyed like the decisions (`order#STATUS`), so the
 * API shows a deferred SMS as sent once it is; the outbox file keeps every line, a duplicate included.
 */
const acceptedSmsRecord = ({ messageId, input, sms, answeredWith }: AcceptedSms, now: Date): SmsRecord => ({
  id: sms?.orderId
    ? `${sms.orderId}#${statusOfKind(sms.kind)}`
    : sms?.cartId
      ? `${sms.cartId}#${sms.kind}`
      : `${sms?.kind ?? 'sms'}#${messageId}`,
  to: maskPhone(input.PhoneNumber ?? ''),
  body: input.Message ?? '',
  kind: sms?.kind ?? 'unknown',
  status: 'SENT',
  segments: sms?.segments ?? 0,
  encoding: sms?.encoding ?? 'GSM-7',
  sendAt: now.toISOString(),
  ...(sms?.orderId === undefined ? {} : { orderId: sms.orderId }),
  ...(sms?.cartId === undefined ? {} : { cartId: sms.cartId }),
  messageId,
  ...(answeredWith === undefined ? {} : { answeredWith }),
});

/** The outbox keeps every step (DEFERRED, then SENT); the API shows each SMS once, as it stands now. */
const latestById = (records: readonly SmsRecord[]): SmsRecord[] => {
  const seen = new Set<string>();
  return records.filter((r) => !seen.has(r.id) && seen.add(r.id));
};

export const startLocalStack = async (options: LocalStackOptions): Promise<LocalStack> => {
  const log = options.log ?? ((line: string) => console.error(line));
  const { config, stateDir } = options;
  if (!options.keep) rmSync(stateDir, { recursive: true, force: true });
  mkdirSync(stateDir, { recursive: true });

  const cleanups: (() => Promise<void> | void)[] = [];
  const stop = async () => {
    for (const cleanup of cleanups.reverse()) {
      try {
        await cleanup();
      } catch (error) {
        log(`while stopping: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
    cleanups.length = 0;
  };

  try {
    const clock = new VirtualClock({ startTime: options.startTime, speed: options.speed });
    const outbox = new JsonlLog<SmsRecord>(join(stateDir, 'outbox.jsonl'));
    const deadLetters = new JsonlLog<DeadLetterRecord>(join(stateDir, 'dead-letters.jsonl'));
    const functionLogs = new JsonlLog<Record<string, unknown>>(join(stateDir, 'functions.jsonl'), 1_000);
    const metrics = new Map<string, number>();
    const deadLetterSink: DeadLetterSink = {
      put: async (letter) => deadLetters.append({ at: clock.now().toISOString(), ...letter }),
    };

    log('starting DynamoDB Local…');
    // Absolute: DynamoDB Local runs in its own folder and would read a relative path from there.
    const dynamoDbPath = resolve(stateDir, 'dynamodb');
    if (!options.inMemoryDatabase) mkdirSync(dynamoDbPath, { recursive: true });
    const dynamo: RunningDynamoDbLocal = await startDynamoDbLocal(
      options.inMemoryDatabase ? {} : { dbPath: dynamoDbPath },
    );
    cleanups.push(() => dynamo.stop());
    const dynamoClient = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    cleanups.push(() => dynamoClient.destroy());
    const tableNames = (await createTables(dynamoClient, 'local')) as Record<TableName, string>;
    const faults = options.faults ?? noFaults();
    // The deployed functions' own document client, so the local stack runs the code Lambda runs: its
    // retries' backoff on the virtual clock like every other wait here, and the chaos switch's DynamoDB
    // faults next to its wire (the tables above were made without them).
    const documentClient = new LeanDocumentClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      retryDelayMs: (attempt, error) => standardRetryDelayMs(attempt, error) / options.speed,
      wire: dynamoDbFaultWire(faults),
    });
    cleanups.push(() => documentClient.destroy());

    const simulator = createContactCentre(clock.nowMs(), undefined, {
      secondLineAssistDelaySeconds: config.overflow.secondLineAssistDelaySeconds,
    });
    // Today's figures for the dashboard: fed below by the simulator, the outbox, the bus and a sample.
    const liveStats = new LiveStats(
      {
        timeZone: config.connect.timeZone,
        serviceLevelSeconds: config.reports.serviceLevelSeconds,
        serviceLevelTarget: config.reports.serviceLevelTarget,
        // The simulator's allowance, which its queue figures use too.
        shortAbandonSeconds: simulator.snapshot().queues[0]?.stats.shortAbandonSeconds ?? 5,
        queues: LIVE_WAIT_QUEUES.map((key) => ({ id: key, name: QUEUES[key].name })),
        primaryQueueId: 'primary',
      },
      clock.nowMs(),
    );
    const toOutbox = (record: SmsRecord) => {
      outbox.append(record);
      liveStats.sms(record, clock.nowMs());
    };
    simulator.onContactEvent((event) => liveStats.contact(event));
    // The callbacks of the day, as the functions announce them on the bus.
    const countCallbacks = (input: unknown) => {
      const entries = (input as { Entries?: { DetailType?: string; Detail?: string }[] }).Entries ?? [];
      for (const entry of entries) {
        const kind =
          entry.DetailType === 'CallbackScheduled'
            ? 'scheduled'
            : entry.DetailType === 'CallbackCreated'
              ? 'created'
              : undefined;
        if (kind === undefined) continue;
        try {
          const cartId = (JSON.parse(entry.Detail ?? '{}') as { cartId?: unknown }).cartId;
          if (typeof cartId === 'string') liveStats.callback(kind, cartId, clock.nowMs());
        } catch {
          // A malformed detail is the bus's to refuse; it is no callback.
        }
      }
    };

    // The bus is created below, once the rules know their targets; facts published before that cannot
    // happen, as nothing runs until the scheduler starts.
    const late: { bus?: LocalEventBus } = {};
    // SNS's stand-in behind the production SNS adapter: the adapter paces (on the virtual clock) and maps
    // SNS's errors; the stand-in writes every message it accepts to the outbox.
    const snsAdapter = new SnsSmsSender(
      localSnsPublish({
        faults,
        accept: (accepted) => toOutbox(acceptedSmsRecord(accepted, clock.now())),
      }),
      {
        senderId: config.sms.senderId,
        partsPerSecond: options.smsPartsPerSecond ?? config.sms.maxPartsPerSecond / SMS_SENDERS,
        nowMs: () => clock.nowMs(),
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms / clock.speed)),
      },
    );
    const smsSender = { send: (sms: OutgoingSms) => withSmsContext(sms, () => snsAdapter.send(sms)) };
    // peakline's facts through the production publisher and the functions' own PutEvents client,
    // answered by the bus in-process.
    const putOwnEvents = localPutEvents({
      faults,
      speed: clock.speed,
      putEvents: async (input) => {
        if (!late.bus) throw new Error('the local bus is not up yet');
        countCallbacks(input);
        return late.bus.putOwnEvents(input);
      },
    });
    // S3's stand-in for the public status document, served at /api/public-status.
    const publicStatus = new LocalPublicStatus(config, () => clock.now());
    const wiring: LocalWiring = {
      config,
      documentClient,
      tableNames,
      deadLetters: deadLetterSink,
      clock,
      busName: config.bus.name,
      log: (fn, message, fields) =>
        functionLogs.append({ at: clock.now().toISOString(), fn, message, ...fields }),
      count: (fn, metric, value = 1) =>
        metrics.set(`${fn}.${metric}`, (metrics.get(`${fn}.${metric}`) ?? 0) + value),
      smsSender,
      events: new EventBridgePublisher(putOwnEvents, config.bus.name),
      onSmsDecision: (decision) => {
        // SENT is in the outbox already (the sender wrote it); a DUPLICATE did nothing; an
        // OUTCOME_UNKNOWN is counted (`SmsOutcomeUnknown`), its SMS in the outbox if it went.
        if (decision.outcome === 'DEFERRED' || decision.outcome === 'SUPPRESSED') {
          toOutbox(toSmsRecord(decision, clock.now()));
        }
      },
      contactCentre: faultyContactCentre(simulator, faults),
      publicStatus,
    };
    const callbackStore = new DynamoCallbackStore(documentClient, tableNames.callbacks);
    const seatStore = new DynamoSeatStore(documentClient, tableNames.seats, {
      revokedRetentionDays: config.seats.revokedRetentionDays,
    });
    const functions = [...bufferedFunctions(wiring), ...callbackFunctions(wiring)];
    const queues = functions.map(
      (fn) =>
        new LocalQueue({
          name: `peakline-local-${fn.name}`,
          region: config.region,
          account: LOCAL_ACCOUNT,
          nowMs: () => clock.nowMs(),
          consume: fn.consume,
          ...(options.bufferConcurrency === undefined ? {} : { concurrency: options.bufferConcurrency }),
          ...(options.bufferBatchingWindowMs === undefined
            ? {}
            : {
                batchingWindowMs: options.bufferBatchingWindowMs,
                wakeAfter: (virtualMs: number, wake: () => void) =>
                  setTimeout(wake, virtualMs / clock.speed).unref(),
              }),
          onDeadLetter: (body, reason) => {
            let event: unknown = body;
            try {
              event = JSON.parse(body);
            } catch {
              // Kept as text: it is what arrived.
            }
            return deadLetterSink.put({ reason, refusedBy: fn.name, event });
          },
        }),
    );

    const ruleSet = rules({ shopSource: config.shop.source });
    const targets: Partial<Record<RuleName, (event: EventBridgeEvent) => Promise<void> | void>> = {
      unknownDetailType: (event) =>
        deadLetterSink.put({
          reason: unknownDetailTypeReason(event['detail-type']),
          refusedBy: REFUSED_BY_BUS,
          event,
        }),
    };
    functions.forEach((fn, i) => {
      targets[fn.rule] = (event) => queues[i]?.send(JSON.stringify(event));
    });
    const localRules: LocalRule[] = (Object.keys(ruleSet) as RuleName[]).flatMap((name) => {
      const deliver = targets[name];
      return deliver ? [{ definition: ruleSet[name], deliver }] : [];
    });
    const bus: LocalEventBus = new LocalEventBus({
      identity: {
        name: config.bus.name,
        account: LOCAL_ACCOUNT,
        region: config.region,
        // The bus policy admits the shop's source. peakline's own facts are put by peakline itself: its
        // functions, and the ops CLI (`peakline seats … --local`), which on AWS runs with the bus owner's IAM.
        admitsSource: (source) => source === config.shop.source || source === PEAKLINE_SOURCE,
      },
      rules: localRules,
      now: () => clock.now(),
      onDeliveryError: (event, rule, error) =>
        deadLetterSink.put({
          reason: `rule ${rule.id} could not deliver the event: ${error instanceof Error ? error.message : String(error)}`,
          refusedBy: REFUSED_BY_BUS,
          event,
        }),
    });

    late.bus = bus;

    // The inbound flow for the demo's callers: the router the Lambda runs, on DynamoDB Local, and the
    // deflection SMS function's code, into the outbox.
    const router = new OverflowRouter(
      new DynamoRoutingStateReader(documentClient, tableNames.routing, 0, () => clock.nowMs()),
      {
        queueArns: {
          primary: 'primary',
          secondLine: 'secondLine',
          callback: 'callback',
          accounting: 'accounting',
        },
        cacheMs: config.overflow.routerCacheSeconds * 1000,
        nowMs: () => clock.nowMs(),
        // Seeded, as the flow's menu draws are: the same demo shares the same callers with the second line.
        random: (() => {
          const draws = new Random(4011);
          return () => draws.next();
        })(),
      },
    );
    const deflectionPorts = deflectionSmsWorld(wiring);
    // The deflection SMS through the same SNS stand-in, into the outbox.
    const deflection = deflectionPorts && { ...deflectionPorts, sender: smsSender };
    const deflectionFunction: LocalFunction | undefined =
      deflection &&
      ((event) =>
        answerDeflection(event, deflection, {
          log: (message, fields) => wiring.log('deflection-sms', message, fields),
          count: (metric, value) => wiring.count('deflection-sms', metric, value),
        }));
    // The order-status function as its Lambda is wired, on the index in DynamoDB Local (keyed with the local
    // phone-hash key, as the suppression list). Option 1's request goes on no queue here: the "enqueue"
    // decides and sends the tracking SMS at once with the sender's own code, as the local stack sends the
    // deflection SMS, so the outbox has it when the call's answer comes back.
    const timeScale = options.functionTimeScale ?? 1;
    const orderStatusFunction: LocalFunction | undefined = config.orderStatus.enabled
      ? (() => {
          const env = orderStatusEnvironment.parse(
            orderStatusEnvironmentFrom(config, {
              ordersTable: tableNames.orders,
              callerSmsQueueUrl: 'http://127.0.0.1/local/caller-sms',
            }),
          );
          const record = (fn: string): OrderStatusRecord & DeflectionRecord => ({
            log: (message, fields) => wiring.log(fn, message, fields),
            count: (metric, value) => wiring.count(fn, metric, value),
          });
          // The caller-SMS sender's own code and environment, as the CDK app builds it for this stage.
          const sms = orderSmsWorld(wiring);
          const senderEnv = deflectionSmsEnvironment.parse({
            ...orderSmsEnvironmentFrom(config, {
              ledgerTable: tableNames.ledger,
              suppressionTable: tableNames.suppression,
              routingTable: tableNames.routing,
              rejectedEventsQueueUrl: 'http://127.0.0.1/local/rejected-events',
              busName: config.bus.name,
              primaryQueueId: 'primary',
            }),
            ...deflectionEnvironmentFrom(config.overflow),
            ...trackingEnvironmentFrom(config.orderStatus, { ordersTable: tableNames.orders }),
          });
          const senderDeps = callerSmsSenderDeps(
            senderEnv,
            { ...sms.deps, sender: smsSender },
            trackingIndex(senderEnv, documentClient, suppressionKeying().key, () => clock.now()),
          );
          const ports = orderStatusPorts(env, {
            clock,
            reads: documentReads(documentClient),
            key: suppressionKeying().key,
            enqueue: async (request: QueuedTracking) => {
              await sendQueuedCallerSms(request, senderDeps, record('deflection-sms-sender'));
            },
          });
          const scaled = { ...ports, lookupBudgetMs: ports.lookupBudgetMs * timeScale };
          return (event) => answerOrderStatus(event, scaled, record('order-status'));
        })()
      : undefined;
    // The demo's callers: the same lookup, and the link for the order the lookup told them about.
    const toldOrders = new Map<string, string>();
    const TOLD_ORDERS_KEPT = 1_000;

    const inboundFlow = new LocalInboundFlow({
      simulator,
      route: async () => (await router.route('primary')).answer,
      random: new Random(4010),
      ...(orderStatusFunction === undefined
        ? {}
        : {
            orderStatus: async ({ contactId, phone }) => {
              const answer = (await orderStatusFunction(
                contactFlowEvent({ contactId, phone, parameters: { action: 'lookup' } }),
              )) as OrderStatusAnswer;
              if (answer.found !== 'true') return { told: false, linkOffered: false };
              // A caller who never presses 1 leaves an entry behind: the oldest go first.
              toldOrders.set(contactId, answer.orderId);
              for (const oldest of toldOrders.keys()) {
                if (toldOrders.size <= TOLD_ORDERS_KEPT) break;
                toldOrders.delete(oldest);
              }
              return { told: true, linkOffered: answer.linkOffered === 'true' };
            },
            sendTrackingLink: async ({ contactId, phone }) => {
              const orderId = toldOrders.get(contactId) ?? '';
              toldOrders.delete(contactId);
              const answer = (await orderStatusFunction(
                contactFlowEvent({
                  contactId,
                  phone,
                  parameters: { action: 'send-link' },
                  attributes: { [ORDER_ATTRIBUTES.orderId]: orderId },
                }),
              )) as { sent?: string };
              return answer.sent === 'true';
            },
            // The told callers' choices from a generator of their own: the menu's draws stay as they were.
            statusRandom: new Random(4012),
          }),
      ...(deflectionFunction === undefined
        ? {}
        : {
            sendDeflectionSms: async ({ contactId, phone }) => {
              const answer = (await deflectionFunction(
                contactFlowEvent({ contactId, phone, parameters: { kind: 'deflection' } }),
              )) as { sent?: string };
              return answer.sent === 'true';
            },
          }),
    });

    // Test calls (`POST /api/calls`) play the deployed flow's own document, built as the ContactFlows
    // construct builds it from the same settings, with the simulator's queues and the local functions.
    const functionsOfFlow: Record<string, LocalFunction> = {
      // As the router's Lambda handler maps the flow's event: the queue the caller came for, its answer.
      [LOCAL_FUNCTION_ARNS.router]: async (event) =>
        (await router.route(event.Details.Parameters.queue)).answer,
      ...(deflectionFunction === undefined
        ? {}
        : { [LOCAL_FUNCTION_ARNS.deflectionSms]: deflectionFunction }),
      ...(orderStatusFunction === undefined
        ? {}
        : { [LOCAL_FUNCTION_ARNS.orderStatus]: orderStatusFunction }),
    };
    const calls = new LocalCalls({
      flow: inboundFlowDocument({
        queueArns: LOCAL_FLOW_QUEUES,
        routerFunctionArn: LOCAL_FUNCTION_ARNS.router,
        customerQueueFlowArn: LOCAL_CUSTOMER_QUEUE_FLOW,
        language: config.connect.language,
        shopName: config.sms.shopName,
        ...(deflectionFunction === undefined
          ? {}
          : {
              requestSms: {
                functionArn: LOCAL_FUNCTION_ARNS.deflectionSms,
                withBonusCode: config.overflow.bonusCode !== undefined,
              },
            }),
        ...(orderStatusFunction === undefined
          ? {}
          : {
              orderStatus: {
                functionArn: LOCAL_FUNCTION_ARNS.orderStatus,
                timeoutSeconds: config.orderStatus.lookupTimeoutSeconds,
              },
            }),
      }),
      ...(timeScale === 1
        ? {}
        : {
            timeLimit: (seconds: number) =>
              new Promise<void>((resolve) => setTimeout(resolve, seconds * 1000 * timeScale).unref()),
          }),
      functions: functionsOfFlow,
      simulator,
      onCall: (call) => {
        const outcome = inboundOutcomeOf(call);
        if (outcome !== undefined) liveStats.inboundOutcome(outcome, clock.nowMs());
      },
    });

    const demo = options.demo
      ? new Demo({
          inbound: async (call) => {
            const outcome = await inboundFlow.call(call);
            liveStats.inboundOutcome(outcome, clock.nowMs());
            return outcome;
          },
          simulator,
          putEvents: (request) => bus.putEvents(request),
          busName: config.bus.name,
          shopSource: config.shop.source,
          startMs: clock.nowMs(),
        })
      : undefined;

    const scheduler = new Scheduler({
      nowMs: () => clock.nowMs(),
      onError: (job, error) =>
        log(`${job} failed: ${error instanceof Error ? error.message : String(error)}`),
    });
    scheduler.add({ name: 'simulator', everyMs: 1_000, run: (now) => simulator.advanceTo(now) });
    scheduler.add({
      name: 'queues',
      everyMs: 1_000,
      run: async () => {
        await Promise.all(queues.map((q) => q.pump()));
      },
    });
    for (const job of scheduledJobs(wiring)) scheduler.add(job);
    // TTL on the virtual clock (DynamoDB Local's own TTL, on the real clock, is off): expired items go, and
    // the seats table's TTL deletions reach the backstop as the stream records AWS would send. Its own
    // client: the reaper stands for DynamoDB's service itself, which `--faults` does not break.
    const reaperClient = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    cleanups.push(() => reaperClient.destroy());
    const ttlReaper = new TtlReaper({
      client: reaperClient,
      tableNames,
      nowMs: () => clock.nowMs(),
      lagMs: options.ttlLagMs ?? TTL_LAG_MS,
      region: config.region,
      account: LOCAL_ACCOUNT,
      streams: { seats: [seatTtlBackstop(wiring)] },
      onDeadLetter: (subscription, record, reason) =>
        deadLetterSink.put({ reason, refusedBy: subscription, event: record }),
    });
    scheduler.add({
      name: 'ttl-reaper',
      everyMs: TTL_REAP_EVERY_MS,
      run: async () => {
        const { deleted } = await ttlReaper.reap();
        for (const [table, count] of Object.entries(deleted)) {
          wiring.count('ttl-reaper', `deleted.${table}`, count);
        }
      },
    });
    if (demo) scheduler.add({ name: 'demo', everyMs: 10_000, run: (now) => demo.advance(now) });
    // The dashboard's per-minute sample: waits from the simulator, the states and expected waits from the
    // controller's memory, read with the reaper's client, which the chaos switch leaves alone (the
    // dashboard watches the functions; it is not one of them).
    const routingMemory = new DynamoRoutingStateStore(
      BridgedDocumentClient.over(reaperClient),
      tableNames.routing,
    );
    let lastMemory: Awaited<ReturnType<DynamoRoutingStateStore['read']>> = new Map();
    scheduler.add({
      name: 'live-stats',
      everyMs: 60_000,
      run: async (now) => {
        // A failed read keeps the states last read: a minute without waits would be a hole in every chart.
        const memory = await routingMemory.read(LIVE_WAIT_QUEUES).then(
          (read) => (lastMemory = read),
          (error: unknown) => {
            log(`live-stats: the routing state could not be read, the last one is kept: ${String(error)}`);
            return lastMemory;
          },
        );
        const snapshot = simulator.snapshot();
        liveStats.sample({
          at: now,
          callsArrived: snapshot.queues.reduce((sum, q) => sum + q.stats.byChannel.VOICE.arrived, 0),
          queues: snapshot.queues.map((q) => ({
            id: q.id,
            oldestWaitSeconds: q.oldestWaitSeconds,
            expectedWaitSeconds: memory.get(q.id)?.lastWaitSeconds ?? null,
            routingState: memory.get(q.id)?.state ?? 'NORMAL',
          })),
        });
      },
    });
    const charts = new Map<LiveChartName, { version: number; at: number; svg: string }>();
    const chartDocument = (name: LiveChartName) => () => {
      const version = liveStats.chartsVersion;
      const cached = charts.get(name);
      if (
        cached === undefined ||
        (cached.version !== version && performance.now() - cached.at >= CHART_REFRESH_MS)
      ) {
        charts.set(name, { version, at: performance.now(), svg: chartSvg(liveStats.chart(name)) });
      }
      return { contentType: 'image/svg+xml', body: charts.get(name)?.svg ?? '' };
    };
    const liveNow = () => {
      const snapshot = simulator.snapshot();
      const online = snapshot.agents.filter((a) => a.loggedIn || a.contacts.length > 0);
      return {
        at: clock.nowMs(),
        callsArrived: snapshot.queues.reduce((sum, q) => sum + q.stats.byChannel.VOICE.arrived, 0),
        callsWaiting: snapshot.queues.reduce((sum, q) => sum + q.byChannel.VOICE.waiting, 0),
        agentsBusy: online.filter((a) => a.state === 'BUSY').length,
        agentsOnline: online.length,
      };
    };

    // The routing state the overflow controller keeps (NORMAL for a queue it does not watch).
    const routingStates = new DynamoRoutingStateReader(documentClient, tableNames.routing, 0, () =>
      clock.nowMs(),
    );
    const queueRecords = async (): Promise<QueueRecord[]> => {
      const states = new Map(
        await Promise.all(
          Object.keys(QUEUES).map(async (key) => [key, await routingStates.stateOf(key)] as const),
        ),
      );
      return queueRecordsOf(simulator.snapshot(), (queueId) => states.get(queueId) ?? 'NORMAL');
    };

    const eventsServer: Server = createEventsEndpoint({
      putEvents: (request) => bus.putEvents(request),
      faults,
      // The Connect user API on the same endpoint, over the simulator, for `peakline seats … --local`.
      contactCentre: simulator,
    });
    const eventsPort = await listen(
      eventsServer,
      options.eventsPort,
      'the EventBridge endpoint',
      '--events-port',
    );
    cleanups.push(() => close(eventsServer));
    const eventsUrl = `http://127.0.0.1:${eventsPort}`;

    const dashboardServer = createDashboardEndpoint({
      documents: Object.fromEntries(LIVE_CHARTS.map((name) => [`charts/${name}.svg`, chartDocument(name)])),
      api: {
        // Today's tiles (live statistics); the charts are under /api/charts/<name>.svg.
        stats: () => liveStats.tiles(liveNow()),
        sms: () => latestById(outbox.list()),
        callbacks: async () => (await callbackStore.list(200)).map(callbackView),
        queues: queueRecords,
        seats: async () => {
          const now = clock.now();
          const seats = await seatStore.list(now, { includeRevoked: true, includeExpired: true });
          return seats.map((seat) => seatView(seat, now));
        },
        // What `peakline seats … --local` needs to act here with the AWS adapters: endpoints and ids.
        connection: () => ({
          region: LOCAL_REGION,
          now: clock.now().toISOString(),
          speed: clock.speed,
          timeZone: config.connect.timeZone,
          busName: config.bus.name,
          eventsEndpoint: eventsUrl,
          connectEndpoint: eventsUrl,
          dynamodbEndpoint: dynamo.endpoint,
          seatsTable: tableNames.seats,
          tables: tableNames,
          connect: {
            instanceId: LOCAL_CONNECT_INSTANCE_ID,
            identityManagement: 'CONNECT_MANAGED',
            // The simulator's ids are the ContactCenterStack's keys (see contact-centre.ts).
            routingProfileIds: Object.fromEntries(Object.keys(ROUTING_PROFILES).map((key) => [key, key])),
            securityProfileIds: { agent: 'agent', lightAgent: 'lightAgent' },
          },
        }),
        'dead-letters': () => deadLetters.list(),
        // The wait published to customers: what the S3 object behind CloudFront holds on AWS.
        'public-status': () => publicStatus.document(),
        // What the chaos switch has injected, per service and kind (all zero without --faults).
        faults: () => faults.snapshot(),
        agents: () =>
          simulator.snapshot().agents.map((a) => ({
            userId: a.userId,
            username: a.username,
            routingProfile: a.routingProfileName,
            state: a.state,
            contacts: a.contacts.length,
          })),
        events: () => bus.recent(),
        logs: () => functionLogs.list(),
        status: () => ({
          now: clock.now().toISOString(),
          speed: clock.speed,
          demo: options.demo,
          jobs: scheduler.status(),
          metrics: Object.fromEntries(metrics),
          inboundCalls: inboundFlow.stats(),
          queues: queues.map((q) => q.stats()),
        }),
      },
      actions: {
        // A test call through the inbound flow: `{ "from": "+48601234567", "keys": "1" }`.
        calls: async (body) => calls.place(parseCallRequest(body)),
      },
      pulse: () => ({
        now: clock.now().toISOString(),
        timeZone: config.connect.timeZone,
        speed: clock.speed,
        bus: bus.name,
        ...bus.stats(),
      }),
    });
    const dashboardPort = await listen(
      dashboardServer,
      options.dashboardPort,
      'the dashboard',
      '--dashboard-port',
    );
    cleanups.push(() => close(dashboardServer));

    scheduler.start();
    cleanups.push(() => scheduler.stop());
    // Run before the scheduler's stop (cleanups run last first): a buffer draining a backlog would hold the
    // scheduler's stop until the backlog is gone.
    cleanups.push(async () => {
      await Promise.all(queues.map((q) => q.close()));
    });

    return {
      eventsUrl,
      dashboardUrl: `http://127.0.0.1:${dashboardPort}`,
      clock,
      bus,
      simulator,
      inboundFlow,
      outbox,
      deadLetters,
      dynamodbEndpoint: dynamo.endpoint,
      tableNames,
      faults,
      placeCall: (from, keys) => calls.place(parseCallRequest({ from, keys })),
      settle: async () => {
        await scheduler.runDue();
        await Promise.all(queues.map((q) => q.pump()));
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
};
