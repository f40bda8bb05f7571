/**
 * Last season's history, the forecast's input: header `intervalStart,channel,contacts,ahtSeconds`, one
 * row per interval and channel, 15- or 30-minute intervals. The file has no minutes column, so the
 * interval length is read from the starts themselves (see historyIntervalMinutes).
 *
 * An interval missing from the file means no contacts arrived in it, if the channel is open then: a
 * channel's open intervals are those the file has rows for on some day of the same weekday (see
 * forecast.ts). Exports that leave out empty intervals are therefore read correctly.
 */
import { checkIntervalRow, type CsvRowError, parseNumber, readIntervalCsv } from './interval-csv.js';
import type { PlanningChannel } from './types.js';

export const HISTORY_CSV_COLUMNS = ['intervalStart', 'channel', 'contacts', 'ahtSeconds'] as const;

export interface HistoryRow {
  /** As written in the file. */
  readonly start: string;
  readonly epochMs: number;
  readonly channel: PlanningChannel;
  readonly contacts: number;
  /** 0 when the interval had no contacts and the file gave no handling time. */
  readonly ahtSeconds: number;
  readonly line: number;
}

export interface HistoryCsvResult {
  readonly rows: HistoryRow[];
  readonly errors: CsvRowError[];
}

/**
 * Parses and checks a history file, with the forecast file's rules: each bad row refused with its line,
 * good rows kept. A row with 0 contacts may leave ahtSeconds empty or 0 (nothing was handled); with
 * contacts it must be above 0. Starts must fall on a quarter hour, and a repeated (start, channel) is
 * refused.
 */
export const parseHistoryCsv = (text: string): HistoryCsvResult => {
  const { rows: csvRows, errors } = readIntervalCsv(text, HISTORY_CSV_COLUMNS);
  const rows: HistoryRow[] = [];
  const seen = new Map<string, number>();
  for (const row of csvRows) {
    const checked = checkIntervalRow(row, seen, {
      afterStart: (start, problems) => {
        if (start !== undefined && (start.minute % 15 !== 0 || start.seconds !== 0)) {
          problems.push(
            `intervalStart ${JSON.stringify(row.value('intervalStart'))} does not start a 15- or 30-minute interval (it must fall on :00, :15, :30 or :45)`,
          );
        }
      },
      ahtSeconds: (text, contacts) => {
        // Nothing was handled in an interval without contacts, so its handling time may be left out.
        const aht = text === '' && contacts === 0 ? 0 : parseNumber(text);
        return aht === undefined || aht < 0 || (aht === 0 && contacts !== 0)
          ? `ahtSeconds ${JSON.stringify(text)} must be a number of seconds above 0 (0 or empty only when contacts are 0)`
          : aht;
      },
    });
    if (typeof checked === 'string') {
      errors.push({ line: row.line, message: checked });
      continue;
    }
    rows.push({
      start: checked.startText,
      epochMs: checked.start.epochMs,
      channel: checked.channel,
      contacts: checked.contacts,
      ahtSeconds: checked.ahtSeconds,
      line: row.line,
    });
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, errors };
};

const QUARTER_MS = 15 * 60_000;

/**
 * The history's interval length. Rows of one channel follow each other at the interval length or a
 * multiple of it (left-out empty intervals), so the length is the smallest step between two starts of a
 * channel: 15 or 30 minutes. A file that is half 15- and half 30-minute shows itself by a long run of
 * half-hour-only starts (a day of a channel with 16 rows or more, all on :00 and :30, no quarter step)
 * in a 15-minute file; that is refused rather than read as a quarter-hourly file with gaps.
 */
export const historyIntervalMinutes = (
  rows: readonly HistoryRow[],
): { readonly minutes: 15 | 30 } | { readonly problem: string } => {
  if (rows.length === 0) return { problem: 'the history has no rows' };
  const byChannel = new Map<PlanningChannel, number[]>();
  for (const row of rows) {
    const list = byChannel.get(row.channel) ?? [];
    list.push(row.epochMs);
    byChannel.set(row.channel, list);
  }
  let smallest = Infinity;
  for (const starts of byChannel.values()) {
    starts.sort((a, b) => a - b);
    for (let i = 1; i < starts.length; i++)
      smallest = Math.min(smallest, (starts[i] as number) - (starts[i - 1] as number));
  }
  if (smallest === Infinity) return { minutes: 15 };
  if (smallest !== QUARTER_MS && smallest !== 2 * QUARTER_MS) {
    return {
      problem: `the history's rows are ${smallest / 60_000} minutes apart; intervals must be 15 or 30 minutes`,
    };
  }
  if (smallest === 2 * QUARTER_MS) {
    const offGrid = rows.find((row) => !['00', '30'].includes(row.start.slice(14, 16)));
    if (offGrid !== undefined) {
      return {
        problem: `the history mixes interval lengths: its rows are 30 minutes apart, but line ${offGrid.line} starts at a quarter past or to (${offGrid.start})`,
      };
    }
    return { minutes: 30 };
  }
  // A quarter-hour file: look for a channel-day that reads like half-hour intervals.
  const DAY_MS = 86_400_000;
  for (const [channel, starts] of byChannel) {
    let i = 0;
    while (i < starts.length) {
      const day = Math.floor((starts[i] as number) / DAY_MS);
      let j = i;
      let quarterStep = false;
      let count = 0;
      while (j < starts.length && Math.floor((starts[j] as number) / DAY_MS) === day) {
        if (j > i && (starts[j] as number) - (starts[j - 1] as number) === QUARTER_MS) quarterStep = true;
        count += 1;
        j += 1;
      }
      if (!quarterStep && count >= 16) {
        const first = rows.find((r) => r.channel === channel && r.epochMs === starts[i]);
        return {
          problem: `the history mixes interval lengths: most rows are 15 minutes apart, but the ${channel} rows from line ${first?.line ?? '?'} (${first?.start ?? ''}) are 30 minutes apart all day`,
        };
      }
      i = j;
    }
  }
  return { minutes: 15 };
};
