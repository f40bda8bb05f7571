import { identifierSchema } from './common.js';
import * as z from './zod.js';

export const E164 = /^\+[1-9]\d{6,14}$/;

export const phoneSchema = z.string().check(
  z.regex(E164, 'expected an E.164 phone number such as +48601234567'),
  z.meta({
    description:
      'Mobile phone number in E.164 format: "+", country code, subscriber number, no spaces (+48601234567).',
    examples: ['+48601234567'],
  }),
);

const isBcp47 = (tag: string): boolean => {
  try {
    const [canonical] = Intl.getCanonicalLocales(tag);
    // Well-formed tags may start with a 5-8 letter subtag ("polish"), which no real language uses; such a
    // value is a language name, not a tag, and would silently fall back to the default template.
    return canonical !== undefined && /^[a-z]{2,3}(-|$)/i.test(canonical);
  } catch {
    return false;
  }
};

export const localeSchema = z.string().check(
  z.refine(isBcp47, 'expected a BCP 47 language tag such as pl-PL (with "-", not "_")'),
  z.meta({
    description: 'BCP 47 language tag of the language the customer reads, e.g. pl-PL, en-GB, ru-RU, fi-FI.',
    examples: ['pl-PL'],
  }),
);

/**
 * The canonical zones ICU knows, read once: a lookup here spares the first event of a container
 * `Intl.DateTimeFormat`'s start-up (about 14 ms on the benchmark's machine, against ~2 ms for the list), which a
 * function that formats no date would pay for this check alone: customer-opt-out's cold start went from 839 to
 * 746 M instructions (valgrind, A/B; bench/levers.ts). Aliases (Europe/Kyiv where
 * ICU lists Europe/Kiev), other spellings and nonsense still go to `Intl.DateTimeFormat`, so the verdict is
 * the same either way.
 */
let canonicalZones: ReadonlySet<string> | undefined;

/** Zones seen, with their verdict: a process meets a handful, and each check would build a formatter. */
const zoneVerdicts = new Map<string, boolean>();
/** Bounded, so a stream of junk values cannot grow it without end; the cache is only a shortcut. */
const MAX_ZONE_VERDICTS = 256;

const checkIanaZone = (zone: string): boolean => {
  // Newer ICU versions accept UTC offsets as time zones; an offset has no daylight saving rules, so
  // quiet hours computed from it would be an hour off half of the year.
  if (/^[+-]/.test(zone)) return false;
  canonicalZones ??= new Set(Intl.supportedValuesOf('timeZone'));
  if (canonicalZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
};

const isIanaZone = (zone: string): boolean => {
  const known = zoneVerdicts.get(zone);
  if (known !== undefined) return known;
  const verdict = checkIanaZone(zone);
  if (zoneVerdicts.size >= MAX_ZONE_VERDICTS) zoneVerdicts.clear();
  zoneVerdicts.set(zone, verdict);
  return verdict;
};

export const timeZoneSchema = z.string().check(
  z.refine(isIanaZone, 'expected an IANA time zone such as Europe/Warsaw'),
  z.meta({
    description:
      "IANA time zone of the customer, e.g. Europe/Warsaw. Omitted: derived from the phone number's country.",
    examples: ['Europe/Warsaw'],
  }),
);

export const consentSchema = z
  .object({
    transactionalSms: z
      .boolean()
      .check(z.describe('May peakline send SMS about orders the customer placed?')),
    marketingSms: z.boolean().check(z.describe('May peakline send SMS with offers (e.g. the saved cart)?')),
    callback: z
      .boolean()
      .check(z.describe('May the contact centre call the customer back about an abandoned cart?')),
  })
  .check(z.describe('What the customer agreed to, as recorded by the shop at the time of the event.'));

export const customerSchema = z
  .object({
    customerId: identifierSchema("The shop's customer id."),
    phone: phoneSchema,
    locale: localeSchema,
    timeZone: z.optional(timeZoneSchema),
    consent: consentSchema,
  })
  .check(z.describe('The customer the event is about. Every shop event carries it.'));

export type Consent = z.infer<typeof consentSchema>;
export type Customer = z.infer<typeof customerSchema>;
