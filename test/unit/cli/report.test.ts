import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartSvg } from '#cli/report/charts.js';
import { escapeHtml, htmlFacts, htmlFigure, htmlPage, htmlTable } from '#cli/report/html.js';
import { launchChromium, openReport } from '#test/support/chromium.js';

const hours = ['08:00', '09:00', '10:00', '11:00', '12:00'];

const sampleReport = (): string =>
  htmlPage({
    title: 'Peak plan <Black Friday>',
    subtitle: 'forecast.csv & seats.csv',
    generatedAt: '2027-10-01 09:00',
    sections: [
      { heading: 'Headline', html: htmlFacts([{ label: 'Seats to add', value: '42', note: 'voice 30' }]) },
      {
        heading: 'Positions',
        html: htmlFigure(
          chartSvg({
            title: 'Voice positions',
            categories: hours,
            series: [
              { name: 'needed', data: [10, 14, null, 22, 18], step: true },
              { name: 'service level', data: [0.9, 0.85, null, 0.7, 0.8], yAxis: 1 },
            ],
            yName: 'agents',
            y2Name: 'SL',
            target: { value: 20, label: 'budget' },
            bands: [{ from: '10:00', to: '11:00', label: 'overflow' }],
          }),
          'Whole positions per hour',
        ),
      },
      {
        heading: 'Seats',
        html: htmlTable(
          ['type', 'permanent', 'to add'],
          [
            ['voice', 40, 12.5],
            ['total', 40, 12.5],
          ],
          { emphasise: (row) => row[0] === 'total' },
        ),
      },
    ],
  });

describe('report pages', () => {
  it('escapes every text that reaches the page', () => {
    // Prepare
    const hostile = '<script>alert("x")</script> & \'q\'';
    // Act
    const page = htmlPage({ title: hostile, generatedAt: 'now', sections: [{ heading: hostile, html: '' }] });
    // Assess
    expect(escapeHtml(hostile)).toBe('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;q&#39;');
    expect(page).not.toContain('<script>');
  });

  it('renders a chart as an SVG document on the server, with its series, target and bands', () => {
    // Act
    const svg = chartSvg({
      title: 'Calls',
      categories: hours,
      series: [{ name: 'offered', data: [1, 2, 3, 4, 5] }],
      target: { value: 3, label: 'target 3' },
      bands: [
        { from: '08:00', to: '11:00', label: 'second line open' },
        { from: '11:00', to: '12:00', label: 'deflecting' },
      ],
    });
    // Assess
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('offered');
    expect(svg).toContain('target 3');
    expect(svg).toContain('second line open');
    // A band too short for its label keeps its shade but not the text, which would overprint its neighbour
    expect(svg).not.toContain('deflecting');
  });

  it('right-aligns numbers, shows a missing value as a dash and sets totals in bold', () => {
    // Act
    const table = htmlTable(
      ['queue', 'SL'],
      [
        ['primary', 0.8123],
        ['total', null],
      ],
      {
        emphasise: (row) => row[0] === 'total',
      },
    );
    // Assess
    expect(table).toContain('<td class="num">0.81</td>');
    expect(table).toContain('<th class="num">–</th>');
  });
});

describe('a report in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('opens with no errors and no outside requests, shows its charts and tables, and prints', async () => {
    // Act
    const { page, errors, requests } = await openReport(browser, sampleReport());
    // Assess
    expect(errors).toEqual([]);
    expect(requests).toEqual([]);
    expect(await page.title()).toBe('Peak plan <Black Friday>');
    expect(await page.locator('figure svg').count()).toBe(1);
    const box = await page.locator('figure svg').boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(300);
    expect(await page.locator('table tbody tr').count()).toBe(2);
    const pdf = await page.pdf({ format: 'A4', landscape: true });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  });
});
