/**
 * The reading side of the routing table, without the SDK: the queue's state item, judged (freshness.ts)
 * and cached. The router reads it through the lean signed request; every other reader through the SDK's
 * document client (DynamoRoutingStateReader in routing-state.ts, with the controller's store).
 */
import type { RoutingState, RoutingStateReader } from '#core/ports.js';
import {
  type FreshRoutingStateReader,
  judgeStoredState,
  type ReadRoutingState,
} from '#core/routing/freshness.js';
import type { DocumentReads } from './document-reads.js';

/**
 * The key of a queue's current routing state in the routing table; the overflow controller writes it.
 * `queueId` is the queue as peakline knows it (`primary`, `callback`): the same key on AWS, in the local
 * stack and in the simulator, and what the order SMS and the router ask for.
 */
export const routingStateKey = (queueId: string) => ({ pk: `queue#${queueId}`, sk: 'STATE' });

/** What a reader does with a state it did not take (stale, unconfirmed, garbage): count it, log it. */
export type RoutingStateDoubtReporter = (queueId: string, read: ReadRoutingState) => void;

/**
 * The default reporter: in a Lambda, one log line and one EMF metric (`RoutingStateStale`, by service and
 * reason) on stdout, written by hand as the router writes its own, so that every function reading the
 * state (the order SMS, the callback sweeper) counts it without wiring of its own; elsewhere (tests, the
 * local stack, which pass their own) nothing.
 */
export const lambdaDoubtReporter: RoutingStateDoubtReporter = (queueId, read) => {
  if (process.env.AWS_LAMBDA_FUNCTION_NAME === undefined) return;
  const service = process.env.POWERTOOLS_SERVICE_NAME ?? process.env.AWS_LAMBDA_FUNCTION_NAME;
  const timestamp = Date.now();
  const line = (fields: Record<string, unknown>) => process.stdout.write(`${JSON.stringify(fields)}\n`);
  line({
    level: 'WARN',
    message: 'routing state not taken: read as NORMAL',
    timestamp: new Date(timestamp).toISOString(),
    service,
    queue: queueId,
    reason: read.doubt,
    stored: read.stored,
  });
  line({
    _aws: {
      Timestamp: timestamp,
      CloudWatchMetrics: [
        {
          Namespace: process.env.POWERTOOLS_METRICS_NAMESPACE ?? 'peakline',
          Dimensions: [['service']],
          Metrics: [{ Name: 'RoutingStateStale', Unit: 'Count' }],
        },
      ],
    },
    service,
    reason: read.doubt,
    RoutingStateStale: 1,
  });
};

export interface RoutingStateReaderOptions {
  /** @default lambdaDoubtReporter */
  readonly onDoubt?: RoutingStateDoubtReporter;
}

/**
 * Reads a queue's routing state; a queue nobody has judged yet routes normally, and so does a state the
 * controller has stopped confirming (`judgeStoredState`: older than its maximum age, undated, garbage),
 * judged on `nowMs`, the world's clock. The answer is kept for `cacheMs`, never past the moment the state
 * turns stale: the controller changes it at most a few times a minute, and at peak thousands of
 * confirmations a minute ask the same question.
 */
export class CachedRoutingStateReader implements RoutingStateReader, FreshRoutingStateReader {
  private readonly cache = new Map<string, { read: ReadRoutingState; until: number }>();
  private readonly onDoubt: RoutingStateDoubtReporter;

  constructor(
    private readonly reads: DocumentReads,
    private readonly tableName: string,
    private readonly cacheMs = 5_000,
    private readonly nowMs: () => number = Date.now,
    options: RoutingStateReaderOptions = {},
  ) {
    this.onDoubt = options.onDoubt ?? lambdaDoubtReporter;
  }

  async stateOf(queueId: string): Promise<RoutingState> {
    return (await this.readState(queueId)).state;
  }

  /** The state with why it was not taken, and until when it holds: for the router's own cache. */
  async readState(queueId: string): Promise<ReadRoutingState> {
    const cached = this.cache.get(queueId);
    if (cached && cached.until > this.nowMs()) return cached.read;
    const { Item } = await this.reads.get({
      TableName: this.tableName,
      Key: routingStateKey(queueId),
      // The readers need only these; a smaller answer is a faster one.
      ProjectionExpression: '#state, #updatedAt, #maxAge, #share, #deflect',
      ExpressionAttributeNames: {
        '#state': 'state',
        '#updatedAt': 'updatedAt',
        '#maxAge': 'maxAgeSeconds',
        '#share': 'secondLineShare',
        '#deflect': 'deflectShare',
      },
    });
    const now = this.nowMs();
    const read = judgeStoredState(Item, now);
    if (read.doubt !== undefined) this.onDoubt(queueId, read);
    if (this.cacheMs > 0) {
      this.cache.set(queueId, { read, until: Math.min(now + this.cacheMs, read.freshUntilMs ?? Infinity) });
    }
    return read;
  }
}
