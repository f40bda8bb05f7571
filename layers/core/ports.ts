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
  /**
   * Many phones in one read (a batch of order SMS): which are suppressed at `now`, and which could not be
   * read (the store gave up on them; never taken for "not suppressed"). Optional: without it each phone
   * is asked with `isSuppressed`.
   */
  readOptOuts?(phoneHashes: readonly string[], now: Date): Promise<OptOutRead>;
}

export interface OptOutRead {
  readonly suppressed: ReadonlySet<string>;
  readonly unread: ReadonlySet<string>;
}

/** The media Amazon Connect routes. */
export type Channel = 'VOICE' | 'CHAT' | 'TASK';

/** One queue's live figures on one channel (or on all together), in the units peakline reasons in. */
export interface ChannelMetrics {
  readonly contactsInQueue: number;
  /**
   * Age of the oldest waiting contact, in seconds; 0 when none waits. (Connect returns it in seconds when
   * the request groups by queue, in milliseconds when it does not.)
   */
  readonly oldestContactAgeSeconds: number;
  /** Agents logged in whose routing profile serves the queue (on this channel). */
  readonly agentsOnline: number;
  readonly agentsAvailable: number;
  readonly agentsOnContact: number;
}

/**
 * One queue's live figures, as GetCurrentMetricData reports them (grouped by queue and channel): the
 * queue's totals (contacts summed, the oldest age the largest, each agent figure the largest on any one
 * channel: an agent serving calls and chats is counted on both), and the same per channel. Voice routing is judged on
 * `channels.VOICE`: a chat backlog must not move callers whose own wait is short.
 */
export interface QueueMetrics extends ChannelMetrics {
  readonly queueId: string;
  /** Per channel; a channel Connect returned no row for (nobody serving it, nothing waiting) is absent. */
  readonly channels: Readonly<Partial<Record<Channel, ChannelMetrics>>>;
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
  /**
   * The user's tags, as CreateUser keeps them. The Connect adapter adds the stage's `peakline:managed` tag
   * itself; the local endpoint passes what CreateUser was given on to the simulator.
   */
  readonly tags?: Readonly<Record<string, string>>;
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

/**
 * The SMS provider did not take the SMS (it refused it, or said "slow down"): nothing reached a phone, so
 * it may be tried again. Any other error from a sender means the outcome is unknown (a timeout, a 5xx:
 * the provider may have taken it), and an SMS whose outcome is unknown is never sent again.
 */
export class SmsNotSentError extends Error {
  override readonly name: string = 'SmsNotSentError';
}

/** The SMS provider said "slow down": nothing was sent, and the SMS is to be tried again later. */
export class SmsRetryableError extends SmsNotSentError {
  override readonly name = 'SmsRetryableError';
}

/** peakline's own facts (SmsSent, SmsSuppressed, …) on the bus, with source `peakline`. */
/** A fact for the bus: its detail type and detail. */
export interface BusFact {
  readonly detailType: string;
  readonly detail: Record<string, unknown>;
}

export interface EventPublisher {
  publish(detailType: string, detail: Record<string, unknown>): Promise<void>;
  /**
   * Several facts in as few calls as the bus allows; per fact, in order, whether the bus took it. A call
   * whose answer is lost counts as not taken (it is announced again later: at least once). Optional: a
   * publisher without it is called once per fact.
   */
  publishAll?(facts: readonly BusFact[]): Promise<readonly boolean[]>;
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
  /** Unique per order and attempt: `<orderId>#<attempt key>`. */
  readonly id: string;
  /** When quiet hours end for the customer. */
  readonly sendAt: Date;
  /** The order's status the SMS tells, and its attempt key (the status, or DELAYED@<estimate>). */
  readonly status?: LedgerStatus;
  readonly attemptKey?: string;
  /** When the fact happened: deferred SMS of one order are released oldest first. */
  readonly occurredAt?: Date;
}

/**
 * One SMS attempt about an order: at most one per (order, status), and for DELAYED per estimate (`key`
 * is the status, or `DELAYED@<estimatedDelivery>`).
 */
export interface SmsAttempt {
  readonly orderId: string;
  readonly status: LedgerStatus;
  readonly key: string;
  /** When the fact happened. */
  readonly at: Date;
}

/**
 * Where an attempt stands in the ledger: `claimed` (a run holds it until `leaseUntil` and may be sending
 * it), `deferred` (waiting for the end of quiet hours), `released` (given back: SNS did not take it, a
 * retry may claim it again), `unknown` (a run claimed it and never said what happened: never resent).
 */
export type SmsAttemptState = 'claimed' | 'deferred' | 'released' | 'unknown';

/** One SMS attempt as the ledger has it. */
export interface SmsAttemptView {
  readonly state: SmsAttemptState;
  readonly leaseUntil?: Date;
  /** Who marked it `unknown` (the fence `markUnknown` was given), so that run's retry knows the mark. */
  readonly markedBy?: string;
}

export type SmsClaimResult =
  | {
      readonly claimed: true;
      /** Another SMS of this order waits for the end of quiet hours: this one must not overtake it. */
      readonly behindDeferred: boolean;
    }
  | {
      readonly claimed: false;
      /** The step the order stands at (CANCELLED once cancelled). */
      readonly current: LedgerStatus;
      /** This attempt as the ledger has it, if it has it. */
      readonly attempt?: SmsAttemptView;
      /** DELAYED attempts claimed for the order so far. */
      readonly delayUpdates: number;
    };

/** What became of an attempt, kept as the record of it, and the fact to announce on the bus. */
export interface SmsOutcomeRecord {
  readonly orderId: string;
  readonly key: string;
  readonly outcome: 'SENT' | 'SUPPRESSED';
  readonly detailType: 'SmsSent' | 'SmsSuppressed';
  readonly detail: Readonly<Record<string, unknown>>;
}

/** An outcome recorded but not yet announced (the bus failed when the run announced it). */
export interface PendingAnnouncement extends SmsOutcomeRecord {
  readonly recordedAt: Date;
}

/** The order's SMS state, for the release of deferred SMS. */
export interface OrderSmsState {
  readonly current?: LedgerStatus;
  /** The estimate of the latest DELAYED attempt claimed, if any. */
  readonly latestDelayKey?: string;
  readonly attempts: Readonly<Record<string, SmsAttemptView>>;
}

export interface OrderLedger {
  /**
   * In one conditional write: claims the attempt (with a lease until `leaseUntil`, or, with `defer`, as
   * deferred with the SMS held until its `sendAt`) AND records the status if it moves the order forward
   * (DELAYED: while the order is neither delivered nor cancelled, once per estimate, at most
   * `maxDelayUpdates` per order). When it cannot, nothing changes and the answer says what stands.
   */
  claim(
    attempt: SmsAttempt,
    options: { readonly leaseUntil: Date; readonly maxDelayUpdates: number; readonly defer?: DeferredSms },
  ): Promise<SmsClaimResult>;
  /** Gives a claimed attempt back: SNS did not take the SMS, so a retry may send it. */
  releaseClaim(attempt: SmsAttempt): Promise<void>;
  /** Turns a claimed attempt into a deferred one (behind another deferred SMS of the order). */
  deferClaimed(attempt: SmsAttempt, sms: DeferredSms): Promise<void>;
  /**
   * Marks a claimed attempt whose lease ended before anything was recorded as `unknown`; true for the one
   * run that did it (so it is counted once), false when it was not claimed, still leased, or already so.
   * `markedBy` is kept with the mark: a retry of the same delivery (whose first try marked it and then
   * failed, the answer lost) finds its own mark and counts it, so no unknown outcome goes uncounted.
   */
  markUnknown(orderId: string, key: string, now: Date, markedBy: string): Promise<boolean>;
  /** The recorded outcome of an attempt, if there is one. */
  outcomeOf(orderId: string, key: string): Promise<SmsOutcomeRecord | undefined>;
  /**
   * Records outcomes already announced on the bus: settled, each the attempt's end and nothing more (a
   * copy of the fact meets it and is a duplicate). Also how the sweeper settles the pending ones it
   * announced. In as few calls as it can; returns those it could not record.
   */
  recordAnnounced(outcomes: readonly SmsOutcomeRecord[]): Promise<SmsOutcomeRecord[]>;
  /**
   * Records outcomes whose announcement failed as pending, with their fact, so the minute sweeper
   * announces them (`dueAnnouncements`). In as few calls as it can; returns those it could not record.
   */
  recordPending(outcomes: readonly SmsOutcomeRecord[], now: Date): Promise<SmsOutcomeRecord[]>;
  /** Pending outcomes recorded at least `graceSeconds` before `now`, oldest first. */
  dueAnnouncements(now: Date, graceSeconds: number, limit: number): Promise<PendingAnnouncement[]>;
  /** The order's status and attempts. */
  orderState(orderId: string): Promise<OrderSmsState>;
  /** Claims a deferred attempt for sending (deferred -> claimed, with a lease); false when it is not deferred. */
  claimDeferredAttempt(orderId: string, key: string, leaseUntil: Date): Promise<boolean>;
  /** Deferred SMS due at `now`, oldest first. */
  dueDeferred(now: Date, limit: number): Promise<DeferredSms[]>;
  /** Forgets a deferred SMS once it is sent (or suppressed at release, or its outcome is unknown). */
  completeDeferred(id: string): Promise<void>;
  /**
   * Records that `key` happened, once: true the first time, false ever after (until the retention ends).
   * For SMS that are not about an order, such as the deflection SMS of one call.
   */
  claimOnce(key: string, at: Date): Promise<boolean>;
  /**
   * Gives back a once-only record whose act certainly did not happen (SNS throttled or refused the SMS),
   * so the retry may act. Never for an act whose outcome is unknown.
   */
  releaseOnce(key: string): Promise<void>;
  /**
   * Reserves `segments` parts of `day`'s allowance if they fit under `cap`; returns whether they did.
   * (A negative `segments` gives parts back.)
   */
  reserveDailySegments(day: string, segments: number, cap: number): Promise<boolean>;
  /** Adds to the parts sent on `day` (UTC, YYYY-MM-DD) and returns the new total. */
  addDailySegments(day: string, segments: number): Promise<number>;
}
