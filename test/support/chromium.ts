/**
 * Opens a report in Debian's headless Chromium (`apt-get install chromium`; .ci/run installs it), the way
 * a user opens the file: what it shows, what the browser complains about, and whether it prints.
 */
import { existsSync } from 'node:fs';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.PEAKLINE_CHROMIUM ?? '/usr/bin/chromium';

export const launchChromium = async (): Promise<Browser> => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium, or set PEAKLINE_CHROMIUM`);
  }
  return chromium.launch({
    executablePath: CHROMIUM,
    // The flags keep a sandboxed CI machine's Chromium from reaching for the network or a GPU.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
};

export interface OpenedReport {
  readonly page: Page;
  /** Console errors and uncaught page errors while it loaded. */
  readonly errors: readonly string[];
  /** Requests the page made beyond its own document: a self-contained report makes none. */
  readonly requests: readonly string[];
}

/** Loads the HTML as a file would load (no server), collecting errors and outside requests. */
export const openReport = async (browser: Browser, html: string): Promise<OpenedReport> => {
  const page = await browser.newPage();
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith('data:') && request.url() !== 'about:blank') requests.push(request.url());
  });
  await page.setContent(html, { waitUntil: 'load' });
  return { page, errors, requests };
};
