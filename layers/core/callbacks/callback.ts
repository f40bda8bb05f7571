/**
 * A cart callback and its life, as pure data and pure transitions; the store (DynamoDB, memory) only
 * writes what these functions compute, guarded by the version it read.
 *
 *   SCHEDULED ──(queue overloaded)──► POSTPONED ──► … (both wait in the due index until dueAt)
 *       │  │                              │
 *       │  └──(claim: task or sms)──► CLAIMED ──► CREATED | REPLACED_BY_SMS   (or back, released)
 *       ├──(OrderPlaced)──────────────────────► CANCELLED
 *       └──(too old, opted out, failing)──────► SKIPPED
 *
 * CLAIMED is a lease: `dueAt` moves to the lease's end, so a sweeper that dies holding it gives the
 * callback back to the next sweep after that, and its own late writes fail on the version.
 *
 * An OrderPlaced with the cart id writes the cart's tombstone (see store.ts), with the callback's end if
 * it is waiting. Every later write that could still lead to a task or an SMS (schedule, postpone, claim,
 * release, a lease taken over) is refused by the store while the tombstone exists; the sweeper then ends
 * the callback CANCELLED itself. So the only task made for an ordered cart is one whose StartTaskContact
 * was already under way when the OrderPlaced was processed: it is recorded with `lateOrder`.
 *
 * The end states are announced on the bus. Each is written first with `pending` still set (and `dueAt`
 * a lease ahead), then announced, then settled (`pending` gone, the phone forgotten, the retention TTL
 * set). A run that dies between writing and announcing leaves the announcement to the next sweep, so a
 * CallbackCreated or CallbackCancelled is never lost to a crash or to EventBridge failing.
 */
import { createHash } from 'node:crypto';
import type { Offer } from './offer.js';

export const CALLBACK_STATES = [
  'SCHEDULED',
  'POSTPONED',
  'CLAIMED',
  'CREATED',
  'CANCELLED',
  'REPLACED_BY_SMS',
  'SKIPPED',
] as const;
export type CallbackState = (typeof CALLBACK_STATES)[number];

/** States waiting for their time; an OrderPlaced can still cancel them. */
export const WAITING_STATES: readonly CallbackState[] = ['SCHEDULED', 'POSTPONED'];
/** States nothing happens to any more, once announced. */
export const END_STATES: readonly CallbackState[] = ['CREATED', 'CANCELLED', 'REPLACED_BY_SMS', 'SKIPPED'];

export const isWaiting = (callback: Pick<Callback, 'state'>): boolean =>
  WAITING_STATES.includes(callback.state);
export const isEnded = (callback: Pick<Callback, 'state'>): boolean => END_STATES.includes(callback.state);

/** Why a callback ended without a task. */
export type EndReason = 'order-placed' | 'replaced-by-sms' | 'opted-out' | 'expired' | 'task-failed';

/** What a claim is for: a task, the saved-cart SMS, or announcing an end state. */
export type ClaimIntent = 'task' | 'sms' | 'announce';

export interface Lease {
  /** Unique per claim: tells the run that holds the callback from one whose lease ran out. */
  readonly token: string;
  readonly intent: ClaimIntent;
  /** ISO-8601; the callback is due again then, should the holder die. */
  readonly until: string;
  /** Where the callback stood in the queue before the claim, to go back there when released. */
  readonly previousDueAt: string;
}

export interface CallbackCustomer {
  readonly customerId: string;
  /** E.164; kept only while the callback may still be made or replaced by an SMS. */
  readonly phone?: string;
  readonly locale: string;
  readonly timeZone?: string;
  /** The saved-cart SMS needs it; taken from the CartAbandoned event. */
  readonly marketingSms: boolean;
}

export interface Callback {
  /** The shop's cart id: one callback per cart (the Connect ClientToken is derived from it). */
  readonly cartId: string;
  readonly customer: CallbackCustomer;
  readonly offer: Offer;
  readonly state: CallbackState;
  /** Bumped by every write; a write based on an older one is refused. */
  readonly version: number;
  /** True while the sweeper has something to do: wait for dueAt, retry, or announce the end state. */
  readonly pending: boolean;
  /** ISO-8601: when the sweeper looks at it next. */
  readonly dueAt: string;
  readonly abandonedAt: string;
  readonly scheduledAt: string;
  /** The first due time, inside opening hours. */
  readonly scheduledFor: string;
  /** After this the offer is stale: a waiting callback is skipped, not made. */
  readonly expiresAt: string;
  readonly postponements: number;
  /** Failed StartTaskContact calls other than throttling. */
  readonly taskAttempts: number;
  /** Saved-cart SMS attempts that failed; part of the SMS's once-only key. */
  readonly smsAttempts: number;
  readonly lease?: Lease;
  readonly contactId?: string;
  readonly smsMessageId?: string;
  readonly endedAt?: string;
  readonly endReason?: EndReason;
  /** The order that cancelled it. */
  readonly cancelledBy?: string;
  /** CREATED only: an order processed while its StartTaskContact was under way (too late to stop it). */
  readonly lateOrder?: string;
  /**
   * A StartTaskContact for this cart may have made the task: a run that held the task claim died, or the
   * call failed other than by throttling (a timeout, a 5xx: perhaps after Connect acted). Kept from then
   * on, so a callback that later ends without a task (cancelled by the order, skipped) says so; a retry
   * with the same ClientToken gets that very task, and ends CREATED.
   */
  readonly taskMayExist?: boolean;
  /** The EventBridge id of the CartAbandoned, to tell a redelivery from a duplicate. */
  readonly sourceEventId?: string;
  /** The last failure's message (never a phone number), for ops. */
  readonly lastError?: string;
  /** ISO-8601: the store may forget it after this (the TTL). */
  readonly retainUntil: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

export const addMs = (date: Date | string, ms: number): Date => new Date(new Date(date).getTime() + ms);
export const minutes = (n: number): number => n * MINUTE_MS;
export const hours = (n: number): number => n * HOUR_MS;
export const days = (n: number): number => n * DAY_MS;

const iso = (date: Date | string): string => new Date(date).toISOString();

/**
 * Connect's ClientToken for the cart's task: the same cart gives the same token, so a sweep that runs
 * again (after a crash, a timeout) gets the task it already created. Hashed, because a cart id may be
 * 256 characters of anything and the token is at most 500.
 */
export const callbackClientToken = (cartId: string): string =>
  `peakline-cart-${createHash('sha256').update(`peakline:cart-callback:${cartId}`).digest('base64url')}`;

export interface NewCallbackInput {
  readonly cartId: string;
  readonly customer: Required<Pick<CallbackCustomer, 'phone'>> & CallbackCustomer;
  readonly offer: Offer;
  readonly abandonedAt: string;
  readonly now: Date;
  readonly dueAt: Date;
  readonly expiresAt: Date;
  readonly retentionDays: number;
  readonly sourceEventId?: string;
}

export const newCallback = (input: NewCallbackInput): Callback => ({
  cartId: input.cartId,
  customer: input.customer,
  offer: input.offer,
  state: 'SCHEDULED',
  version: 1,
  pending: true,
  dueAt: iso(input.dueAt),
  abandonedAt: iso(input.abandonedAt),
  scheduledAt: iso(input.now),
  scheduledFor: iso(input.dueAt),
  expiresAt: iso(input.expiresAt),
  postponements: 0,
  taskAttempts: 0,
  smsAttempts: 0,
  ...(input.sourceEventId === undefined ? {} : { sourceEventId: input.sourceEventId }),
  // While waiting, kept until well after it could still be made, so the TTL never takes a live one.
  retainUntil: iso(addMs(input.expiresAt, days(input.retentionDays))),
});

const bump = (callback: Callback, change: Partial<Callback>): Callback => ({
  ...callback,
  ...change,
  version: callback.version + 1,
});

const withoutLease = (callback: Callback): Callback => {
  const { lease: _lease, ...rest } = callback;
  return rest;
};

/** Takes the callback for `intent` until `leaseUntil`; an end state keeps its state while announced. */
export const claimed = (callback: Callback, intent: ClaimIntent, token: string, leaseUntil: Date): Callback =>
  bump(callback, {
    state: intent === 'announce' ? callback.state : 'CLAIMED',
    dueAt: iso(leaseUntil),
    lease: {
      token,
      intent,
      until: iso(leaseUntil),
      // A lease that ran out is taken over in the queue position the first claim came from.
      previousDueAt: callback.lease?.previousDueAt ?? callback.dueAt,
    },
  });

/** Waits again, from `dueAt`. */
export const postponed = (callback: Callback, dueAt: Date): Callback =>
  withoutLease(
    bump(callback, { state: 'POSTPONED', dueAt: iso(dueAt), postponements: callback.postponements + 1 }),
  );

/**
 * Gives a claimed callback back: to its old place in the queue after throttling (nothing was wrong with
 * it), or a little later after a failure, which counts.
 */
export const released = (
  callback: Callback,
  release: {
    readonly dueAt?: Date;
    readonly failedTask?: boolean;
    readonly failedSms?: boolean;
    readonly error?: string;
    /** The call failed in a way that may have come after Connect made the task. */
    readonly taskMayExist?: boolean;
  },
): Callback =>
  withoutLease(
    bump(callback, {
      state: callback.postponements > 0 ? 'POSTPONED' : 'SCHEDULED',
      dueAt:
        release.dueAt === undefined ? (callback.lease?.previousDueAt ?? callback.dueAt) : iso(release.dueAt),
      taskAttempts: callback.taskAttempts + (release.failedTask ? 1 : 0),
      smsAttempts: callback.smsAttempts + (release.failedSms ? 1 : 0),
      ...(release.error === undefined ? {} : { lastError: release.error }),
      ...(release.taskMayExist ? { taskMayExist: true } : {}),
    }),
  );

export type Ending =
  | { readonly state: 'CREATED'; readonly contactId: string; readonly lateOrder?: string }
  | { readonly state: 'CANCELLED'; readonly orderId: string; readonly taskMayExist?: boolean }
  | { readonly state: 'REPLACED_BY_SMS'; readonly messageId?: string }
  | {
      readonly state: 'SKIPPED';
      readonly reason: Exclude<EndReason, 'order-placed' | 'replaced-by-sms'>;
      readonly taskMayExist?: boolean;
    };

/**
 * The end state, still pending until announced: the announcer holds a lease of its own, so the sweeper
 * does not announce it too unless the announcer dies.
 */
export const ended = (
  callback: Callback,
  ending: Ending,
  now: Date,
  announceToken: string,
  announceBy: Date,
): Callback => {
  const reason: EndReason | undefined =
    ending.state === 'CANCELLED'
      ? 'order-placed'
      : ending.state === 'REPLACED_BY_SMS'
        ? 'replaced-by-sms'
        : ending.state === 'SKIPPED'
          ? ending.reason
          : undefined;
  return bump(callback, {
    state: ending.state,
    pending: true,
    dueAt: iso(announceBy),
    endedAt: iso(now),
    lease: {
      token: announceToken,
      intent: 'announce',
      until: iso(announceBy),
      previousDueAt: iso(announceBy),
    },
    ...(reason === undefined ? {} : { endReason: reason }),
    ...(ending.state === 'CREATED' ? { contactId: ending.contactId } : {}),
    ...(ending.state === 'CREATED' && ending.lateOrder !== undefined ? { lateOrder: ending.lateOrder } : {}),
    ...((ending.state === 'CANCELLED' || ending.state === 'SKIPPED') && ending.taskMayExist
      ? { taskMayExist: true }
      : {}),
    ...(ending.state === 'CANCELLED' ? { cancelledBy: ending.orderId } : {}),
    ...(ending.state === 'REPLACED_BY_SMS' && ending.messageId !== undefined
      ? { smsMessageId: ending.messageId }
      : {}),
  });
};

/** Announced: out of the due index, the phone forgotten, kept `retentionDays` for the record. */
export const settled = (callback: Callback, retentionDays: number): Callback => {
  const { phone: _phone, ...customer } = callback.customer;
  const end = callback.endedAt ?? callback.dueAt;
  return withoutLease(
    bump(callback, { pending: false, customer, retainUntil: iso(addMs(end, days(retentionDays))) }),
  );
};
