/**
 * Giving seasonal staff their seats: the Connect user and the seat item, one seat or a CSV of hundreds, so
 * that a run interrupted anywhere (a crash, Ctrl-C, expired credentials) can simply be run again and
 * creates nothing twice. Pure: the store, the contact centre, the bus and the clock are passed in.
 */
import {
  type RoutingProfileKey,
  SEAT_TYPE_SPECS,
  type SecurityProfileKey,
} from '#infra/constructs/connect/seat-types.js';
import type { Clock, ContactCentre, EventPublisher } from '../ports.js';
import {
  isExpiredAt,
  type NewSeat,
  pendingSeat,
  promote,
  type Seat,
  type SeatStore,
  SEAT_TYPES,
  type SeatType,
} from './seat.js';

/** The Connect ids a user of each seat type is given. */
export type SeatProfiles = Readonly<
  Record<SeatType, { readonly routingProfileId: string; readonly securityProfileIds: readonly string[] }>
>;

/** Each seat type's profiles, from the ids of the routing and security profiles the ContactCenterStack made. */
export const seatProfiles = (
  routingProfileIds: Readonly<Record<RoutingProfileKey, string>>,
  securityProfileIds: Readonly<Record<SecurityProfileKey, string>>,
): SeatProfiles =>
  Object.fromEntries(
    SEAT_TYPES.map((type) => {
      const spec = SEAT_TYPE_SPECS[type];
      return [
        type,
        {
          routingProfileId: routingProfileIds[spec.routingProfile],
          securityProfileIds: [securityProfileIds[spec.securityProfile]],
        },
      ];
    }),
  ) as unknown as SeatProfiles;

export interface SeatDeps {
  readonly store: SeatStore;
  readonly contactCentre: Pick<
    ContactCentre,
    'createUser' | 'deleteUser' | 'findUserId' | 'updateUserRoutingProfile'
  >;
  readonly events: EventPublisher;
  readonly clock: Clock;
  readonly profiles: SeatProfiles;
}

export type ProvisionOutcome =
  /** A new seat and its Connect user. */
  | { readonly status: 'created'; readonly seat: Seat }
  /** A seat an earlier, interrupted run had started: its user now exists (found, or created). */
  | { readonly status: 'resumed'; readonly seat: Seat }
  /** The same seat was already provisioned: nothing was done. */
  | { readonly status: 'unchanged'; readonly seat: Seat }
  /** Not provisioned, and why, in words for ops. */
  | { readonly status: 'refused'; readonly reason: string };

const sameContract = (a: NewSeat, b: NewSeat): boolean =>
  a.type === b.type &&
  Date.parse(a.validFrom) === Date.parse(b.validFrom) &&
  Date.parse(a.expiresAt) === Date.parse(b.expiresAt);

const describe = (seat: Seat): string => `a ${seat.type} seat until ${seat.expiresAt}`;

/** SeatProvisioned carries what the bus's readers need, and no names or e-mail addresses. */
const announceProvisioned = (deps: SeatDeps, seat: Seat) =>
  deps.events.publish('SeatProvisioned', {
    username: seat.username,
    type: seat.type,
    ...(seat.tier === undefined ? {} : { tier: seat.tier }),
    ...(seat.userId === undefined ? {} : { userId: seat.userId }),
    validFrom: seat.validFrom,
    contractEnd: seat.expiresAt,
    provisionedAt: deps.clock.now().toISOString(),
  });

/** CreateUser for a PENDING seat, then the seat marked active. */
const createUserFor = async (deps: SeatDeps, seat: Seat): Promise<Seat | undefined> => {
  const profile = deps.profiles[seat.type];
  // The seat item is written before the user is created, so a crash in between leaves a PENDING seat that
  // the next run finishes: the Connect adapter answers the existing user's id for a username taken.
  const { userId } = await deps.contactCentre.createUser({
    username: seat.username,
    firstName: seat.firstName,
    lastName: seat.lastName,
    ...(seat.email === '' ? {} : { email: seat.email }),
    routingProfileId: profile.routingProfileId,
    securityProfileIds: profile.securityProfileIds,
  });
  return deps.store.markActive(seat.username, userId);
};

/**
 * One seat: the seat item (PENDING), then the Connect user, then the seat ACTIVE and `SeatProvisioned`.
 * Run again with the same seat it finishes what an earlier run started, or does nothing.
 */
export const provisionSeat = async (deps: SeatDeps, seat: NewSeat): Promise<ProvisionOutcome> => {
  const now = deps.clock.now();
  if (isExpiredAt(seat, now)) {
    return { status: 'refused', reason: `${seat.username}'s contract ended at ${seat.expiresAt}.` };
  }
  let resumed = false;
  let pending = pendingSeat(seat);
  if ((await deps.store.put(pending)) === 'exists') {
    const existing = await deps.store.get(seat.username, now, { includeExpired: true });
    if (existing === undefined) {
      return {
        status: 'refused',
        reason: `${seat.username}'s seat changed while it was being provisioned; run the command again.`,
      };
    }
    if (!sameContract(existing, seat)) {
      return {
        status: 'refused',
        reason: `${seat.username} already has ${describe(existing)}; use \`seats extend\` or \`seats promote\`, or revoke it first.`,
      };
    }
    if (existing.state === 'ACTIVE') return { status: 'unchanged', seat: existing };
    resumed = true;
    pending = existing;
  }
  const active = await createUserFor(deps, pending);
  if (active === undefined) {
    return {
      status: 'refused',
      reason: `${seat.username}'s seat was revoked while its user was being created; add it again.`,
    };
  }
  await announceProvisioned(deps, active);
  return { status: resumed ? 'resumed' : 'created', seat: active };
};

export interface ImportProgress {
  /** 1-based position of the seat in the batch. */
  readonly index: number;
  readonly total: number;
  readonly seat: NewSeat;
  readonly outcome: ProvisionOutcome | { readonly status: 'failed'; readonly reason: string };
}

export interface ImportSummary {
  readonly created: number;
  readonly resumed: number;
  readonly unchanged: number;
  /** Refused or failed seats, with the position of each in the batch. */
  readonly problems: readonly { readonly index: number; readonly seat: NewSeat; readonly reason: string }[];
  /** True when the run stopped early because every recent seat failed (see `stopAfterFailures`). */
  readonly stopped: boolean;
}

export interface ImportOptions {
  readonly onProgress?: (progress: ImportProgress) => void;
  /**
   * Stop after this many failures in a row: that is no longer a bad row but a broken connection or
   * missing permission, and hundreds of identical errors help nobody. What was done is kept; run again.
   * @default 5
   */
  readonly stopAfterFailures?: number;
  /** Checked before each seat: true stops the run cleanly (Ctrl-C). */
  readonly cancelled?: () => boolean;
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Provisions seats one after the other, at the pace of the contact-centre adapter (Connect's API rate).
 * A seat that fails does not stop the others; the summary lists every problem.
 */
export const provisionSeats = async (
  deps: SeatDeps,
  seats: readonly NewSeat[],
  options: ImportOptions = {},
): Promise<ImportSummary> => {
  const stopAfter = options.stopAfterFailures ?? 5;
  const counts = { created: 0, resumed: 0, unchanged: 0 };
  const problems: { index: number; seat: NewSeat; reason: string }[] = [];
  let failuresInARow = 0;
  for (const [i, seat] of seats.entries()) {
    if (options.cancelled?.() === true || failuresInARow >= stopAfter) {
      return { ...counts, problems, stopped: true };
    }
    const index = i + 1;
    let outcome: ImportProgress['outcome'];
    try {
      outcome = await provisionSeat(deps, seat);
    } catch (error) {
      outcome = { status: 'failed', reason: `${seat.username}: ${messageOf(error)}` };
    }
    if (outcome.status === 'refused' || outcome.status === 'failed') {
      problems.push({ index, seat, reason: outcome.reason });
      failuresInARow = outcome.status === 'failed' ? failuresInARow + 1 : 0;
    } else {
      counts[outcome.status] += 1;
      failuresInARow = 0;
    }
    options.onProgress?.({ index, total: seats.length, seat, outcome });
  }
  return { ...counts, problems, stopped: false };
};

export type SeatChange =
  { readonly ok: true; readonly seat: Seat } | { readonly ok: false; readonly reason: string };

const noSeat = (username: string): SeatChange => ({
  ok: false,
  reason: `${username} has no current seat (it never existed, has ended, or was revoked).`,
});

/** Moves the end of a current seat; a seat that has ended needs to be added again. */
export const extendSeat = async (deps: SeatDeps, username: string, until: Date): Promise<SeatChange> => {
  const now = deps.clock.now();
  if (until.getTime() <= now.getTime()) {
    return { ok: false, reason: `${until.toISOString()} has already passed; to end a seat now, revoke it.` };
  }
  const seat = await deps.store.extend(username, until, now);
  return seat === undefined ? noSeat(username) : { ok: true, seat };
};

/** The next chat tier: the user's routing profile first (what the agent notices), then the seat. */
export const promoteSeat = async (deps: SeatDeps, username: string): Promise<SeatChange> => {
  const now = deps.clock.now();
  const seat = await deps.store.get(username, now);
  if (seat === undefined) return noSeat(username);
  const next = promote(seat, now);
  if (!next.ok) return next;
  if (seat.userId === undefined) return noSeat(username);
  await deps.contactCentre.updateUserRoutingProfile(seat.userId, deps.profiles[next.type].routingProfileId);
  const changed = await deps.store.changeType(username, next.type);
  return changed === undefined ? noSeat(username) : { ok: true, seat: changed };
};
