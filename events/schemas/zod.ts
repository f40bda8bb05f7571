/**
 * The zod the event contracts are written in: `zod/mini` (see events/index.ts for why), with zod's English
 * messages. Classic zod sets English itself when its first schema is built; mini leaves the locale unset, so
 * an issue that neither a schema nor the caller's error map words would read "Invalid input" in a function
 * that loads no classic zod. Set here as classic sets it (unless a locale is set already), every contract
 * says what it said on classic zod, wherever it runs.
 */
import { en } from 'zod/locales';
import * as z from 'zod/mini';

if (!z.config().localeError) z.config(en());

export * from 'zod/mini';
