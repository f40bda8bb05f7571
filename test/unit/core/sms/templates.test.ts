import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import {
  type OrderSmsInput,
  renderOrderSms,
  SMS_KINDS,
  SMS_LANGUAGES,
  type SmsKind,
  type SmsLanguage,
  smsKindForStatus,
  SmsTooLongError,
} from '#core/sms/templates.js';
import { ORDER_STATUSES } from '#events/index.js';

const LOCALES: Readonly<Record<SmsLanguage, string>> = {
  pl: 'pl-PL',
  en: 'en-GB',
  ru: 'ru-RU',
  fi: 'fi-FI',
};

const ORDER_ID = 'PL-2025-11-28-0001234567';
const CARRIER = 'Poczta Polska Pocztex Kurier 48';
// 88 characters with a query string, as carriers' links are.
const LONG_URL = 'https://tracking.poczta-polska.pl/sledzenie?numer=PX0012345678901234567890&lang=pl&utm=sms';
const SHORT_URL = 'https://inpost.pl/s?n=520113014230722029';

// About 200 characters each, in the customer's language, as a shop would write them.
const LONG_REASONS: Readonly<Record<SmsLanguage, string>> = {
  pl: 'Z powodu intensywnych opadów śniegu sortownia przewoźnika w Strykowie wstrzymała pracę na dwa dni, a kolejka paczek czekających na wysyłkę jest dłuższa niż zwykle w okresie świątecznym.',
  en: "Heavy snow closed the carrier's sorting centre near Lodz for two days, and the queue of parcels waiting to go out is much longer than usual in the run-up to Christmas, so every delivery is running behind.",
  ru: 'Из-за сильного снегопада сортировочный центр перевозчика под Лодзью простоял два дня, и очередь посылок, ожидающих отправки, сейчас намного длиннее, чем обычно перед праздниками.',
  fi: 'Voimakkaan lumisateen vuoksi kuljetusyhtiön lajittelukeskus oli suljettuna kaksi päivää, ja lähtevien pakettien jono on nyt paljon tavallista pidempi joulun alla, joten kaikki toimitukset ovat myöhässä.',
};

const longInput = (language: SmsLanguage, kind: SmsKind): OrderSmsInput => ({
  kind,
  locale: LOCALES[language],
  timeZone: 'Europe/Warsaw',
  shopName: 'Sklep Peak',
  orderId: ORDER_ID,
  total: { amount: 1249.99, currency: 'PLN' },
  trackingUrl: LONG_URL,
  carrier: CARRIER,
  estimatedDelivery: '2025-12-02',
  reason: LONG_REASONS[language],
  replyWithinHours: 5,
});

const ALL_CASES = SMS_LANGUAGES.flatMap((language) => SMS_KINDS.map((kind) => [language, kind] as const));

/** The checks every rendered SMS must pass, whatever was dropped to fit. */
const expectWellFormed = (body: string, cap: number, reported: { segments: number; encoding: string }) => {
  const reference = new SegmentedMessage(body);
  expect(reported.segments).toBe(reference.segmentsCount);
  expect(reported.encoding).toBe(reference.encodingName);
  expect(reported.segments).toBeLessThanOrEqual(cap);
  expect(body).toContain(ORDER_ID);
  expect(body).not.toMatch(/ {2}|^\s|\s$/);
};

describe('renderOrderSms within the segment cap', () => {
  it.each(ALL_CASES)('%s %s fits 3 segments with long inputs', (language, kind) => {
    // Prepare
    const input = longInput(language, kind);

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.language).toBe(language);
    expectWellFormed(sms.body, 3, sms);
    // The link is whole or absent, never cut.
    if (sms.body.includes('https://')) expect(sms.body).toContain(LONG_URL);
  });

  it.each(
    SMS_LANGUAGES.flatMap((language) => [
      [language, 'order-shipped'] as const,
      [language, 'order-out-for-delivery'] as const,
    ]),
  )('%s %s keeps the whole 88-character tracking link at cap 3', (language, kind) => {
    // Prepare
    const input = longInput(language, kind);

    // Act
    const { body } = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(body.endsWith(LONG_URL)).toBe(true);
  });

  it.each([
    ['pl', 'shortened'],
    ['ru', 'shortened'],
    ['en', 'whole'],
    ['fi', 'whole'],
  ] as const)(
    '%s DELAYED keeps the new date and the 200-character reason (%s) at cap 3',
    (language, reason) => {
      // Prepare: GSM-7 has room for 459 characters in 3 parts, UCS-2 for 201.
      const input = longInput(language, 'order-delayed');
      const dates: Readonly<Record<SmsLanguage, RegExp>> = {
        pl: /wt(orek|\.), 2 gru/,
        en: /Tue(sday)? 2 Dec/,
        ru: /вт(орник)?, 2 дек/,
        fi: /ti(istai)? 2\.( joulukuuta|12\.)/,
      };

      // Act
      const { body } = renderOrderSms(input, { segmentCap: 3 });

      // Assess
      expect(body).toMatch(dates[language]);
      if (reason === 'whole') {
        expect(body).toContain(LONG_REASONS[language]);
      } else {
        expect(body).toContain(LONG_REASONS[language].slice(0, 60));
        expect(body).toMatch(/\S… /);
      }
    },
  );

  describe('pl at cap 2 (134 UCS-2 characters): the shortest variants still fit', () => {
    const cap = 2;
    it('order-placed drops the total and the full wording, keeps the reply time', () => {
      // Prepare
      const input = longInput('pl', 'order-placed');

      // Act
      const sms = renderOrderSms(input, { segmentCap: cap });

      // Assess
      expectWellFormed(sms.body, cap, sms);
      expect(sms.body).toContain('za 5 godzin');
      expect(sms.body).not.toContain('zł');
    });

    it('order-packed uses the short wording and keeps the date', () => {
      // Prepare
      const input = longInput('pl', 'order-packed');

      // Act
      const sms = renderOrderSms(input, { segmentCap: cap });

      // Assess
      expectWellFormed(sms.body, cap, sms);
      expect(sms.body).toContain('Dostawa: wt., 2 gru.');
    });

    it.each(['order-shipped', 'order-out-for-delivery'] as const)(
      '%s drops the carrier and the 88-character link (whole), keeps the date',
      (kind) => {
        // Prepare
        const input = longInput('pl', kind);

        // Act
        const sms = renderOrderSms(input, { segmentCap: cap });

        // Assess
        expectWellFormed(sms.body, cap, sms);
        expect(sms.body).not.toContain('https');
        expect(sms.body).not.toContain('Pocztex');
        expect(sms.body).toContain('wt., 2 gru');
      },
    );

    it.each(['order-shipped', 'order-out-for-delivery'] as const)(
      '%s keeps a 40-character link, drops the carrier',
      (kind) => {
        // Prepare
        const input = { ...longInput('pl', kind), trackingUrl: SHORT_URL };

        // Act
        const sms = renderOrderSms(input, { segmentCap: cap });

        // Assess
        expectWellFormed(sms.body, cap, sms);
        expect(sms.body.endsWith(SHORT_URL)).toBe(true);
        expect(sms.body).not.toContain('Pocztex');
      },
    );

    it('order-delivered uses the short wording', () => {
      // Prepare
      const input = longInput('pl', 'order-delivered');

      // Act
      const sms = renderOrderSms(input, { segmentCap: cap });

      // Assess
      expectWellFormed(sms.body, cap, sms);
      expect(sms.body).toBe(`Sklep Peak: zamówienie ${ORDER_ID} doręczone. Miłego korzystania!`);
    });

    it('order-delayed drops the reason (too little of it would fit), keeps the new date and what happens next', () => {
      // Prepare
      const input = longInput('pl', 'order-delayed');

      // Act
      const sms = renderOrderSms(input, { segmentCap: cap });

      // Assess
      expectWellFormed(sms.body, cap, sms);
      expect(sms.body).not.toContain('Powód');
      expect(sms.body).toContain('Nowy termin: wt., 2 gru.');
      expect(sms.body).toContain('Damy znać o zmianach.');
    });

    it('order-cancelled shortens the reason with an ellipsis, keeps the refund sentence', () => {
      // Prepare
      const input = longInput('pl', 'order-cancelled');

      // Act
      const sms = renderOrderSms(input, { segmentCap: cap });

      // Assess
      expectWellFormed(sms.body, cap, sms);
      expect(sms.body).toMatch(/Powód: Z powodu \S+… /);
      expect(sms.body).toContain('Jeśli było opłacone, pieniądze wrócą do Ciebie.');
    });
  });

  it('shortens a 500-character English reason at a word boundary with "..." so the SMS stays GSM-7', () => {
    // Prepare
    const reason = Array.from({ length: 50 }, (_, i) => `word${i}`).join(' ');
    const input: OrderSmsInput = { ...longInput('en', 'order-delayed'), reason };

    // Act
    const sms = renderOrderSms(input, { segmentCap: 1 });

    // Assess
    expectWellFormed(sms.body, 1, sms);
    expect(sms.encoding).toBe('GSM-7');
    const kept = /Reason: (.+?)\.\.\. /.exec(sms.body)?.[1] ?? '';
    expect(kept.length).toBeGreaterThanOrEqual(12);
    expect(reason.startsWith(`${kept} `)).toBe(true);
  });

  it('drops a 300-character link whole rather than cutting it', () => {
    // Prepare
    const url = `https://tracking.example.com/p?${'x'.repeat(270)}`;
    const input: OrderSmsInput = { ...longInput('en', 'order-shipped'), trackingUrl: url };

    // Act
    const sms = renderOrderSms(input, { segmentCap: 1 });

    // Assess
    expectWellFormed(sms.body, 1, sms);
    expect(sms.body).not.toContain('https');
    expect(sms.body).toContain('Delivery: Tue 2 Dec.');
  });

  it('throws a clear error naming the kind and the cap when even the shortest form does not fit', () => {
    // Prepare
    const input = longInput('pl', 'order-delayed');

    // Act
    const render = () => renderOrderSms(input, { segmentCap: 1 });

    // Assess
    expect(render).toThrow(SmsTooLongError);
    expect(render).toThrow(/order-delayed SMS \(pl\) does not fit the segment cap of 1/);
  });

  it('never drops the order id: a 300-character id that cannot fit is an error, not a shorter SMS', () => {
    // Prepare
    const input: OrderSmsInput = { ...longInput('en', 'order-shipped'), orderId: 'X'.repeat(300) };

    // Act
    const render = () => renderOrderSms(input, { segmentCap: 1 });

    // Assess
    expect(render).toThrow(/order-shipped SMS \(en\) does not fit the segment cap of 1/);
  });

  it.each([0, -1, 1.5, Number.NaN])('refuses a segment cap of %s', (segmentCap) => {
    // Prepare
    const input = longInput('en', 'order-delivered');

    // Act
    const render = () => renderOrderSms(input, { segmentCap });

    // Assess
    expect(render).toThrow(RangeError);
  });

  it('fits the cap, keeps the order id and never cuts the link, for any reason, link and cap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...SMS_LANGUAGES),
        fc.constantFrom(...SMS_KINDS),
        fc.integer({ min: 1, max: 4 }),
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 500 }),
        fc.integer({ min: 0, max: 300 }),
        (language, kind, cap, reason, urlPadding) => {
          // Prepare
          const url = `https://t.example.com/${'p'.repeat(urlPadding)}`;
          const input: OrderSmsInput = { ...longInput(language, kind), reason, trackingUrl: url };

          // Act
          let sms;
          try {
            sms = renderOrderSms(input, { segmentCap: cap });
          } catch (error) {
            // Assess: refusing is allowed, but only with the error that says why.
            expect(error).toBeInstanceOf(SmsTooLongError);
            return;
          }

          // Assess
          expectWellFormed(sms.body, cap, sms);
          if (sms.body.includes('https://')) expect(sms.body).toContain(url);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('renderOrderSms wording', () => {
  const SAMPLE_URL = 'https://inpost.pl/sledzenie-przesylek?number=520113014230722029585646';
  const sample = (
    language: SmsLanguage,
    kind: SmsKind,
    extra: Partial<OrderSmsInput> = {},
  ): OrderSmsInput => ({
    kind,
    locale: LOCALES[language],
    timeZone: 'Europe/Warsaw',
    shopName: 'Sklep Peak',
    orderId: ORDER_ID,
    carrier: 'InPost',
    trackingUrl: SAMPLE_URL,
    ...extra,
  });

  it.each([
    [
      'pl',
      `Sklep Peak: Twoje zamówienie ${ORDER_ID} jest już w drodze! Przewidywana dostawa: wtorek, 2 grudnia. Śledź paczkę: ${SAMPLE_URL}`,
    ],
    [
      'en',
      `Sklep Peak: your order ${ORDER_ID} is on its way! It's travelling with InPost. Expected delivery: Tuesday 2 December. Track it here: ${SAMPLE_URL}`,
    ],
    [
      'ru',
      `Sklep Peak: Ваш заказ ${ORDER_ID} уже в пути! Ожидаемая доставка: вторник, 2 декабря. Отследить посылку: ${SAMPLE_URL}`,
    ],
    [
      'fi',
      `Sklep Peak: tilauksesi ${ORDER_ID} on matkalla! Kuljetusyhtiö: InPost. Arvioitu toimitus: tiistai 2. joulukuuta. Seuraa pakettia: ${SAMPLE_URL}`,
    ],
  ] as const)('%s SHIPPED reads naturally', (language, expected) => {
    // Prepare
    const input = sample(language, 'order-shipped', { estimatedDelivery: '2025-12-02' });

    // Act
    const { body } = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(body).toBe(expected);
  });

  it.each([
    [
      'pl',
      'śnieżyca zatrzymała na dobę sortownię przewoźnika pod Łodzią',
      `Sklep Peak: przykro nam, zamówienie ${ORDER_ID} się opóźni. Powód: śnieżyca zatrzymała na dobę sortownię przewoźnika pod Łodzią. Nowy termin: czw., 4 gru. Damy znać o zmianach.`,
    ],
    [
      'en',
      "a snowstorm shut the carrier's sorting centre near Lodz for a day",
      `Sklep Peak: your order ${ORDER_ID} is running late. We know you're waiting for it, and we're sorry. Reason: a snowstorm shut the carrier's sorting centre near Lodz for a day. New expected delivery: Thursday 4 December. Carrier: InPost. If anything changes, we'll text you straight away. Track it here: ${SAMPLE_URL}`,
    ],
    [
      'ru',
      'из-за метели сортировочный центр перевозчика под Лодзью простоял сутки',
      `Sklep Peak: к сожалению, заказ ${ORDER_ID} задерживается. Причина: из-за метели сортировочный центр перевозчика под Лодзью простоял сутки. Новый срок: чт, 4 дек. Сообщим об изменениях.`,
    ],
    [
      'fi',
      'lumimyrsky pysäytti kuljetusyhtiön lajittelukeskuksen vuorokaudeksi',
      `Sklep Peak: tilauksesi ${ORDER_ID} on myöhässä. Tiedämme, että odotat sitä, ja olemme todella pahoillamme. Syy: lumimyrsky pysäytti kuljetusyhtiön lajittelukeskuksen vuorokaudeksi. Uusi arvioitu toimitus: torstai 4. joulukuuta. Kuljetusyhtiö: InPost. Jos tilanne muuttuu, ilmoitamme heti. Seuraa pakettia: ${SAMPLE_URL}`,
    ],
  ] as const)(
    '%s DELAYED acknowledges the wait, gives the reason, the new date and what happens next',
    (language, reason, expected) => {
      // Prepare
      const input = sample(language, 'order-delayed', { estimatedDelivery: '2025-12-04', reason });

      // Act
      const { body } = renderOrderSms(input, { segmentCap: 3 });

      // Assess
      expect(body).toBe(expected);
    },
  );

  it.each([
    ['pl', 'Napiszemy, gdy tylko poznamy nowy termin.'],
    ['en', "We'll text you as soon as we have a new date."],
    ['ru', 'Напишем, как только узнаем новый срок.'],
    ['fi', 'Ilmoitamme heti, kun tiedämme uuden toimitusajan.'],
  ] as const)('%s DELAYED without a new date promises to send one', (language, promise) => {
    // Prepare
    const input = sample(language, 'order-delayed');

    // Act
    const { body } = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(body).toContain(promise);
  });

  it.each([
    ['pl', 'Jeśli było już opłacone, pieniądze wrócą do Ciebie.', 'Powód: brak towaru u dostawcy.'],
    ['en', "If you've already paid, you'll get your money back.", 'Reason: out of stock at the supplier.'],
    ['ru', 'Если Вы уже оплатили заказ, деньги вернутся к Вам.', 'Причина: товара нет у поставщика.'],
    ['fi', 'Jos olet jo maksanut sen, saat rahasi takaisin.', 'Syy: tuote on loppu toimittajalta.'],
  ] as const)(
    '%s CANCELLED says the money comes back only if paid, and gives the reason',
    (language, refund, reason) => {
      // Prepare
      const shopReason = reason.slice(reason.indexOf(':') + 2, -1);
      const input = sample(language, 'order-cancelled', { reason: shopReason });

      // Act
      const { body } = renderOrderSms(input, { segmentCap: 3 });

      // Assess
      expect(body).toContain(refund);
      expect(body).toContain(reason);
    },
  );

  it('ends a reason with one full stop, whatever punctuation or whitespace the shop left', () => {
    // Prepare
    const input = sample('en', 'order-cancelled', { reason: '  Out of stock\n at the\tsupplier,  ' });

    // Act
    const { body } = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(body).toContain('Reason: Out of stock at the supplier. If');
  });

  it.each([
    ['pl-PL', 'na kwotę 249,99 zł'],
    ['en-GB', '(PLN 249.99)'],
    ['ru-RU', 'на сумму 249,99 PLN'],
    ['fi-FI', '(249,99 PLN)'],
  ])('%s formats the total with Intl for the full locale', (locale, fragment) => {
    // Prepare
    const input: OrderSmsInput = {
      ...sample('en', 'order-placed'),
      locale,
      total: { amount: 249.99, currency: 'PLN' },
    };

    // Act
    const { body } = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(body).toContain(fragment);
  });

  describe('the wait for an answer when the contact centre is overloaded (OrderPlaced)', () => {
    it.each([
      ['pl', 1, 'Odpowiemy najpóźniej za 1 godzinę.'],
      ['pl', 2, 'Odpowiemy najpóźniej za 2 godziny.'],
      ['pl', 5, 'Odpowiemy najpóźniej za 5 godzin.'],
      ['pl', 22, 'Odpowiemy najpóźniej za 22 godziny.'],
      ['ru', 1, 'Ответим не позже чем через 1 час.'],
      ['ru', 2, 'Ответим не позже чем через 2 часа.'],
      ['ru', 5, 'Ответим не позже чем через 5 часов.'],
      ['ru', 21, 'Ответим не позже чем через 21 час.'],
      ['fi', 1, 'Vastausaikamme on nyt enintään 1 tunti.'],
      ['fi', 2, 'Vastausaikamme on nyt enintään 2 tuntia.'],
      ['en', 1, "We'll get back to you within 1 hour."],
      ['en', 2, "We'll get back to you within 2 hours."],
      ['en', 1.5, "We'll get back to you within 2 hours."],
    ] as const)('%s, %s hour(s): %s', (language, hours, fragment) => {
      // Prepare
      const input = sample(language, 'order-placed', { replyWithinHours: hours });

      // Act
      const { body } = renderOrderSms(input, { segmentCap: 3 });

      // Assess
      expect(body).toContain(fragment);
    });

    it.each(SMS_LANGUAGES)('%s says nothing about a wait when the centre is not overloaded', (language) => {
      // Prepare
      const input = sample(language, 'order-placed');

      // Act
      const { body } = renderOrderSms(input, { segmentCap: 3 });

      // Assess
      expect(body).not.toMatch(/\d (godzin|час|tunti|hour)/);
    });

    it('refuses a wait of zero hours', () => {
      // Prepare
      const input = sample('en', 'order-placed', { replyWithinHours: 0 });

      // Act
      const render = () => renderOrderSms(input, { segmentCap: 3 });

      // Assess
      expect(render).toThrow(/replyWithinHours/);
    });
  });

  it('never uses "sorry for any inconvenience" or its equivalents, in any language, kind or variant', () => {
    // Prepare
    const forbidden = [
      /inconvenience/i,
      /przepraszamy za (niedogodności|utrudnienia)/i,
      /niedogodno/i,
      /приносим (свои )?извинения/i,
      /неудобств/i,
      /pahoittelemme/i,
      /haitta|haitasta/i,
    ];
    const inputs = ALL_CASES.flatMap(([language, kind]) => [
      longInput(language, kind),
      sample(language, kind, { estimatedDelivery: '2025-12-04' }),
      sample(language, kind),
    ]);

    // Act
    const bodies = inputs.flatMap((input) =>
      [1, 2, 3, 4].flatMap((segmentCap) => {
        try {
          return [renderOrderSms(input, { segmentCap }).body];
        } catch {
          return [];
        }
      }),
    );

    // Assess
    expect(bodies.length).toBeGreaterThan(ALL_CASES.length * 3);
    for (const body of bodies) for (const phrase of forbidden) expect(body).not.toMatch(phrase);
  });
});

describe('renderOrderSms encoding', () => {
  it.each(SMS_KINDS)('pl %s keeps its diacritics and is therefore UCS-2', (kind) => {
    // Prepare
    const input = longInput('pl', kind);

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.encoding).toBe('UCS-2');
    expect(sms.body).toMatch(/[ąćęłńóśźż]/);
  });

  it.each(SMS_KINDS)('ru %s is written in Cyrillic (UCS-2)', (kind) => {
    // Prepare
    const input = longInput('ru', kind);

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.encoding).toBe('UCS-2');
    expect(sms.body).toMatch(/\p{Script=Cyrillic}{4}/u);
  });

  it.each(SMS_KINDS)('en %s stays GSM-7 with plain English inputs', (kind) => {
    // Prepare
    const input = longInput('en', kind);

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.encoding).toBe('GSM-7');
  });

  it.each(SMS_KINDS)('fi %s keeps ä/ö and stays GSM-7', (kind) => {
    // Prepare
    const input = longInput('fi', kind);

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.encoding).toBe('GSM-7');
    expect(sms.body).toMatch(/[äö]/);
  });

  it("turns the shop's curly quotes, dashes and odd spaces into GSM-7 look-alikes", () => {
    // Prepare
    const input: OrderSmsInput = {
      ...longInput('en', 'order-cancelled'),
      reason: 'The supplier’s “winter” range\u00a0– sold out…',
    };

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.encoding).toBe('GSM-7');
    expect(sms.body).toContain('Reason: The supplier\'s "winter" range - sold out...');
  });

  it('writes English money and times without the no-break spaces Intl puts in', () => {
    // Prepare
    const input: OrderSmsInput = {
      ...longInput('en', 'order-out-for-delivery'),
      locale: 'en-US',
      timeZone: 'America/New_York',
      estimatedDelivery: '2025-12-02T15:00:00+01:00',
    };

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.encoding).toBe('GSM-7');
    expect(sms.body).toContain('Expected: Tuesday, December 2, from 9:00 AM.');
  });
});

describe('renderOrderSms dates', () => {
  it.each(['Pacific/Auckland', 'America/Los_Angeles', 'Pacific/Kiritimati', 'Pacific/Pago_Pago'])(
    'a date-only estimate does not shift a day in %s',
    (timeZone) => {
      // Prepare
      const polish = { ...longInput('pl', 'order-packed'), timeZone, estimatedDelivery: '2025-12-02' };
      const english = { ...longInput('en', 'order-packed'), timeZone, estimatedDelivery: '2025-12-02' };

      // Act
      const pl = renderOrderSms(polish, { segmentCap: 4 });
      const en = renderOrderSms(english, { segmentCap: 4 });

      // Assess
      expect(pl.body).toContain('wtorek, 2 grudnia');
      expect(en.body).toContain('Tuesday 2 December');
    },
  );

  it('shows any calendar date as that date, in any zone', () => {
    const MONTHS = [
      'January',
      'February',
      'March',
      'April',
      'May',
      'June',
      'July',
      'August',
      'September',
      'October',
      'November',
      'December',
    ];
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('2000-01-01T00:00:00Z'),
          max: new Date('2099-12-31T00:00:00Z'),
          noInvalidDate: true,
        }),
        fc.constantFrom(
          'Pacific/Auckland',
          'America/Los_Angeles',
          'Pacific/Kiritimati',
          'Pacific/Pago_Pago',
          'Europe/Warsaw',
        ),
        (date, timeZone) => {
          // Prepare
          const iso = date.toISOString().slice(0, 10);
          const input = { ...longInput('en', 'order-packed'), timeZone, estimatedDelivery: iso };

          // Act
          const { body } = renderOrderSms(input, { segmentCap: 4 });

          // Assess
          expect(body).toContain(`Expected delivery: `);
          expect(body).toMatch(new RegExp(` ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]}\\.`));
        },
      ),
      { numRuns: 50 },
    );
  });

  it("shows a date-time estimate in the customer's zone, with the start of the window", () => {
    // Prepare: 15:00 in Warsaw is 03:00 the next day in Auckland.
    const input = {
      ...longInput('pl', 'order-packed'),
      timeZone: 'Pacific/Auckland',
      estimatedDelivery: '2025-12-02T15:00:00+01:00',
    };

    // Act
    const { body } = renderOrderSms(input, { segmentCap: 4 });

    // Assess
    expect(body).toContain('Przewidywana dostawa: środa, 3 grudnia, od 3:00.');
  });

  it('shows a window starting at midnight as the day alone', () => {
    // Prepare
    const input = {
      ...longInput('fi', 'order-packed'),
      timeZone: 'Europe/Helsinki',
      estimatedDelivery: '2025-12-02T00:00:00+02:00',
    };

    // Act
    const { body } = renderOrderSms(input, { segmentCap: 4 });

    // Assess
    expect(body).toContain('Arvioitu toimitus: tiistai 2. joulukuuta.');
  });

  it('refuses an estimate that is not an ISO date', () => {
    // Prepare
    const input = { ...longInput('en', 'order-packed'), estimatedDelivery: '2/12/2025' };

    // Act
    const render = () => renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(render).toThrow(/estimatedDelivery/);
  });
});

describe('renderOrderSms language', () => {
  it.each([
    ['pl-PL', 'pl'],
    ['pl', 'pl'],
    ['ru-UA', 'ru'],
    ['fi-FI', 'fi'],
    ['en-US', 'en'],
    ['de-DE', 'en'],
    ['sv-FI', 'en'],
    ['uk-UA', 'en'],
  ] as const)('%s -> %s', (locale, language) => {
    // Prepare
    const input = { ...longInput('en', 'order-shipped'), locale };

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.language).toBe(language);
  });

  it("writes English for de-DE, with the German customer's date conventions", () => {
    // Prepare
    const input = {
      ...longInput('en', 'order-packed'),
      locale: 'de-DE',
      total: { amount: 249.99, currency: 'EUR' },
    };

    // Act
    const sms = renderOrderSms(input, { segmentCap: 3 });

    // Assess
    expect(sms.language).toBe('en');
    expect(sms.body).toContain('Your order');
    expect(sms.body).toContain('Expected delivery: Tuesday, 2 December.');
    expect(sms.body).not.toMatch(/Dezember|Dienstag/);
  });
});

describe('smsKindForStatus', () => {
  it.each([
    ['PLACED', 'order-placed'],
    ['PACKED', 'order-packed'],
    ['SHIPPED', 'order-shipped'],
    ['OUT_FOR_DELIVERY', 'order-out-for-delivery'],
    ['DELIVERED', 'order-delivered'],
    ['DELAYED', 'order-delayed'],
    ['CANCELLED', 'order-cancelled'],
  ] as const)('%s -> %s', (status, kind) => {
    // Prepare: the status from the table

    // Act
    const result = smsKindForStatus(status);

    // Assess
    expect(result).toBe(kind);
  });

  it('has a distinct kind for every status of the event contract', () => {
    // Prepare
    const statuses = [...ORDER_STATUSES, 'PLACED'] as const;

    // Act
    const kinds = statuses.map((status) => smsKindForStatus(status));

    // Assess
    expect(new Set(kinds).size).toBe(statuses.length);
    for (const kind of kinds) expect(SMS_KINDS).toContain(kind);
  });
});
