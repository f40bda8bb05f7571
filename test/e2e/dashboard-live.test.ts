import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveTiles } from '#local/runtime/live-stats.js';
import type { LocalStack } from '#local/stack.js';
import { launchChromium } from '#test/support/chromium.js';
import { eventually, getJson, startTestStack } from '#test/support/local-stack.js';

/** What the page writes for a share and a wait, as a shop owner reads them. */
const percent = (share: number | null) => (share === null ? '—' : `${(share * 100).toFixed(1)}%`);
const seconds = (s: number | null) =>
  s === null ? '—' : s >= 60 ? `${Math.floor(s / 60)} min ${Math.round(s % 60)} s` : `${Math.round(s)} s`;

const tile = (page: Page, name: string) => page.locator(`#tiles [data-tile="${name}"] .value`).textContent();

describe('the live statistics on the dashboard, in a real browser', () => {
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    stack = await startTestStack();
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows today's figures as /api/stats has them, the charts as SVG, and a new missed call without a reload", async () => {
    // Prepare: three agents answer three calls at once; the page is open and watched for errors.
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') errors.push(message.text());
    });
    page.on('pageerror', (error) => errors.push(error.message));
    page.on('response', (response) => {
      if (response.status() >= 400) errors.push(`${response.status()} ${response.url()}`);
    });
    stack.simulator.setAgentsOnline('voice', 3);
    for (let i = 0; i < 3; i++) {
      stack.simulator.arrive({ channel: 'VOICE', queueId: 'primary', patienceSeconds: Infinity });
    }
    await page.goto(stack.dashboardUrl);
    await eventually(stack, async () => {
      expect((await getJson<LiveTiles>(stack, '/api/stats')).calls.answered).toBe(3);
    });
    // A mark that a reload would wipe out.
    await page.evaluate(() => {
      (globalThis as unknown as { loadedOnce: boolean }).loadedOnce = true;
    });

    // Assess: the tiles say what the API says
    const stats = await getJson<LiveTiles>(stack, '/api/stats');
    expect(stats.calls).toMatchObject({ offered: 3, answered: 3, abandoned: 0, missed: 0, serviceLevel: 1 });
    await expect.poll(() => tile(page, 'answered'), { timeout: 30_000 }).toBe(String(stats.calls.answered));
    expect(await tile(page, 'offered')).toBe(String(stats.calls.offered));
    expect(await tile(page, 'abandoned')).toBe(String(stats.calls.abandoned));
    expect(await tile(page, 'missed')).toBe(String(stats.calls.missed));
    expect(await tile(page, 'serviceLevel')).toBe(percent(stats.calls.serviceLevel));
    expect(await tile(page, 'asa')).toBe(seconds(stats.calls.asaSeconds));
    expect(await tile(page, 'smsSent')).toBe(String(stats.sms.sent));
    expect(await tile(page, 'callbacks')).toBe(String(stats.callbacks.scheduled));
    expect(await page.locator('#today-legend').textContent()).toMatch(/answered\s+within\s+20\s+s/);
    // ...and each chart is an SVG drawn by the server
    for (const name of ['wait', 'arrivals', 'sms']) {
      await page.locator(`#chart-${name} svg`).waitFor({ timeout: 30_000 });
    }
    expect(await page.locator('#chart-arrivals svg').textContent()).toContain('arrived');
    const svg = await fetch(`${stack.dashboardUrl}/api/charts/wait.svg`);
    expect(svg.headers.get('content-type')).toBe('image/svg+xml');
    expect(await svg.text()).toMatch(/^<svg /);

    // Act: a caller to the second line, which nobody serves, hangs up after 30 s.
    stack.simulator.arrive({ channel: 'VOICE', queueId: 'secondLine', patienceSeconds: 30 });

    // Assess: the missed and abandoned tiles count them on the same page, which was not loaded again.
    await expect.poll(() => tile(page, 'missed'), { timeout: 60_000 }).toBe('1');
    expect(await tile(page, 'abandoned')).toBe('1');
    await expect.poll(() => tile(page, 'offered'), { timeout: 30_000 }).toBe('4');
    expect(await page.evaluate(() => (globalThis as unknown as { loadedOnce?: boolean }).loadedOnce)).toBe(
      true,
    );
    expect(errors).toEqual([]);
    await page.close();
  });
});
