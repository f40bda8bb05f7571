/**
 * The deflection SMS: a caller who would wait too long presses 3 in the inbound flow and gets, instead of
 * the wait, an SMS with a link to leave a request on the shop's website and a small bonus code (seed 002).
 *
 * It goes through the guards of every peakline SMS: a number that can take an SMS, the suppression list,
 * the daily cap, the segment cap, one SMS per call however often Connect retries the Lambda. The keypress
 * is the caller's request for this one message, so it needs no stored consent, and it is not held for
 * quiet hours: the caller is on the line now and asked for it now.
 */
import { maskPhone, phoneHash } from '../phone.js';
import {
  type Clock,
  type EventPublisher,
  type OrderLedger,
  type SmsSender,
  SmsNotSentError,
  type SuppressionStore,
} from '../ports.js';
import { flushOutcomes, SmsOutbox } from './order-sms.js';
import { checkPhone } from './phone-check.js';
import { measureSms, type SmsEncoding } from './segments.js';
import { SMS_LANGUAGES, type SmsLanguage } from './templates.js';

export interface DeflectionSmsSettings {
  readonly shopName: string;
  /** The page where the caller leaves a request (config `overflow.requestUrl`). */
  readonly requestUrl: string;
  /** @default none: the SMS then says nothing of a bonus */
  readonly bonusCode?: string;
  readonly segmentCap: number;
  readonly dailySegmentCap: number;
  /** The contact centre's zone, for numbers whose country libphonenumber cannot place. */
  readonly fallbackTimeZone: string;
}

export interface DeflectionSmsDeps {
  readonly clock: Clock;
  /**
   * The ledger's once-only record (keyed by the contact), the daily count shared with the order SMS, and
   * its outbox of announcements (announce, then record; the minute sweeper announces what the bus refused).
   */
  readonly ledger: Pick<
    OrderLedger,
    'claimOnce' | 'releaseOnce' | 'addDailySegments' | 'recordAnnounced' | 'recordPending'
  >;
  readonly suppression: SuppressionStore;
  readonly sender: SmsSender;
  readonly events: EventPublisher;
  readonly settings: DeflectionSmsSettings;
}

export interface DeflectionRequest {
  /** Connect's contact id: one SMS per call. */
  readonly contactId: string;
  /** The caller's number as Connect saw it (E.164). */
  readonly phone: string;
  /** The flow's language (Connect's LanguageCode, e.g. 'pl-PL'); a language without copy gets English. */
  readonly locale?: string;
}

export type DeflectionReason =
  'invalid-phone' | 'not-mobile' | 'opted-out' | 'already-sent' | 'daily-cap-reached';

/** What became of one SMS a caller asked for during the call, with the reasons its kind can give. */
export type CallerSmsDecision<Reason extends string> =
  | {
      readonly outcome: 'SENT';
      readonly contactId: string;
      /** Masked. */
      readonly to: string;
      readonly body: string;
      readonly segments: number;
      readonly encoding: SmsEncoding;
      readonly messageId: string;
      readonly sentAt: string;
    }
  | {
      readonly outcome: 'SUPPRESSED';
      readonly contactId: string;
      readonly to: string;
      readonly reason: Reason;
    };

export type DeflectionDecision = CallerSmsDecision<DeflectionReason>;

export const DEFLECTION_KIND = 'deflection';

interface DeflectionCopy {
  readonly full: (shop: string, url: string, code: string | undefined) => string;
  readonly short: (shop: string, url: string, code: string | undefined) => string;
}

/**
 * The words, per language: what to do, the link, and the code as thanks, not as bait. The short form
 * keeps the link and the code whole, as half a link is worse than none.
 */
const COPY: Readonly<Record<SmsLanguage, DeflectionCopy>> = {
  pl: {
    full: (shop, url, code) =>
      `${shop}: dziękujemy, że nie czekasz na linii. Zostaw nam wiadomość tutaj: ${url} - odpiszemy najszybciej, jak się da.${code ? ` Kod ${code} to mały rabat na kolejne zakupy.` : ''}`,
    short: (shop, url, code) => `${shop}: zostaw wiadomość: ${url}${code ? ` Kod rabatowy: ${code}` : ''}`,
  },
  en: {
    full: (shop, url, code) =>
      `${shop}: thank you for not waiting on the line. Leave us a message here: ${url} and we will answer as soon as we can.${code ? ` Code ${code} is a small thank-you off your next order.` : ''}`,
    short: (shop, url, code) => `${shop}: leave us a message: ${url}${code ? ` Discount code: ${code}` : ''}`,
  },
  ru: {
    full: (shop, url, code) =>
      `${shop}: спасибо, что не ждёте на линии. Оставьте нам сообщение: ${url} - мы ответим как можно скорее.${code ? ` Код ${code} - скидка на следующую покупку.` : ''}`,
    short: (shop, url, code) => `${shop}: оставьте сообщение: ${url}${code ? ` Код скидки: ${code}` : ''}`,
  },
  fi: {
    full: (shop, url, code) =>
      `${shop}: kiitos, ettet jäänyt jonoon. Jätä meille viesti: ${url} - vastaamme mahdollisimman pian.${code ? ` Koodilla ${code} saat pienen alennuksen seuraavasta tilauksesta.` : ''}`,
    short: (shop, url, code) => `${shop}: jätä meille viesti: ${url}${code ? ` Alennuskoodi: ${code}` : ''}`,
  },
};

/** The SMS language of a caller's locale (Connect's LanguageCode, 'pl-PL'); a language without copy is 'en'. */
export const callerSmsLanguage = (locale: string | undefined): SmsLanguage => {
  const language = (locale ?? '').slice(0, 2).toLowerCase();
  return (SMS_LANGUAGES as readonly string[]).includes(language) ? (language as SmsLanguage) : 'en';
};

/** The richest wording within the segment cap; the short one otherwise (which always carries the link). */
export const renderDeflectionSms = (
  settings: Pick<DeflectionSmsSettings, 'shopName' | 'requestUrl' | 'bonusCode' | 'segmentCap'>,
  locale: string | undefined,
) => {
  const copy = COPY[callerSmsLanguage(locale)];
  const full = copy.full(settings.shopName, settings.requestUrl, settings.bonusCode);
  const fullMeasure = measureSms(full);
  if (fullMeasure.segments <= settings.segmentCap) return { body: full, ...fullMeasure };
  const short = copy.short(settings.shopName, settings.requestUrl, settings.bonusCode);
  return { body: short, ...measureSms(short) };
};

const DAY = (date: Date) => date.toISOString().slice(0, 10);

/** Why an SMS to a caller on the line was not sent, once its own checks passed. */
export type CallerSmsReason = 'opted-out' | 'already-sent' | 'daily-cap-reached';

/** One SMS a caller asked for on the line (a deflection, a tracking link), checked by its own rules. */
export interface CallerSms {
  /** The ledger's and the facts' kind ('deflection', 'tracking'): one SMS of each kind per call. */
  readonly kind: string;
  /** Connect's contact id. */
  readonly contactId: string;
  /** E.164, already checked to take an SMS. */
  readonly phone: string;
  /** Called once the once-per-call record is claimed. */
  readonly render: () => { readonly body: string; readonly segments: number; readonly encoding: SmsEncoding };
}

export type CallerSmsOutcome =
  | {
      readonly outcome: 'SENT';
      readonly body: string;
      readonly segments: number;
      readonly encoding: SmsEncoding;
      readonly messageId: string;
      readonly sentAt: string;
    }
  | { readonly outcome: 'SUPPRESSED'; readonly reason: CallerSmsReason };

/** The decision of an SMS `sendCallerSms` sent, for the call it was asked in (`to`: masked). */
export const sentDecision = (
  contactId: string,
  to: string,
  sent: Extract<CallerSmsOutcome, { outcome: 'SENT' }>,
): Extract<CallerSmsDecision<never>, { outcome: 'SENT' }> => ({
  outcome: 'SENT',
  contactId,
  to,
  body: sent.body,
  segments: sent.segments,
  encoding: sent.encoding,
  messageId: sent.messageId,
  sentAt: sent.sentAt,
});

/** Announces that an SMS to a caller was not sent, and why (the fact every kind publishes alike). */
export const publishCallerSmsSuppressed = async (
  events: EventPublisher,
  sms: { readonly kind: string; readonly contactId: string; readonly phone: string },
  reason: string,
): Promise<void> =>
  events.publish('SmsSuppressed', {
    contactId: sms.contactId,
    kind: sms.kind,
    to: maskPhone(sms.phone),
    reason,
  });

/**
 * The guards and the send every SMS to a caller on the line shares, after its own checks: the suppression
 * list, one per call and kind however often Connect or the queue runs it again, the daily cap, SNS, and
 * the SmsSent fact written, announced, then settled. The caller announces a suppression (its own reasons
 * come first). Throws only what is worth retrying (SNS).
 */
export const sendCallerSms = async (
  sms: CallerSms,
  deps: Pick<DeflectionSmsDeps, 'clock' | 'ledger' | 'suppression' | 'sender' | 'events'> & {
    readonly dailySegmentCap: number;
  },
): Promise<CallerSmsOutcome> => {
  const now = deps.clock.now();
  if (await deps.suppression.isSuppressed(phoneHash(sms.phone), now)) {
    return { outcome: 'SUPPRESSED', reason: 'opted-out' };
  }
  // The ledger's never-twice record, keyed by the call: Connect may run the Lambda again on a timeout.
  const once = `${sms.kind}#${sms.contactId}`;
  if (!(await deps.ledger.claimOnce(once, now))) return { outcome: 'SUPPRESSED', reason: 'already-sent' };

  const rendered = sms.render();
  const total = await deps.ledger.addDailySegments(DAY(now), rendered.segments);
  if (total > deps.dailySegmentCap) return { outcome: 'SUPPRESSED', reason: 'daily-cap-reached' };
  let messageId: string;
  try {
    ({ messageId } = await deps.sender.send({
      to: sms.phone,
      body: rendered.body,
      kind: sms.kind,
      segments: rendered.segments,
      encoding: rendered.encoding,
    }));
  } catch (error) {
    if (error instanceof SmsNotSentError) {
      // SNS certainly took nothing (throttled, refused): the parts and the once-only record go back, so
      // the queue's retry sends it. Anything else (a timeout, a 5xx) may have reached the phone: the record
      // stays and the retry sends nothing, since an SMS is never sent twice.
      await deps.ledger.addDailySegments(DAY(now), -rendered.segments);
      await deps.ledger.releaseOnce(once);
    }
    throw error;
  }
  const sentAt = deps.clock.now().toISOString();
  // Sent: nothing after this fails the request. The fact is announced, then recorded; if the bus is down
  // it is recorded pending and the minute sweeper (sms-release) announces it.
  const outbox = new SmsOutbox();
  outbox.add({
    orderId: `call#${sms.contactId}`,
    key: sms.kind,
    outcome: 'SENT',
    detailType: 'SmsSent',
    detail: {
      contactId: sms.contactId,
      kind: sms.kind,
      to: maskPhone(sms.phone),
      segments: rendered.segments,
      encoding: rendered.encoding,
      messageId,
      sentAt,
    },
  });
  await flushOutcomes({ ledger: deps.ledger, events: deps.events, clock: deps.clock, outbox });
  return { outcome: 'SENT', ...rendered, messageId, sentAt };
};

/** Sends the deflection SMS for one call, or says why not. Throws only what is worth retrying (SNS). */
export const decideDeflectionSms = async (
  request: DeflectionRequest,
  deps: DeflectionSmsDeps,
): Promise<DeflectionDecision> => {
  const to = maskPhone(request.phone);
  const call = { kind: DEFLECTION_KIND, contactId: request.contactId, phone: request.phone };
  const suppressed = async (reason: DeflectionReason): Promise<DeflectionDecision> => {
    await publishCallerSmsSuppressed(deps.events, call, reason);
    return { outcome: 'SUPPRESSED', contactId: request.contactId, to, reason };
  };
  const phone = checkPhone(request.phone, deps.settings.fallbackTimeZone);
  if (!phone.ok) return suppressed(phone.reason);
  const sent = await sendCallerSms(
    { ...call, render: () => renderDeflectionSms(deps.settings, request.locale) },
    { ...deps, dailySegmentCap: deps.settings.dailySegmentCap },
  );
  if (sent.outcome === 'SUPPRESSED') return suppressed(sent.reason);
  return sentDecision(request.contactId, to, sent);
};
