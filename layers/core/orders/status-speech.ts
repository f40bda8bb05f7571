/**
 * What a caller hears about their order before the menu and the queue (issue 15), as SSML for Amazon
 * Polly, in the order's language. Written to be heard, not read: short sentences, the order named by its
 * last characters said one by one (nobody remembers a whole order id), days said as "today" or "tomorrow"
 * where that is what a person would say, the bad news said plainly with an apology, and the menu last,
 * so the keys are the last thing in the caller's ear.
 *
 * The shop's text (carrier, reason) and the order id are untrusted: everything that enters the SSML goes
 * through `escapeSsml`, so no text can close `<speak>`, open an `<audio>` or otherwise become markup.
 */
import type { SmsLanguage } from '../sms/templates.js';
import type { IndexedOrder, IndexedStatus } from './types.js';

/**
 * The Polly voice per language, one female voice each, matching the inbound flow's own (Ola and Amy in
 * infra/constructs/connect/flows/prompts.ts), so the caller hears no change of voice for pl and en.
 *
 * Per the Amazon Polly Developer Guide, "Available voices"
 * (https://docs.aws.amazon.com/polly/latest/dg/available-voices.html): Polish (pl-PL) Ola is a neural
 * voice (Ewa, Maja, Jacek and Jan are standard only); British English (en-GB) Amy is neural and standard;
 * Finnish (fi-FI) Suvi is neural; Russian (ru-RU) has only the standard voices Tatyana and Maxim (the
 * "Standard voices" table lists them, the neural table has no Russian), so Russian is spoken with the
 * standard engine.
 */
export const ORDER_VOICES: Readonly<
  Record<
    SmsLanguage,
    { readonly voice: string; readonly engine: 'Neural' | 'Standard'; readonly bcp47: string }
  >
> = {
  pl: { voice: 'Ola', engine: 'Neural', bcp47: 'pl-PL' },
  en: { voice: 'Amy', engine: 'Neural', bcp47: 'en-GB' },
  ru: { voice: 'Tatyana', engine: 'Standard', bcp47: 'ru-RU' },
  fi: { voice: 'Suvi', engine: 'Neural', bcp47: 'fi-FI' },
};

/** A carrier's name longer than this is not a name; a reason longer than this is not heard to the end. */
const MAX_CARRIER_CHARACTERS = 40;
const MAX_REASON_CHARACTERS = 200;
/** The characters of the order id said to the caller: enough to tell their orders apart. */
const ORDER_REFERENCE_CHARACTERS = 4;

/** As in `inertText`; its other step (a space after `<`) is not needed where `<` becomes `&lt;`. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;

const GRAPHEMES = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Text made safe to put inside SSML: whitespace collapsed, invisible characters gone (controls,
 * bidirectional overrides, zero-width and tag characters, lone surrogates, as `inertText` removes them), cut to
 * `maxCharacters` graphemes at a word boundary where one is near, and then the five characters Polly
 * reserves in SSML written as entities (Amazon Polly Developer Guide, "Reserved characters in SSML":
 * `&` `&amp;`, `<` `&lt;`, `>` `&gt;`, `"` `&quot;`, `'` `&apos;`). Cut before escaping, so an entity is
 * never cut in half.
 */
export const escapeSsml = (text: string, maxCharacters = MAX_REASON_CHARACTERS): string => {
  // Line breaks and tabs (controls too) become spaces first, so removing the invisible joins no words.
  const plain = text
    .replace(/[\s\p{Zs}]+/gu, ' ')
    .replace(INVISIBLE, '')
    .replace(/ {2,}/gu, ' ')
    .trim();
  const graphemes = Array.from(GRAPHEMES.segment(plain), (part) => part.segment);
  let kept = plain;
  if (graphemes.length > maxCharacters) {
    const cut = graphemes.slice(0, maxCharacters).join('');
    const lastSpace = cut.lastIndexOf(' ');
    kept = `${(lastSpace > maxCharacters * 0.6 ? cut.slice(0, lastSpace) : cut).replace(/[\s,;:.-]+$/u, '')}…`;
  }
  return kept.replace(/[&<>"']/gu, (char) => ENTITIES[char] ?? char);
};

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** A day as the caller's copy says it: a word ("tomorrow") or a date ("30 November"). */
interface SpokenDay {
  readonly text: string;
  /** True for "today", "tomorrow", "yesterday": English then needs no "on". */
  readonly relative: boolean;
}

interface Facts {
  /** The order's last characters, already wrapped in `<say-as interpret-as="characters">`. */
  readonly reference: string;
  readonly changed?: SpokenDay;
  readonly carrier?: string;
  readonly estimate?: SpokenDay;
  readonly reason?: string;
}

interface SpeechCopy {
  readonly intro: (reference: string) => string;
  readonly status: {
    readonly [S in IndexedStatus]: (facts: Facts) => readonly (string | false | undefined)[];
  };
  /** The estimate, for a status that has no sentence of its own for it. */
  readonly estimate: (day: SpokenDay) => string;
  readonly linkOption: string;
  readonly adviserOption: string;
  readonly linkSent: string;
  readonly linkFailed: string;
}

/** English: "on 30 November", but "today". */
const on = (day: SpokenDay): string => (day.relative ? day.text : `on ${day.text}`);
const when = (day: SpokenDay | undefined, write: (day: SpokenDay) => string = (d) => d.text): string =>
  day === undefined ? '' : ` ${write(day)}`;

/** The words, per language. Polish and Finnish address the caller informally, as the flow and the SMS do. */
const COPY: Readonly<Record<SmsLanguage, SpeechCopy>> = {
  en: {
    intro: (reference) => `We have found your order ending in ${reference}.`,
    status: {
      PLACED: (f) => [`We received it${when(f.changed, on)}, and we are getting it ready.`],
      PACKED: (f) => [
        `It was packed${when(f.changed, on)} and is waiting for ${f.carrier ?? 'the carrier'} to collect it.`,
      ],
      SHIPPED: (f) => [`It was shipped${when(f.changed, on)}${f.carrier ? ` with ${f.carrier}` : ''}.`],
      OUT_FOR_DELIVERY: (f) => [
        `It went out for delivery${when(f.changed, on)}${f.carrier ? ` with ${f.carrier}` : ''}.`,
      ],
      DELAYED: (f) => [
        'We are sorry: it is delayed.',
        f.reason && `The reason we were given: ${f.reason}.`,
        f.carrier && `It is travelling with ${f.carrier}.`,
        f.estimate && `The new expected delivery is ${on(f.estimate)}.`,
      ],
      DELIVERED: (f) => [`It was delivered${when(f.changed, on)}.`],
      CANCELLED: (f) => [
        `It was cancelled${when(f.changed, on)}.`,
        f.reason && `The reason we were given: ${f.reason}.`,
      ],
    },
    estimate: (day) => `We expect it to arrive ${on(day)}.`,
    linkOption: 'To get the tracking link by text message, press 1.',
    adviserOption: 'To talk to an adviser, press 2.',
    linkSent: 'Done. The tracking link is on its way to you by text message. Thank you for calling, goodbye!',
    linkFailed:
      'We are sorry, we could not send the text message just now. Please stay on the line: an adviser will help you.',
  },
  pl: {
    intro: (reference) => `Mamy twoje zamówienie o numerze kończącym się na ${reference}.`,
    status: {
      PLACED: (f) => [`Przyjęliśmy je${when(f.changed)} i właśnie je przygotowujemy.`],
      PACKED: (f) => [
        `Zostało spakowane${when(f.changed)} i czeka na kuriera${f.carrier ? ` ${f.carrier}` : ''}.`,
      ],
      SHIPPED: (f) => [`Wysłaliśmy je${when(f.changed)}${f.carrier ? ` przez ${f.carrier}` : ''}.`],
      OUT_FOR_DELIVERY: (f) => [`Kurier${f.carrier ? ` ${f.carrier}` : ''} doręcza je${when(f.changed)}.`],
      DELAYED: (f) => [
        'Bardzo nam przykro, ale zamówienie jest opóźnione.',
        f.reason && `Powód: ${f.reason}.`,
        f.carrier && `Przesyłkę wiezie ${f.carrier}.`,
        f.estimate && `Nowy przewidywany termin dostawy to ${f.estimate.text}.`,
      ],
      DELIVERED: (f) => [`Zostało doręczone${when(f.changed)}.`],
      CANCELLED: (f) => [`Zostało anulowane${when(f.changed)}.`, f.reason && `Powód: ${f.reason}.`],
    },
    estimate: (day) => `Spodziewamy się, że dotrze ${day.text}.`,
    linkOption: 'Aby dostać SMS-a z linkiem do śledzenia przesyłki, naciśnij 1.',
    adviserOption: 'Aby porozmawiać z konsultantem, naciśnij 2.',
    linkSent:
      'Gotowe. Link do śledzenia przesyłki jest już w drodze, SMS-em. Dziękujemy za telefon i do usłyszenia!',
    linkFailed: 'Przepraszamy, nie udało się teraz wysłać SMS-a. Pozostań na linii, konsultant ci pomoże.',
  },
  ru: {
    intro: (reference) => `Мы нашли ваш заказ с номером, который заканчивается на ${reference}.`,
    status: {
      PLACED: (f) => [`Мы приняли его${when(f.changed)} и уже готовим к отправке.`],
      PACKED: (f) => [`Он упакован${when(f.changed)} и ждёт курьера${f.carrier ? ` ${f.carrier}` : ''}.`],
      SHIPPED: (f) => [`Мы отправили его${when(f.changed)}${f.carrier ? ` через ${f.carrier}` : ''}.`],
      OUT_FOR_DELIVERY: (f) => [
        `Курьер${f.carrier ? ` ${f.carrier}` : ''} доставляет его${when(f.changed)}.`,
      ],
      DELAYED: (f) => [
        'К сожалению, доставка задерживается. Приносим извинения.',
        f.reason && `Причина: ${f.reason}.`,
        f.carrier && `Заказ везёт ${f.carrier}.`,
        f.estimate && `Новая ожидаемая дата доставки: ${f.estimate.text}.`,
      ],
      DELIVERED: (f) => [`Заказ доставлен${when(f.changed)}.`],
      CANCELLED: (f) => [`Заказ отменён${when(f.changed)}.`, f.reason && `Причина: ${f.reason}.`],
    },
    estimate: (day) => `Ожидаемая дата доставки: ${day.text}.`,
    linkOption: 'Чтобы получить ссылку для отслеживания в SMS, нажмите 1.',
    adviserOption: 'Чтобы поговорить с консультантом, нажмите 2.',
    linkSent: 'Готово. Ссылка для отслеживания уже отправлена вам в SMS. Спасибо за звонок, до свидания!',
    linkFailed:
      'Извините, сейчас не удалось отправить SMS. Пожалуйста, оставайтесь на линии: вам поможет консультант.',
  },
  fi: {
    intro: (reference) => `Löysimme tilauksesi, jonka numero päättyy ${reference}.`,
    status: {
      PLACED: (f) => [`Vastaanotimme sen${when(f.changed)}, ja valmistelemme sitä nyt.`],
      PACKED: (f) => [
        `Se pakattiin${when(f.changed)}, ja se odottaa, että ${f.carrier ?? 'kuljetusyhtiö'} noutaa sen.`,
      ],
      SHIPPED: (f) => [
        `Lähetimme sen${when(f.changed)}${f.carrier ? `, kuljetusyhtiö on ${f.carrier}` : ''}.`,
      ],
      OUT_FOR_DELIVERY: (f) => [`${f.carrier ?? 'Kuljettaja'} toimittaa sen${when(f.changed)}.`],
      DELAYED: (f) => [
        'Olemme pahoillamme: tilauksesi on myöhässä.',
        f.reason && `Syy: ${f.reason}.`,
        f.carrier && `Kuljetusyhtiö on ${f.carrier}.`,
        f.estimate && `Uusi arvioitu toimituspäivä: ${f.estimate.text}.`,
      ],
      DELIVERED: (f) => [`Se toimitettiin${when(f.changed)}.`],
      CANCELLED: (f) => [`Se peruttiin${when(f.changed)}.`, f.reason && `Syy: ${f.reason}.`],
    },
    estimate: (day) => `Arvioitu toimituspäivä: ${day.text}.`,
    linkOption: 'Jos haluat seurantalinkin tekstiviestinä, paina 1.',
    adviserOption: 'Jos haluat puhua asiakaspalvelijan kanssa, paina 2.',
    linkSent: 'Selvä. Seurantalinkki on tulossa sinulle tekstiviestinä. Kiitos soitostasi, kuulemiin!',
    linkFailed:
      'Pahoittelemme, tekstiviestiä ei voitu lähettää juuri nyt. Pysy linjalla, asiakaspalvelija auttaa sinua.',
  },
};

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/i;

/** A calendar day as days since the epoch, so two days can be subtracted. */
const dayNumber = (year: number, month: number, day: number): number =>
  Date.UTC(year, month - 1, day) / 86_400_000;

/**
 * Intl formatters, built once per locale and zone: building one costs far more than formatting with it
 * (it was most of a lookup's time), and every caller waits on the lookup. Bounded, as zones come from data.
 */
const FORMATS = new Map<string, Intl.DateTimeFormat | Intl.RelativeTimeFormat>();
const cached = <T extends Intl.DateTimeFormat | Intl.RelativeTimeFormat>(key: string, build: () => T): T => {
  let format = FORMATS.get(key) as T | undefined;
  if (format === undefined) {
    format = build();
    if (FORMATS.size >= 256) FORMATS.clear();
    FORMATS.set(key, format);
  }
  return format;
};

/** Whether Intl knows the zone (the index keeps what the shop sent); remembered, as finding out builds a formatter. */
const ZONES = new Map<string, boolean>();
const knownZone = (timeZone: string): boolean => {
  let known = ZONES.get(timeZone);
  if (known === undefined) {
    try {
      known = new Intl.DateTimeFormat('en', { timeZone }).resolvedOptions().timeZone !== undefined;
    } catch {
      known = false;
    }
    if (ZONES.size >= 256) ZONES.clear();
    ZONES.set(timeZone, known);
  }
  return known;
};

/** The calendar day of `instant` in `timeZone`. */
const calendarDay = (instant: Date, timeZone: string): number => {
  const format = cached(
    `day|${timeZone}`,
    () => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }),
  );
  const [year, month, day] = format.format(instant).split('-').map(Number);
  return dayNumber(year ?? 1970, month ?? 1, day ?? 1);
};

/**
 * A day of the order as the caller hears it, relative to `today` (a day number in the order's zone):
 * yesterday, today and tomorrow as words (Intl.RelativeTimeFormat), other days as a date in the language
 * (Intl.DateTimeFormat, day and month: the year goes without saying within a season). Undefined for a
 * value that is no date, so a bad field costs its sentence, never the announcement.
 */
const spokenDay = (value: string, today: number, timeZone: string, bcp47: string): SpokenDay | undefined => {
  let day: number;
  let instant: Date;
  const dateOnly = DATE_ONLY.exec(value.trim());
  if (dateOnly) {
    // A calendar date is the same day everywhere: noon UTC, formatted in UTC.
    day = dayNumber(Number(dateOnly[1]), Number(dateOnly[2]), Number(dateOnly[3]));
    instant = new Date(day * 86_400_000 + 43_200_000);
    if (instant.toISOString().slice(0, 10) !== value.trim()) return undefined;
    timeZone = 'UTC';
  } else if (DATE_TIME.test(value.trim())) {
    instant = new Date(value.trim());
    if (Number.isNaN(instant.getTime())) return undefined;
    day = calendarDay(instant, timeZone);
  } else return undefined;
  const offset = day - today;
  if (Math.abs(offset) <= 1) {
    const relative = cached(
      `relative|${bcp47}`,
      () => new Intl.RelativeTimeFormat(bcp47, { numeric: 'auto' }),
    );
    return { text: relative.format(offset, 'day'), relative: true };
  }
  const date = cached(
    `date|${bcp47}|${timeZone}`,
    () => new Intl.DateTimeFormat(bcp47, { day: 'numeric', month: 'long', timeZone }),
  );
  return { text: date.format(instant), relative: false };
};

/** The order's last letters and digits, to be said one by one. */
const orderReference = (orderId: string): string => {
  const characters = Array.from(orderId.replace(/[^\p{L}\p{N}]/gu, ''));
  const tail = characters.slice(-ORDER_REFERENCE_CHARACTERS).join('');
  return `<say-as interpret-as="characters">${escapeSsml(tail)}</say-as>`;
};

const sentences = (parts: readonly (string | false | undefined)[]): string[] =>
  parts.filter((part): part is string => typeof part === 'string' && part !== '');

/** A short pause between the status and the menu, so the keys do not run into the news. */
const MENU_PAUSE = '<break time="500ms"/>';

export interface StatusSpeechOptions {
  /** The world's clock: "today" is this day in the order's zone. */
  readonly now: Date;
  /** Option 1 (the tracking link by SMS) is offered: the order has a link, consent, and a number that takes an SMS. */
  readonly linkOffered: boolean;
}

/**
 * The status announcement and the menu for one order, `<speak>…</speak>`, in the order's language (see
 * the module's comment). Never throws on the shop's data: a date it cannot read is left out.
 */
export const statusSsml = (order: IndexedOrder, options: StatusSpeechOptions): string => {
  const copy = COPY[order.language] ?? COPY.en;
  const { bcp47 } = ORDER_VOICES[order.language] ?? ORDER_VOICES.en;
  const timeZone = knownZone(order.timeZone) ? order.timeZone : 'UTC';
  const today = calendarDay(options.now, timeZone);
  const carrier = order.carrier === undefined ? '' : escapeSsml(order.carrier, MAX_CARRIER_CHARACTERS);
  const reason = order.reason === undefined ? '' : escapeSsml(order.reason, MAX_REASON_CHARACTERS);
  const changed = spokenDay(order.changedAt, today, timeZone, bcp47);
  const estimate =
    order.estimatedDelivery === undefined
      ? undefined
      : spokenDay(order.estimatedDelivery, today, timeZone, bcp47);
  const facts: Facts = {
    reference: orderReference(order.orderId),
    ...(changed && { changed }),
    ...(carrier && { carrier }),
    ...(estimate && { estimate }),
    // The reason is said only where the status is about it.
    ...(reason && (order.status === 'DELAYED' || order.status === 'CANCELLED') && { reason }),
  };
  // Only an order still on its way has an estimate worth saying; DELAYED says it in its own words.
  const saysEstimate =
    facts.estimate !== undefined && !['DELAYED', 'DELIVERED', 'CANCELLED'].includes(order.status);
  const news = sentences([
    copy.intro(facts.reference),
    ...copy.status[order.status](facts),
    saysEstimate && facts.estimate && copy.estimate(facts.estimate),
  ]);
  const menu = sentences([options.linkOffered && copy.linkOption, copy.adviserOption]);
  return `<speak>${news.join(' ')}${MENU_PAUSE}${menu.join(' ')}</speak>`;
};

/** Said after the caller pressed 1 and the SMS is on its way; the flow then ends the call. */
export const linkSentSsml = (language: SmsLanguage): string =>
  `<speak>${(COPY[language] ?? COPY.en).linkSent}</speak>`;

/** Said when the SMS could not be sent; the caller stays on the line and goes on to an adviser. */
export const linkFailedSsml = (language: SmsLanguage): string =>
  `<speak>${(COPY[language] ?? COPY.en).linkFailed}</speak>`;
