import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '#local/faults/fault-plan.js';
import type { LocalStack } from '#local/stack.js';
import { launchChromium } from '#test/support/chromium.js';
import { runPeakline } from '#test/support/cli.js';
import { sampleEntries } from '#test/support/events.js';
import { eventBridgeClient, startTestStack } from '#test/support/local-stack.js';

describe('the dashboard, in a real browser', () => {
  let stack: LocalStack;
  let browser: Browser;

  beforeAll(async () => {
    // First, so that a machine without Chromium fails before a stack is started for nothing.
    browser = await launchChromium();
    // Half of the Connect calls fail (the overflow controller's samples): the faults panel has something
    // to show, and nothing this file checks depends on the simulator answering.
    stack = await startTestStack({ faults: new FaultInjector({ connect: 0.5 }, 7) });
  });

  afterAll(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the queues with their routing state and waits, an SMS and a refused event after they are sent', async () => {
    // Prepare: a caller waits in the second-line queue, which nobody serves yet.
    stack.simulator.arrive({
      channel: 'VOICE',
      queueId: 'secondLine',
      patienceSeconds: Number.POSITIVE_INFINITY,
    });
    const page = await browser.newPage();
    await page.goto(stack.dashboardUrl);

    // Act: the shop sends an event with a misspelt detail-type.
    const events = eventBridgeClient(stack);
    await events.send(
      new PutEventsCommand({ Entries: sampleEntries('invalid/order-shiped-unknown-detail-type') as never }),
    );
    // ...and a real order, whose confirmation SMS goes to the outbox.
    await events.send(new PutEventsCommand({ Entries: sampleEntries('order-placed') as never }));
    events.destroy();
    const orderId = JSON.parse(sampleEntries('order-placed')[0]?.Detail ?? '{}').orderId as string;

    // Assess
    const secondLine = page.locator('#queues tbody tr[data-queue="second-line"]');
    await secondLine.waitFor({ timeout: 30_000 });
    await expect.poll(() => secondLine.locator('.badge').textContent(), { timeout: 30_000 }).toBe('NORMAL');
    await expect.poll(() => secondLine.locator('td').nth(2).textContent(), { timeout: 30_000 }).toBe('1');
    await expect
      .poll(() => page.locator('#dead-letters tbody').textContent(), { timeout: 30_000 })
      .toContain('detail-type "OrderShiped" is not one peakline knows');
    const smsRow = page.locator('#sms tbody tr', { hasText: orderId });
    await expect.poll(() => smsRow.locator('.badge').textContent(), { timeout: 30_000 }).toBe('SENT');
    await expect.poll(() => smsRow.textContent(), { timeout: 30_000 }).toContain('+48*****4567');
    await expect
      .poll(() => page.locator('#clock').textContent(), { timeout: 30_000 })
      .toMatch(/^2026-11-27 \d\d:\d\d:\d\d Europe\/Warsaw$/);
    await page.close();
  });

  it('shows the faults the chaos switch injects, per service and kind', async () => {
    // Prepare
    const page = await browser.newPage();

    // Act
    await page.goto(stack.dashboardUrl);

    // Assess: the controller samples the simulator several times a virtual minute, half of them refused.
    const connect = page.locator('#faults tbody tr[data-service="connect"]');
    await expect.poll(() => connect.locator('td').nth(1).textContent(), { timeout: 30_000 }).toBe('0.5');
    await expect
      .poll(
        async () => {
          const cells = await connect.locator('td').allTextContents();
          return cells.slice(3).reduce((sum, n) => sum + Number(n), 0);
        },
        { timeout: 20_000 },
      )
      .toBeGreaterThan(0);
    // Only the services with faults are listed.
    expect(await page.locator('#faults tbody tr[data-service="sns"]').count()).toBe(0);
    const api = (await (await fetch(`${stack.dashboardUrl}/api/faults`)).json()) as ReturnType<
      FaultInjector['snapshot']
    >;
    expect(api.rates).toEqual({ sns: 0, events: 0, connect: 0.5, dynamodb: 0 });
    expect(api.services.connect.calls).toBeGreaterThan(0);
    await page.close();
  });

  it('shows each seat with its state once ops add one and when it is revoked', async () => {
    // Prepare
    const page = await browser.newPage();
    await page.goto(stack.dashboardUrl);
    const peakline = (...args: string[]) =>
      runPeakline(['seats', ...args, '--local', '--dashboard-url', stack.dashboardUrl]);

    // Act
    const added = await peakline(
      'add',
      'maria.lis',
      '--first-name',
      'Maria',
      '--last-name',
      'Lis',
      '--email',
      'maria.lis@example.com',
      '--type',
      'light',
      '--from',
      '2026-11-27',
      '--until',
      '2026-12-24',
    );

    // Assess
    expect(added.exitCode).toBe(0);
    const row = page.locator('#seats tbody tr[data-seat="maria.lis"]');
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 30_000 }).toBe('ACTIVE');
    await expect.poll(() => row.textContent(), { timeout: 30_000 }).toContain('2026-12-25 00:00');
    expect((await peakline('revoke', 'maria.lis')).exitCode).toBe(0);
    await expect.poll(() => row.locator('.badge').textContent(), { timeout: 30_000 }).toBe('REVOKED');
    await page.screenshot({
      path: `${process.env.PEAKLINE_SCREENSHOT_DIR ?? '/tmp'}/peakline-dashboard.png`,
      fullPage: true,
    });
    await page.close();
  });
});
