/**
 * The order-SMS decision: for one order fact (placed, or a status change), send an SMS, hold it until
 * the customer's quiet hours end, or suppress it with a reason. Pure domain: the world comes in
 * through the ports (ledger, suppression list, sender, bus, routing state, clock).
 *
 * Exactly one SMS per (order, status), and per distinct delivery estimate for DELAYED, under faults:
 * - the ledger's claim is one conditional write that takes the attempt with a lease AND advances the
 *   order's status; a copy of the fact (redelivery, the same fact under a new event id, two pollers)
 *   meets the claim and sends nothing;
 * - once SNS has taken the SMS nothing sends it again: the outcome (with SNS's messageId) is announced,
 *   then recorded settled (the outbox); an announcement that fails is recorded pending and the minute
 *   sweeper announces it; a failure after the send never fails the record;
 * - a run that dies between the claim and the record leaves a claim nobody settled: a retry after the
 *   lease does NOT send again (it cannot know whether SNS took it) but marks it `unknown`, once, and
 *   the decision OUTCOME_UNKNOWN is counted (metric `SmsOutcomeUnknown`, alarmed).
 */
import type { Customer, Money } from '#events/index.js';
import { maskPhone, phoneHash } from '../phone.js';
import {
  type BusFact,
  type Clock,
  type DeferredSms,
  type EventPublisher,
  type LedgerStatus,
  type OrderLedger,
  type OrderSmsState,
  type OutgoingSms,
  type RoutingStateReader,
  type SmsAttempt,
  type SmsClaimResult,
  SmsNotSentError,
  type SmsOutcomeRecord,
  type SmsSender,
  type SuppressionStore,
} from '../ports.js';
import { checkPhone, customerTimeZone } from './phone-check.js';
import { type QuietHours, quietPeriodEnd } from './quiet-hours.js';
import { renderOrderSms, smsKindForStatus } from './templates.js';

export interface OrderFact {
  readonly eventId: string;
  /**
   * The delivery this fact came in (the SQS message id), the same on every retry of it. @default the
   * event id. It marks an unknown outcome as this delivery's, so its retry still counts the mark.
   */
  readonly deliveryId?: string;
  readonly orderId: string;
  /** PLACED for OrderPlaced, else the new status. */
  readonly status: LedgerStatus;
  readonly occurredAt: string;
  readonly customer: Customer;
  readonly total?: Money;
  readonly trackingUrl?: string;
  readonly carrier?: string;
  readonly estimatedDelivery?: string;
  readonly reason?: string;
}

export interface OrderSmsSettings {
  readonly shopName: string;
  readonly segmentCap: number;
  readonly dailySegmentCap: number;
  readonly quietHours: QuietHours;
  readonly replyWithinHours: { readonly OVERFLOW: number; readonly DEFLECT: number };
  readonly overloaded: 'auto' | 'OVERFLOW' | 'DEFLECT';
  /** The contact centre's zone: the last resort for a customer's zone. */
  readonly fallbackTimeZone: string;
  /** The queue whose routing state says whether the centre is overloaded. */
  readonly primaryQueueId: string;
  /** SMS about a new delivery estimate (DELAYED) per order, at most. */
  readonly maxDelayUpdates: number;
}

export interface OrderSmsDeps {
  readonly clock: Clock;
  readonly ledger: OrderLedger;
  readonly suppression: SuppressionStore;
  readonly sender: SmsSender;
  readonly events: EventPublisher;
  readonly routing: RoutingStateReader;
  readonly settings: OrderSmsSettings;
  /** Outcomes sent but not yet recorded; `flushOutcomes` records and announces them. */
  readonly outbox: SmsOutbox;
  /** The daily part allowance, reserved in blocks. */
  readonly allowance: DailyAllowance;
}

export type SuppressionReason =
  | 'invalid-phone'
  | 'not-mobile'
  | 'no-consent'
  | 'opted-out'
  | 'status-regression'
  | 'order-cancelled'
  | 'superseded'
  | 'delay-updates-exhausted'
  | 'daily-cap-reached';

interface DecisionBase {
  readonly orderId: string;
  readonly status: LedgerStatus;
  readonly kind: string;
  /** Masked. */
  readonly to: string;
}

export type SmsDecision =
  | (DecisionBase & {
      readonly outcome: 'SENT';
      readonly body: string;
      readonly segments: number;
      readonly encoding: 'GSM-7' | 'UCS-2';
      readonly messageId: string;
      readonly sentAt: string;
    })
  | (DecisionBase & {
      readonly outcome: 'DEFERRED';
      readonly body: string;
      readonly segments: number;
      readonly encoding: 'GSM-7' | 'UCS-2';
      readonly sendAt: string;
    })
  | (DecisionBase & {
      readonly outcome: 'SUPPRESSED';
      readonly reason: SuppressionReason;
      readonly detail?: string;
    })
  /** The same fact again (redelivery, a new event id): already decided, nothing done, nothing said. */
  | (DecisionBase & { readonly outcome: 'DUPLICATE' })
  /** A run claimed this SMS and never recorded what happened: not sent again; counted and alarmed. */
  | (DecisionBase & { readonly outcome: 'OUTCOME_UNKNOWN' });

/** Another run holds the claim and may be sending right now: the record comes back later. */
export class SmsAttemptInProgressError extends Error {
  override readonly name = 'SmsAttemptInProgressError';
}

/**
 * How long a claim holds: longer than either function may run (order-sms 30 s, sms-release 60 s), so a
 * live run is never taken for a dead one, and shorter than the buffer's visibility timeout (180 s), so a
 * redelivery after a crash finds the lease over and can say `unknown` at once.
 */
export const LEASE_SECONDS = 120;
/**
 * A pending outcome (its announcement failed) is the sweeper's to announce this long after it was
 * recorded: the bus that failed is given time to come back rather than asked again within the minute.
 */
export const ANNOUNCE_GRACE_SECONDS = 300;

const DAY = (date: Date) => date.toISOString().slice(0, 10);

/** The attempt's key in the ledger: the status, and for DELAYED the estimate (a new estimate is news). */
export const attemptKey = (status: LedgerStatus, estimatedDelivery?: string): string =>
  status === 'DELAYED' ? `DELAYED@${estimatedDelivery ?? '-'}` : status;

/**
 * Parts reserved at once: a thousandth of the day's cap, at least 20 and at most 100 (100 at the default cap
 * of 100,000). Issue 16: 20 took a write for every batch of 10 SMS (about 25 parts); 100 takes one for every
 * four, and leaves at most 100 parts a container unsent at the day's end, a tenth of a percent of the cap.
 */
export const allowanceBlock = (cap: number): number => Math.min(100, Math.max(20, Math.floor(cap / 1000)));

/**
 * The day's part allowance, reserved from the ledger in blocks rather than per SMS: one conditional
 * write per block instead of one per SMS, and never past the cap, since a block is only taken when it
 * fits. The price: parts reserved by a process that ends unused are not sent that day (at most a block
 * per process); the cap errs on the side of spending less.
 */
export class DailyAllowance {
  #day = '';
  #left = 0;

  /** @param block parts reserved at once. @default allowanceBlock(cap) */
  constructor(
    private readonly ledger: Pick<OrderLedger, 'reserveDailySegments'>,
    private readonly cap: () => number,
    private readonly block?: number,
  ) {}

  /** True when `parts` may go today. */
  async take(now: Date, parts: number): Promise<boolean> {
    const day = DAY(now);
    if (day !== this.#day) {
      this.#day = day;
      this.#left = 0;
    }
    if (this.#left >= parts) {
      this.#left -= parts;
      return true;
    }
    const cap = this.cap();
    const want = Math.max(parts - this.#left, this.block ?? allowanceBlock(cap));
    if (await this.ledger.reserveDailySegments(day, want, cap)) {
      this.#left += want - parts;
      return true;
    }
    // The block does not fit: the parts this SMS needs may still.
    if (want > parts - this.#left && (await this.ledger.reserveDailySegments(day, parts - this.#left, cap))) {
      this.#left = 0;
      return true;
    }
    return false;
  }

  /** Parts taken for an SMS that did not go: back into this process's allowance, no call. */
  giveBack(now: Date, parts: number): void {
    if (DAY(now) === this.#day) this.#left += parts;
  }
}

/**
 * Outcomes of sent (and, at release, suppressed) SMS waiting to be announced and recorded. A run adds
 * them as it goes and flushes them at the end of its batch: one announcement for many (PutEvents takes 10
 * to a call), then one write recording them (the ledger writes 25 to a call).
 */
export class SmsOutbox {
  readonly #pending: SmsOutcomeRecord[] = [];
  add(outcome: SmsOutcomeRecord): void {
    this.#pending.push(outcome);
  }
  take(): SmsOutcomeRecord[] {
    return this.#pending.splice(0);
  }
  get size(): number {
    return this.#pending.length;
  }
}

export interface FlushResult {
  readonly recorded: number;
  readonly announced: number;
  /** Sent, but the record could not be written: a later copy of the fact will say `unknown`. */
  readonly unrecorded: number;
}

/** Per fact, in order, whether the bus took it: in one call where the publisher can, else one by one. */
export const announceAll = async (
  events: EventPublisher,
  facts: readonly BusFact[],
): Promise<readonly boolean[]> => {
  if (facts.length === 0) return [];
  if (events.publishAll) {
    try {
      return await events.publishAll(facts);
    } catch {
      return facts.map(() => false);
    }
  }
  const taken: boolean[] = [];
  for (const fact of facts) {
    try {
      await events.publish(fact.detailType, { ...fact.detail });
      taken.push(true);
    } catch {
      taken.push(false);
    }
  }
  return taken;
};

/**
 * Announce, then record: the facts in as few PutEvents calls as the bus allows (10 to a call), then the
 * outcomes in as few writes as the ledger allows (25 to a call). Never throws: every SMS in the outbox has
 * gone, and failing the record would only bring back facts that must not be sent again.
 * - Announced: recorded settled (the attempt's end; a copy of the fact is a duplicate).
 * - Not announced (the bus failed, or its answer was lost): recorded pending, with the fact; the minute
 *   sweeper (`announcePending`) announces it.
 * A run that dies before its announcement leaves claims without outcomes, which a later copy of the fact
 * says `unknown` (counted, alarmed, never resent), as a death between the send and any write always has;
 * one that dies after it leaves the fact on the bus and the same `unknown`. So no fact that was announced
 * is lost, and none is sent twice. Before issue 16 every outcome was written pending, announced, then
 * written again settled: two writes of every outcome where one does.
 */
export const flushOutcomes = async (deps: {
  readonly ledger: Pick<OrderLedger, 'recordAnnounced' | 'recordPending'>;
  readonly events: EventPublisher;
  readonly clock: Clock;
  readonly outbox: SmsOutbox;
}) => {
  const outcomes = deps.outbox.take();
  if (outcomes.length === 0) return { recorded: 0, announced: 0, unrecorded: 0 } satisfies FlushResult;
  const taken = await announceAll(deps.events, outcomes);
  const announced = outcomes.filter((_, i) => taken[i] === true);
  const pending = outcomes.filter((_, i) => taken[i] !== true);
  const record = async (
    write: (list: readonly SmsOutcomeRecord[]) => Promise<SmsOutcomeRecord[]>,
    list: readonly SmsOutcomeRecord[],
  ): Promise<number> => {
    if (list.length === 0) return 0;
    try {
      return (await write(list)).length;
    } catch {
      return list.length;
    }
  };
  const unrecorded =
    (await record((list) => deps.ledger.recordAnnounced(list), announced)) +
    (await record((list) => deps.ledger.recordPending(list, deps.clock.now()), pending));
  return {
    recorded: outcomes.length - unrecorded,
    announced: announced.length,
    unrecorded,
  } satisfies FlushResult;
};

/** The minute sweeper's part of the outbox: announces what was recorded pending, then settles it. */
export const announcePending = async (
  deps: Pick<OrderSmsDeps, 'ledger' | 'events' | 'clock'>,
  limit: number,
): Promise<number> => {
  const pending = await deps.ledger.dueAnnouncements(deps.clock.now(), ANNOUNCE_GRACE_SECONDS, limit);
  const taken = await announceAll(deps.events, pending);
  // What the bus did not take stays pending: the next minute tries again.
  const announced = pending.filter((_, i) => taken[i] === true);
  if (announced.length > 0) await deps.ledger.recordAnnounced(announced);
  return announced.length;
};

/** Suppressions decided before anything is claimed: announced at once; if that fails, the record retries. */
const suppressed = async (
  deps: OrderSmsDeps,
  base: DecisionBase,
  reason: SuppressionReason,
  detail?: string,
): Promise<SmsDecision> => {
  await deps.events.publish('SmsSuppressed', suppressionDetail(base, reason, detail));
  return { ...base, outcome: 'SUPPRESSED', reason, ...(detail ? { detail } : {}) };
};

const suppressionDetail = (base: DecisionBase, reason: SuppressionReason, detail?: string) => ({
  orderId: base.orderId,
  status: base.status,
  kind: base.kind,
  to: base.to,
  reason,
  ...(detail ? { detail } : {}),
});

/** A suppression of a claimed attempt: recorded as its outcome (so a copy is a duplicate), then announced. */
const settleSuppressed = (
  deps: OrderSmsDeps,
  base: DecisionBase,
  key: string,
  reason: SuppressionReason,
  detail?: string,
): SmsDecision => {
  deps.outbox.add({
    orderId: base.orderId,
    key,
    outcome: 'SUPPRESSED',
    detailType: 'SmsSuppressed',
    detail: suppressionDetail(base, reason, detail),
  });
  return { ...base, outcome: 'SUPPRESSED', reason, ...(detail ? { detail } : {}) };
};

/**
 * Sends a claimed attempt. SNS saying no (throttling, a refusal) gives the claim back and fails the
 * record, which comes back; anything else (a timeout, a 5xx: SNS may have taken it) keeps the claim, so
 * the retry says `unknown` rather than risk a second SMS.
 */
const sendClaimed = async (
  deps: OrderSmsDeps,
  base: DecisionBase,
  attempt: SmsAttempt,
  sms: OutgoingSms,
  onNotSent: () => Promise<void>,
): Promise<SmsDecision> => {
  let messageId: string;
  try {
    ({ messageId } = await deps.sender.send(sms));
  } catch (error) {
    if (error instanceof SmsNotSentError) {
      deps.allowance.giveBack(deps.clock.now(), sms.segments);
      await onNotSent();
    }
    throw error;
  }
  const sentAt = deps.clock.now().toISOString();
  deps.outbox.add({
    orderId: base.orderId,
    key: attempt.key,
    outcome: 'SENT',
    detailType: 'SmsSent',
    detail: {
      orderId: base.orderId,
      status: base.status,
      kind: base.kind,
      to: base.to,
      segments: sms.segments,
      encoding: sms.encoding,
      messageId,
      sentAt,
    },
  });
  return {
    ...base,
    outcome: 'SENT',
    body: sms.body,
    segments: sms.segments,
    encoding: sms.encoding,
    messageId,
    sentAt,
  };
};

/** What a claim that did not go through means for this fact. */
const refused = async (
  deps: OrderSmsDeps,
  base: DecisionBase,
  attempt: SmsAttempt,
  result: Extract<SmsClaimResult, { claimed: false }>,
  deliveryId: string,
): Promise<SmsDecision> => {
  const now = deps.clock.now();
  const state = result.attempt?.state;
  if (state === 'claimed') {
    if (await deps.ledger.outcomeOf(attempt.orderId, attempt.key)) return { ...base, outcome: 'DUPLICATE' };
    if ((result.attempt?.leaseUntil?.getTime() ?? 0) > now.getTime()) {
      throw new SmsAttemptInProgressError(`another run holds ${attempt.orderId} ${attempt.key}`);
    }
    return (await deps.ledger.markUnknown(attempt.orderId, attempt.key, now, deliveryId))
      ? { ...base, outcome: 'OUTCOME_UNKNOWN' }
      : { ...base, outcome: 'DUPLICATE' };
  }
  // Marked by an earlier try of this very delivery that failed before it could count it: counted now.
  if (state === 'unknown' && result.attempt?.markedBy === deliveryId)
    return { ...base, outcome: 'OUTCOME_UNKNOWN' };
  if (state === 'deferred' || state === 'unknown') return { ...base, outcome: 'DUPLICATE' };
  if (result.current === 'CANCELLED') return suppressed(deps, base, 'order-cancelled');
  if (attempt.status === 'DELAYED' && result.current !== 'DELIVERED') {
    return suppressed(
      deps,
      base,
      'delay-updates-exhausted',
      `${result.delayUpdates} of ${deps.settings.maxDelayUpdates} delay updates sent`,
    );
  }
  return suppressed(deps, base, 'status-regression', `the order is already ${result.current}`);
};

const replyWithinHours = async (deps: OrderSmsDeps): Promise<number | undefined> => {
  const { overloaded, replyWithinHours: hours, primaryQueueId } = deps.settings;
  const state = overloaded === 'auto' ? await deps.routing.stateOf(primaryQueueId) : overloaded;
  return state === 'NORMAL' ? undefined : hours[state];
};

export const decideOrderSms = async (fact: OrderFact, deps: OrderSmsDeps): Promise<SmsDecision> => {
  const kind = smsKindForStatus(fact.status);
  const base: DecisionBase = {
    orderId: fact.orderId,
    status: fact.status,
    kind,
    to: maskPhone(fact.customer.phone),
  };

  const phone = checkPhone(fact.customer.phone, deps.settings.fallbackTimeZone);
  if (!phone.ok) return suppressed(deps, base, phone.reason);
  if (!fact.customer.consent.transactionalSms) return suppressed(deps, base, 'no-consent');
  const now = deps.clock.now();

  const timeZone = customerTimeZone(fact.customer.timeZone, phone, deps.settings.fallbackTimeZone);
  const within = fact.status === 'PLACED' ? await replyWithinHours(deps) : undefined;
  const rendered = renderOrderSms(
    {
      kind,
      locale: fact.customer.locale,
      timeZone,
      shopName: deps.settings.shopName,
      orderId: fact.orderId,
      ...(fact.total ? { total: fact.total } : {}),
      ...(fact.trackingUrl ? { trackingUrl: fact.trackingUrl } : {}),
      ...(fact.carrier ? { carrier: fact.carrier } : {}),
      ...(fact.estimatedDelivery ? { estimatedDelivery: fact.estimatedDelivery } : {}),
      ...(fact.reason ? { reason: fact.reason } : {}),
      ...(within ? { replyWithinHours: within } : {}),
    },
    { segmentCap: deps.settings.segmentCap },
  );
  const sms: OutgoingSms = {
    to: fact.customer.phone,
    body: rendered.body,
    kind,
    segments: rendered.segments,
    encoding: rendered.encoding,
    orderId: fact.orderId,
  };
  const attempt: SmsAttempt = {
    orderId: fact.orderId,
    status: fact.status,
    key: attemptKey(fact.status, fact.estimatedDelivery),
    at: new Date(fact.occurredAt),
  };
  const deferredAt = (sendAt: Date): DeferredSms => ({
    ...sms,
    id: `${fact.orderId}#${attempt.key}`,
    sendAt,
    status: fact.status,
    attemptKey: attempt.key,
    occurredAt: attempt.at,
  });
  const deferredDecision = (sendAt: Date): SmsDecision => ({
    ...base,
    outcome: 'DEFERRED',
    body: sms.body,
    segments: sms.segments,
    encoding: sms.encoding,
    sendAt: sendAt.toISOString(),
  });
  const { maxDelayUpdates } = deps.settings;
  const leaseUntil = new Date(now.getTime() + LEASE_SECONDS * 1000);

  const quietUntil = quietPeriodEnd(now, timeZone, deps.settings.quietHours);
  if (quietUntil) {
    // Claimed as deferred together with the held SMS; the opt-out and the cap are checked at release.
    const claim = await deps.ledger.claim(attempt, {
      leaseUntil,
      maxDelayUpdates,
      defer: deferredAt(quietUntil),
    });
    return claim.claimed
      ? deferredDecision(quietUntil)
      : refused(deps, base, attempt, claim, fact.deliveryId ?? fact.eventId);
  }

  // The opt-out read runs beside the claim: the send needs both answers and neither waits for the other,
  // so a record costs one round trip to DynamoDB instead of two. (Deferred SMS read it at release.)
  const [claimed, suppression] = await Promise.allSettled([
    deps.ledger.claim(attempt, { leaseUntil, maxDelayUpdates }),
    deps.suppression.isSuppressed(phoneHash(fact.customer.phone), now),
  ]);
  if (claimed.status === 'rejected') throw claimed.reason;
  const claim = claimed.value;
  if (!claim.claimed) return refused(deps, base, attempt, claim, fact.deliveryId ?? fact.eventId);
  if (claim.behindDeferred) {
    // An SMS of this order still waits for the end of quiet hours: this one goes after it, through the
    // same sweeper, so the customer reads them in order.
    await deps.ledger.deferClaimed(attempt, deferredAt(now));
    return deferredDecision(now);
  }
  if (suppression.status === 'rejected') {
    // Nothing sent: the claim goes back and the record comes back.
    await deps.ledger.releaseClaim(attempt);
    throw suppression.reason;
  }
  const optedOut = suppression.value;
  if (optedOut) return settleSuppressed(deps, base, attempt.key, 'opted-out');
  let allowed: boolean;
  try {
    allowed = await deps.allowance.take(now, sms.segments);
  } catch (error) {
    await deps.ledger.releaseClaim(attempt);
    throw error;
  }
  if (!allowed) {
    return settleSuppressed(
      deps,
      base,
      attempt.key,
      'daily-cap-reached',
      `the cap of ${deps.settings.dailySegmentCap} parts a day is reached`,
    );
  }
  return sendClaimed(deps, base, attempt, sms, () => deps.ledger.releaseClaim(attempt));
};

/** What the release sweeper may spend in one run. */
export interface ReleaseBudget {
  /** SMS parts at most (the pacer's rate times the time the run may take). */
  readonly maxParts: number;
  /** The pacer's rate: how long `parts` take to go. */
  readonly partsPerSecond: number;
  /** Time left before the function's timeout (the Lambda context's, or a virtual clock's). */
  readonly remainingMs: () => number;
  /** Kept free at the end of the run for the last record and announcement. @default 5000 */
  readonly marginMs?: number;
}

const PROGRESS: readonly LedgerStatus[] = ['PACKED', 'SHIPPED', 'OUT_FOR_DELIVERY', 'DELIVERED'];

/**
 * Whether a deferred SMS is still news when quiet hours end, from where the order stands now:
 * - after CANCELLED, nothing but the cancellation (a confirmation of a cancelled order only confuses);
 * - PLACED always goes (it is the receipt: order number and total), first;
 * - of the progress steps (PACKED, SHIPPED, OUT_FOR_DELIVERY, DELIVERED) only the one the order stands
 *   at: "packed" at 08:00 of an order shipped at 06:00 is old news, and the customer would get two SMS
 *   where the latest says it all;
 * - a delay only while the order is not delivered, and only its latest estimate.
 */
export const supersededBy = (
  sms: { readonly status: LedgerStatus; readonly key: string },
  order: OrderSmsState,
): Extract<SuppressionReason, 'order-cancelled' | 'superseded'> | undefined => {
  if (order.current === 'CANCELLED') return sms.status === 'CANCELLED' ? undefined : 'order-cancelled';
  if (sms.status === 'DELAYED') {
    if (order.current === 'DELIVERED') return 'superseded';
    return order.latestDelayKey !== undefined && order.latestDelayKey !== sms.key ? 'superseded' : undefined;
  }
  if (PROGRESS.includes(sms.status) && order.current !== sms.status) return 'superseded';
  return undefined;
};

const statusOfDeferred = (sms: DeferredSms): LedgerStatus =>
  sms.status ?? ((sms.id.split('#').at(-1) ?? 'PLACED').split('@')[0] as LedgerStatus);

/**
 * Sends the deferred SMS whose quiet hours are over: per order, what is still news (`supersededBy`),
 * oldest fact first; stops when the budget in parts or the time left would not cover the next SMS (the
 * rest waits for the next minute). A customer who opted out overnight gets nothing. A deferred SMS whose
 * earlier release died mid-send is never sent again: it is recorded `unknown`.
 */
export const releaseDeferredSms = async (
  deps: OrderSmsDeps,
  budget: ReleaseBudget,
): Promise<SmsDecision[]> => {
  const now = deps.clock.now();
  const decisions: SmsDecision[] = [];
  const margin = budget.marginMs ?? 5_000;
  let partsLeft = budget.maxParts;
  const due = await deps.ledger.dueDeferred(now, Math.max(1, budget.maxParts));
  const byOrder = new Map<string, DeferredSms[]>();
  for (const sms of due) {
    const orderId = sms.orderId ?? sms.id;
    byOrder.set(orderId, [...(byOrder.get(orderId) ?? []), sms]);
  }
  for (const [orderId, list] of byOrder) {
    const order = await deps.ledger.orderState(orderId);
    const oldestFirst = [...list].sort(
      (a, b) => (a.occurredAt ?? a.sendAt).getTime() - (b.occurredAt ?? b.sendAt).getTime(),
    );
    for (const sms of oldestFirst) {
      const status = statusOfDeferred(sms);
      const key = sms.attemptKey ?? status;
      const attempt: SmsAttempt = { orderId, status, key, at: sms.occurredAt ?? sms.sendAt };
      const base: DecisionBase = { orderId, status, kind: sms.kind, to: maskPhone(sms.to) };
      const state = order.attempts[key];
      // The release's own mark: the same for every sweep, so a sweep that marked it and failed before it
      // could count it (and forget the held SMS) is followed by one that does both.
      const releaseMark = `release#${sms.id}`;
      if (state?.state === 'claimed') {
        // An earlier run took it and died: recorded -> done; still leased -> later; else unknown.
        if (await deps.ledger.outcomeOf(orderId, key)) {
          await deps.ledger.completeDeferred(sms.id);
        } else if ((state.leaseUntil?.getTime() ?? 0) <= now.getTime()) {
          if (await deps.ledger.markUnknown(orderId, key, now, releaseMark))
            decisions.push({ ...base, outcome: 'OUTCOME_UNKNOWN' });
          await deps.ledger.completeDeferred(sms.id);
        }
        continue;
      }
      if (state?.state === 'unknown' && state.markedBy === releaseMark) {
        decisions.push({ ...base, outcome: 'OUTCOME_UNKNOWN' });
        await deps.ledger.completeDeferred(sms.id);
        continue;
      }
      if (state !== undefined && state.state !== 'deferred') {
        await deps.ledger.completeDeferred(sms.id);
        continue;
      }
      const superseded = supersededBy({ status, key }, order);
      const optedOut = superseded ? false : await deps.suppression.isSuppressed(phoneHash(sms.to), now);
      if (superseded || optedOut) {
        const reason = superseded ?? 'opted-out';
        decisions.push(
          settleSuppressed(
            deps,
            base,
            key,
            reason,
            superseded === 'superseded' ? `the order is ${order.current}` : undefined,
          ),
        );
        await flushOutcomes(deps);
        await deps.ledger.completeDeferred(sms.id);
        continue;
      }
      const sendMs = (sms.segments * 1000) / budget.partsPerSecond;
      if (sms.segments > partsLeft || budget.remainingMs() < margin + sendMs) return decisions;
      if (
        !(await deps.ledger.claimDeferredAttempt(
          orderId,
          key,
          new Date(now.getTime() + LEASE_SECONDS * 1000),
        ))
      ) {
        continue;
      }
      if (!(await deps.allowance.take(deps.clock.now(), sms.segments))) {
        decisions.push(
          settleSuppressed(
            deps,
            base,
            key,
            'daily-cap-reached',
            `the cap of ${deps.settings.dailySegmentCap} parts a day is reached`,
          ),
        );
        await flushOutcomes(deps);
        await deps.ledger.completeDeferred(sms.id);
        continue;
      }
      partsLeft -= sms.segments;
      try {
        // Not taken by SNS: deferred again, for the next run.
        decisions.push(
          await sendClaimed(deps, base, attempt, sms, () => deps.ledger.deferClaimed(attempt, sms)),
        );
      } catch {
        // Throttled, or the outcome unknown (the next run after the lease says so): stop for this minute.
        return decisions;
      }
      await flushOutcomes(deps);
      await deps.ledger.completeDeferred(sms.id);
    }
  }
  return decisions;
};
