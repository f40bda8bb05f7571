import { describe, expect, it } from 'vitest';
import {
  parseSpecialDayOverride,
  type SpecialDayName,
  specialDayByRule,
  specialDays,
} from '#core/planning/peak-days.js';

describe('special days by rule', () => {
  // Black Friday is the day after US Thanksgiving, "the fourth Thursday in November" (5 U.S.C. § 6103(a),
  // United States Code, Title 5, Legal public holidays); Cyber Monday the Monday after it (named by the
  // National Retail Federation's Shop.org, 2005). The dates below follow from the rule on the calendar.
  it.each([
    ['black-friday', 2024, '2024-11-29'],
    ['black-friday', 2025, '2025-11-28'],
    ['black-friday', 2026, '2026-11-27'],
    ['black-friday', 2027, '2027-11-26'],
    ['black-friday', 2030, '2030-11-29'], // November 2030 starts on a Friday: the 4th Thursday is the 28th
    ['cyber-monday', 2024, '2024-12-02'],
    ['cyber-monday', 2025, '2025-12-01'],
    ['cyber-monday', 2026, '2026-11-30'],
    ['cyber-monday', 2027, '2027-11-29'],
    // Dzień Darmowej Dostawy: default rule, the second Tuesday of December; the 2019 edition ran on
    // 10 December 2019 (eKomercyjnie Sp. z o.o., "Dzień Darmowej Dostawy 2019 - Regulamin akcji", § 4).
    ['free-delivery', 2019, '2019-12-10'],
    ['free-delivery', 2026, '2026-12-08'],
    ['free-delivery', 2027, '2027-12-14'],
    // Last shipping day: default rule, the last Monday-to-Friday day on or before 20 December.
    ['last-shipping', 2025, '2025-12-19'], // the 20th is a Saturday
    ['last-shipping', 2026, '2026-12-18'], // a Sunday
    ['last-shipping', 2027, '2027-12-20'], // a Monday
    ['last-shipping-1', 2026, '2026-12-17'],
    ['last-shipping-3', 2026, '2026-12-15'],
    ['last-shipping-1', 2027, '2027-12-17'], // the Friday before Monday the 20th
    ['black-saturday', 2026, '2026-11-28'],
    ['black-sunday', 2026, '2026-11-29'],
    ['christmas-eve', 2027, '2027-12-24'],
  ] as [SpecialDayName, number, string][])('%s %i is %s', (name, year, date) => {
    expect(specialDayByRule(name, year)).toBe(date);
  });

  it('applies an override for its year only, and drops a day given as none', () => {
    // Prepare
    const overrides = [
      { name: 'free-delivery', year: 2027, date: '2027-12-07' },
      { name: 'last-shipping', year: 2027, date: null },
    ] as const;

    // Act
    const days2027 = specialDays(2027, overrides);
    const days2026 = specialDays(2026, overrides);

    // Assess
    expect(days2027.get('2027-12-07')).toBe('free-delivery');
    expect(days2027.has('2027-12-14')).toBe(false);
    expect([...days2027.values()]).not.toContain('last-shipping');
    expect(days2026.get('2026-12-08')).toBe('free-delivery');
    expect(days2026.get('2026-12-18')).toBe('last-shipping');
  });

  it('moves the days that follow Black Friday and the last shipping day with them', () => {
    // Prepare: a shop that holds its Black Friday a week early and ships until Tuesday 21 December.
    const overrides = [
      { name: 'black-friday', year: 2027, date: '2027-11-19' },
      { name: 'last-shipping', year: 2027, date: '2027-12-21' },
    ] as const;

    // Act
    const days = specialDays(2027, overrides);

    // Assess
    expect(days.get('2027-11-20')).toBe('black-saturday');
    expect(days.get('2027-11-22')).toBe('cyber-monday');
    expect(days.get('2027-12-20')).toBe('last-shipping-1');
    expect(days.get('2027-12-16')).toBe('last-shipping-3');
  });
});

describe('parseSpecialDayOverride', () => {
  it.each([
    ['black-friday=2027-11-26', { name: 'black-friday', year: 2027, date: '2027-11-26' }],
    ['free-delivery=none:2027', { name: 'free-delivery', year: 2027, date: null }],
    ['last-shipping-1=2027-12-16', { name: 'last-shipping-1', year: 2027, date: '2027-12-16' }],
  ])('reads %s', (text, expected) => {
    expect(parseSpecialDayOverride(text)).toEqual(expected);
  });

  it.each([
    ['singles-day=2027-11-11', /not one of black-friday/],
    ['black-friday=2027-02-30', /not a calendar date/],
    ['black-friday:2027-11-26', /name=YYYY-MM-DD/],
  ])('refuses %s in words', (text, message) => {
    expect(parseSpecialDayOverride(text)).toMatch(message);
  });
});
