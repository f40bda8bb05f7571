import fc from 'fast-check';
import { SegmentedMessage } from 'sms-segments-calculator';
import { describe, expect, it } from 'vitest';
import { isStandaloneText, measureSms } from '#core/sms/segments.js';

/** measureSms says what sms-segments-calculator (the reference) says of `body`: parts, encoding, characters. */
const expectAsTheCalculator = (body: string): void => {
  const reference = new SegmentedMessage(body);
  expect(measureSms(body)).toEqual({
    segments: reference.segmentsCount,
    encoding: reference.encodingName,
    characters: reference.numberOfCharacters,
  });
};

describe('measureSms', () => {
  it('counts plain English as GSM-7, one character per letter', () => {
    // Prepare
    const body = 'Your order PL-2025-11-28-0001234567 is on its way!';

    // Act
    const measure = measureSms(body);

    // Assess
    expect(measure).toEqual({ segments: 1, encoding: 'GSM-7', characters: body.length });
  });

  it('counts Finnish ä, ö and å as GSM-7: they are in its basic alphabet', () => {
    // Prepare
    const body = 'Tilauksesi on matkalla! Pidäthän puhelimen lähellä. Åland';

    // Act
    const measure = measureSms(body);

    // Assess
    expect(measure.encoding).toBe('GSM-7');
  });

  it.each([
    ['Polish diacritics', 'Twoje zamówienie jest już w drodze'],
    ['Cyrillic', 'Ваш заказ уже в пути'],
    ['a curly apostrophe', 'We’ll text you'],
    ['a no-break space from Intl', '249,99\u00a0zł'],
  ])('switches to UCS-2 for %s', (_what, body) => {
    // Prepare: the body from the table

    // Act
    const measure = measureSms(body);

    // Assess
    expect(measure.encoding).toBe('UCS-2');
  });

  it.each([
    ['GSM-7', 'a', 160, 1],
    ['GSM-7', 'a', 161, 2],
    ['GSM-7', 'a', 306, 2],
    ['GSM-7', 'a', 307, 3],
    ['UCS-2', 'ż', 70, 1],
    ['UCS-2', 'ż', 71, 2],
    ['UCS-2', 'ż', 134, 2],
    ['UCS-2', 'ż', 135, 3],
  ])('%s: %i x "%s" is %i segment(s) at the part limits', (encoding, char, count, segments) => {
    // Prepare
    const body = char.repeat(count as number);

    // Act
    const measure = measureSms(body);

    // Assess
    expect(measure).toEqual({ segments, encoding, characters: count });
  });

  it('counts a GSM-7 extension character such as € as two characters', () => {
    // Prepare
    const body = '249,99 €';

    // Act
    const measure = measureSms(body);

    // Assess
    expect(measure).toEqual({ segments: 1, encoding: 'GSM-7', characters: body.length + 1 });
  });

  it('reports what sms-segments-calculator reports, for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 400 }), (body) => {
        // Act and Assess
        expectAsTheCalculator(body);
      }),
      { numRuns: 100 },
    );
  });

  it('agrees with sms-segments-calculator on every character of the Basic Multilingual Plane alone', () => {
    // Prepare
    const disagreements: string[] = [];

    // Act
    for (let code = 0; code < 0x10000; code += 1) {
      const char = String.fromCharCode(code);
      const reference = new SegmentedMessage(char);
      const measure = measureSms(char);
      if (
        measure.encoding !== reference.encodingName ||
        measure.characters !== reference.numberOfCharacters
      ) {
        disagreements.push(code.toString(16));
      }
    }

    // Assess
    expect(disagreements).toEqual([]);
  });

  it('agrees with sms-segments-calculator on long messages mixing escapes, diacritics, emoji and CR LF', () => {
    // The mixes where parts could split differently: escaped GSM-7 characters (two septets) and
    // graphemes of several code units (emoji, flags, a letter with a combining mark) at part boundaries.
    const pieces = [
      'a',
      'Z',
      ' ',
      '.',
      '€',
      '[',
      '^',
      '\f',
      'ä',
      'ż',
      'Ł',
      'ё',
      '…',
      '👍',
      '🇵🇱',
      'e\u0301',
      '\r\n',
      '\n',
    ];
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), { maxLength: 700 }), (parts) => {
        // Act and Assess
        expectAsTheCalculator(parts.join(''));
      }),
      { numRuns: 500, seed: 16 },
    );
  });

  it('treats as a character of its own only what the segmenter never joins with a neighbour', () => {
    // Prepare: between two letters, a code unit that extends or prepends a grapheme would join one of them.
    const segmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });
    const joined: string[] = [];

    // Act
    for (let code = 0; code < 0x10000; code += 1) {
      const char = String.fromCharCode(code);
      if (!isStandaloneText(char)) continue;
      if (Array.from(segmenter.segment(`a${char}a`)).length !== 3) joined.push(code.toString(16));
    }

    // Assess
    expect(joined).toEqual([]);
  });
});
