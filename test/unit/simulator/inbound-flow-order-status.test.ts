import { describe, expect, it } from 'vitest';
import type { RouteAnswer } from '#core/routing/router.js';
import { Random } from '#simulator/connect/index.js';
import { createContactCentre } from '#simulator/contact-centre.js';
import {
  DEFAULT_STATUS_CHOICES,
  InboundFlow,
  type InboundFlowOptions,
  type InboundOutcome,
} from '#simulator/inbound-flow.js';

const START = Date.UTC(2026, 10, 27, 18);
const DEFLECT: RouteAnswer = { mode: 'DEFLECT', queueArn: 'primary', queueKey: 'primary' };
const NORMAL: RouteAnswer = { mode: 'NORMAL', queueArn: 'primary', queueKey: 'primary' };

/** A flow whose router answers `answer` and counts how often it was asked. */
const world = (answer: RouteAnswer, options: Partial<InboundFlowOptions> = {}) => {
  const simulator = createContactCentre(START);
  const asked = { route: 0 };
  const flow = new InboundFlow({
    simulator,
    route: async () => {
      asked.route += 1;
      return answer;
    },
    random: new Random(7),
    ...options,
  });
  return { simulator, flow, asked };
};

const queued = (simulator: ReturnType<typeof createContactCentre>) =>
  simulator.queueStats('primary').arrived + simulator.queueStats('callback').arrived;

describe('the inbound flow with the order status before the router (issue 15)', () => {
  it('deflects callers who asked for an adviser as before, the told callers’ draws on a Random of their own', async () => {
    // Prepare: the same 200 callers in DEFLECT, once without the order status, once all told their status
    // and all asking for an adviser, the told callers' draws on their own Random
    const plain = world(DEFLECT, { sendDeflectionSms: async () => true });
    const withLookup = world(DEFLECT, {
      sendDeflectionSms: async () => true,
      orderStatus: async () => ({ told: true, linkOffered: true }),
      statusChoices: { hangUp: 0, link: 0, agent: 1 },
      statusRandom: new Random(99),
    });
    const calls = Array.from({ length: 200 }, (_, i) => ({ at: START + i * 1_000, phone: `+4850010${i}` }));

    // Act
    const before: InboundOutcome[] = [];
    const after: InboundOutcome[] = [];
    for (const call of calls) before.push(await plain.flow.call(call));
    for (const call of calls) after.push(await withLookup.flow.call(call));

    // Assess
    expect(after).toEqual(before);
    expect(new Set(before)).toEqual(new Set(['kept-waiting', 'callback', 'sms']));
    expect(withLookup.flow.stats().contained).toBe(0);
  });

  it('contains a told caller who hangs up after the status: never routed, never queued', async () => {
    // Prepare
    const { simulator, flow, asked } = world(NORMAL, {
      orderStatus: async () => ({ told: true, linkOffered: true }),
    });

    // Act
    const outcome = await flow.call({ at: START, phone: '+48500100200', afterStatus: 'hangUp' });

    // Assess
    expect(outcome).toBe('contained');
    expect(asked.route).toBe(0);
    expect(queued(simulator)).toBe(0);
    expect(flow.stats().contained).toBe(1);
  });

  it('sends the tracking link to a told caller who presses 1, with the lookup’s contact id', async () => {
    // Prepare
    const lookedUp: string[] = [];
    const linked: { contactId: string; phone: string }[] = [];
    const { simulator, flow } = world(NORMAL, {
      orderStatus: async ({ contactId }) => {
        lookedUp.push(contactId);
        return { told: true, linkOffered: true };
      },
      sendTrackingLink: async (caller) => {
        linked.push(caller);
        return true;
      },
    });

    // Act
    const outcome = await flow.call({ at: START, phone: '+48500100200', afterStatus: 'link' });

    // Assess
    expect(outcome).toBe('sms-sent');
    expect(linked).toEqual([{ contactId: lookedUp[0], phone: '+48500100200' }]);
    expect(queued(simulator)).toBe(0);
    expect(flow.stats()['sms-sent']).toBe(1);
  });

  it.each([
    ['the link was not sent', { linkOffered: true, sent: async () => false }],
    ['sending the link failed', { linkOffered: true, sent: () => Promise.reject(new Error('SQS down')) }],
    ['no link was offered (1 is any other key)', { linkOffered: false, sent: async () => true }],
  ])('routes a told caller who pressed 1 when %s', async (_, { linkOffered, sent }) => {
    // Prepare
    const { simulator, flow, asked } = world(NORMAL, {
      orderStatus: async () => ({ told: true, linkOffered }),
      sendTrackingLink: sent,
    });

    // Act
    const outcome = await flow.call({ at: START, phone: '+48500100200', afterStatus: 'link' });

    // Assess
    expect(outcome).toBe('queued');
    expect(asked.route).toBe(1);
    expect(simulator.queueStats('primary').arrived).toBe(1);
  });

  it.each([
    ['asks for an adviser', async () => ({ told: true, linkOffered: true }), 'agent' as const],
    ['has no order in progress', async () => ({ told: false, linkOffered: false }), 'hangUp' as const],
    ['could not be looked up (fail open)', () => Promise.reject(new Error('timeout')), 'hangUp' as const],
  ])('queues a caller who %s, as without the order status', async (_, orderStatus, afterStatus) => {
    // Prepare
    const { simulator, flow } = world(NORMAL, { orderStatus });

    // Act
    const outcome = await flow.call({ at: START, phone: '+48500100200', afterStatus });

    // Assess
    expect(outcome).toBe('queued');
    expect(simulator.queueStats('primary').arrived).toBe(1);
  });

  it('gives the deflection SMS the id of the contact whose order status was looked up', async () => {
    // Prepare: told, asks for an adviser, the centre deflects, the caller presses 3
    const lookedUp: string[] = [];
    const deflected: string[] = [];
    const { flow } = world(DEFLECT, {
      orderStatus: async ({ contactId }) => {
        lookedUp.push(contactId);
        return { told: true, linkOffered: false };
      },
      sendDeflectionSms: async ({ contactId }) => {
        deflected.push(contactId);
        return true;
      },
    });

    // Act
    await flow.call({ at: START, phone: '+48500100200', afterStatus: 'agent', key: 3 });
    await flow.call({ at: START + 1_000, phone: '+48500100201', afterStatus: 'agent', key: 3 });

    // Assess
    expect(deflected).toEqual(lookedUp);
    expect(new Set(deflected).size).toBe(2);
  });

  it('draws the told callers’ choices in the default shares (seeded)', async () => {
    // Prepare: 10,000 told callers, every one offered the link
    const { flow } = world(NORMAL, {
      orderStatus: async () => ({ told: true, linkOffered: true }),
      statusRandom: new Random(2026),
    });

    // Act
    for (let i = 0; i < 10_000; i += 1) await flow.call({ at: START + i * 100, phone: '+48500100200' });

    // Assess: within 1.5 points of each share (about four standard errors)
    const stats = flow.stats();
    expect(Math.abs(stats.contained / 10_000 - DEFAULT_STATUS_CHOICES.hangUp)).toBeLessThan(0.015);
    expect(Math.abs(stats['sms-sent'] / 10_000 - DEFAULT_STATUS_CHOICES.link)).toBeLessThan(0.015);
    expect(Math.abs(stats.queued / 10_000 - DEFAULT_STATUS_CHOICES.agent)).toBeLessThan(0.015);
  });

  it('spreads the link’s share over the others when no link is offered', async () => {
    // Prepare
    const { flow } = world(NORMAL, {
      orderStatus: async () => ({ told: true, linkOffered: false }),
      statusChoices: { hangUp: 0.4, link: 0.2, agent: 0.4 },
      statusRandom: new Random(2027),
    });

    // Act
    for (let i = 0; i < 10_000; i += 1) await flow.call({ at: START + i * 100, phone: '+48500100200' });

    // Assess: 0.4 / (0.4 + 0.4) hang up, nobody gets a link
    const stats = flow.stats();
    expect(stats['sms-sent']).toBe(0);
    expect(Math.abs(stats.contained / 10_000 - 0.5)).toBeLessThan(0.02);
  });
});
