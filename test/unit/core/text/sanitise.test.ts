import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { inertText, inertUrl } from '#core/text/sanitise.js';

const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}\u2028\u2029]/u;
const SYNTAX = /\{\{|\}\}|\$\{|#\{|%[sdifjoOc%]|<[A-Za-z/!?]/u;

// Property runs get room on a loaded machine; the time is never what is tested.
describe('inertText', { timeout: 60_000 }, () => {
  it.each([
    ['a bidi override', 'Zwrot \u202E001 zł\u202C', 'Zwrot 001 zł'],
    ['bidi isolates and marks', '\u2066a\u2069\u200Fb\u200E\u061C', 'ab'],
    ['zero-width characters', 'pa\u200Bss\u200Cwo\u200Drd\u2060\uFEFF', 'password'],
    ['Unicode tag characters (hidden instructions)', 'ok\u{E0049}\u{E0047}\u{E004E}', 'ok'],
    ['controls and an ANSI escape', 'a\u0000b\u0007c\u001B[31md\u0085e', 'abc[31md e'],
    ['a lone surrogate', 'a\uD800b\uDFFFc', 'abc'],
    ['line breaks on one line', 'one\r\ntwo\nthree\u2028four\tfive', 'one two three four five'],
  ])('removes %s', (_what, input, expected) => {
    expect(inertText(input)).toBe(expected);
  });

  it.each([
    ['mustache', 'Hello {{name}}', 'Hello { {name} }'],
    ['a triple mustache', '{{{x}}}', '{ { {x} } }'],
    ['a JavaScript template', 'cost ${price}', 'cost $ {price}'],
    ['a Ruby interpolation', '#{x}', '# {x}'],
    ['printf directives', '%s and %d and 100%%', '% s and % d and 100% %'],
    ['an HTML tag', '<script>alert(1)</script>', '< script>alert(1)< /script>'],
    ['SSML', '<speak><break time="5s"/></speak>', '< speak>< break time="5s"/>< /speak>'],
    ['a comment and a processing instruction', '<!-- x --><?xml?>', '< !-- x -->< ?xml?>'],
  ])('breaks up %s', (_what, input, expected) => {
    expect(inertText(input)).toBe(expected);
  });

  it('keeps what people write: every script, emoji, maths and a lone brace or angle', () => {
    const text = 'Zażółć gęślą jaźń · Привет · مرحبا · 🎄🇵🇱 · 5 < 7 > 3 · {a} · 50% off · $5';
    expect(inertText(text)).toBe(text);
  });

  it('keeps the line breaks of a multi-line note, and only those', () => {
    expect(inertText('line 1\r\nline 2\u2028line 3\u200B', { multiline: true })).toBe(
      'line 1\nline 2\nline 3',
    );
  });

  it('leaves nothing invisible and no syntax, for any text, and changes nothing a second time', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 200 }),
        fc.array(fc.constantFrom('{', '}', '$', '#', '%', 's', '<', 'a', '/', '!', '\u202E', '\u200B'), {
          maxLength: 30,
        }),
        (any, syntax) => {
          for (const text of [any, syntax.join(''), any + syntax.join('')]) {
            const once = inertText(text);
            expect(once).not.toMatch(INVISIBLE);
            expect(once).not.toMatch(SYNTAX);
            expect(inertText(once)).toBe(once);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('keeps every visible character, in order (it only removes the invisible and adds spaces)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => {
        const visible = (s: string) => s.replace(/[\s\p{Cc}\p{Cf}\p{Cs}]/gu, '');
        expect(visible(inertText(text))).toBe(visible(text));
      }),
    );
  });
});

describe('inertUrl', () => {
  it('leaves a plain link exactly as the shop wrote it', () => {
    const url = 'https://inpost.pl/sledzenie-przesylek?number=62012345&lang=pl#top';
    expect(inertUrl(` ${url} `)).toBe(url);
  });

  it('percent-encodes what a template or a renderer could take for syntax, and the link still opens', () => {
    const url = inertUrl('https://sklep.example.pl/koszyk/{{token}}/<b>?q=${x}');
    expect(url).toBe('https://sklep.example.pl/koszyk/%7B%7Btoken%7D%7D/%3Cb%3E?q=$%7Bx%7D');
    expect(new URL(url).hostname).toBe('sklep.example.pl');
  });

  it('encodes invisible characters in the path', () => {
    expect(inertUrl('https://x.example/a\u202Eb\u200B')).toBe('https://x.example/a%E2%80%AEb%E2%80%8B');
  });
});
