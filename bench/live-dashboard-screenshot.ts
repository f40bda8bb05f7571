/**
 * Takes the README's picture of the live dashboard: waits until the running local stack's virtual time
 * reaches `--at` (the demo's peak by default), then photographs the tiles and the charts in headless
 * Chromium.
 *
 *   npm start                                    # in one terminal: the demo starts at 17:00 virtual
 *   npx tsx bench/live-dashboard-screenshot.ts   # in another: waits for 20:15, writes the PNG
 *
 * Options: --url (default http://127.0.0.1:4000), --at HH:MM (the zone's wall clock), --out FILE.
 */
import { parseArgs } from 'node:util';
import { DateTime } from 'luxon';
import type { LiveTiles } from '#local/runtime/live-stats.js';
import { launchChromium } from '#test/support/chromium.js';

const { values } = parseArgs({
  options: {
    url: { type: 'string', default: 'http://127.0.0.1:4000' },
    at: { type: 'string', default: '20:15' },
    out: { type: 'string', default: 'docs/images/live-dashboard.png' },
  },
});

const stats = async (): Promise<LiveTiles> => {
  const res = await fetch(`${values.url}/api/stats`);
  if (!res.ok) throw new Error(`GET /api/stats: ${res.status}; is the local stack running (npm start)?`);
  return (await res.json()) as LiveTiles;
};

const main = async () => {
  const [hour, minute] = values.at.split(':').map(Number);
  for (;;) {
    const now = await stats();
    const local = DateTime.fromISO(now.now, { zone: now.timeZone });
    if (local.hour * 60 + local.minute >= (hour ?? 0) * 60 + (minute ?? 0)) break;
    console.error(`virtual time ${local.toFormat('HH:mm')}, waiting for ${values.at}…`);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
  }
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, deviceScaleFactor: 1 });
    await page.goto(values.url);
    // The charts arrive after the first pulse; give them the next one too, so all three are drawn.
    await page.locator('#chart-arrivals svg').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(2_000);
    const bottom = await page.locator('#charts-section').boundingBox();
    if (!bottom) throw new Error('the dashboard has no charts section');
    await page.screenshot({
      path: values.out,
      fullPage: true,
      clip: { x: 0, y: 0, width: 1280, height: bottom.y + bottom.height + 16 },
    });
    console.error(`wrote ${values.out}`);
  } finally {
    await browser.close();
  }
};

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
});
