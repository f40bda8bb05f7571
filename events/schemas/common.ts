import * as z from './zod.js';

/**
 * A message for a schema's own issues that leaves a missing value to the parse-time error map, which
 * says "required, but missing" instead of a format hint that would suggest the value was there.
 */
export const unlessMissing =
  (message: string) =>
  (issue: { input?: unknown }): string | undefined =>
    issue.input === undefined ? undefined : message;

/** Identifiers are opaque to peakline; it only needs them to be present so it can deduplicate and correlate. */
export const identifierSchema = (description: string) =>
  z
    .string()
    .check(
      z.minLength(1, 'expected a non-empty identifier'),
      z.maxLength(256, 'expected at most 256 characters'),
      z.describe(description),
    );

/**
 * Links end up in SMS and in agents' task descriptions; plain http would be flagged by phones and by
 * carriers' filters, and a relative path cannot be opened at all.
 */
export const httpsUrlSchema = (description: string) =>
  z
    .url({
      protocol: /^https$/,
      hostname: z.regexes.domain,
      error: unlessMissing('expected an absolute https URL such as https://sklep.example.pl/...'),
    })
    .check(z.meta({ description, pattern: '^https://' }));

/** Lets every enum report its allowed values in the same words, so shop developers can fix the value. */
export const enumOf = <const T extends readonly [string, ...string[]]>(values: T, description: string) =>
  z
    .enum(values, { error: unlessMissing(`expected one of ${values.join(', ')}`) })
    .check(z.describe(description));
