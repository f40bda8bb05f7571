import { getTimezonesForCountry } from 'countries-and-timezones';
import { getCountries, parsePhoneNumberFromString } from 'libphonenumber-js/mobile';
import mobileExamples from 'libphonenumber-js/mobile/examples';
import { IANAZone } from 'luxon';
import { describe, expect, it } from 'vitest';
import { checkPhone, customerTimeZone, type PhoneCheck } from '#core/sms/phone-check.js';

// A zone no country resolves to, so a test can tell "fell back" from "chose".
const FALLBACK = 'Etc/UTC';

describe('checkPhone', () => {
  it.each<{ name: string; phone: string; expected: PhoneCheck }>([
    {
      name: 'Polish mobile',
      phone: '+48601234567',
      expected: { ok: true, country: 'PL', timeZone: 'Europe/Warsaw' },
    },
    {
      name: 'Finnish mobile',
      phone: '+358401234567',
      expected: { ok: true, country: 'FI', timeZone: 'Europe/Helsinki' },
    },
    {
      // Russia spans eleven zones; Moscow time is where most customers are.
      name: 'Russian mobile',
      phone: '+79161234567',
      expected: { ok: true, country: 'RU', timeZone: 'Europe/Moscow' },
    },
    {
      // A real-format UK mobile (07400 range).
      name: 'UK mobile',
      phone: '+447400123456',
      expected: { ok: true, country: 'GB', timeZone: 'Europe/London' },
    },
    {
      // Some 07911 numbers are Guernsey's: another country code, the same clock.
      name: 'Guernsey mobile',
      phone: '+447911123456',
      expected: { ok: true, country: 'GG', timeZone: 'Europe/London' },
    },
    {
      // NANP numbers do not say whether they are mobile; they are sent to, and a landline simply fails to
      // deliver. The US spans six zones; Eastern time has the most people.
      name: 'US number (fixed line or mobile)',
      phone: '+12025550123',
      expected: { ok: true, country: 'US', timeZone: 'America/New_York' },
    },
    {
      name: 'Australian mobile',
      phone: '+61412345678',
      expected: { ok: true, country: 'AU', timeZone: 'Australia/Sydney' },
    },
    {
      name: 'New Zealand mobile',
      phone: '+6421123456',
      expected: { ok: true, country: 'NZ', timeZone: 'Pacific/Auckland' },
    },
    {
      name: 'Polish landline (Warsaw)',
      phone: '+48221234567',
      expected: { ok: false, reason: 'not-mobile' },
    },
    { name: 'Polish toll-free line', phone: '+48800123456', expected: { ok: false, reason: 'not-mobile' } },
    {
      name: 'Russian landline (Moscow)',
      phone: '+74951234567',
      expected: { ok: false, reason: 'not-mobile' },
    },
    {
      // Satellite phones have no country, and SMS origination does not reach them.
      name: 'Iridium satellite phone',
      phone: '+881612345678',
      expected: { ok: false, reason: 'not-mobile' },
    },
    { name: 'too short', phone: '+4860123', expected: { ok: false, reason: 'invalid-phone' } },
    { name: 'too long', phone: '+4860123456789', expected: { ok: false, reason: 'invalid-phone' } },
    {
      // Ofcom's range for TV and radio drama: libphonenumber knows no one can have it.
      name: 'UK drama number',
      phone: '+447700900123',
      expected: { ok: false, reason: 'invalid-phone' },
    },
    { name: 'with spaces', phone: '+48 601 234 567', expected: { ok: false, reason: 'invalid-phone' } },
    { name: 'without the plus', phone: '48601234567', expected: { ok: false, reason: 'invalid-phone' } },
    {
      name: 'international prefix',
      phone: '0048601234567',
      expected: { ok: false, reason: 'invalid-phone' },
    },
    { name: 'trailing space', phone: '+48601234567 ', expected: { ok: false, reason: 'invalid-phone' } },
    { name: 'empty', phone: '', expected: { ok: false, reason: 'invalid-phone' } },
  ])('$name $phone', ({ phone, expected }) => {
    // Act
    const checked = checkPhone(phone, FALLBACK);

    // Assess
    expect(checked).toEqual(expected);
  });

  it('gives every country libphonenumber knows a real zone of that country, never the fallback', () => {
    // Prepare: one example mobile number per country, as libphonenumber ships them.
    const numbers = getCountries().flatMap((country) => {
      const example = mobileExamples[country];
      const parsed = example === undefined ? undefined : parsePhoneNumberFromString(example, country);
      return parsed === undefined ? [] : [parsed.number];
    });

    // Act
    const checked = numbers.map((phone) => ({ phone, check: checkPhone(phone, FALLBACK) }));

    // Assess: a new multi-zone country in the data shows up here until someone chooses its zone.
    expect(checked.length).toBeGreaterThan(200);
    for (const { phone, check } of checked) {
      expect(check.ok, phone).toBe(true);
      if (!check.ok) continue;
      expect(check.timeZone, `${phone} (${check.country})`).not.toBe(FALLBACK);
      expect(IANAZone.isValidZone(check.timeZone), check.timeZone).toBe(true);
      const listed = (getTimezonesForCountry(check.country) ?? []).map((zone) => zone.name);
      if (listed.length > 0) expect(listed, `${phone} (${check.country})`).toContain(check.timeZone);
    }
  });
});

describe('customerTimeZone', () => {
  const polish = checkPhone('+48601234567', FALLBACK);
  const landline = checkPhone('+48221234567', FALLBACK);

  it.each<{ name: string; eventZone: string | undefined; phone: PhoneCheck; expected: string }>([
    {
      name: "the event's zone first",
      eventZone: 'America/Chicago',
      phone: polish,
      expected: 'America/Chicago',
    },
    {
      name: "the event's zone even when the phone is not usable",
      eventZone: 'Europe/Helsinki',
      phone: landline,
      expected: 'Europe/Helsinki',
    },
    {
      name: "the phone's zone when the event has none",
      eventZone: undefined,
      phone: polish,
      expected: 'Europe/Warsaw',
    },
    {
      name: "the phone's zone when the event's is not a zone",
      eventZone: 'Europe/Atlantis',
      phone: polish,
      expected: 'Europe/Warsaw',
    },
    {
      name: "the phone's zone when the event's is empty",
      eventZone: '',
      phone: polish,
      expected: 'Europe/Warsaw',
    },
    { name: 'the fallback when neither helps', eventZone: undefined, phone: landline, expected: FALLBACK },
    { name: 'the fallback over a misspelt zone', eventZone: 'Warsaw', phone: landline, expected: FALLBACK },
  ])('$name', ({ eventZone, phone, expected }) => {
    // Act
    const zone = customerTimeZone(eventZone, phone, FALLBACK);

    // Assess
    expect(zone).toBe(expected);
  });
});
