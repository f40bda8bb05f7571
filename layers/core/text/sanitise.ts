/**
 * Shop-entered text (a delay reason, a carrier, an item's name, a payment note, an id) goes into SMS
 * bodies and Connect task descriptions that people read and other systems process. The shop is trusted
 * to send events, not to decide what a customer's phone or an agent's screen shows, so such text is made
 * inert where it enters a message:
 *
 * - invisible characters go: controls (but a line break where the text may have lines), format
 *   characters (bidirectional overrides and isolates, which can make "refund 100" display as another
 *   text; zero-width spaces and joiners, which hide words from filters and reviewers; Unicode tag
 *   characters, which carry hidden instructions), and lone surrogates (invalid UTF-16, refused by SNS);
 * - template and markup openers are broken up with a space, so no template engine, format function,
 *   HTML renderer or SSML reader along the way (an agent's workspace, a CRM macro, a flow that speaks
 *   an attribute) can take them for syntax: `{{`, `}}`, `${`, `#{`, `%s`-style directives, and `<`
 *   before a tag name, `/`, `!` or `?`. The words themselves stay readable.
 *
 * Emoji and every script stay as they are: they are what people write. (An emoji sequence joined by
 * ZWJ falls apart into its parts, still readable.)
 */

/** Every C0/C1 control except the line break, every format character, and lone surrogates. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Cs}]/gu;
/** The same, keeping `\n`. */
const INVISIBLE_KEEP_LINES = /(?!\n)[\p{Cc}\p{Cf}\p{Cs}]/gu;
/** Every line break (LF, CR, CRLF, VT, FF, NEL, the Unicode separators): one `\n`, or a space on one line. */
const LINE_BREAKS = /\r\n?|[\n\v\f\u0085\u2028\u2029]/gu;
/** A tab reads as a space anywhere. */
const TABS = /\t/gu;

/**
 * Openers of template, format and markup syntax, each followed by what makes it one; a space goes after
 * the opener. Lookaheads, so a run (`{{{`, `<<b>`) is broken at every step in one pass.
 */
const OPENERS = /(\{(?=\{)|\}(?=\})|\$(?=\{)|#(?=\{)|%(?=[sdifjoOc%])|<(?=[A-Za-z/!?]))/gu;

export interface InertTextOptions {
  /** Keep line breaks (a shop's multi-line note); otherwise they become spaces. @default false */
  readonly multiline?: boolean;
}

/** `text` with nothing invisible and no template or markup syntax left in it (see the module's comment). */
export const inertText = (text: string, options: InertTextOptions = {}): string => {
  const lines = text.replace(LINE_BREAKS, options.multiline === true ? '\n' : ' ').replace(TABS, ' ');
  const visible =
    options.multiline === true ? lines.replace(INVISIBLE_KEEP_LINES, '') : lines.replace(INVISIBLE, '');
  return visible.replace(OPENERS, '$1 ');
};

/**
 * A link as the WHATWG URL parser writes it: whatever a template or a renderer could take for syntax
 * (`{`, `}`, `<`, `>`, spaces, quotes) is percent-encoded, invisible characters are encoded or refused,
 * and the link still opens. Percent signs stay: in a URL they are its encoding, not a format directive.
 * Not a URL at all (the schemas let none through): made inert as text.
 */
export const inertUrl = (url: string): string => {
  const trimmed = url.trim();
  // Only RFC 3986 characters: nothing to encode, and the link stays exactly as the shop wrote it.
  if (/^[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=%]+$/u.test(trimmed)) return trimmed;
  try {
    // The parser leaves braces and angles in a query or a fragment; encoded, they mean the same to the shop.
    return new URL(trimmed).href.replace(
      /[{}<>"`]/gu,
      (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`,
    );
  } catch {
    return inertText(url).trim();
  }
};
