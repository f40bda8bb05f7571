/**
 * What the deflection-SMS function answers the inbound flow, with its ports passed in: the Lambda handler
 * wires AWS, the tests and the local stack wire their own.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { maskPhone } from '#core/phone.js';
import { checkPhone } from '#core/sms/phone-check.js';
import {
  decideDeflectionSms,
  type DeflectionDecision,
  type DeflectionSmsDeps,
} from '#core/sms/deflection-sms.js';

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

/** Reads a queued request back; undefined for a body that is not one (it goes to the DLQ, unsent). */
export const parseQueuedDeflection = (body: string): QueuedDeflection | undefined => {
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value !== 'object' || value === null) return undefined;
    const { contactId, phone, locale } = value as Record<string, unknown>;
    if (typeof contactId !== 'string' || contactId === '' || typeof phone !== 'string') return undefined;
    return { contactId, phone, ...(typeof locale === 'string' ? { locale } : {}) };
  } catch {
    return undefined;
  }
};

/**
 * The sender's side: one queued request, decided and sent as the synchronous function used to (the same
 * guards, the same once-per-call record). Throws what is worth another try through the queue.
 */
export const sendQueuedDeflection = async (
  request: QueuedDeflection,
  ports: DeflectionSmsDeps,
  record: DeflectionRecord,
): Promise<DeflectionDecision> => {
  const decision = await decideDeflectionSms(request, ports);
  record.log(`deflection SMS ${decision.outcome.toLowerCase()}`, {
    contactId: decision.contactId,
    to: decision.to,
    ...(decision.outcome === 'SUPPRESSED' ? { reason: decision.reason } : { segments: decision.segments }),
  });
  if (decision.outcome === 'SENT') {
    record.count('SmsSent');
    record.count('SmsParts', decision.segments);
  } else record.count('SmsSuppressed', 1, { reason: decision.reason });
  if (decision.outcome === 'SUPPRESSED' && decision.reason === 'daily-cap-reached') {
    record.count('SmsDailyCapReached');
  }
  return decision;
};
