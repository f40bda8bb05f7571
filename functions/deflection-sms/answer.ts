/**
 * What the deflection-SMS function answers the inbound flow, with its ports passed in: the Lambda handler
 * wires AWS, the tests and the local stack wire their own.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { maskPhone } from '#core/phone.js';
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

/** The handler's logic with its ports, for the tests and the local stack. */
export const answerDeflection = async (
  event: ConnectContactFlowEvent,
  ports: DeflectionSmsDeps,
  record: {
    log: (message: string, fields: Record<string, unknown>) => void;
    count: (metric: string) => void;
  },
): Promise<DeflectionAnswer> => {
  const contact = event.Details.ContactData;
  const phone = contact.CustomerEndpoint?.Address;
  if (!phone) {
    record.log('deflection SMS: the caller withheld their number', { contactId: contact.ContactId });
    record.count('DeflectionSmsNoNumber');
    return { sent: 'false', reason: 'no-number' };
  }
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
  record.count(decision.outcome === 'SENT' ? 'SmsSent' : 'SmsSuppressed');
  if (decision.outcome === 'SUPPRESSED' && decision.reason === 'daily-cap-reached') {
    record.count('SmsDailyCapReached');
  }
  return decision.outcome === 'SENT' ? { sent: 'true' } : { sent: 'false', reason: decision.reason };
};
