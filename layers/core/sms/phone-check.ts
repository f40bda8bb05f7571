/**
 * Whether an order SMS can reach a phone, and which clock the customer lives by when the shop did not
 * say. Two metadata sets on purpose: `min` tells a malformed number from a real one, `mobile` (mobile
 * ranges only) tells a number that can take an SMS from a landline or a toll-free line.
 *
 * Their cost at load (issue 16; each choice bundled alone with esbuild, minified, imported in a fresh
 * process, median of 21 interleaved runs on a loaded 2-core machine): min + mobile 18-24 ms, max alone
 * 22-26 ms, mobile alone 10-16 ms. Mobile alone would save about 8 ms of the cold start, but could not
 * tell a malformed number from a landline (the SmsSuppressed reasons 'invalid-phone' and 'not-mobile'
 * call for different people), and max alone costs more than both: both are kept.
 */
import { getTimezonesForCountry } from 'countries-and-timezones';
import { parsePhoneNumberFromString as parseNumber } from 'libphonenumber-js/min';
import { parsePhoneNumberFromString as parseMobileNumber } from 'libphonenumber-js/mobile';
import { IANAZone } from 'luxon';

export type PhoneCheck =
  | { readonly ok: true; readonly country: string /* ISO 3166 alpha-2 */; readonly timeZone: string }
  | { readonly ok: false; readonly reason: 'invalid-phone' | 'not-mobile' };

// The shape SNS dials: a plus, a country code that never starts with 0, at most 15 digits, nothing else.
const E164 = /^\+[1-9]\d{1,14}$/;

/**
 * The zone for each country where countries-and-timezones does not give exactly one.
 *
 * Several zones: the one where most of its people live, which is also the capital's zone everywhere
 * except Micronesia, whose capital island Pohnpei is outnumbered by Chuuk and Yap. A customer elsewhere
 * in the country is at worst a few hours off, and the shop can always send the real zone in the event.
 * The names are the canonical zones the library lists for the country, which is why some are another
 * country's city: tzdata merges zones that have kept the same time since 1970.
 *
 * None: the three codes libphonenumber knows and the library does not (AC, TA, XK).
 *
 * A unit test fails when the library lists a multi-zone or zone-less country that has no entry here.
 */
const COUNTRY_ZONE: Readonly<Record<string, string>> = {
  AC: 'Atlantic/St_Helena', // Ascension keeps St Helena's time (UTC, no DST)
  AR: 'America/Argentina/Buenos_Aires',
  AU: 'Australia/Sydney', // New South Wales, and Canberra keeps Sydney's time
  BR: 'America/Sao_Paulo', // the south-east, and Brasilia keeps Sao Paulo's time
  CA: 'America/Toronto', // Ontario, Ottawa included
  CD: 'Africa/Lagos', // Kinshasa's time; tzdata links Africa/Kinshasa to Africa/Lagos
  CL: 'America/Santiago',
  CN: 'Asia/Shanghai', // Beijing time is the official time of the whole country
  CY: 'Asia/Nicosia',
  DE: 'Europe/Berlin', // Europe/Zurich is listed only for the Busingen exclave
  EC: 'America/Guayaquil', // the mainland; Galapagos is an hour behind
  ES: 'Europe/Madrid', // the peninsula; the Canaries are an hour behind
  FM: 'Pacific/Port_Moresby', // Chuuk and Yap (tzdata's Pacific/Chuuk keeps Port Moresby's time)
  GL: 'America/Nuuk',
  ID: 'Asia/Jakarta', // Java
  KI: 'Pacific/Tarawa',
  KZ: 'Asia/Almaty',
  MH: 'Pacific/Tarawa', // Majuro; tzdata links Pacific/Majuro to Pacific/Tarawa
  MN: 'Asia/Ulaanbaatar',
  MX: 'America/Mexico_City',
  MY: 'Asia/Singapore', // the peninsula; tzdata links Asia/Kuala_Lumpur to Asia/Singapore
  NZ: 'Pacific/Auckland', // the Chatham Islands have only a few hundred people
  PF: 'Pacific/Tahiti',
  PG: 'Pacific/Port_Moresby',
  PS: 'Asia/Hebron', // the West Bank, where more Palestinians live than in Gaza
  PT: 'Europe/Lisbon', // the mainland; the Azores are an hour behind
  RU: 'Europe/Moscow', // Moscow time covers the capital and most of European Russia
  TA: 'Atlantic/St_Helena', // Tristan da Cunha keeps St Helena's time (UTC, no DST)
  UA: 'Europe/Kyiv', // Europe/Simferopol is listed for Crimea
  US: 'America/New_York', // Eastern time has the most people, Washington included
  UZ: 'Asia/Tashkent',
  VN: 'Asia/Ho_Chi_Minh', // Hanoi keeps the same time (tzdata links it to Asia/Bangkok)
  XK: 'Europe/Belgrade', // tzdata's zone for Kosovo
};

/** The chosen zone, else the country's only zone, else undefined (the caller falls back). */
const countryZone = (country: string): string | undefined => {
  const chosen = COUNTRY_ZONE[country];
  if (chosen !== undefined) return chosen;
  const zones = getTimezonesForCountry(country) ?? [];
  return zones.length === 1 ? zones[0]?.name : undefined;
};

// MOBILE is what the mobile metadata reports; FIXED_LINE_OR_MOBILE is how the full metadata describes
// ranges shared by both (all of the US and Canada), which carriers deliver SMS to when they are mobile.
const SMS_CAPABLE_TYPES: ReadonlySet<string> = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

export const checkPhone = (e164: string, fallbackZone: string): PhoneCheck => {
  // The parser forgives spaces and stray characters; the contract says E.164, and SNS needs exactly that.
  if (!E164.test(e164)) return { ok: false, reason: 'invalid-phone' };
  // Most numbers are mobile ones: one parse with the mobile metadata says so (CPU per number 11-19 ->
  // 6-10 us, 20,000 Polish mobiles, 5 interleaved runs); the other metadata is asked only to tell a
  // landline from a malformed number. Same answers as both parses on 54,145 numbers (every country's
  // example mobile from libphonenumber and random one-digit changes of each: landlines, invalid ones).
  const likely = parseMobileNumber(e164);
  if (likely?.isValid() && likely.number === e164 && likely.country !== undefined) {
    const type = likely.getType() ?? 'FIXED_LINE_OR_MOBILE';
    if (SMS_CAPABLE_TYPES.has(type)) {
      return { ok: true, country: likely.country, timeZone: countryZone(likely.country) ?? fallbackZone };
    }
  }
  const number = parseNumber(e164);
  if (!number?.isValid() || number.number !== e164) return { ok: false, reason: 'invalid-phone' };

  const mobile = parseMobileNumber(e164);
  // A valid number without a type is one from a country whose mobile metadata carries no type patterns
  // (today only Tristan da Cunha): the full metadata calls those numbers FIXED_LINE_OR_MOBILE.
  const type = mobile?.isValid() ? (mobile.getType() ?? 'FIXED_LINE_OR_MOBILE') : undefined;
  // A number without a country (+800 freephone, +881 satellite, +882/+883 international networks) is not
  // a subscription an SMS origination service delivers to, whatever its type says.
  if (type === undefined || !SMS_CAPABLE_TYPES.has(type) || number.country === undefined) {
    return { ok: false, reason: 'not-mobile' };
  }
  return { ok: true, country: number.country, timeZone: countryZone(number.country) ?? fallbackZone };
};

/**
 * Whether a zone name is one this runtime knows, remembered per name: luxon's `isValidZone` builds an
 * Intl.DateTimeFormat on every call, about 200 us, which was the order-SMS path's largest CPU cost per
 * event once the segment counter was fixed (1.6-2.0 s of 8.4 s over 9,000 events, `node --cpu-prof`).
 */
const ZONE_VALIDITY = new Map<string, boolean>();
const isValidZone = (zone: string): boolean => {
  let valid = ZONE_VALIDITY.get(zone);
  if (valid === undefined) {
    valid = IANAZone.isValidZone(zone);
    // Bounded: zones come from shop events; a flood of odd names must not grow it forever.
    if (ZONE_VALIDITY.size >= 256) ZONE_VALIDITY.clear();
    ZONE_VALIDITY.set(zone, valid);
  }
  return valid;
};

export const customerTimeZone = (
  eventZone: string | undefined,
  phone: PhoneCheck,
  fallbackZone: string,
): string => {
  // The shop knows best where the customer is; a zone it misspelt is ignored rather than fatal, since
  // the phone still gives a good guess and the SMS should not be lost over it.
  if (eventZone !== undefined && isValidZone(eventZone)) return eventZone;
  return phone.ok ? phone.timeZone : fallbackZone;
};
