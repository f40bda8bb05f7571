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
  /** Age of the oldest waiting contact, in seconds (Connect reports it in milliseconds). 0 when none waits. */
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
  deleteUser(userId: string): Promise<void>;
  updateUserRoutingProfile(userId: string, routingProfileId: string): Promise<void>;
}
