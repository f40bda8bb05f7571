/**
 * What the deflection-SMS function answers the inbound flow, with its ports passed in: the Lambda handler
 * wires AWS, the tests and the local stack wire their own.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { maskPhone } from '#core/phone.js';
import { checkPhone } from '#core/sms/phone-check.js';
import type { OrderIndex } from '#core/orders/types.js';
import {
  decideDeflectionSms,
  type DeflectionDecision,
  type DeflectionSmsDeps,
  type DeflectionSmsSettings,
  publishCallerSmsSuppressed,
} from '#core/sms/deflection-sms.js';
import {
  decideTrackingSms,
  type QueuedTracking,
  TRACKING_KIND,
  type TrackingSmsDecision,
} from '#core/sms/tracking-sms.js';

export interface DeflectionAnswer {
  readonly sent: 'true' | 'false';
  readonly reason?: string;
  /** Index signature: Connect takes a flat string map. */
  readonly [key: string]: string | undefined;
}

/** Where a deflection leaves its log line and its metric (Powertools in Lambda, the local stack's log). */
export interface DeflectionRecord {
  readonly log: (message: string, fields: Record<string, unknown>) => void;
  /** `dimensions`: a low-cardinality dimension of this count alone (SmsSuppressed's `reason`). */
  readonly count: (metric: string, value?: number, dimensions?: Readonly<Record<'reason', string>>) => void;
}

/** The caller's number as Connect saw it; a withheld one is logged and counted, and there is no SMS. */
const callerNumber = (
  contact: ConnectContactFlowEvent['Details']['ContactData'],
  record: DeflectionRecord,
): string | undefined => {
  const phone = contact.CustomerEndpoint?.Address;
  if (phone) return phone;
  record.log('deflection SMS: the caller withheld their number', { contactId: contact.ContactId });
  record.count('DeflectionSmsNoNumber');
  return undefined;
};

/** The handler's logic with its ports, for the tests and the local stack. */
export const answerDeflection = async (
  event: ConnectContactFlowEvent,
  ports: DeflectionSmsDeps,
  record: DeflectionRecord,
): Promise<DeflectionAnswer> => {
  const contact = event.Details.ContactData;
  const phone = callerNumber(contact, record);
  if (phone === undefined) return { sent: 'false', reason: 'no-number' };
  // The flow's language; Connect sends it, though the aws-lambda types do not list it yet.
  const language = (contact as { readonly LanguageCode?: string }).LanguageCode;
  let decision: DeflectionDecision;
  try {
    decision = await decideDeflectionSms(
      {
        contactId: contact.ContactId,
        phone,
        ...(language ? { locale: language } : {}),
      },
      ports,
    );
  } catch (error) {
    record.log('deflection SMS failed', {
      contactId: contact.ContactId,
      to: maskPhone(phone),
      error: error instanceof Error ? error.message : String(error),
    });
    record.count('DeflectionSmsFailed');
    return { sent: 'false', reason: 'error' };
  }
  record.log(`deflection SMS ${decision.outcome.toLowerCase()}`, {
    contactId: decision.contactId,
    to: decision.to,
    ...(decision.outcome === 'SUPPRESSED' ? { reason: decision.reason } : { segments: decision.segments }),
  });
  // The order SMS's metric names; the service dimension tells the deflection SMS apart.
  if (decision.outcome === 'SENT') {
    record.count('SmsSent');
    record.count('SmsParts', decision.segments);
  } else record.count('SmsSuppressed', 1, { reason: decision.reason });
  if (decision.outcome === 'SUPPRESSED' && decision.reason === 'daily-cap-reached') {
    record.count('SmsDailyCapReached');
  }
  return decision.outcome === 'SENT' ? { sent: 'true' } : { sent: 'false', reason: decision.reason };
};

/** What the synchronous path hands to the paced sender: one caller's request, as its queue message. */
export interface QueuedDeflection {
  readonly contactId: string;
  readonly phone: string;
  readonly locale?: string;
}

/**
 * The synchronous path of the deflection SMS (issue 11, defect 7). Connect invokes the function while the
 * caller waits, so a burst of callers pressing 3 is a burst of synchronous invokes; a function held to one
 * at a time, pacing itself with a sleep, made Lambda refuse the second (the flow's error branch: no SMS).
 * So the request is only checked (a number that can take an SMS: pure, no I/O) and handed to a queue,
 * which a sender drains at its share of the account's SMS rate (`deflectionSender`); this path has no
 * reserved concurrency and never waits on the pacer. Every guard that needs a store (suppression list,
 * once per call, daily cap) runs in the sender, where the SMS is decided as before.
 *
 * `sent: 'true'` therefore means "on its way": the flow tells the caller to expect the SMS. A request the
 * queue refused answers `sent: 'false'` and the caller keeps their place in the queue.
 */
export const acceptDeflection = async (
  event: ConnectContactFlowEvent,
  ports: {
    readonly enqueue: (request: QueuedDeflection) => Promise<void>;
    readonly fallbackTimeZone: string;
  },
  record: DeflectionRecord,
): Promise<DeflectionAnswer> => {
  const contact = event.Details.ContactData;
  const phone = callerNumber(contact, record);
  if (phone === undefined) return { sent: 'false', reason: 'no-number' };
  const checked = checkPhone(phone, ports.fallbackTimeZone);
  if (!checked.ok) {
    record.log('deflection SMS suppressed', {
      contactId: contact.ContactId,
      to: maskPhone(phone),
      reason: checked.reason,
    });
    record.count('SmsSuppressed');
    return { sent: 'false', reason: checked.reason };
  }
  const language = (contact as { readonly LanguageCode?: string }).LanguageCode;
  try {
    await ports.enqueue({ contactId: contact.ContactId, phone, ...(language ? { locale: language } : {}) });
  } catch (error) {
    record.log('deflection SMS could not be queued', {
      contactId: contact.ContactId,
      to: maskPhone(phone),
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    });
    record.count('DeflectionSmsFailed');
    return { sent: 'false', reason: 'error' };
  }
  record.log('deflection SMS queued', { contactId: contact.ContactId, to: maskPhone(phone) });
  record.count('DeflectionSmsQueued');
  return { sent: 'true' };
};

/** A queued request of the caller-SMS queue: a deflection (the kind of messages without one) or a tracking link. */
export type QueuedCallerSms = (QueuedDeflection & { readonly kind: 'deflection' }) | QueuedTracking;

/**
 * Reads a queued request back; undefined for a body that is not one (it goes to the DLQ, unsent). A body
 * without `kind` is a deflection, as every message was before the tracking link shared the queue.
 */
export const parseQueuedDeflection = (body: string): QueuedCallerSms | undefined => {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return undefined;
    const { kind, contactId, phone, locale, orderId } = value as Record<string, unknown>;
    if (typeof contactId !== 'string' || contactId === '' || typeof phone !== 'string') return undefined;
    if (kind === TRACKING_KIND) {
      if (typeof orderId !== 'string' || orderId === '') return undefined;
      return { kind: TRACKING_KIND, contactId, phone, orderId };
    }
    if (kind !== undefined && kind !== 'deflection') return undefined;
    return { kind: 'deflection', contactId, phone, ...(typeof locale === 'string' ? { locale } : {}) };
  } catch {
    return undefined;
  }
};

/**
 * What the caller-SMS sender needs: the deflection SMS's ports, with the page optional (no deflection
 * without it) and the order index for the tracking link (none when order status is off).
 */
export type CallerSmsSenderDeps = Omit<DeflectionSmsDeps, 'settings'> & {
  readonly settings: Omit<DeflectionSmsSettings, 'requestUrl'> & { readonly requestUrl?: string };
  readonly index?: Pick<OrderIndex, 'get'>;
};

/** What the sender decided for one queued request. */
export type CallerSmsDecision =
  | DeflectionDecision
  | TrackingSmsDecision
  | {
      readonly outcome: 'SUPPRESSED';
      readonly contactId: string;
      readonly to: string;
      readonly reason: 'not-configured';
    };

/**
 * The sender's side: one queued request, decided and sent as the synchronous function used to (the same
 * guards, the same once-per-call record per kind). A request of a kind this stage does not configure (a
 * deflection without `overflow.requestUrl`, a tracking link without the order index) is suppressed as
 * 'not-configured': counted and announced, not retried, as no retry could send it. Throws what is worth
 * another try through the queue.
 */
export const sendQueuedCallerSms = async (
  request: QueuedCallerSms,
  ports: CallerSmsSenderDeps,
  record: DeflectionRecord,
): Promise<CallerSmsDecision> => {
  const notConfigured = async (): Promise<CallerSmsDecision> => {
    await publishCallerSmsSuppressed(ports.events, request, 'not-configured');
    return {
      outcome: 'SUPPRESSED',
      contactId: request.contactId,
      to: maskPhone(request.phone),
      reason: 'not-configured',
    };
  };
  const { requestUrl } = ports.settings;
  const { index } = ports;
  let decision: CallerSmsDecision;
  if (request.kind === TRACKING_KIND) {
    decision =
      index === undefined ? await notConfigured() : await decideTrackingSms(request, { ...ports, index });
  } else {
    decision =
      requestUrl === undefined
        ? await notConfigured()
        : await decideDeflectionSms(request, { ...ports, settings: { ...ports.settings, requestUrl } });
  }
  record.log(`${request.kind} SMS ${decision.outcome.toLowerCase()}`, {
    contactId: decision.contactId,
    to: decision.to,
    ...(decision.outcome === 'SUPPRESSED' ? { reason: decision.reason } : { segments: decision.segments }),
  });
  if (decision.outcome === 'SENT') {
    record.count('SmsSent');
    record.count('SmsParts', decision.segments);
    // The dashboard's "links sent": SmsSent of this sender counts both kinds, as it always counted its SMS.
    if (request.kind === TRACKING_KIND) record.count('TrackingSmsSent');
  } else record.count('SmsSuppressed', 1, { reason: decision.reason });
  if (decision.outcome === 'SUPPRESSED' && decision.reason === 'daily-cap-reached') {
    record.count('SmsDailyCapReached');
  }
  return decision;
};
