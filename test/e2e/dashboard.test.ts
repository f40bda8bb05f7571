import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FaultInjector } from '#local/faults/fault-plan.js';
import type { QueueRecord } from '#local/runtime/records.js';
import type { LocalStack } from '#local/stack.js';
import { launchChromium } from '#test/support/chromium.js';
import { runPeakline } from '#test/support/cli.js';
import { sampleEntries } from '#test/support/events.js';
import { eventBridgeClient, eventually, getJson, startTestStack } from '#test/support/local-stack.js';

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

  it("shows each queue's abandonment and service level, and the primary queue's per channel", async () => {
    // Prepare: the second line already holds the first test's caller if it ran; what it had counts too.
    const secondLineBefore = (await getJson<QueueRecord[]>(stack, '/api/queues')).find(
      (q) => q.name === 'second-line',
    );
    const page = await browser.newPage();
    await page.goto(stack.dashboardUrl);

    // Act: two voice agents answer the primary queue's calls at once; its chat and two second-line callers
    // find nobody, and hang up after 30 s (past the 5 s allowance, so the service level counts them).
    stack.simulator.setAgentsOnline('voice', 2);
    for (let i = 0; i < 2; i++) {
      stack.simulator.arrive({
        channel: 'VOICE',
        queueId: 'primary',
        patienceSeconds: Number.POSITIVE_INFINITY,
      });
    }
    stack.simulator.arrive({ channel: 'CHAT', queueId: 'primary', patienceSeconds: 30 });
    for (let i = 0; i < 2; i++) {
      stack.simulator.arrive({ channel: 'VOICE', queueId: 'secondLine', patienceSeconds: 30 });
    }

    // Assess: the JSON
    const offered = (secondLineBefore?.arrived ?? 0) + 2;
    const abandoned = (secondLineBefore?.abandoned ?? 0) + 2;
    await eventually(stack, async () => {
      const queues = await getJson<QueueRecord[]>(stack, '/api/queues');
      expect(queues.find((q) => q.name === 'second-line')).toMatchObject({
        arrived: offered,
        abandoned,
        abandonment: abandoned / offered,
        serviceLevel: 0,
      });
      const primary = queues.find((q) => q.name === 'primary');
      expect(primary).toMatchObject({
        arrived: 3,
        answered: 2,
        abandoned: 1,
        abandonment: 1 / 3,
        serviceLevel: 2 / 3,
      });
      expect(primary?.byChannel.VOICE).toMatchObject({ abandonment: 0, serviceLevel: 1, asaSeconds: 0 });
      expect(primary?.byChannel.CHAT).toMatchObject({ abandonment: 1, serviceLevel: 0 });
    });
    // ...and the page: the columns, the queues' rows, and a row per channel under the primary queue
    const headers = await page.locator('#queues thead th').allTextContents();
    expect(headers.map((h) => h.trim())).toEqual(
      expect.arrayContaining(['offered', 'abandonment', 'service level (20 s)', 'ASA']),
    );
    const figure = (row: string, name: string) =>
      page.locator(`#queues tbody ${row} td[data-figure="${name}"]`).textContent();
    const secondLine = 'tr[data-queue="second-line"]';
    const primary = 'tr[data-queue="primary"]:not(.channel)';
    const primaryCalls = 'tr[data-queue="primary"][data-channel="VOICE"]';
    const primaryChats = 'tr[data-queue="primary"][data-channel="CHAT"]';
    const percent = (share: number) => `${(share * 100).toFixed(1)}%`;
    await expect
      .poll(() => figure(secondLine, 'abandonment'), { timeout: 30_000 })
      .toBe(percent(abandoned / offered));
    expect(await figure(secondLine, 'serviceLevel')).toBe('0.0%');
    expect(await figure(secondLine, 'asa')).toBe('—');
    await expect.poll(() => figure(primary, 'abandonment'), { timeout: 30_000 }).toBe('33.3%');
    expect(await figure(primary, 'serviceLevel')).toBe('66.7%');
    expect(await figure(primaryCalls, 'offered')).toBe('2');
    expect(await figure(primaryCalls, 'abandonment')).toBe('0.0%');
    expect(await figure(primaryCalls, 'serviceLevel')).toBe('100.0%');
    expect(await figure(primaryCalls, 'asa')).toBe('0 s');
    expect(await figure(primaryChats, 'abandonment')).toBe('100.0%');
    expect(await page.locator('#queues-legend').textContent()).toMatch(/answered within\s+20\s+s/);
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
