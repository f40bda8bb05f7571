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
