/**
 * An SQS queue with a Lambda event source, as the local stack needs it: messages arrive from a rule,
 * the consumer gets them in batches of SQS-shaped records, reports partial batch failures, failed
 * messages come back after the visibility timeout, and a message that failed `maxReceiveCount` times
 * moves to the dead letters with the last error as its reason. Timeouts count in virtual time.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SQSRecord } from 'aws-lambda';

export interface LocalQueueOptions {
  readonly name: string;
  readonly region: string;
  readonly account: string;
  readonly nowMs: () => number;
  /** The consumer: returns the ids of the records that failed (ReportBatchItemFailures). */
  readonly consume: (records: SQSRecord[]) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
  /** Where a message goes after its last failed delivery. */
  readonly onDeadLetter: (body: string, reason: string) => Promise<void> | void;
  /** @default 10 */
  readonly batchSize?: number;
  /** @default 5, as the CDK's EventBuffer */
  readonly maxReceiveCount?: number;
  /** Virtual milliseconds a failed message stays invisible. @default 60 000, as the CDK's buffer */
  readonly visibilityTimeoutMs?: number;
  /**
   * Batches consumed at once, as an event source mapping's `maxConcurrency` runs that many invocations.
   * @default 1
   */
  readonly concurrency?: number;
  /**
   * Virtual milliseconds a batch smaller than `batchSize` waits for more messages, counted from when its
   * oldest message became visible, as an event source's `maxBatchingWindow` holds a batch (the CDK app's
   * buffers: 1 s). @default 0: a batch goes as soon as a consumer is free
   */
  readonly batchingWindowMs?: number;
  /** Runs `wake` after `virtualMs`, so a held batch goes when its window ends. @default the next pump */
  readonly wakeAfter?: (virtualMs: number, wake: () => void) => void;
}

interface Message {
  readonly id: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
  lastError?: string;
}

export interface LocalQueueStats {
  readonly name: string;
  readonly visible: number;
  readonly inFlight: number;
  readonly delivered: number;
  readonly deadLettered: number;
}

export class LocalQueue {
  private readonly messages: Message[] = [];
  /** The consumers running now: at most `concurrency`, each taking batches until none is visible. */
  private readonly consumers = new Set<Promise<void>>();
  private delivered = 0;
  private deadLettered = 0;
  private closed = false;
  /** When the wake for a held batch is due (virtual ms), if one is set. */
  private wakeAt: number | undefined;

  constructor(private readonly options: LocalQueueOptions) {}

  get arn(): string {
    return `arn:aws:sqs:${this.options.region}:${this.options.account}:${this.options.name}`;
  }

  send(body: string): void {
    const now = this.options.nowMs();
    this.messages.push({ id: randomUUID(), body, sentAt: now, receiveCount: 0, visibleAt: now });
    this.pump();
  }

  /**
   * Stops delivering: each running consumer ends after its batch. Without it, stopping the stack under a
   * backlog (a peak at ×60 on a busy machine) waits for the whole backlog, which keeps growing while the
   * demo sends, so Ctrl-C never returns. What is left was only ever in memory, as it is in a stopped stack.
   */
  close(): Promise<void> {
    this.closed = true;
    return Promise.all([...this.consumers]).then(() => undefined);
  }

  /** Delivers what is visible now; called on every send and by the scheduler for the retries. */
  pump(): Promise<void> {
    if (this.closed) return Promise.all([...this.consumers]).then(() => undefined);
    const now = this.options.nowMs();
    // Another consumer only for messages none of the running ones has taken (a taken one is invisible).
    while (
      this.consumers.size < (this.options.concurrency ?? 1) &&
      (this.consumers.size === 0 || this.messages.some((m) => m.visibleAt <= now))
    ) {
      const consumer: Promise<void> = this.consumeVisible().finally(() => {
        this.consumers.delete(consumer);
        // A consumer that held a short batch ends; messages sent meanwhile may have filled one.
        if (this.fullBatchVisible()) void this.pump();
      });
      this.consumers.add(consumer);
    }
    return Promise.all([...this.consumers]).then(() => undefined);
  }

  stats(): LocalQueueStats {
    const now = this.options.nowMs();
    const visible = this.messages.filter((m) => m.visibleAt <= now).length;
    return {
      name: this.options.name,
      visible,
      inFlight: this.messages.length - visible,
      delivered: this.delivered,
      deadLettered: this.deadLettered,
    };
  }

  private async consumeVisible(): Promise<void> {
    for (;;) {
      if (this.closed) return;
      const now = this.options.nowMs();
      const batchSize = this.options.batchSize ?? 10;
      const batch = this.messages.filter((m) => m.visibleAt <= now).slice(0, batchSize);
      if (batch.length === 0) return;
      if (batch.length < batchSize && this.holdUntil(batch, now)) return;
      for (const m of batch) {
        m.receiveCount += 1;
        m.visibleAt = now + (this.options.visibilityTimeoutMs ?? 60_000);
      }
      const failed = await this.deliver(batch);
      for (const m of batch) {
        if (!failed.has(m.id)) {
          this.remove(m);
          this.delivered += 1;
        } else if (m.receiveCount >= (this.options.maxReceiveCount ?? 5)) {
          this.remove(m);
          this.deadLettered += 1;
          await this.options.onDeadLetter(
            m.body,
            `${this.options.name}: delivery failed ${m.receiveCount} times; last error: ${failed.get(m.id) ?? 'reported as a batch item failure'}`,
          );
        }
      }
    }
  }

  private fullBatchVisible(): boolean {
    if ((this.options.batchingWindowMs ?? 0) <= 0 || this.closed) return false;
    const now = this.options.nowMs();
    return this.messages.filter((m) => m.visibleAt <= now).length >= (this.options.batchSize ?? 10);
  }

  /** True while a short batch's window is open; then a wake is set for when it closes. */
  private holdUntil(batch: readonly Message[], now: number): boolean {
    const windowMs = this.options.batchingWindowMs ?? 0;
    if (windowMs <= 0) return false;
    const due = Math.min(...batch.map((m) => m.visibleAt)) + windowMs;
    if (due <= now) return false;
    if (this.options.wakeAfter && (this.wakeAt === undefined || due < this.wakeAt)) {
      this.wakeAt = due;
      this.options.wakeAfter(due - now, () => {
        if (this.wakeAt === due) this.wakeAt = undefined;
        void this.pump();
      });
    }
    return true;
  }

  /** Runs the consumer; returns the failed message ids with the error where one is known. */
  private async deliver(batch: Message[]): Promise<Map<string, string | undefined>> {
    const records = batch.map((m) => this.toRecord(m));
    try {
      const { batchItemFailures } = await this.options.consume(records);
      return new Map(batchItemFailures.map((f) => [f.itemIdentifier, undefined]));
    } catch (error) {
      // The whole invocation failed: every record comes back, as on AWS.
      const message = error instanceof Error ? error.message : String(error);
      return new Map(batch.map((m) => [m.id, message]));
    }
  }

  private remove(message: Message): void {
    const index = this.messages.indexOf(message);
    if (index >= 0) this.messages.splice(index, 1);
  }

  private toRecord(m: Message): SQSRecord {
    return {
      messageId: m.id,
      receiptHandle: `${m.id}#${m.receiveCount}`,
      body: m.body,
      attributes: {
        ApproximateReceiveCount: String(m.receiveCount),
        SentTimestamp: String(Math.floor(m.sentAt)),
        SenderId: 'events.amazonaws.com',
        ApproximateFirstReceiveTimestamp: String(Math.floor(m.sentAt)),
      },
      messageAttributes: {},
      md5OfBody: createHash('md5').update(m.body).digest('hex'),
      eventSource: 'aws:sqs',
      eventSourceARN: this.arn,
      awsRegion: this.options.region,
    };
  }
}
