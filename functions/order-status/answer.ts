/**
 * What the order-status function answers the inbound flow, with its ports passed in: the Lambda handler
 * wires AWS, the tests and the local stack wire their own.
 *
 * Two actions (`Details.Parameters.action`):
 * - `lookup`: the caller's order in progress and what to tell them (OrderStatusAnswer), within a time
 *   budget a little under the flow's limit. Fail open: an error, a timeout or anything unexpected answers
 *   "not found", logged and counted (`OrderStatusLookupFailed`), and the caller goes on to routing as if
 *   the feature were off. Counted `OrderStatusTold` or `OrderStatusNotFound` otherwise.
 * - `send-link`: the caller pressed 1. The request is checked (a number that can take an SMS: pure, no
 *   I/O) and queued on the caller-SMS queue, whose sender decides and sends it with every guard (consent,
 *   suppression, once per call, caps): the caller on the line never waits on the SMS rate's pacer. The
 *   answer is what to say: the goodbye, or the apology before an adviser.
 *
 * Never throws: Connect's error branch would work too, but every answer here says what happened.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { lookupOrderStatus, NOT_FOUND_ANSWER } from '#core/orders/lookup.js';
import { linkFailedSsml, linkSentSsml } from '#core/orders/status-speech.js';
import {
  ORDER_ATTRIBUTES,
  type OrderIndex,
  type OrderStatusAction,
  type OrderStatusAnswer,
  type TrackingLinkAnswer,
} from '#core/orders/types.js';
import { maskPhone } from '#core/phone.js';
import type { Clock } from '#core/ports.js';
import { callerSmsLanguage } from '#core/sms/deflection-sms.js';
import { checkPhone } from '#core/sms/phone-check.js';
import type { QueuedTracking } from '#core/sms/tracking-sms.js';

export interface OrderStatusPorts {
  readonly index: Pick<OrderIndex, 'recent'>;
  readonly clock: Clock;
  readonly fallbackTimeZone: string;
  /** How long the lookup may take before the caller goes on without it (ORDER_LOOKUP_BUDGET_MS). */
  readonly lookupBudgetMs: number;
  /** Puts a tracking-link request on the caller-SMS queue. */
  readonly enqueue: (request: QueuedTracking) => Promise<void>;
}

/** Where the function leaves its log lines and counts (Powertools in Lambda, the local stack's log). */
export interface OrderStatusRecord {
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  readonly count: (metric: string, value?: number) => void;
}

/** The lookup took longer than its budget: the caller goes on to routing. */
export class LookupTimeoutError extends Error {
  override readonly name = 'LookupTimeoutError';
}

const errorText = (error: unknown): string =>
  error instanceof Error ? `${error.name}: ${error.message}` : String(error);

/** `work`, or a LookupTimeoutError after `ms`; the timer never outlives the answer. */
const withinBudget = async <T>(work: Promise<T>, ms: number): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LookupTimeoutError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
};

const lookup = async (
  event: ConnectContactFlowEvent,
  ports: OrderStatusPorts,
  record: OrderStatusRecord,
): Promise<OrderStatusAnswer> => {
  const contact = event.Details.ContactData;
  const phone = contact.CustomerEndpoint?.Address;
  try {
    const answer = await withinBudget(
      lookupOrderStatus(phone === '' ? undefined : phone, ports),
      ports.lookupBudgetMs,
    );
    record.count(answer.found === 'true' ? 'OrderStatusTold' : 'OrderStatusNotFound');
    if (answer.found === 'true') {
      record.log('order status told', {
        contactId: contact.ContactId,
        status: answer.status,
        linkOffered: answer.linkOffered,
      });
    }
    return answer;
  } catch (error) {
    record.log('order status lookup failed; the caller goes on to routing', {
      contactId: contact.ContactId,
      ...(phone ? { from: maskPhone(phone) } : {}),
      error: errorText(error),
    });
    record.count('OrderStatusLookupFailed');
    return NOT_FOUND_ANSWER;
  }
};

/** The caller's language for the link's answer: the order's (set by the lookup), else the flow's. */
const languageOf = (contact: ConnectContactFlowEvent['Details']['ContactData']) =>
  callerSmsLanguage(
    contact.Attributes[ORDER_ATTRIBUTES.language] ||
      (contact as { readonly LanguageCode?: string }).LanguageCode,
  );

const sendLink = async (
  event: ConnectContactFlowEvent,
  ports: OrderStatusPorts,
  record: OrderStatusRecord,
): Promise<TrackingLinkAnswer> => {
  const contact = event.Details.ContactData;
  const language = languageOf(contact);
  const notSent = (reason: string): TrackingLinkAnswer => {
    record.count('TrackingSmsNotQueued');
    return { sent: 'false', ssml: linkFailedSsml(language), reason };
  };
  const orderId = contact.Attributes[ORDER_ATTRIBUTES.orderId];
  const phone = contact.CustomerEndpoint?.Address;
  if (!orderId) {
    record.log('tracking link: the contact carries no order', { contactId: contact.ContactId });
    return notSent('no-order');
  }
  if (!phone) {
    record.log('tracking link: the caller withheld their number', { contactId: contact.ContactId });
    return notSent('no-number');
  }
  const checked = checkPhone(phone, ports.fallbackTimeZone);
  if (!checked.ok) {
    record.log('tracking link: the number takes no SMS', {
      contactId: contact.ContactId,
      to: maskPhone(phone),
      reason: checked.reason,
    });
    return notSent(checked.reason);
  }
  try {
    await ports.enqueue({ kind: 'tracking', contactId: contact.ContactId, phone, orderId });
  } catch (error) {
    record.log('tracking link could not be queued', {
      contactId: contact.ContactId,
      to: maskPhone(phone),
      error: errorText(error),
    });
    return notSent('error');
  }
  record.log('tracking link queued', { contactId: contact.ContactId, to: maskPhone(phone) });
  record.count('TrackingSmsQueued');
  return { sent: 'true', ssml: linkSentSsml(language), reason: '' };
};

/** The handler's logic with its ports, for the tests and the local stack. Never throws. */
export const answerOrderStatus = async (
  event: ConnectContactFlowEvent,
  ports: OrderStatusPorts,
  record: OrderStatusRecord,
): Promise<OrderStatusAnswer | TrackingLinkAnswer> => {
  const action = event.Details.Parameters.action as OrderStatusAction | undefined;
  if (action === 'send-link') return sendLink(event, ports, record);
  if (action !== 'lookup') {
    // A flow that asks for something else is a deployment mistake: the caller still goes on to routing.
    record.log('order status: unknown action', { contactId: event.Details.ContactData.ContactId, action });
    record.count('OrderStatusLookupFailed');
    return NOT_FOUND_ANSWER;
  }
  return lookup(event, ports, record);
};
