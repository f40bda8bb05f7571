/**
 * A function's environment checked by hand, once at cold start: every bad variable named in one error,
 * as `readEnvironment` does with a zod schema, without zod's load: for checking four to six strings, zod
 * cost the router 36 -> 26 ms of CPU over a bare node (its bundle 94 -> 26 KiB; bench/levers.ts,
 * "environment checked by hand"); `zod/mini` loads nearly as much as `zod` (~29 against ~33 ms alone).
 * The same fields give the zod schema the CDK app checks at synth (`zodSchemaOf` in zod-schema.ts), so
 * the rules are written once.
 */

/** One variable: its value from the raw string, or a message saying what is wrong with it. */
export interface EnvField<T> {
  /** `undefined` when the variable is not set. Throws EnvFieldError when the value is not usable. */
  readonly parse: (raw: unknown) => T;
}

export class EnvFieldError extends Error {
  override readonly name = 'EnvFieldError';
}

const present = (raw: unknown): string => {
  if (raw === undefined) throw new EnvFieldError('missing');
  if (typeof raw !== 'string' && typeof raw !== 'number')
    throw new EnvFieldError(`expected text, got ${typeof raw}`);
  return String(raw);
};

/** Text of at least one character. */
export const text = (): EnvField<string> => ({
  parse: (raw) => {
    const value = present(raw);
    if (value.length === 0) throw new EnvFieldError('empty');
    return value;
  },
});

/** Text that matches `pattern`; `expected` says what it should be. */
export const matching = (pattern: RegExp, expected: string): EnvField<string> => ({
  parse: (raw) => {
    const value = present(raw);
    if (!pattern.test(value)) throw new EnvFieldError(expected);
    return value;
  },
});

/** An absolute URL. */
export const url = (): EnvField<string> => ({
  parse: (raw) => {
    const value = present(raw);
    if (!URL.canParse(value)) throw new EnvFieldError('expected a URL');
    return value;
  },
});

/** A whole number between `min` and `max` (either may be left open). */
export const integer = (bounds: { min?: number; max?: number } = {}): EnvField<number> => ({
  parse: (raw) => {
    const text = present(raw).trim();
    const value = text === '' ? Number.NaN : Number(text);
    if (!Number.isInteger(value)) throw new EnvFieldError(`expected a whole number, got "${text}"`);
    if (bounds.min !== undefined && value < bounds.min) throw new EnvFieldError(`at least ${bounds.min}`);
    if (bounds.max !== undefined && value > bounds.max) throw new EnvFieldError(`at most ${bounds.max}`);
    return value;
  },
});

export type EnvFields = Readonly<Record<string, EnvField<unknown>>>;

/** The values a set of fields reads. */
export type EnvValues<F extends EnvFields> = { -readonly [K in keyof F]: ReturnType<F[K]['parse']> };

/** A number above zero, fractions allowed (a share of a rate). */
export const positiveNumber = (): EnvField<number> => ({
  parse: (raw) => {
    const value = Number(text().parse(raw).trim());
    if (!Number.isFinite(value) || value <= 0) throw new EnvFieldError('expected a number above 0');
    return value;
  },
});

/** Text of 1 to `max` characters. */
export const shortText = (max: number): EnvField<string> => ({
  parse: (raw) => {
    const value = text().parse(raw);
    if (value.length > max) throw new EnvFieldError(`at most ${max} characters`);
    return value;
  },
});

/** One of `choices`, spelled exactly. */
export const oneOf = <const C extends readonly string[]>(choices: C): EnvField<C[number]> => ({
  parse: (raw) => {
    const value = text().parse(raw);
    if (!choices.includes(value)) throw new EnvFieldError(`expected one of ${choices.join(', ')}`);
    return value as C[number];
  },
});

/** A time of day, `HH:MM`. */
export const clock = (): EnvField<string> => matching(/^\d\d:\d\d$/, 'expected a time of day as HH:MM');

/** A Connect queue's ARN. */
export const queueArn = (): EnvField<string> => matching(/\/queue\/[^/]+$/, 'expected a Connect queue ARN');

/** `fallback` when the variable is not set, else `field`'s value. */
export const orDefault = <T>(field: EnvField<T>, fallback: T): EnvField<T> => ({
  parse: (raw) => (raw === undefined ? fallback : field.parse(raw)),
});

/** `undefined` when the variable is not set, else `field`'s value. */
export const optional = <T>(field: EnvField<T>): EnvField<T | undefined> => ({
  parse: (raw) => (raw === undefined ? undefined : field.parse(raw)),
});

/**
 * The fields' values from `env`, or an Error naming every bad variable:
 * `Invalid function environment: ROUTER_CACHE_SECONDS: at most 60; QUEUE_ARN_PRIMARY: missing`.
 */
export const readFields = <F extends EnvFields>(
  fields: F,
  env: Readonly<Record<string, unknown>> = process.env,
): EnvValues<F> => {
  const values: Record<string, unknown> = {};
  const problems: string[] = [];
  for (const [name, field] of Object.entries(fields)) {
    try {
      values[name] = field.parse(env[name]);
    } catch (error) {
      problems.push(`${name}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (problems.length > 0) throw new Error(`Invalid function environment: ${problems.join('; ')}`);
  return values as EnvValues<F>;
};
