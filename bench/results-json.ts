/**
 * bench/results.json, written section by section: each benchmark merges its own figures under
 * `bench.<key>` and leaves every other section as the last run of its own benchmark wrote it, so a
 * partial run (`npm run bench:sms`, `npm run cost`) never wipes the figures it did not measure.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

export const RESULTS_JSON = new URL('./results.json', import.meta.url);

export const readResultsJson = (): Record<string, unknown> =>
  existsSync(RESULTS_JSON) ? (JSON.parse(readFileSync(RESULTS_JSON, 'utf8')) as Record<string, unknown>) : {};

/** The figures under `bench.<key>`, as the last run wrote them; undefined when none has. */
export const benchSection = <T>(key: string): T | undefined =>
  ((readResultsJson().bench ?? {}) as Record<string, unknown>)[key] as T | undefined;

/** Sets `bench.<key>` to `value` (stamped with `writtenAt`), the rest of the file as it was. */
export const mergeBenchJson = (key: string, value: Record<string, unknown>, now: Date = new Date()): void => {
  const json = readResultsJson();
  json.bench = {
    ...((json.bench ?? {}) as Record<string, unknown>),
    [key]: { writtenAt: now.toISOString(), ...value },
  };
  writeFileSync(RESULTS_JSON, `${JSON.stringify(json, null, 2)}\n`);
};
