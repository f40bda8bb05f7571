/**
 * The lookup the inbound flow makes before the menu (issue 15): the caller's number to their order in
 * progress, and what to tell them. Fail open is the caller's side of it: anything that is not a clear
 * "here is your order" answers NOT_FOUND, and the flow goes on to routing exactly as without the feature.
 * (A store error is the function's to catch and time: see functions/order-status/answer.ts.)
 */
import { phoneHash } from '../phone.js';
import type { Clock } from '../ports.js';
import { checkPhone } from '../sms/phone-check.js';
import { inertText } from '../text/sanitise.js';
import { orderToTell } from './order-index.js';
import { ORDER_VOICES, statusSsml } from './status-speech.js';
import type { IndexedOrder, OrderIndex, OrderStatusAnswer } from './types.js';

/**
 * The answer when there is nothing to tell: every key present (Connect's UpdateContactAttributes reads
 * them all), each empty.
 */
export const NOT_FOUND_ANSWER: OrderStatusAnswer = Object.freeze({
  found: 'false',
  voice: '',
  engine: '',
  language: '',
  statusSsml: '',
  linkOffered: 'false',
  orderId: '',
  status: '',
  changedAt: '',
  carrier: '',
  trackingUrl: '',
  estimatedDelivery: '',
});

export interface OrderLookupDeps {
  readonly index: Pick<OrderIndex, 'recent'>;
  readonly clock: Clock;
  /** The contact centre's zone, for a number whose country has several (the link's SMS check needs one). */
  readonly fallbackTimeZone: string;
}

// What SNS dials and the index is keyed by; anything else ("anonymous", a SIP URI) is no caller we know.
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The flow's answer for one order: the announcement, the voice, and the order as the contact attributes
 * the agent will see. Text an agent's screen shows is made inert there (`inertText`), as for a task.
 */
export const orderStatusAnswer = (
  order: IndexedOrder,
  options: { readonly now: Date; readonly linkOffered: boolean },
): OrderStatusAnswer => {
  const voice = ORDER_VOICES[order.language];
  return {
    found: 'true',
    voice: voice.voice,
    engine: voice.engine,
    language: voice.bcp47,
    statusSsml: statusSsml(order, options),
    linkOffered: options.linkOffered ? 'true' : 'false',
    orderId: inertText(order.orderId),
    status: order.status,
    changedAt: order.changedAt,
    carrier: order.carrier === undefined ? '' : inertText(order.carrier),
    trackingUrl: order.trackingUrl ?? '',
    estimatedDelivery: order.estimatedDelivery === undefined ? '' : inertText(order.estimatedDelivery),
  };
};

/**
 * The caller's order in progress (the most recently changed one that is neither delivered nor cancelled),
 * or NOT_FOUND_ANSWER for a withheld or malformed number, a number with no order, or only finished
 * orders. Option 1 (the link by SMS) is offered only when the order has a link, the customer agreed to
 * SMS, and the number can take one: the sender checks all of it again, but the flow must not offer what
 * it cannot keep. Index errors are thrown, for the caller to count and fail open on.
 */
export const lookupOrderStatus = async (
  phone: string | undefined,
  deps: OrderLookupDeps,
): Promise<OrderStatusAnswer> => {
  if (phone === undefined || !E164.test(phone)) return NOT_FOUND_ANSWER;
  const order = orderToTell(await deps.index.recent(phoneHash(phone)));
  if (order === undefined) return NOT_FOUND_ANSWER;
  const linkOffered =
    order.trackingUrl !== undefined &&
    order.trackingUrl !== '' &&
    order.smsConsent &&
    checkPhone(phone, deps.fallbackTimeZone).ok;
  return orderStatusAnswer(order, { now: deps.clock.now(), linkOffered });
};
