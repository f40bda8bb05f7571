import { describe, expect, it } from 'vitest';
import {
  escapeSsml,
  linkFailedSsml,
  linkSentSsml,
  ORDER_VOICES,
  statusSsml,
} from '#core/orders/status-speech.js';
import { INDEXED_STATUSES, type IndexedOrder, type IndexedStatus } from '#core/orders/types.js';
import { SMS_LANGUAGES, type SmsLanguage } from '#core/sms/templates.js';

/** Black Friday, 21:30 in Warsaw: "today" is 27 November there. */
const NOW = new Date('2026-11-27T20:30:00Z');

const order = (overrides: Partial<IndexedOrder> = {}): IndexedOrder => ({
  orderId: 'PL-2026-00123',
  status: 'SHIPPED',
  changedAt: '2026-11-26T09:15:00Z',
  carrier: 'DPD',
  trackingUrl: 'https://tracking.example.com/abc',
  estimatedDelivery: '2026-11-28',
  language: 'pl',
  timeZone: 'Europe/Warsaw',
  smsConsent: true,
  ...overrides,
});

/**
 * The markup the announcement may contain; after removing it, no `<` or `>` may be left and every `&`
 * must start an entity: then no text of the shop's became markup.
 */
const ALLOWED_MARKUP = /<\/?speak>|<say-as interpret-as="characters">|<\/say-as>|<break time="\d+ms"\/>/g;
const isInert = (ssml: string): boolean => {
  const text = ssml.replace(ALLOWED_MARKUP, '');
  return !/[<>]/.test(text) && !/&(?!(amp|lt|gt|quot|apos);)/.test(text);
};

/** A word of each status, per language, that the caller must hear. */
const STATUS_WORDS: Readonly<Record<SmsLanguage, Readonly<Record<IndexedStatus, string>>>> = {
  en: {
    PLACED: 'We received it',
    PACKED: 'It was packed',
    SHIPPED: 'It was shipped',
    OUT_FOR_DELIVERY: 'out for delivery',
    DELAYED: 'it is delayed',
    DELIVERED: 'It was delivered',
    CANCELLED: 'It was cancelled',
  },
  pl: {
    PLACED: 'Przyjęliśmy je',
    PACKED: 'Zostało spakowane',
    SHIPPED: 'Wysłaliśmy je',
    OUT_FOR_DELIVERY: 'doręcza je',
    DELAYED: 'jest opóźnione',
    DELIVERED: 'Zostało doręczone',
    CANCELLED: 'Zostało anulowane',
  },
  ru: {
    PLACED: 'Мы приняли его',
    PACKED: 'Он упакован',
    SHIPPED: 'Мы отправили его',
    OUT_FOR_DELIVERY: 'доставляет его',
    DELAYED: 'доставка задерживается',
    DELIVERED: 'Заказ доставлен',
    CANCELLED: 'Заказ отменён',
  },
  fi: {
    PLACED: 'Vastaanotimme sen',
    PACKED: 'Se pakattiin',
    SHIPPED: 'Lähetimme sen',
    OUT_FOR_DELIVERY: 'toimittaa sen',
    DELAYED: 'on myöhässä',
    DELIVERED: 'Se toimitettiin',
    CANCELLED: 'Se peruttiin',
  },
};

/** "Yesterday" and the menu's two options, per language. */
const LANGUAGE_WORDS: Readonly<Record<SmsLanguage, { yesterday: string; link: string; adviser: string }>> = {
  en: { yesterday: 'yesterday', link: 'press 1', adviser: 'press 2' },
  pl: { yesterday: 'wczoraj', link: 'naciśnij 1', adviser: 'naciśnij 2' },
  ru: { yesterday: 'вчера', link: 'нажмите 1', adviser: 'нажмите 2' },
  fi: { yesterday: 'eilen', link: 'paina 1', adviser: 'paina 2' },
};

const cases = SMS_LANGUAGES.flatMap((language) => INDEXED_STATUSES.map((status) => ({ language, status })));

describe('the order status a caller hears', () => {
  it.each(cases)(
    'says $status in $language: the order, the status, when, and the menu',
    ({ language, status }) => {
      // Prepare
      const told = order({ language, status, reason: 'Storm in the hub' });

      // Act
      const ssml = statusSsml(told, { now: NOW, linkOffered: true });

      // Assess
      expect(ssml).toMatch(/^<speak>.*<\/speak>$/s);
      expect(ssml).toContain('<say-as interpret-as="characters">0123</say-as>');
      expect(ssml).toContain(STATUS_WORDS[language][status]);
      const words = LANGUAGE_WORDS[language];
      expect(ssml).toContain(words.link);
      expect(ssml).toContain(words.adviser);
      // The menu comes last: option 1, then option 2.
      expect(ssml.indexOf(words.link)).toBeLessThan(ssml.indexOf(words.adviser));
      expect(ssml.indexOf(STATUS_WORDS[language][status])).toBeLessThan(ssml.indexOf(words.link));
      // The status changed the day before, in Warsaw.
      if (status !== 'DELAYED') expect(ssml).toContain(words.yesterday);
      // The reason is said only for a delay or a cancellation.
      expect(ssml.includes('Storm in the hub')).toBe(status === 'DELAYED' || status === 'CANCELLED');
      expect(isInert(ssml)).toBe(true);
    },
  );

  it('tells an English caller the whole story in short sentences, with the carrier and the estimate', () => {
    // Act
    const ssml = statusSsml(order({ language: 'en', timeZone: 'Europe/London' }), {
      now: NOW,
      linkOffered: true,
    });

    // Assess
    expect(ssml).toBe(
      '<speak>We have found your order ending in <say-as interpret-as="characters">0123</say-as>. ' +
        'It was shipped yesterday with DPD. We expect it to arrive tomorrow.<break time="500ms"/>' +
        'To get the tracking link by text message, press 1. To talk to an adviser, press 2.</speak>',
    );
  });

  it('says a delay with an apology, the reason and the new date, in Polish', () => {
    // Act
    const ssml = statusSsml(
      order({ status: 'DELAYED', reason: 'Zamieć śnieżna w sortowni', estimatedDelivery: '2026-12-02' }),
      { now: NOW, linkOffered: false },
    );

    // Assess
    expect(ssml).toBe(
      '<speak>Mamy twoje zamówienie o numerze kończącym się na <say-as interpret-as="characters">0123</say-as>. ' +
        'Bardzo nam przykro, ale zamówienie jest opóźnione. Powód: Zamieć śnieżna w sortowni. ' +
        'Przesyłkę wiezie DPD. Nowy przewidywany termin dostawy to 2 grudnia.<break time="500ms"/>' +
        'Aby porozmawiać z konsultantem, naciśnij 2.</speak>',
    );
  });

  it.each([
    ['ru', 'Ожидаемая дата доставки: 2 декабря.'],
    ['fi', 'Arvioitu toimituspäivä: 2. joulukuuta.'],
    ['en', 'We expect it to arrive on 2 December.'],
  ] as const)('says a date further away as a date in the language (%s)', (language, sentence) => {
    // Act
    const ssml = statusSsml(order({ language, estimatedDelivery: '2026-12-02' }), {
      now: NOW,
      linkOffered: false,
    });

    // Assess
    expect(ssml).toContain(sentence);
  });

  it('counts days in the order’s zone: just after midnight in Helsinki, a UTC yesterday is today', () => {
    // Prepare: 22:30 UTC on the 27th is 00:30 on the 28th in Helsinki
    const now = new Date('2026-11-27T22:30:00Z');
    const told = order({ language: 'fi', timeZone: 'Europe/Helsinki', changedAt: '2026-11-27T22:10:00Z' });

    // Act
    const ssml = statusSsml(told, { now, linkOffered: false });

    // Assess
    expect(ssml).toContain('Lähetimme sen tänään');
  });

  it('counts days in UTC for a zone Intl does not know, rather than failing the announcement', () => {
    // Act
    const ssml = statusSsml(order({ language: 'en', timeZone: 'Mars/Olympus_Mons' }), {
      now: NOW,
      linkOffered: false,
    });

    // Assess
    expect(ssml).toContain('It was shipped yesterday with DPD. We expect it to arrive tomorrow.');
  });

  it('leaves out the option of the link when it is not offered, and what it does not know', () => {
    // Act
    const ssml = statusSsml(
      order({
        language: 'en',
        carrier: undefined,
        estimatedDelivery: 'next week, maybe',
        changedAt: 'garbage',
      }),
      { now: NOW, linkOffered: false },
    );

    // Assess
    expect(ssml).toBe(
      '<speak>We have found your order ending in <say-as interpret-as="characters">0123</say-as>. ' +
        'It was shipped.<break time="500ms"/>To talk to an adviser, press 2.</speak>',
    );
  });

  it('speaks each language with its own Polly voice', () => {
    // Assess: the flow sets these dynamically; Russian has no neural voice
    expect(ORDER_VOICES).toEqual({
      pl: { voice: 'Ola', engine: 'Neural', bcp47: 'pl-PL' },
      en: { voice: 'Amy', engine: 'Neural', bcp47: 'en-GB' },
      ru: { voice: 'Tatyana', engine: 'Standard', bcp47: 'ru-RU' },
      fi: { voice: 'Suvi', engine: 'Neural', bcp47: 'fi-FI' },
    });
  });

  it.each(SMS_LANGUAGES)('says goodbye after the link, and sorry when it failed (%s)', (language) => {
    // Act
    const sent = linkSentSsml(language);
    const failed = linkFailedSsml(language);

    // Assess
    expect(sent).toMatch(/^<speak>[^<>]+<\/speak>$/);
    expect(failed).toMatch(/^<speak>[^<>]+<\/speak>$/);
    expect(sent).not.toBe(failed);
  });
});

describe('shop text in the announcement (SSML injection)', () => {
  it('keeps a carrier that tries to close the speech and play audio inert', () => {
    // Prepare
    const carrier = '</speak><audio src="https://evil.example/a.mp3"/><speak>';

    // Act
    const ssml = statusSsml(order({ language: 'en', carrier }), { now: NOW, linkOffered: true });

    // Assess
    expect(isInert(ssml)).toBe(true);
    expect(ssml).not.toContain('<audio');
    expect(ssml.match(/<speak>/g)).toHaveLength(1);
    expect(ssml.match(/<\/speak>/g)).toHaveLength(1);
    expect(ssml).toContain('with &lt;/speak&gt;&lt;audio src=&quot;https://evil');
  });

  it('keeps a reason with entities, quotes and hidden characters inert', () => {
    // Prepare: a bidi override, a zero-width space, a control, an entity and a break tag
    const reason = 'Driver\u202E said "no" & <break time="10s"/> left\u200B\u0007 it';

    // Act
    const ssml = statusSsml(order({ language: 'en', status: 'DELAYED', reason }), {
      now: NOW,
      linkOffered: false,
    });

    // Assess
    expect(isInert(ssml)).toBe(true);
    expect(ssml).toContain('Driver said &quot;no&quot; &amp; &lt;');
    expect([...ssml].some((char) => ['\u202E', '\u200B', '\u0007'].includes(char))).toBe(false);
  });

  it('says only the letters and digits of an order id, whatever it holds', () => {
    // Act
    const ssml = statusSsml(order({ language: 'en', orderId: 'x"/><audio src="a"/>7&9' }), {
      now: NOW,
      linkOffered: false,
    });

    // Assess
    expect(ssml).toContain('<say-as interpret-as="characters">ca79</say-as>');
    expect(isInert(ssml)).toBe(true);
  });

  it('cuts a long reason at a word, with an ellipsis, and never inside an entity', () => {
    // Prepare
    const reason = `${'word '.repeat(60)}& more`;

    // Act
    const escaped = escapeSsml(reason, 50);

    // Assess
    expect(escaped.endsWith('word…')).toBe(true);
    expect(escaped.length).toBeLessThanOrEqual(51);
    expect(escapeSsml('a & b <c> "d" \'e\'')).toBe('a &amp; b &lt;c&gt; &quot;d&quot; &apos;e&apos;');
  });
});
