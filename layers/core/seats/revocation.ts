/**
 * Taking a seasonal agent's access away when the contract ends: the sweeper revokes every seat whose end
 * has passed (within minutes of it), and the TTL deletion's stream record is the backstop for a seat the
 * sweeper missed. Either way the Connect user is deleted, the seat is marked revoked once, and
 * `SeatRevoked` is announced once, even when the two race for the same seat.
 */
import type { Clock, ContactCentre, EventPublisher } from '../ports.js';
import type { RevokedBy, Seat, SeatStore } from './seat.js';

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

const announce = (deps: RevocationDeps, seat: Seat, by: RevokedBy) =>
  deps.events.publish('SeatRevoked', {
    username: seat.username,
    type: seat.type,
    ...(seat.userId ? { userId: seat.userId } : {}),
    contractEnd: seat.expiresAt,
    revokedAt: seat.revokedAt ?? deps.clock.now().toISOString(),
    revokedBy: by,
  });

/**
 * One sweep: every seat due by now, oldest end first, at most `limit` (the Connect API rate bounds how many
 * DeleteUser calls a run can make). The user goes first: a seat is marked revoked only once its user is
 * gone, so a failure leaves it due for the next run.
 */
export const revokeDueSeats = async (deps: RevocationDeps, limit: number): Promise<Seat[]> => {
  const now = deps.clock.now();
  const revoked: Seat[] = [];
  for (const seat of await deps.store.dueForRevocation(now, limit)) {
    await deleteUserOf(deps, seat);
    const marked = await deps.store.markRevoked(seat.username, 'sweeper', now);
    if (!marked) continue;
    await announce(deps, marked, 'sweeper');
    revoked.push(marked);
  }
  return revoked;
};

/**
 * An operator's revoke (`peakline seats revoke`): at once, whatever the contract says. A seat whose
 * contract has ended but which the sweeper has not reached yet is revoked too: its user still exists.
 */
export const revokeSeat = async (
  deps: RevocationDeps,
  username: string,
): Promise<{ readonly ok: true; readonly seat: Seat } | { readonly ok: false; readonly reason: string }> => {
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
  await announce(deps, marked, 'ops');
  return { ok: true, seat: marked };
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
 * revocation. A seat already revoked (its retention ended) needs nothing.
 */
export const revokeAfterTtl = async (deps: RevocationDeps, seat: Seat): Promise<Seat | undefined> => {
  if (seat.state === 'REVOKED') return undefined;
  await deleteUserOf(deps, seat);
  const recorded = await deps.store.recordRevoked(seat, 'ttl-backstop', deps.clock.now());
  if (recorded) await announce(deps, recorded, 'ttl-backstop');
  return recorded;
};
