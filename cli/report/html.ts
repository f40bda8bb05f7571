/**
 * The page around the planning reports (`peakline plan --html`, `peakline simulate --html`): one self-
 * contained HTML file with its styles inline, SVG charts from charts.ts and plain tables. It carries no
 * script, so it renders the same in any browser, in a mail client and on paper.
 */

const ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Text as HTML: every value that reaches a report (queue names, file names) passes through here. */
export const escapeHtml = (text: string): string => text.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

export type Cell = string | number | null;

export interface TableOptions {
  /** A caption above the table. */
  readonly caption?: string;
  /** Formats numbers; strings are shown as they are, null as an en dash. @default up to 2 decimals */
  readonly format?: (value: number, column: number) => string;
  /** Rows to set in bold (totals). */
  readonly emphasise?: (row: readonly Cell[], index: number) => boolean;
}

const defaultFormat = (value: number): string =>
  Number.isInteger(value)
    ? value.toLocaleString('en')
    : value.toLocaleString('en', { maximumFractionDigits: 2 });

/** A table; numeric cells are right-aligned so that figures line up. */
export const htmlTable = (
  head: readonly string[],
  rows: readonly (readonly Cell[])[],
  options: TableOptions = {},
): string => {
  const format = options.format ?? defaultFormat;
  const cell = (value: Cell, column: number, tag: 'td' | 'th'): string =>
    value === null
      ? `<${tag} class="num">–</${tag}>`
      : typeof value === 'number'
        ? `<${tag} class="num">${escapeHtml(format(value, column))}</${tag}>`
        : `<${tag}>${escapeHtml(value)}</${tag}>`;
  const body = rows
    .map((row, index) => {
      const tag = options.emphasise?.(row, index) === true ? 'th' : 'td';
      return `<tr>${row.map((value, column) => cell(value, column, tag)).join('')}</tr>`;
    })
    .join('\n');
  return [
    '<table>',
    options.caption === undefined ? '' : `<caption>${escapeHtml(options.caption)}</caption>`,
    `<thead><tr>${head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('')}</tr></thead>`,
    `<tbody>\n${body}\n</tbody>`,
    '</table>',
  ].join('\n');
};

/** A chart (an SVG string from chartSvg) with an optional caption, kept on one printed page. */
export const htmlFigure = (svg: string, caption?: string): string =>
  `<figure>${svg}${caption === undefined ? '' : `<figcaption>${escapeHtml(caption)}</figcaption>`}</figure>`;

/** A definition list of headline figures: label, value (and an optional note under the value). */
export const htmlFacts = (
  facts: readonly { readonly label: string; readonly value: string; readonly note?: string }[],
): string =>
  `<dl class="facts">${facts
    .map(
      (f) =>
        `<div><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}${f.note === undefined ? '' : `<small>${escapeHtml(f.note)}</small>`}</dd></div>`,
    )
    .join('')}</dl>`;

export interface HtmlSection {
  readonly heading: string;
  /** Trusted HTML: built from htmlTable, htmlFigure, htmlFacts or escaped text. */
  readonly html: string;
}

export interface HtmlPage {
  readonly title: string;
  /** A line under the title: what the report was made from. */
  readonly subtitle?: string;
  /** When the report was made, as the caller's clock has it (a test passes its own). */
  readonly generatedAt: string;
  readonly sections: readonly HtmlSection[];
  /** The page's language (BCP 47), for hyphenation and screen readers. @default 'en' */
  readonly lang?: string;
  /** The footer's text. @default "Made by peakline on <generatedAt>." */
  readonly footer?: string;
  /** More CSS after the page's own, e.g. a report printed upright. */
  readonly style?: string;
}

const STYLE = `
:root { color-scheme: light; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #1a1a1a;
  margin: 2rem auto; max-width: 980px; padding: 0 1rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 2rem 0 .5rem; border-bottom: 1px solid #ccc; padding-bottom: .2rem; }
p.subtitle, footer { color: #555; margin: 0; }
figure { margin: 1rem 0; break-inside: avoid; }
figure svg { width: 100%; height: auto; }
figcaption { color: #555; font-size: .85rem; }
table { border-collapse: collapse; margin: .5rem 0 1rem; break-inside: auto; }
caption { text-align: left; font-weight: 600; padding-bottom: .25rem; }
th, td { border-bottom: 1px solid #e2e2e2; padding: .2rem .6rem; text-align: left; vertical-align: top; }
thead th { border-bottom: 2px solid #999; }
tbody th { font-weight: 700; }
.num { text-align: right; font-variant-numeric: tabular-nums; }
dl.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr)); gap: .75rem; }
dl.facts div { border: 1px solid #ddd; border-radius: 6px; padding: .5rem .75rem; }
dt { color: #555; font-size: .85rem; }
dd { margin: 0; font-size: 1.3rem; font-weight: 600; }
dd small { display: block; font-size: .75rem; font-weight: 400; color: #555; }
footer { margin-top: 2rem; font-size: .8rem; }
@page { size: A4 landscape; margin: 12mm; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } }
`;

/** The whole report: a complete HTML document with its styles inline and no script. */
export const htmlPage = (page: HtmlPage): string =>
  [
    '<!doctype html>',
    `<html lang="${escapeHtml(page.lang ?? 'en')}">`,
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${STYLE}${page.style ?? ''}</style>`,
    '</head>',
    '<body>',
    `<header><h1>${escapeHtml(page.title)}</h1>${page.subtitle === undefined ? '' : `<p class="subtitle">${escapeHtml(page.subtitle)}</p>`}</header>`,
    ...page.sections.map((s) => `<section>\n<h2>${escapeHtml(s.heading)}</h2>\n${s.html}\n</section>`),
    `<footer>${escapeHtml(page.footer ?? `Made by peakline on ${page.generatedAt}.`)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
