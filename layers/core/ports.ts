/**
 * The ports the core sees the world through. Each is passed in by the caller (a Lambda handler, the
 * local stack or the simulator) and never imported by the core, so the same code runs in all three.
 */

/** Time, so that the local stack and the simulator can run on a virtual clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** An event that cannot be processed and must not be retried: it is kept with the reason instead. */
export interface DeadLetter {
  /** What was wrong, one line per problem, for the shop developer who sent it. */
  readonly reason: string;
  /** Which part of peakline refused it. */
  readonly refusedBy: string;
  /** The event as received: parsed JSON where it was JSON, else the raw text. */
  readonly event: unknown;
}

export interface DeadLetterSink {
  put(letter: DeadLetter): Promise<void>;
}

export interface SuppressionEntry {
  readonly phoneHash: string;
  readonly channel: 'sms';
  /** When the customer opted out, ISO-8601. */
  readonly optedOutAt: string;
  /** The shop event that carried the opt-out, for audit. */
  readonly sourceEventId: string;
  /** Epoch seconds after which the entry may be forgotten (the table's TTL attribute). */
  readonly expiresAt: number;
}

export interface SuppressionStore {
  /**
   * Records an opt-out; keeps whichever of the stored and the new entry is the later opt-out, so an
   * old event replayed late cannot shorten the suppression. Returns whether the new entry was kept.
   */
  suppress(entry: SuppressionEntry): Promise<boolean>;
  /** True while the phone is suppressed at `now` (an entry past its expiry counts as gone). */
  isSuppressed(phoneHash: string, now: Date): Promise<boolean>;
}

/** The media Amazon Connect routes. */
export type Channel = 'VOICE' | 'CHAT' | 'TASK';

/** One queue's live figures, as GetCurrentMetricData reports them, in the units peakline reasons in. */
export interface QueueMetrics {
  readonly queueId: string;
  readonly contactsInQueue: number;
  /**
   * Age of the oldest waiting contact, in seconds; 0 when none waits. (Connect returns it in seconds when
   * the request groups by queue, in milliseconds when it does not.)
   */
  readonly oldestContactAgeSeconds: number;
  readonly agentsOnline: number;
  readonly agentsAvailable: number;
  readonly agentsOnContact: number;
}

export interface NewTask {
  readonly queueId: string;
  readonly name: string;
  readonly description: string;
  /** Contact attributes the agent sees (Connect's limit: 32 KB in all). */
  readonly attributes: Readonly<Record<string, string>>;
  /** Idempotency token: the same token within 7 days returns the same contact, creating nothing. */
  readonly clientToken: string;
}

export interface NewUser {
  readonly username: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly email?: string;
  readonly routingProfileId: string;
  readonly securityProfileIds: readonly string[];
}

/**
 * The contact centre as the core sees it: Amazon Connect on AWS, the simulator in the local stack and in
 * `peakline simulate`. Ids are Connect's ids (queue, routing profile, security profile, user).
 */
export interface ContactCentre {
  /** Every queue's figures in one call (one GetCurrentMetricData), whatever the number of queues. */
  getCurrentMetrics(queueIds: readonly string[]): Promise<QueueMetrics[]>;
  startTask(task: NewTask): Promise<{ readonly contactId: string }>;
  createUser(user: NewUser): Promise<{ readonly userId: string }>;
  /**
   * The id of the user with this username, if there is one: for a seat whose provisioning was interrupted
   * between CreateUser and recording the user's id.
   */
  findUserId(username: string): Promise<string | undefined>;
  /** Deletes the user; a user already gone counts as deleted (revocations are retried). */
  deleteUser(userId: string): Promise<void>;
  updateUserRoutingProfile(userId: string, routingProfileId: string): Promise<void>;
}

/** One SMS on its way to a phone. */
export interface OutgoingSms {
  /** E.164; only the sender adapter ever sees it in clear. */
  readonly to: string;
  readonly body: string;
  readonly kind: string;
  readonly segments: number;
  readonly encoding: 'GSM-7' | 'UCS-2';
  readonly orderId?: string;
  readonly cartId?: string;
}

/** SNS on AWS, the outbox locally, a counter in `simulate`. */
export interface SmsSender {
  send(sms: OutgoingSms): Promise<{ readonly messageId: string }>;
}

/** The SMS provider said "slow down" or failed on its side: the SMS is to be tried again later. */
export class SmsRetryableError extends Error {
  override readonly name = 'SmsRetryableError';
}

/** peakline's own facts (SmsSent, SmsSuppressed, …) on the bus, with source `peakline`. */
export interface EventPublisher {
  publish(detailType: string, detail: Record<string, unknown>): Promise<void>;
}

/** The overflow state the router answers for a queue; NORMAL when nothing is known. */
export type RoutingState = 'NORMAL' | 'OVERFLOW' | 'DEFLECT';

export interface RoutingStateReader {
  stateOf(queueId: string): Promise<RoutingState>;
}

/** Where an order stands, for the never-regress rule. */
export type LedgerStatus =
  'PLACED' | 'PACKED' | 'SHIPPED' | 'OUT_FOR_DELIVERY' | 'DELIVERED' | 'DELAYED' | 'CANCELLED';

export interface DeferredSms extends OutgoingSms {
  /** Unique per order and status. */
  readonly id: string;
  /** When quiet hours end for the customer. */
  readonly sendAt: Date;
}

export interface OrderLedger {
  /**
   * Records `status` for the order if it moves the order forward (or, for DELAYED, while it is neither
   * delivered nor cancelled), atomically; otherwise leaves it and returns the status that stands.
   */
  advance(
    orderId: string,
    status: LedgerStatus,
    at: Date,
  ): Promise<{ readonly advanced: true } | { readonly advanced: false; readonly current: LedgerStatus }>;
  /** Holds an SMS until `sendAt`. */
  defer(sms: DeferredSms): Promise<void>;
  /** Deferred SMS due at `now`, oldest first. */
  dueDeferred(now: Date, limit: number): Promise<DeferredSms[]>;
  /** Takes a due SMS for sending; false when another run has it. */
  claimDeferred(id: string, now: Date): Promise<boolean>;
  /** Forgets a deferred SMS once it is sent (or suppressed at release). */
  completeDeferred(id: string): Promise<void>;
  /**
   * Records that `key` happened, once: true the first time, false ever after (until the retention ends).
   * For SMS that are not about an order, such as the deflection SMS of one call.
   */
  claimOnce(key: string, at: Date): Promise<boolean>;
  /** Adds to the parts sent on `day` (UTC, YYYY-MM-DD) and returns the new total. */
  addDailySegments(day: string, segments: number): Promise<number>;
}
