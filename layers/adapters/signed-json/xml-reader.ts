/**
 * A small, strict XML reader for the answers of AWS's query protocol (SNS): elements, their text, and
 * nothing a service's answer does not use. Why not an XML library: the answers are a few flat elements,
 * and a full parser would bring back much of the load the SDK's client cost a cold start (its XML parser
 * is part of it).
 *
 * Strict: a tag left open or closed out of order, text outside the root, an `&` that is no entity, a
 * document type declaration (whose entities this reader would not expand) are refused with an
 * XmlSyntaxError, never read as something they are not. Attributes are checked for their quoting and
 * otherwise skipped (AWS puts only `xmlns` on an answer). Comments and processing instructions are skipped,
 * CDATA is text.
 */

/** One element: its name as written (prefix included), its child elements, its own text unescaped. */
export interface XmlElement {
  readonly name: string;
  readonly children: readonly XmlElement[];
  /** The text directly inside the element (between its children too), entities replaced. */
  readonly text: string;
}

export class XmlSyntaxError extends Error {
  override readonly name = 'XmlSyntaxError';
}

/** Deeper than any AWS answer: a bound on the recursion for a hostile or broken body. */
const MAX_DEPTH = 64;

const NAMED: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const REFERENCE = /&(?:#x([0-9a-fA-F]{1,6})|#([0-9]{1,7})|(amp|lt|gt|quot|apos));|&/g;

/** Text with XML's five named entities and numeric character references replaced; a bare `&` refused. */
export const unescapeXml = (text: string): string =>
  text.includes('&')
    ? text.replace(
        REFERENCE,
        (match, hex: string | undefined, decimal: string | undefined, named?: string) => {
          if (named !== undefined) return NAMED[named] ?? match;
          if (hex === undefined && decimal === undefined) {
            throw new XmlSyntaxError(`an "&" that starts no entity: ${text.slice(0, 80)}`);
          }
          const codePoint = hex === undefined ? Number(decimal) : Number.parseInt(hex, 16);
          if (codePoint === 0 || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
            throw new XmlSyntaxError(`${match} is no character`);
          }
          return String.fromCodePoint(codePoint);
        },
      )
    : text;

const NAME = /[A-Za-z_][\w.:-]*/y;
const SPACE = /\s*/y;
const ATTRIBUTE = /([A-Za-z_][\w.:-]*)\s*=\s*(?:"[^"<]*"|'[^'<]*')\s*/y;

/** Reads one document: its root element. */
export const parseXml = (xml: string): XmlElement => {
  let at = 0;
  const fail = (what: string): never => {
    throw new XmlSyntaxError(`${what} at character ${at}`);
  };
  const skipSpace = () => {
    SPACE.lastIndex = at;
    SPACE.exec(xml);
    at = SPACE.lastIndex;
  };
  /** Skips a comment or a processing instruction at `at`; false when there is none. */
  const skipMarkup = (): boolean => {
    if (xml.startsWith('<!--', at)) {
      const end = xml.indexOf('-->', at + 4);
      if (end < 0) fail('a comment never closed');
      at = end + 3;
      return true;
    }
    if (xml.startsWith('<?', at)) {
      const end = xml.indexOf('?>', at + 2);
      if (end < 0) fail('a processing instruction never closed');
      at = end + 2;
      return true;
    }
    if (xml.startsWith('<!', at) && !xml.startsWith('<![CDATA[', at)) fail('a declaration (<!DOCTYPE …)');
    return false;
  };
  const readName = (): string => {
    NAME.lastIndex = at;
    const match = NAME.exec(xml);
    if (!match) return fail('a name expected');
    at = NAME.lastIndex;
    return match[0];
  };
  const readElement = (depth: number): XmlElement => {
    if (depth > MAX_DEPTH) fail(`elements nested deeper than ${MAX_DEPTH}`);
    if (xml[at] !== '<') fail('an element expected');
    at += 1;
    const name = readName();
    skipSpace();
    for (;;) {
      ATTRIBUTE.lastIndex = at;
      if (!ATTRIBUTE.exec(xml)) break;
      at = ATTRIBUTE.lastIndex;
    }
    if (xml.startsWith('/>', at)) {
      at += 2;
      return { name, children: [], text: '' };
    }
    if (xml[at] !== '>') fail(`<${name}> not closed by ">"`);
    at += 1;
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      const next = xml.indexOf('<', at);
      if (next < 0) return fail(`<${name}> never closed`);
      text += unescapeXml(xml.slice(at, next));
      at = next;
      if (xml.startsWith('</', at)) {
        at += 2;
        const closing = readName();
        if (closing !== name) fail(`</${closing}> closes <${name}>`);
        skipSpace();
        if (xml[at] !== '>') fail(`</${closing}> not closed by ">"`);
        at += 1;
        return { name, children, text };
      }
      if (xml.startsWith('<![CDATA[', at)) {
        const end = xml.indexOf(']]>', at + 9);
        if (end < 0) fail('a CDATA section never closed');
        text += xml.slice(at + 9, end);
        at = end + 3;
        continue;
      }
      if (skipMarkup()) continue;
      children.push(readElement(depth + 1));
    }
  };

  if (xml.charCodeAt(0) === 0xfeff) at = 1;
  for (skipSpace(); skipMarkup(); skipSpace());
  const root = readElement(0);
  for (skipSpace(); skipMarkup(); skipSpace());
  if (at !== xml.length) fail('content after the root element');
  return root;
};

/** The first child element named `name`. */
export const childElement = (element: XmlElement, name: string): XmlElement | undefined =>
  element.children.find((child) => child.name === name);

/** The text of the first child element named `name`; undefined when there is no such child. */
export const childText = (element: XmlElement, name: string): string | undefined =>
  childElement(element, name)?.text;
