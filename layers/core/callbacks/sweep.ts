/**
 * The minute sweeper: due callbacks, oldest first, become Connect tasks in the callback queue, unless
 * the queue is overloaded (postponed, or replaced by the saved-cart SMS), the offer has gone stale, or
 * the customer has opted out since.
 *
 * Nothing is lost and nothing is made twice:
 * - each callback is claimed with a conditional write before anything irreversible, so two sweepers never
 *   both take it; a sweeper that dies holding one gives it back when its lease runs out;
 * - the task's ClientToken is derived from the cart id, so a sweep that runs again after a crash between
 *   StartTaskContact and recording the contact gets the same contact from Connect, records it once and
 *   announces it once;
 * - throttling that outlives the Connect adapter's retries puts the callback back in its place in the
 *   queue and ends the sweep: the rest waits for the next run rather than hammering the API.
 *
 * An ordered cart is never given back: every write that leaves a callback able to act (the claim, a
 * postponement, a release after throttling, a failed task or SMS, the SMS daily cap) is refused by the
 * store while the cart has a tombstone, and the sweep then ends the callback CANCELLED itself. Between the
 * claim and StartTaskContact (or the SMS) the tombstone is read once more, so a task starts only if the
 * OrderPlaced had not been processed just before the call; an order processed while the call is under
 * way (the adapter's pacing and retries included) is recorded on the task's record (`lateOrder`). A lease taken over from a dead run re-checks the tombstone (in its claim),
 * the opt-out and the offer's age before making the task.
 */
import { phoneHash } from '../phone.js';
import type { RoutingState } from '../ports.js';
import { announceOutstanding, finish, leaseEnd, newToken } from './announce.js';
import { isOpenAt, nextOpenMoment } from './business-hours.js';
import { addMs, type Callback, claimed, hours, isEnded, minutes, postponed, released } from './callback.js';
import { callbackTask } from './callback-task.js';
import { savedCartBlocker, sendSavedCartSms } from './saved-cart-sms.js';
import type { SweepDeps } from './settings.js';
import type { Tombstone } from './store.js';

export type SweepOutcome =
  | { readonly cartId: string; readonly outcome: 'CREATED'; readonly contactId: string }
  | {
      readonly cartId: string;
      readonly outcome: 'POSTPONED';
      readonly dueAt: string;
      /** Overloaded queue, or the centre closed by the time the sweep came. */
      readonly reason: 'overloaded' | 'closed' | 'sms-daily-cap';
    }
  | { readonly cartId: string; readonly outcome: 'REPLACED_BY_SMS'; readonly messageId?: string }
  | {
      readonly cartId: string;
      readonly outcome: 'SKIPPED';
      readonly reason: 'expired' | 'opted-out' | 'task-failed';
      /** Taken over from a dead run that may have made the task before dying. */
      readonly taskMayExist?: boolean;
    }
  /** The cart was ordered: its tombstone refused giving the callback back, so the sweep ended it. */
  | {
      readonly cartId: string;
      readonly outcome: 'CANCELLED';
      readonly orderId: string;
      readonly taskMayExist?: boolean;
    }
  /** An end state a dead run wrote and did not announce, announced now. */
  | { readonly cartId: string; readonly outcome: 'ANNOUNCED'; readonly state: Callback['state'] }
  /** Given back to the queue: due again (throttled: at once; failed: a little later). */
  | {
      readonly cartId: string;
      readonly outcome: 'RELEASED';
      readonly reason: 'throttled' | 'task-failed' | 'sms-failed';
      readonly error: string;
    }
  /** Another writer (a sweeper, an OrderPlaced) changed it first; it is theirs. */
  | { readonly cartId: string; readonly outcome: 'LOST' }
  | { readonly cartId: string; readonly outcome: 'ERROR'; readonly error: string };

export type SweepOutcomeKind = SweepOutcome['outcome'];

export interface SweepResult {
  readonly outcomes: readonly SweepOutcome[];
  /** Per outcome, for the handler's metrics (zeros included, so the series stay continuous). */
  readonly counts: Readonly<Record<SweepOutcomeKind, number>>;
  /** True when Connect throttled and the sweep stopped early; the rest is due for the next run. */
  readonly stoppedByThrottling: boolean;
  /** The callback queue's state as the sweep saw it (read once, only when needed). */
  readonly routingState?: RoutingState;
  /** The routing state could not be read: the sweep went on as NORMAL. */
  readonly routingStateError?: string;
  /** How many were due (at most `limit`); as many as `limit` means more may be waiting. */
  readonly due: number;
}

const OUTCOME_KINDS: readonly SweepOutcomeKind[] = [
  'CREATED',
  'POSTPONED',
  'REPLACED_BY_SMS',
  'SKIPPED',
  'CANCELLED',
  'ANNOUNCED',
  'RELEASED',
  'LOST',
  'ERROR',
];

/** Connect's "too fast" answers (the adapter's isThrottling is the finer test, given in deps on AWS). */
const THROTTLING_NAMES = new Set([
  'TooManyRequestsException',
  'ThrottlingException',
  'LimitExceededException',
]);
const defaultIsThrottling = (error: unknown): boolean =>
  typeof error === 'object' &&
  error !== null &&
  THROTTLING_NAMES.has(String((error as { name?: unknown }).name));

/**
 * Connect refused the call (a 4xx: invalid parameters, access denied): it made no task. The AWS SDK marks
 * such errors `$fault: 'client'`; anything else (a timeout, a 5xx, a dropped connection) may have come
 * after Connect acted.
 */
const refusedBeforeActing = (error: unknown): boolean => {
  if (typeof error !== 'object' || error === null) return false;
  const { $fault, $metadata } = error as { $fault?: unknown; $metadata?: { httpStatusCode?: unknown } };
  const status = Number($metadata?.httpStatusCode ?? 0);
  return $fault === 'client' || (status >= 400 && status < 500);
};

const messageOf = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** After the n-th failed StartTaskContact, wait n minutes: a broken call should not eat the API rate. */
const retryDelayMs = (attempts: number): number => minutes(Math.max(1, attempts));

interface Sweep {
  readonly deps: SweepDeps;
  readonly now: Date;
  readonly routingState: () => Promise<RoutingState>;
  throttled: boolean;
}

const postpone = async (
  sweep: Sweep,
  seen: Callback,
  reason: 'overloaded' | 'closed' | 'sms-daily-cap',
): Promise<SweepOutcome> => {
  const { deps, now } = sweep;
  const { settings } = deps;
  const from = reason === 'closed' ? now : addMs(now, minutes(settings.postponeMinutes));
  const dueAt = nextOpenMoment(from, settings.openingHours, settings.timeZone);
  if (dueAt.getTime() >= Date.parse(seen.expiresAt)) return skip(sweep, seen, 'expired');
  // The centre closing is no postponement: the count says how often the peak pushed the callback back.
  const next = reason === 'closed' ? released(seen, { dueAt }) : postponed(seen, dueAt);
  const written = await deps.store.replace(
    seen,
    next,
    { kind: 'hold', until: addMs(dueAt, hours(settings.perCustomerHours)) },
    now,
  );
  return written
    ? { cartId: seen.cartId, outcome: 'POSTPONED', dueAt: next.dueAt, reason }
    : endIfOrdered(sweep, seen);
};

/** What the sweep cannot know about a task it ends the callback without. */
interface TakeOver {
  /**
   * A StartTaskContact for the cart may have made the task: the callback was taken over from a dead
   * run's task claim, or the call failed other than by throttling (a timeout, a 5xx), perhaps after
   * Connect acted. Said on the record and in the announcement rather than guessed away.
   */
  readonly taskMayExist?: boolean;
}

const skip = async (
  sweep: Sweep,
  seen: Callback,
  reason: 'expired' | 'opted-out' | 'task-failed',
  takeOver: TakeOver = {},
): Promise<SweepOutcome> => {
  const mayExist = takeOver.taskMayExist === true || seen.taskMayExist === true;
  const done = await finish(
    sweep.deps,
    seen,
    { state: 'SKIPPED', reason, ...(mayExist ? { taskMayExist: true } : {}) },
    // A customer who may have been called keeps their day without another callback.
    mayExist ? undefined : { kind: 'release' },
  );
  return done === undefined
    ? { cartId: seen.cartId, outcome: 'LOST' }
    : { cartId: seen.cartId, outcome: 'SKIPPED', reason, ...(mayExist ? { taskMayExist: true } : {}) };
};

/**
 * After the store refused to leave `seen` able to act: if the cart was ordered (its tombstone refused
 * the write) the sweep ends the callback CANCELLED, on the version it holds; otherwise another writer
 * came first and it is theirs. A release must never bring an ordered cart's callback back.
 */
const endIfOrdered = async (sweep: Sweep, seen: Callback, takeOver: TakeOver = {}): Promise<SweepOutcome> => {
  const tombstone = await sweep.deps.store.tombstoneOf(seen.cartId);
  if (tombstone === undefined) return { cartId: seen.cartId, outcome: 'LOST' };
  return endOrdered(sweep, seen, tombstone, takeOver);
};

/**
 * Just before the call nothing can take back (StartTaskContact, the SMS): an OrderPlaced processed since
 * the claim still wins. A read, as Connect's call cannot be conditional on the table; what is left is
 * the call itself, recorded with `lateOrder` if the order comes while it is under way.
 */
const cancelIfOrdered = async (
  sweep: Sweep,
  held: Callback,
  takeOver: TakeOver,
): Promise<SweepOutcome | undefined> => {
  const tombstone = await sweep.deps.store.tombstoneOf(held.cartId);
  return tombstone === undefined ? undefined : endOrdered(sweep, held, tombstone, takeOver);
};

const endOrdered = async (
  sweep: Sweep,
  seen: Callback,
  tombstone: Tombstone,
  takeOver: TakeOver,
): Promise<SweepOutcome> => {
  const mayExist = takeOver.taskMayExist === true || seen.taskMayExist === true;
  const done = await finish(
    sweep.deps,
    seen,
    { state: 'CANCELLED', orderId: tombstone.orderId, ...(mayExist ? { taskMayExist: true } : {}) },
    mayExist ? undefined : { kind: 'release' },
  );
  return done === undefined
    ? { cartId: seen.cartId, outcome: 'LOST' }
    : {
        cartId: seen.cartId,
        outcome: 'CANCELLED',
        orderId: tombstone.orderId,
        ...(mayExist ? { taskMayExist: true } : {}),
      };
};

type Claim = { readonly held: Callback } | { readonly refused: SweepOutcome };

/**
 * The last write before StartTaskContact or the SMS, so the one that checks the tombstone: refused for
 * an ordered cart, which the sweep then cancels.
 */
const claim = async (
  sweep: Sweep,
  seen: Callback,
  intent: 'task' | 'sms',
  takeOver: TakeOver = {},
): Promise<Claim> => {
  const held = claimed(seen, intent, newToken(sweep.deps), leaseEnd(sweep.deps, sweep.now));
  if (await sweep.deps.store.replace(seen, held, undefined, sweep.now)) return { held };
  return { refused: await endIfOrdered(sweep, seen, takeOver) };
};

/** Gives a held callback back, unless the cart was ordered meanwhile: then it ends CANCELLED. */
const release = async (
  sweep: Sweep,
  held: Callback,
  next: Callback,
  outcome: Extract<SweepOutcome, { outcome: 'RELEASED' }>,
  takeOver: TakeOver = {},
): Promise<SweepOutcome> =>
  (await sweep.deps.store.replace(held, next, undefined, sweep.now))
    ? outcome
    : endIfOrdered(sweep, held, takeOver);

const makeTask = async (sweep: Sweep, held: Callback, takeOver: TakeOver = {}): Promise<SweepOutcome> => {
  const { deps, now } = sweep;
  const { settings } = deps;
  const ordered = await cancelIfOrdered(sweep, held, takeOver);
  if (ordered !== undefined) return ordered;
  let contactId: string;
  try {
    ({ contactId } = await deps.contactCentre.startTask(callbackTask(held, settings)));
  } catch (error) {
    const message = messageOf(error);
    if ((deps.isThrottling ?? defaultIsThrottling)(error)) {
      sweep.throttled = true;
      return release(sweep, held, released(held, { error: message }), {
        cartId: held.cartId,
        outcome: 'RELEASED',
        reason: 'throttled',
        error: message,
      });
    }
    // Unlike throttling, a failure (a timeout, a 5xx) may come after Connect made the task: the callback
    // remembers it, so that if it ends without a task (cancelled, skipped) its record says the task may exist.
    const mayExist = !refusedBeforeActing(error);
    if (held.taskAttempts + 1 >= settings.maxTaskAttempts) {
      // Whatever it is (a queue id Connect does not know, attributes it refuses), retrying will not fix it.
      return skip(sweep, { ...held, lastError: message }, 'task-failed', { taskMayExist: mayExist });
    }
    const retryAt = nextOpenMoment(
      addMs(now, retryDelayMs(held.taskAttempts + 1)),
      settings.openingHours,
      settings.timeZone,
    );
    const next = released(held, {
      dueAt: retryAt,
      failedTask: true,
      error: message,
      ...(mayExist ? { taskMayExist: true } : {}),
    });
    return release(
      sweep,
      held,
      next,
      { cartId: held.cartId, outcome: 'RELEASED', reason: 'task-failed', error: message },
      { taskMayExist: mayExist },
    );
  }
  // An order processed while the call was under way cannot undo it; the record says so.
  const lateOrder = await lateOrderOf(sweep, held);
  // The customer is called now: the day without another callback counts from here.
  const done = await finish(
    deps,
    held,
    { state: 'CREATED', contactId, ...(lateOrder === undefined ? {} : { lateOrder }) },
    { kind: 'hold', until: addMs(now, hours(settings.perCustomerHours)) },
  );
  // LOST: our lease ran out and another sweep took over; with the same token it gets this very contact.
  return done === undefined
    ? { cartId: held.cartId, outcome: 'LOST' }
    : { cartId: held.cartId, outcome: 'CREATED', contactId };
};

/** Best effort: a failed read must not keep the task it just made from being recorded. */
const lateOrderOf = async (sweep: Sweep, held: Callback): Promise<string | undefined> => {
  try {
    return (await sweep.deps.store.tombstoneOf(held.cartId))?.orderId;
  } catch {
    return undefined;
  }
};

const replaceBySms = async (sweep: Sweep, held: Callback): Promise<SweepOutcome> => {
  const { deps, now } = sweep;
  const sms = deps.sms;
  if (sms === undefined || savedCartBlocker(held, now, sms.settings) !== undefined) {
    return postpone(sweep, held, 'overloaded');
  }
  const ordered = await cancelIfOrdered(sweep, held, {});
  if (ordered !== undefined) return ordered;
  let result;
  try {
    result = await sendSavedCartSms(held, { clock: deps.clock, events: deps.events, ...sms });
  } catch (error) {
    const message = messageOf(error);
    // A fresh once-only key for the next try, which comes at the next sweep.
    return release(sweep, held, released(held, { failedSms: true, error: message }), {
      cartId: held.cartId,
      outcome: 'RELEASED',
      reason: 'sms-failed',
      error: message,
    });
  }
  if (result.outcome === 'DAILY_CAP_REACHED') return postpone(sweep, held, 'sms-daily-cap');
  const messageId = result.outcome === 'SENT' ? result.messageId : undefined;
  const done = await finish(
    deps,
    held,
    { state: 'REPLACED_BY_SMS', ...(messageId === undefined ? {} : { messageId }) },
    { kind: 'hold', until: addMs(now, hours(deps.settings.perCustomerHours)) },
  );
  if (done === undefined) return { cartId: held.cartId, outcome: 'LOST' };
  return {
    cartId: held.cartId,
    outcome: 'REPLACED_BY_SMS',
    ...(messageId === undefined ? {} : { messageId }),
  };
};

const smsMayReplace = (sweep: Sweep, callback: Callback): boolean => {
  const { deps, now } = sweep;
  return (
    deps.settings.peakBehaviour === 'sms' &&
    deps.sms !== undefined &&
    // An SMS path that keeps failing gives way to postponing.
    callback.smsAttempts < deps.settings.maxTaskAttempts &&
    savedCartBlocker(callback, now, deps.sms.settings) === undefined
  );
};

const sweepOne = async (sweep: Sweep, seen: Callback): Promise<SweepOutcome> => {
  const { deps, now } = sweep;
  const { settings } = deps;
  if (isEnded(seen)) {
    const done = await announceOutstanding(deps, seen);
    return done === undefined
      ? { cartId: seen.cartId, outcome: 'LOST' }
      : { cartId: seen.cartId, outcome: 'ANNOUNCED', state: seen.state };
  }
  if (seen.state === 'CLAIMED') {
    // The holder's lease ran out (it died), perhaps after its StartTaskContact: the same token would
    // find that task. Carried through whatever the queue's state, but not for a cart ordered since (the
    // claim checks the tombstone), a customer who opted out since, or an offer gone stale.
    const intent = seen.lease?.intent === 'sms' ? 'sms' : 'task';
    const takeOver: TakeOver = intent === 'task' ? { taskMayExist: true } : {};
    const taken = await claim(sweep, seen, intent, takeOver);
    if ('refused' in taken) return taken.refused;
    const { held } = taken;
    if (now.getTime() >= Date.parse(held.expiresAt)) return skip(sweep, held, 'expired', takeOver);
    if (await isOptedOut(sweep, held)) return skip(sweep, held, 'opted-out', takeOver);
    return intent === 'sms' ? replaceBySms(sweep, held) : makeTask(sweep, held, takeOver);
  }

  if (now.getTime() >= Date.parse(seen.expiresAt)) return skip(sweep, seen, 'expired');
  if (await isOptedOut(sweep, seen)) return skip(sweep, seen, 'opted-out');
  // Due in hours, but a late sweep (a backlog, a throttled run) may come after closing.
  if (!isOpenAt(now, settings.openingHours, settings.timeZone)) return postpone(sweep, seen, 'closed');

  const state = await sweep.routingState();
  if (state !== 'NORMAL') {
    if (!smsMayReplace(sweep, seen)) return postpone(sweep, seen, 'overloaded');
    const taken = await claim(sweep, seen, 'sms');
    return 'refused' in taken ? taken.refused : replaceBySms(sweep, taken.held);
  }
  const taken = await claim(sweep, seen, 'task');
  return 'refused' in taken ? taken.refused : makeTask(sweep, taken.held);
};

const isOptedOut = async (sweep: Sweep, callback: Callback): Promise<boolean> =>
  callback.customer.phone !== undefined &&
  sweep.deps.suppression.isSuppressed(phoneHash(callback.customer.phone), sweep.now);

/**
 * One sweep: at most `limit` due callbacks (the Connect API rate and the run's time bound how many
 * StartTaskContact calls fit). Errors of one callback are reported in its outcome and the sweep goes on;
 * throttling stops it.
 */
export const sweepDueCallbacks = async (deps: SweepDeps, limit: number): Promise<SweepResult> => {
  const now = deps.clock.now();
  const due = await deps.store.due(now, limit);
  let routingState: RoutingState | undefined;
  let routingStateError: string | undefined;
  const sweep: Sweep = {
    deps,
    now,
    throttled: false,
    // Once per sweep: the controller changes it a few times a minute at most.
    routingState: async () => {
      if (routingState === undefined) {
        try {
          routingState = await deps.routing.stateOf(deps.settings.callbackQueueKey);
        } catch (error) {
          // A task waiting in a busy queue costs less than a callback never made.
          routingStateError = messageOf(error);
          routingState = 'NORMAL';
        }
      }
      return routingState;
    },
  };
  const outcomes: SweepOutcome[] = [];
  for (const callback of due) {
    if (sweep.throttled) break;
    try {
      outcomes.push(await sweepOne(sweep, callback));
    } catch (error) {
      outcomes.push({ cartId: callback.cartId, outcome: 'ERROR', error: messageOf(error) });
    }
  }
  const counts = Object.fromEntries(OUTCOME_KINDS.map((kind) => [kind, 0])) as Record<
    SweepOutcomeKind,
    number
  >;
  for (const outcome of outcomes) counts[outcome.outcome] += 1;
  return {
    outcomes,
    counts,
    stoppedByThrottling: sweep.throttled,
    ...(routingState === undefined ? {} : { routingState }),
    ...(routingStateError === undefined ? {} : { routingStateError }),
    due: due.length,
  };
};
