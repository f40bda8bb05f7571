/**
 * The words of the order SMS. Each language's copy lives in `locales/`; this module picks the language,
 * formats money, dates and hour counts with Intl for the customer's full locale, and keeps the message
 * under the segment cap by trying the copy's variants from the richest to the shortest.
 *
 * The copy follows the source articles: proactive, concrete (order id always, the link, the date) and
 * empathetic when something goes wrong, never the empty "sorry for any inconvenience".
 */
import type { OrderStatus } from '#events/index.js';
import { en } from './locales/en.js';
import { fi } from './locales/fi.js';
import { pl } from './locales/pl.js';
import { ru } from './locales/ru.js';
import { measureSms, type SmsEncoding, type SmsMeasure } from './segments.js';
import { inertText, inertUrl } from '../text/sanitise.js';

export const SMS_LANGUAGES = ['pl', 'en', 'ru', 'fi'] as const;
export type SmsLanguage = (typeof SMS_LANGUAGES)[number];

export const SMS_KINDS = [
  'order-placed',
  'order-packed',
  'order-shipped',
  'order-out-for-delivery',
  'order-delivered',
  'order-delayed',
  'order-cancelled',
] as const;
export type SmsKind = (typeof SMS_KINDS)[number];

export interface OrderSmsInput {
  readonly kind: SmsKind;
  /** BCP 47 tag from the event, e.g. 'pl-PL'; a language without copy gets English. */
  readonly locale: string;
  /** IANA zone in which dates and times are shown. */
  readonly timeZone: string;
  readonly shopName: string;
  readonly orderId: string;
  readonly total?: { readonly amount: number; readonly currency: string };
  readonly trackingUrl?: string;
  readonly carrier?: string;
  /** ISO date ('2025-12-02') or date-time with an offset (the start of the carrier's window). */
  readonly estimatedDelivery?: string;
  /** Free text from the shop for DELAYED and CANCELLED; shortened with an ellipsis if it must be. */
  readonly reason?: string;
  /** OrderPlaced while the contact centre is overloaded: "we will get back to you within N hours" is added. */
  readonly replyWithinHours?: number;
}

export interface RenderedSms {
  readonly body: string;
  readonly language: SmsLanguage;
  readonly segments: number;
  readonly encoding: SmsEncoding;
}

/** How much to say: the full, warm copy, or the short one used when the full one is over the cap. */
export type Wording = 'full' | 'short';

/**
 * What a language's copy receives: every value already formatted for the customer's locale and safe to
 * put in an SMS. An absent value was either not given or dropped to fit the cap; the copy just leaves
 * its sentence out.
 */
export interface SmsFacts {
  readonly shop: string;
  readonly orderId: string;
  readonly total?: string;
  readonly carrier?: string;
  readonly trackingUrl?: string;
  readonly estimate?: string;
  readonly reason?: string;
  /** The number and the noun in the right plural form, e.g. '5 godzin'. */
  readonly replyWithin?: string;
}

/**
 * A message as its sentences. Falsy entries (a fact that is absent) are left out; each sentence gets a
 * full stop unless it already ends with punctuation or with the tracking link, which must stay clickable.
 */
export type Sentences = readonly (string | false | undefined)[];

export interface SmsCopy {
  /** The noun after an hour count, per plural category of the language (Intl.PluralRules). */
  readonly hours: Readonly<Partial<Record<Intl.LDMLPluralRule, string>>> & { readonly other: string };
  /** Joins a formatted date and, when the carrier gave a window, its start time. */
  readonly estimate: (date: string, time: string | undefined) => string;
  readonly kinds: { readonly [K in SmsKind]: (facts: SmsFacts, wording: Wording) => Sentences };
}

const COPY: Readonly<Record<SmsLanguage, SmsCopy>> = { pl, en, ru, fi };

/** Why a body could not be brought under the cap; names what ops can change. */
export class SmsTooLongError extends Error {
  readonly kind: SmsKind;
  readonly segmentCap: number;
  readonly language: SmsLanguage;
  readonly shortest: SmsMeasure;

  constructor(kind: SmsKind, segmentCap: number, language: SmsLanguage, shortest: SmsMeasure) {
    super(
      `The ${kind} SMS (${language}) does not fit the segment cap of ${segmentCap}: its shortest form ` +
        `still takes ${shortest.segments} ${shortest.encoding} segments (${shortest.characters} characters). ` +
        'Raise the segment cap or shorten the shop name; the order id and the link are never cut.',
    );
    this.name = 'SmsTooLongError';
    this.kind = kind;
    this.segmentCap = segmentCap;
    this.language = language;
    this.shortest = shortest;
  }
}

const STATUS_KINDS: Readonly<Record<OrderStatus | 'PLACED', SmsKind>> = {
  PLACED: 'order-placed',
  PACKED: 'order-packed',
  SHIPPED: 'order-shipped',
  OUT_FOR_DELIVERY: 'order-out-for-delivery',
  DELIVERED: 'order-delivered',
  DELAYED: 'order-delayed',
  CANCELLED: 'order-cancelled',
};

export const smsKindForStatus = (status: OrderStatus | 'PLACED'): SmsKind => STATUS_KINDS[status];

type OptionalFact = 'total' | 'carrier' | 'trackingUrl' | 'estimate' | 'reason' | 'replyWithin';

interface Variant {
  readonly wording: Wording;
  readonly omit: readonly OptionalFact[];
  /** How the delivery date is written; by default long with the full wording, short with the short one. */
  readonly date?: 'long' | 'short';
}

/**
 * Richest first. The carrier's name goes first, then the date is written shorter, then the wording is
 * shortened, and only then do the date, the tracking link or the reply-time promise go: a customer
 * asks "when?" and "where is it?", not how warmly we said it. A link is dropped whole, never cut,
 * because half a link is worse than none.
 */
/** A parcel on its way (shipped, out for delivery): the carrier goes first, then the link or the date. */
const PARCEL_ON_ITS_WAY: readonly Variant[] = [
  { wording: 'full', omit: [] },
  { wording: 'full', omit: ['carrier'] },
  { wording: 'full', omit: ['carrier'], date: 'short' },
  { wording: 'short', omit: ['carrier'] },
  { wording: 'short', omit: ['carrier', 'estimate'] },
  { wording: 'short', omit: ['carrier', 'trackingUrl'] },
  { wording: 'short', omit: ['carrier', 'estimate', 'trackingUrl'] },
];

const VARIANTS: Readonly<Record<SmsKind, readonly Variant[]>> = {
  'order-placed': [
    { wording: 'full', omit: [] },
    { wording: 'full', omit: ['total'] },
    { wording: 'short', omit: ['total'] },
    { wording: 'short', omit: ['total', 'replyWithin'] },
  ],
  'order-packed': [
    { wording: 'full', omit: [] },
    { wording: 'full', omit: [], date: 'short' },
    { wording: 'short', omit: [] },
    { wording: 'short', omit: ['estimate'] },
  ],
  'order-shipped': PARCEL_ON_ITS_WAY,
  'order-out-for-delivery': PARCEL_ON_ITS_WAY,
  'order-delivered': [
    { wording: 'full', omit: [] },
    { wording: 'short', omit: [] },
  ],
  // A late customer needs the reason and the new date more than the carrier's name or the link; the
  // new date is never dropped, and the reason is shortened (below) rather than dropped.
  'order-delayed': [
    { wording: 'full', omit: [] },
    { wording: 'full', omit: ['carrier'] },
    { wording: 'full', omit: ['carrier'], date: 'short' },
    { wording: 'full', omit: ['carrier', 'trackingUrl'], date: 'short' },
    { wording: 'short', omit: ['carrier', 'trackingUrl'] },
  ],
  'order-cancelled': [
    { wording: 'full', omit: [] },
    { wording: 'short', omit: [] },
  ],
};

/** Fewer characters of a reason than this say nothing; the SMS then goes without it. */
const MIN_REASON_GRAPHEMES = 12;
/** A cut reason ends at a word boundary when one is this close to the cut. */
const WORD_BOUNDARY_REACH = 20;

// Typographic characters that are not in GSM-7 and would switch an otherwise GSM-7 message to UCS-2,
// more than halving what fits in a part; their ASCII look-alikes read the same on a phone.
const GSM_LOOKALIKES: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u2013': '-',
  '\u2014': '-',
  '\u2212': '-',
  '\u2026': '...',
};
const LOOKALIKE = new RegExp(`[${Object.keys(GSM_LOOKALIKES).join('')}]`, 'gu');

/**
 * Intl puts no-break and narrow no-break spaces into money and times ("249,99 zł", "10:00 AM"), and
 * shop-entered text may carry tabs or line breaks: all become one plain space, which GSM-7 has.
 */
const plainText = (text: string): string =>
  inertText(text)
    .replace(/[\s\p{Zs}]+/gu, ' ')
    .replace(LOOKALIKE, (char) => GSM_LOOKALIKES[char] ?? char)
    .trim();

/** A reason becomes a sentence of its own; a dangling comma or colon at its end would read as a cut. */
const plainReason = (reason: string): string => plainText(reason).replace(/[\s,;:]+$/u, '');

const TERMINAL = /[.!?…]$/u;

const assemble = (sentences: Sentences, trackingUrl: string | undefined): string =>
  sentences
    .filter((sentence): sentence is string => typeof sentence === 'string' && sentence.trim() !== '')
    .map((sentence) => sentence.trim())
    .map((sentence) =>
      TERMINAL.test(sentence) || (trackingUrl !== undefined && sentence.endsWith(trackingUrl))
        ? sentence
        : `${sentence}.`,
    )
    .join(' ');

interface Language {
  readonly language: SmsLanguage;
  /** The locale Intl formats with: the customer's own, or English with their region's conventions. */
  readonly formatLocale: string;
}

const isSmsLanguage = (value: string): value is SmsLanguage =>
  (SMS_LANGUAGES as readonly string[]).includes(value);

const resolveLanguage = (locale: string): Language => {
  let parsed: Intl.Locale | undefined;
  try {
    parsed = new Intl.Locale(locale);
  } catch {
    // The schema rejects malformed tags; should one slip through, English is still better than no SMS.
    parsed = undefined;
  }
  if (parsed && isSmsLanguage(parsed.language))
    return { language: parsed.language, formatLocale: parsed.toString() };
  // English words with a German customer's "2 December" and 24-hour clock, not an American's
  // "December 2, 10:00 AM"; formatting with de-DE itself would put German month names in English text.
  return { language: 'en', formatLocale: parsed?.region ? `en-${parsed.region}` : 'en' };
};

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
// Date.parse alone would also accept "2/12/2025" and read it the American way.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/**
 * Money formats by locale and currency, built once: building an Intl.NumberFormat costs more than the rest
 * of an SMS's rendering (it was most of the order-SMS path's CPU per event).
 */
const CURRENCY_FORMATS = new Map<string, Intl.NumberFormat>();
const currencyFormat = (locale: string, currency: string): Intl.NumberFormat => {
  const key = `${locale}|${currency}`;
  let format = CURRENCY_FORMATS.get(key);
  if (format === undefined) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    // Bounded: locales and currencies come from shop events; a flood of odd ones must not grow it forever.
    if (CURRENCY_FORMATS.size >= 256) CURRENCY_FORMATS.clear();
    CURRENCY_FORMATS.set(key, format);
  }
  return format;
};

/**
 * Intl formatters by locale, options and zone, built once for the same reason as the money formats: a
 * status SMS with a delivery estimate built up to three Intl.DateTimeFormat for each wording it tried,
 * and the reply-time promise a PluralRules and a NumberFormat (a shipped SMS with a timed estimate and
 * an OrderPlaced with the promise, 4 locales: 320-410 -> 23-27 us of CPU per render, interleaved runs).
 */
const FORMATTERS = new Map<string, Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>();
const formatter = <T extends Intl.DateTimeFormat | Intl.NumberFormat | Intl.PluralRules>(
  key: string,
  build: () => T,
): T => {
  let built = FORMATTERS.get(key) as T | undefined;
  if (built === undefined) {
    built = build();
    // Bounded: locales and zones come from shop events; a flood of odd ones must not grow it forever.
    if (FORMATTERS.size >= 512) FORMATTERS.clear();
    FORMATTERS.set(key, built);
  }
  return built;
};
const dateTimeFormat = (locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat =>
  formatter(`d|${locale}|${JSON.stringify(options)}`, () => new Intl.DateTimeFormat(locale, options));

const LONG_DATE: Intl.DateTimeFormatOptions = { weekday: 'long', day: 'numeric', month: 'long' };
const SHORT_DATE: Intl.DateTimeFormatOptions = { weekday: 'short', day: 'numeric', month: 'short' };

interface Estimate {
  readonly instant: Date;
  /** The zone to format in: UTC for a calendar date (see below), else the customer's. */
  readonly timeZone: string;
  readonly hasTime: boolean;
}

const parseEstimate = (value: string, timeZone: string): Estimate => {
  const date = DATE_ONLY.exec(value);
  if (date) {
    // A calendar date is the same day everywhere: noon UTC formatted in UTC can never become the day
    // before in Los Angeles or the day after in Auckland, as midnight in the customer's zone could.
    const instant = new Date(Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]), 12));
    if (instant.toISOString().slice(0, 10) === value) return { instant, timeZone: 'UTC', hasTime: false };
  } else if (DATE_TIME.test(value)) {
    const instant = new Date(value);
    if (!Number.isNaN(instant.getTime())) return { instant, timeZone, hasTime: true };
  }
  throw new RangeError(
    `estimatedDelivery must be an ISO date such as 2025-12-02 or a date-time with an offset, got ${JSON.stringify(value)}`,
  );
};

const formatEstimate = (
  estimate: Estimate,
  form: 'long' | 'short',
  locale: string,
  copy: SmsCopy,
): string => {
  const dateOptions = { ...(form === 'long' ? LONG_DATE : SHORT_DATE), timeZone: estimate.timeZone };
  const date = plainText(dateTimeFormat(locale, dateOptions).format(estimate.instant));
  if (!estimate.hasTime) return copy.estimate(date, undefined);
  const timeFormat = dateTimeFormat(locale, {
    hour: 'numeric',
    minute: '2-digit',
    timeZone: estimate.timeZone,
  });
  const clock = dateTimeFormat('en-GB', {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    timeZone: estimate.timeZone,
  }).format(estimate.instant);
  // A window "from 00:00" is how some carriers write "some time that day"; the date alone says it better.
  const time = clock === '00:00' ? undefined : plainText(timeFormat.format(estimate.instant));
  return copy.estimate(date, time);
};

const formatHours = (hours: number, locale: string, copy: SmsCopy): string => {
  if (!Number.isFinite(hours) || hours <= 0) {
    throw new RangeError(`replyWithinHours must be a positive number of hours, got ${hours}`);
  }
  // Rounded up: promising 2 hours and answering in 1.5 keeps the promise, the other way round does not.
  const whole = Math.ceil(hours);
  const plural = formatter(`p|${locale}`, () => new Intl.PluralRules(locale));
  const number = formatter(`n|${locale}`, () => new Intl.NumberFormat(locale));
  const noun = copy.hours[plural.select(whole)] ?? copy.hours.other;
  return `${plainText(number.format(whole))} ${noun}`;
};

interface Prepared {
  readonly copy: SmsCopy;
  readonly formatLocale: string;
  readonly kind: SmsKind;
  readonly base: Omit<SmsFacts, 'estimate'>;
  readonly estimate?: Estimate;
}

const render = (prepared: Prepared, variant: Variant, reason?: string): string => {
  const { copy, formatLocale, kind, base, estimate } = prepared;
  const omitted = new Set(variant.omit);
  const keep = <T>(fact: OptionalFact, value: T | undefined): T | undefined =>
    omitted.has(fact) ? undefined : value;
  const facts: SmsFacts = {
    shop: base.shop,
    orderId: base.orderId,
    total: keep('total', base.total),
    carrier: keep('carrier', base.carrier),
    trackingUrl: keep('trackingUrl', base.trackingUrl),
    estimate:
      estimate &&
      keep(
        'estimate',
        formatEstimate(
          estimate,
          variant.date ?? (variant.wording === 'full' ? 'long' : 'short'),
          formatLocale,
          copy,
        ),
      ),
    reason: keep('reason', reason ?? base.reason),
    replyWithin: keep('replyWithin', base.replyWithin),
  };
  return assemble(copy.kinds[kind](facts, variant.wording), facts.trackingUrl);
};

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest start of the reason, ended with an ellipsis, with which `variant` fits the cap; undefined
 * when too little of it would be left to mean anything. A binary search, as each try costs a
 * measurement of about a millisecond.
 */
const shortenReason = (
  prepared: Prepared,
  variant: Variant,
  reason: string,
  segmentCap: number,
): { body: string; measure: SmsMeasure } | undefined => {
  const graphemes = Array.from(GRAPHEMES.segment(reason), (part) => part.segment);
  const rest = render(prepared, variant, 'x');
  // '…' is one character but not GSM-7: in a message that is otherwise GSM-7, '...' keeps 160 a part.
  const restIsGsm = measureSms(rest).encoding === 'GSM-7';
  const attempt = (count: number): { body: string; measure: SmsMeasure } => {
    const start = graphemes
      .slice(0, count)
      .join('')
      .trimEnd()
      .replace(/[\s,;:.-]+$/u, '');
    if (restIsGsm) {
      const ascii = render(prepared, variant, `${start}...`);
      const measure = measureSms(ascii);
      if (measure.encoding === 'GSM-7') return { body: ascii, measure };
    }
    // UCS-2 either way, and there '…' is the shorter ellipsis.
    const unicode = render(prepared, variant, `${start}…`);
    return { body: unicode, measure: measureSms(unicode) };
  };

  // Every character costs at least one unit of a part, so no more than this many can fit: a bound
  // that spares most of the search, as a GSM-7 message holds at most 153 a part, a UCS-2 one 67.
  const capacity = restIsGsm
    ? segmentCap === 1
      ? 160
      : 153 * segmentCap
    : segmentCap === 1
      ? 70
      : 67 * segmentCap;
  const restGraphemes = Array.from(GRAPHEMES.segment(rest)).length - 1;
  let low = MIN_REASON_GRAPHEMES;
  let high = Math.min(graphemes.length - 1, capacity - restGraphemes - 1);
  if (high < low || attempt(low).measure.segments > segmentCap) return undefined;
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (attempt(middle).measure.segments <= segmentCap) low = middle;
    else high = middle - 1;
  }
  // Back to the last space nearby, so the cut falls between words.
  const lastSpace = graphemes.slice(0, low).lastIndexOf(' ');
  if (lastSpace < Math.max(MIN_REASON_GRAPHEMES, low - WORD_BOUNDARY_REACH)) return attempt(low);
  const atWord = attempt(lastSpace);
  return atWord.measure.segments <= segmentCap ? atWord : attempt(low);
};

/**
 * Renders the SMS for one order fact in the customer's language, at most `segmentCap` segments long.
 * Throws SmsTooLongError when even the shortest form with the order id does not fit.
 */
export const renderOrderSms = (
  input: OrderSmsInput,
  options: { readonly segmentCap: number },
): RenderedSms => {
  const { segmentCap } = options;
  if (!Number.isInteger(segmentCap) || segmentCap < 1) {
    throw new RangeError(`segmentCap must be a whole number of segments, 1 or more, got ${segmentCap}`);
  }
  const { language, formatLocale } = resolveLanguage(input.locale);
  const copy = COPY[language];
  const reason = input.reason === undefined ? '' : plainReason(input.reason);
  const carrier = input.carrier === undefined ? '' : plainText(input.carrier);
  const trackingUrl = input.trackingUrl === undefined ? undefined : inertUrl(input.trackingUrl);
  const prepared: Prepared = {
    copy,
    formatLocale,
    kind: input.kind,
    base: {
      shop: plainText(input.shopName),
      orderId: plainText(input.orderId),
      ...(input.total && {
        total: plainText(currencyFormat(formatLocale, input.total.currency).format(input.total.amount)),
      }),
      ...(carrier && { carrier }),
      ...(trackingUrl && { trackingUrl }),
      ...(reason && { reason }),
      ...(input.replyWithinHours !== undefined && {
        replyWithin: formatHours(input.replyWithinHours, formatLocale, copy),
      }),
    },
    ...(input.estimatedDelivery !== undefined && {
      estimate: parseEstimate(input.estimatedDelivery.trim(), input.timeZone),
    }),
  };
  const result = (body: string, measure: SmsMeasure): RenderedSms => ({
    body,
    language,
    segments: measure.segments,
    encoding: measure.encoding,
  });

  const variants = VARIANTS[input.kind];
  let shortest: SmsMeasure | undefined;
  for (const variant of variants) {
    const body = render(prepared, variant);
    shortest = measureSms(body);
    if (shortest.segments <= segmentCap) return result(body, shortest);
  }

  const last = variants.at(-1);
  if (last && prepared.base.reason && !last.omit.includes('reason')) {
    const shortened = shortenReason(prepared, last, prepared.base.reason, segmentCap);
    if (shortened) return result(shortened.body, shortened.measure);
    // Too little of the reason would be left: the SMS still says what happened, without why.
    const withoutReason = { ...last, omit: [...last.omit, 'reason' as const] };
    const body = render(prepared, withoutReason);
    shortest = measureSms(body);
    if (shortest.segments <= segmentCap) return result(body, shortest);
  }
  throw new SmsTooLongError(input.kind, segmentCap, language, shortest ?? measureSms(''));
};
