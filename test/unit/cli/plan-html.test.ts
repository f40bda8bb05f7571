import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planHtml } from '#cli/plan/html.js';
import { planFromForecast } from '#core/planning/plan.js';
import { NO_SEATS } from '#core/planning/seat-counts-file.js';
import { DEFAULT_PLAN_SETTINGS } from '#core/planning/settings.js';
import type { ForecastInterval, PlanningChannel } from '#core/planning/types.js';
import { launchChromium, openReport } from '#test/support/chromium.js';

/** A week of half hours 08:00-20:00 on every channel, Black Friday (the 26th) the busiest day. */
const FORECAST: ForecastInterval[] = Array.from({ length: 7 }, (_, d) => `2027-11-${22 + d}`).flatMap(
  (date, d) =>
    (['voice', 'chat', 'email', 'task'] as PlanningChannel[]).flatMap((channel, c) =>
      Array.from({ length: 24 }, (_, i) => {
        const hour = 8 + i / 2;
        const shape = Math.max(0.2, 1 - Math.abs(hour - 11) / 9);
        const hh = String(Math.floor(hour)).padStart(2, '0');
        return {
          start: `${date}T${hh}:${i % 2 === 0 ? '00' : '30'}:00+01:00`,
          minutes: 30,
          channel,
          contacts: (200 / (c + 1)) * shape * (d === 4 ? 2.5 : 1),
          ahtSeconds: [300, 420, 420, 480][c] ?? 300,
        };
      }),
    ),
);
const PERMANENT = { ...NO_SEATS, voice: 20, 'second-line': 4, 'chat-4': 6, light: 3 };
const GENERATED_AT = new Date('2027-10-01T09:00:00+02:00');

describe('the plan as an HTML report', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('opens in Chromium with no errors, shows the charts and the seats table, and prints to PDF', async () => {
    // Prepare
    const plan = planFromForecast(FORECAST, DEFAULT_PLAN_SETTINGS, PERMANENT);
    const html = planHtml(plan, { source: 'forecast.csv', generatedAt: GENERATED_AT });

    // Act
    const { page, errors, requests } = await openReport(browser, html);

    // Assess
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    // Seats per type, the season, the peak week, the peak day.
    expect(await page.locator('figure svg').count()).toBe(4);
    const seatsTable = page.locator('table', { hasText: 'seasonal to add' });
    const voiceRow = seatsTable.locator('tbody tr', { hasText: /^\s*voice/ }).first();
    const voice = plan.seats.find((s) => s.type === 'voice');
    expect(await voiceRow.locator('td, th').allInnerTexts()).toEqual([
      'voice',
      'voice',
      String(voice?.neededAtPeak),
      '20',
      String(voice?.seasonal),
      ...(voice?.reserve.map((r) => `+${r.extra}`) ?? []),
    ]);
    expect(await seatsTable.locator('tbody tr').count()).toBe(plan.seats.length + 1);
    expect(await page.locator('body').innerText()).toContain('The peak day 2027-11-26');
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });

  it('lists the intervals it could not plan', () => {
    // Prepare
    const plan = planFromForecast([
      ...FORECAST,
      { start: '2027-11-29T08:00:00+01:00', minutes: 30, channel: 'voice', contacts: 10, ahtSeconds: 0 },
    ]);

    // Act
    const html = planHtml(plan, { source: 'forecast.csv', generatedAt: GENERATED_AT });

    // Assess
    expect(html).toContain('Intervals not planned');
    expect(html).toContain('AHT 0 s with 10 contacts cannot be planned');
  });
});
