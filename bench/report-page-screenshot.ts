/**
 * Takes the README's picture of a KPI report page: opens a report written by `peakline report --format html`
 * in headless Chromium, as a shop owner opens the file, and photographs one chapter (the summary by default)
 * at the width of a printed A4 page.
 *
 *   npm start                                                          # the demo, in one terminal
 *   npx peakline report --local --from 2026-11-27 --to 2026-11-27 --out report.html
 *   npx tsx bench/report-page-screenshot.ts --html report.html         # writes docs/images/report-page.png
 *
 * Options: --html FILE, --chapter N (0 = the summary), --out FILE.
 */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { launchChromium, openReport } from '#test/support/chromium.js';

const { values } = parseArgs({
  options: {
    html: { type: 'string', default: 'report.html' },
    chapter: { type: 'string', default: '0' },
    out: { type: 'string', default: 'docs/images/report-page.png' },
  },
});

const main = async () => {
  const html = await readFile(values.html, 'utf8');
  const browser = await launchChromium();
  try {
    const { page, errors } = await openReport(browser, html);
    if (errors.length > 0) throw new Error(`the report has errors: ${errors.join('; ')}`);
    // About an A4 page's proportions at a screen's width; the report scales its charts to it.
    await page.setViewportSize({ width: 900, height: 1270 });
    const chapter = page.locator('section').nth(Number(values.chapter));
    const box = await chapter.boundingBox();
    if (!box) throw new Error(`the report has no chapter ${values.chapter}`);
    // The first chapter comes with the report's title above it.
    const top = Number(values.chapter) === 0 ? 0 : box.y;
    await page.screenshot({
      path: values.out,
      fullPage: true,
      clip: { x: 0, y: top, width: 900, height: Math.min(1270, box.y + box.height - top + 16) },
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
