/**
 * Taking a seasonal agent's access away when the contract ends: the sweeper revokes every seat whose end
 * has passed (within minutes of it), and the TTL deletion's stream record is the backstop for a seat the
 * sweeper missed. Either way the Connect user is deleted, the seat is marked revoked once, and
 * `SeatRevoked` is announced once, even when the two race for the same seat: the revocation is written
 * first (unannounced), then announced, then settled, and a sweep announces whatever was left unannounced.
 * Only users peakline created may be deleted: the adapter and IAM refuse any user without the stage's
 * `peakline:managed` tag (see managed-user.ts).
 */
import type { Clock, ContactCentre, EventPublisher } from '../ports.js';
import type { Seat, SeatStore } from './seat.js';

export interface RevocationDeps {
  readonly store: SeatStore;
  readonly contactCentre: Pick<ContactCentre, 'deleteUser' | 'findUserId'>;
  readonly events: EventPublisher;
  readonly clock: Clock;
}

/**
 * Deletes the seat's Connect user. A PENDING seat may have one even without an id: provisioning can be
 * interrupted between CreateUser and recording the id, and that user must not outlive the contract. An
 * ACTIVE seat always has its id; a REVOKED one has no user any more.
 */
const deleteUserOf = async (deps: RevocationDeps, seat: Seat): Promise<void> => {
  const userId =
    seat.userId ??
    (seat.state === 'PENDING' ? await deps.contactCentre.findUserId(seat.username) : undefined);
  if (userId !== undefined) await deps.contactCentre.deleteUser(userId);
};

const publishRevoked = (deps: RevocationDeps, seat: Seat) =>
  deps.events.publish('SeatRevoked', {
    username: seat.username,
    type: seat.type,
    ...(seat.userId ? { userId: seat.userId } : {}),
    contractEnd: seat.expiresAt,
    revokedAt: seat.revokedAt ?? deps.clock.now().toISOString(),
    // The revocation's own fields, not the announcing run's: a re-announcement says the same.
    revokedBy: seat.revokedBy ?? 'sweeper',
  });

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** How an announcement went: on the bus and settled, or not (and why); the revocation stands either way. */
export type Announcement =
  { readonly announced: true } | { readonly announced: false; readonly reason: string };

/**
 * Announce, then settle: `SeatRevoked` goes on the bus, then the seat records that it did. A failure in
 * either leaves the revocation unannounced for the next sweep, which announces it then; it never undoes
 * the revocation, and never fails the caller, whose work (the user deleted, the seat marked) is done.
 * Only a settle that fails after PutEvents accepted the event leads to a second `SeatRevoked` (with the
 * same username, revokedAt and revokedBy, so a reader can tell it is the same fact).
 */
const announceAndSettle = async (deps: RevocationDeps, seat: Seat): Promise<Announcement> => {
  try {
    await publishRevoked(deps, seat);
  } catch (error) {
    return { announced: false, reason: `SeatRevoked could not be published: ${messageOf(error)}` };
  }
  try {
    await deps.store.settleAnnouncement(seat);
  } catch (error) {
    return {
      announced: false,
      reason: `SeatRevoked was published but not recorded as such (the next sweep announces it again): ${messageOf(error)}`,
    };
  }
  return { announced: true };
};

/**
 * How long a revocation may stay unannounced before a sweep announces it in its place: the revoker
 * (another sweep, the backstop, an operator) announces right after recording it, within seconds; five
 * minutes leaves that announcement time to finish, so a sweep does not announce the same fact beside it.
 */
export const ANNOUNCE_GRACE_MS = 5 * 60_000;

/** Unannounced revocations one sweep announces at most; they cost no Connect calls. */
export const ANNOUNCE_BATCH = 100;

/** A seat the sweep could not finish: who, at which step, and why, in words for ops. */
export interface RevocationFailure {
  readonly username: string;
  /** 'revoke': the user could not be deleted or the seat marked (it stays due); 'announce': see Announcement. */
  readonly step: 'revoke' | 'announce';
  readonly reason: string;
}

export interface SweepReport {
  /** Seats revoked by this sweep (announced or not). */
  readonly revoked: readonly Seat[];
  /** Earlier revocations whose `SeatRevoked` this sweep put on the bus. */
  readonly announced: readonly Seat[];
  /** One entry per seat that failed; the others went on regardless. */
  readonly failures: readonly RevocationFailure[];
}

/**
 * One sweep. First the revocations that were recorded but never announced (a PutEvents that failed after
 * the seat was marked, in any revoker), then every seat due by now, oldest end first, at most `limit` (the
 * Connect API rate bounds how many DeleteUser calls a run can make). The user goes first: a seat is marked
 * revoked only once its user is gone, so a failure leaves it due for the next run. Each seat stands alone:
 * one that fails (a user Connect will not delete, a throttled call given up) is reported and the sweep
 * goes on with the next.
 */
export const revokeDueSeats = async (deps: RevocationDeps, limit: number): Promise<SweepReport> => {
  const now = deps.clock.now();
  const failures: RevocationFailure[] = [];

  const announced: Seat[] = [];
  const settledBefore = now.getTime() - ANNOUNCE_GRACE_MS;
  for (const seat of await deps.store.unannouncedRevocations(ANNOUNCE_BATCH)) {
    if (seat.revokedAt !== undefined && Date.parse(seat.revokedAt) > settledBefore) continue;
    const outcome = await announceAndSettle(deps, seat);
    if (outcome.announced) announced.push({ ...seat, announced: true });
    else failures.push({ username: seat.username, step: 'announce', reason: outcome.reason });
  }

  const revoked: Seat[] = [];
  for (const seat of await deps.store.dueForRevocation(now, limit)) {
    let marked: Seat | undefined;
    try {
      await deleteUserOf(deps, seat);
      marked = await deps.store.markRevoked(seat.username, 'sweeper', now);
    } catch (error) {
      failures.push({ username: seat.username, step: 'revoke', reason: messageOf(error) });
      continue;
    }
    if (marked === undefined) continue;
    const outcome = await announceAndSettle(deps, marked);
    if (!outcome.announced)
      failures.push({ username: seat.username, step: 'announce', reason: outcome.reason });
    revoked.push({ ...marked, announced: outcome.announced });
  }
  return { revoked, announced, failures };
};

export type RevokeResult =
  | { readonly ok: true; readonly seat: Seat; readonly announcement: Announcement }
  | { readonly ok: false; readonly reason: string };

/**
 * An operator's revoke (`peakline seats revoke`): at once, whatever the contract says. A seat whose
 * contract has ended but which the sweeper has not reached yet is revoked too: its user still exists.
 * An announcement that fails does not fail the revoke: the sweeper announces it on its next run.
 */
export const revokeSeat = async (deps: RevocationDeps, username: string): Promise<RevokeResult> => {
  const now = deps.clock.now();
  const seat = await deps.store.get(username, now, { includeExpired: true });
  if (seat === undefined) {
    return {
      ok: false,
      reason: `${username} has no seat to revoke (it never existed or was already revoked).`,
    };
  }
  await deleteUserOf(deps, seat);
  const marked = await deps.store.markRevoked(username, 'ops', now);
  if (!marked) return { ok: false, reason: `${username}'s seat was revoked in the meantime.` };
  const announcement = await announceAndSettle(deps, marked);
  return { ok: true, seat: { ...marked, announced: announcement.announced }, announcement };
};

/** The shape of a DynamoDB stream record that matters here. */
export interface StreamRemoval {
  readonly eventName?: string;
  readonly userIdentity?: { readonly type?: string; readonly principalId?: string };
}

/**
 * True for a deletion made by DynamoDB's TTL (and not by anyone's DeleteItem): the stream record names the
 * DynamoDB service as its principal. The same test is the event source mapping's filter on AWS.
 */
export const isTtlRemoval = (record: StreamRemoval): boolean =>
  record.eventName === 'REMOVE' &&
  record.userIdentity?.type === 'Service' &&
  record.userIdentity.principalId === 'dynamodb.amazonaws.com';

/** The event source mapping's filter pattern for the same test, so Lambda is invoked for TTL deletions only. */
export const TTL_REMOVAL_FILTER = {
  eventName: ['REMOVE'],
  userIdentity: { type: ['Service'], principalId: ['dynamodb.amazonaws.com'] },
} as const;

/**
 * The backstop, for a seat the TTL deleted: if it still held a user, delete the user and record the
 * revocation, then announce it. A seat already revoked (its retention ended) needs nothing; nor does a
 * revocation already recorded (a stream record delivered twice). A failed announcement is left to the
 * sweeper, which announces every unannounced revocation; the record is not failed for it, since a retry
 * would find the revocation recorded and announce nothing.
 */
export const revokeAfterTtl = async (deps: RevocationDeps, seat: Seat): Promise<Seat | undefined> => {
  if (seat.state === 'REVOKED') return undefined;
  await deleteUserOf(deps, seat);
  const recorded = await deps.store.recordRevoked(seat, 'ttl-backstop', deps.clock.now());
  if (recorded === undefined) return undefined;
  // `announced: false` on the answer tells the caller the sweeper will announce it.
  const announcement = await announceAndSettle(deps, recorded);
  return { ...recorded, announced: announcement.announced };
};
