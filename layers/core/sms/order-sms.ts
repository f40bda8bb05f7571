/**
 * The order-SMS decision: for one order fact (placed, or a status change), send an SMS, hold it until
 * the customer's quiet hours end, or suppress it with a reason. Pure domain: the world comes in
 * through the ports (ledger, suppression list, sender, bus, routing state, clock).
 *
 * Exactly-once per (order, status) is the caller's idempotency layer; this function is safe to run
 * again for the same fact, as the ledger refuses a second advance to the same status.
 */
import type { Customer, Money } from '#events/index.js';
import { maskPhone, phoneHash } from '../phone.js';
import type {
  Clock,
  DeferredSms,
  EventPublisher,
  LedgerStatus,
  OrderLedger,
  OutgoingSms,
  RoutingStateReader,
  SmsSender,
  SuppressionStore,
} from '../ports.js';
import { checkPhone, customerTimeZone } from './phone-check.js';
import { type QuietHours, quietPeriodEnd } from './quiet-hours.js';
import { renderOrderSms, smsKindForStatus } from './templates.js';

export interface OrderFact {
  readonly eventId: string;
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
}

export interface OrderSmsDeps {
  readonly clock: Clock;
  readonly ledger: OrderLedger;
  readonly suppression: SuppressionStore;
  readonly sender: SmsSender;
  readonly events: EventPublisher;
  readonly routing: RoutingStateReader;
  readonly settings: OrderSmsSettings;
}

export type SuppressionReason =
  | 'invalid-phone'
  | 'not-mobile'
  | 'no-consent'
  | 'opted-out'
  | 'status-regression'
  | 'order-cancelled'
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
    });

const DAY = (date: Date) => date.toISOString().slice(0, 10);

const suppressed = async (
  deps: OrderSmsDeps,
  base: DecisionBase,
  reason: SuppressionReason,
  detail?: string,
): Promise<SmsDecision> => {
  const decision: SmsDecision = { ...base, outcome: 'SUPPRESSED', reason, ...(detail ? { detail } : {}) };
  await deps.events.publish('SmsSuppressed', {
    orderId: base.orderId,
    status: base.status,
    kind: base.kind,
    to: base.to,
    reason,
    ...(detail ? { detail } : {}),
  });
  return decision;
};

/** Sends now, within the daily cap; shared by the first attempt and the release of a deferred SMS. */
const sendNow = async (deps: OrderSmsDeps, base: DecisionBase, sms: OutgoingSms): Promise<SmsDecision> => {
  const now = deps.clock.now();
  const total = await deps.ledger.addDailySegments(DAY(now), sms.segments);
  if (total > deps.settings.dailySegmentCap) {
    return suppressed(
      deps,
      base,
      'daily-cap-reached',
      `${total - sms.segments} of ${deps.settings.dailySegmentCap} parts sent today`,
    );
  }
  let messageId: string;
  try {
    ({ messageId } = await deps.sender.send(sms));
  } catch (error) {
    // Not sent: the parts go back to today's allowance, and the error to the caller, who retries.
    await deps.ledger.addDailySegments(DAY(now), -sms.segments);
    throw error;
  }
  const sentAt = deps.clock.now().toISOString();
  await deps.events.publish('SmsSent', {
    orderId: base.orderId,
    status: base.status,
    kind: base.kind,
    to: base.to,
    segments: sms.segments,
    encoding: sms.encoding,
    messageId,
    sentAt,
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
  if (await deps.suppression.isSuppressed(phoneHash(fact.customer.phone), now)) {
    return suppressed(deps, base, 'opted-out');
  }

  const advance = await deps.ledger.advance(fact.orderId, fact.status, new Date(fact.occurredAt));
  if (!advance.advanced) {
    return advance.current === 'CANCELLED'
      ? suppressed(deps, base, 'order-cancelled')
      : suppressed(deps, base, 'status-regression', `the order is already ${advance.current}`);
  }

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

  const quietUntil = quietPeriodEnd(now, timeZone, deps.settings.quietHours);
  if (quietUntil) {
    const deferred: DeferredSms = { ...sms, id: `${fact.orderId}#${fact.status}`, sendAt: quietUntil };
    await deps.ledger.defer(deferred);
    return {
      ...base,
      outcome: 'DEFERRED',
      body: sms.body,
      segments: sms.segments,
      encoding: sms.encoding,
      sendAt: quietUntil.toISOString(),
    };
  }
  return sendNow(deps, base, sms);
};

/**
 * Sends the deferred SMS whose quiet hours are over, oldest first, at most `limit` per run. A customer
 * who opted out overnight gets nothing.
 */
export const releaseDeferredSms = async (deps: OrderSmsDeps, limit: number): Promise<SmsDecision[]> => {
  const now = deps.clock.now();
  const decisions: SmsDecision[] = [];
  for (const sms of await deps.ledger.dueDeferred(now, limit)) {
    if (!(await deps.ledger.claimDeferred(sms.id, now))) continue;
    const status = (sms.id.split('#').at(-1) ?? 'PLACED') as LedgerStatus;
    const base: DecisionBase = {
      orderId: sms.orderId ?? sms.id,
      status,
      kind: sms.kind,
      to: maskPhone(sms.to),
    };
    const decision = (await deps.suppression.isSuppressed(phoneHash(sms.to), now))
      ? await suppressed(deps, base, 'opted-out')
      : await sendNow(deps, base, sms);
    await deps.ledger.completeDeferred(sms.id);
    decisions.push(decision);
  }
  return decisions;
};
