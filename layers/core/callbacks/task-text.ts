/**
 * What every task peakline starts must respect (StartTaskContact's limits) and the small formatting
 * helpers the callback and payment tasks share. Agents read the task in the contact centre's language
 * (config `connect.language`): Polish, or English for any other.
 */
import { inertText } from '../text/sanitise.js';

export const TASK_NAME_MAX = 512;
export const TASK_DESCRIPTION_MAX = 4096;
/** Connect's limit on a contact's attributes: 32 KB, keys and values together (UTF-8). */
export const TASK_ATTRIBUTES_MAX_BYTES = 32 * 1024;

export type AgentLanguage = 'pl' | 'en';

export const agentLanguageOf = (locale: string | undefined): AgentLanguage =>
  (locale ?? '').toLowerCase().startsWith('pl') ? 'pl' : 'en';

/** One line: shop-entered text may carry line breaks or tabs that would break the task's layout. */
export const oneLine = (text: string): string =>
  inertText(text)
    .replace(/[\s\p{Zs}]+/gu, ' ')
    .trim();

/** Cut to `max` UTF-16 units with an ellipsis, never splitting a character. */
export const truncate = (text: string, max: number): string => {
  if (text.length <= max) return text;
  let cut = '';
  for (const char of text) {
    if (cut.length + char.length > max - 1) break;
    cut += char;
  }
  return `${cut}…`;
};

/** Intl's no-break spaces become plain ones: copied from the task into a chat or a search, they match. */
export const formatMoney = (money: { amount: number; currency: string }, locale: string): string => {
  try {
    return oneLine(
      new Intl.NumberFormat(locale, { style: 'currency', currency: money.currency }).format(money.amount),
    );
  } catch {
    return `${money.amount.toFixed(2)} ${money.currency}`;
  }
};

/** A date and time on the centre's clock, e.g. "28.11.2025, 21:13". */
export const formatDateTime = (instant: string | Date, locale: string, timeZone: string): string =>
  oneLine(
    new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone }).format(
      new Date(instant),
    ),
  );

/** Amount as a plain decimal for attributes, which flows and reports compare, not people. */
export const plainAmount = (amount: number): string => amount.toFixed(2);

export const attributeBytes = (attributes: Readonly<Record<string, string>>): number =>
  Object.entries(attributes).reduce(
    (sum, [key, value]) => sum + Buffer.byteLength(key, 'utf8') + Buffer.byteLength(value, 'utf8'),
    0,
  );
