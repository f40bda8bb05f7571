import { describe, expect, it } from 'vitest';
import type { RouteAnswer } from '#core/routing/router.js';
import { createContactCentre } from '#simulator/contact-centre.js';
import { Random } from '#simulator/connect/index.js';
import { Demo } from '#local/demo.js';
import { LocalInboundFlow } from '#local/inbound-flow.js';

/** 19:00, the top of the demo's rush: contacts every few seconds. */
const START = Date.UTC(2026, 10, 27, 17);
const RUSH = START + 2 * 3_600_000;

/**
 * The scheduler running late (issue 11, defect 12): while the demo awaits a caller's route, the virtual
 * clock moves on by `lagMs` (the simulator's own tick ran in between, as it does under load or at speed).
 */
const laggingWorld = (lagMs: number) => {
  const simulator = createContactCentre(START);
  const route = async (): Promise<RouteAnswer> => {
    simulator.advanceTo(simulator.now + lagMs);
    return { mode: 'NORMAL', queueArn: 'primary', queueKey: 'primary' };
  };
  return { simulator, route };
};

const arrivedInPrimary = (simulator: ReturnType<typeof createContactCentre>) =>
  simulator.queueStats('primary').arrived;

describe('the demo when its scheduler runs late (issue 11, defect 12)', () => {
  it('places every contact of a late tick now instead of failing', async () => {
    // Prepare
    const { simulator, route } = laggingWorld(20_000);
    const inbound = new LocalInboundFlow({ simulator, route, random: new Random(7) });
    const demo = new Demo({
      simulator,
      putEvents: async () => ({}),
      busName: 'peakline-test',
      shopSource: 'shop',
      startMs: START,
      inbound: (call) => inbound.call(call),
    });
    simulator.advanceTo(RUSH);

    // Act: one tick of the rush; every awaited route lets the clock run 20 s past the planned contacts
    await demo.advance(RUSH + 60_000);

    // Assess: the calls and chats planned for the tick all arrived, none before the simulator's now
    const calls = inbound.stats();
    expect(calls.queued).toBeGreaterThan(0);
    expect(arrivedInPrimary(simulator)).toBeGreaterThan(calls.queued);
  });

  it('queues a deflected caller now when the SMS took longer than the plan allowed', async () => {
    // Prepare: DEFLECT, the caller presses 3, and the SMS is not sent after 30 virtual seconds
    const simulator = createContactCentre(START);
    const inbound = new LocalInboundFlow({
      simulator,
      route: async () => ({ mode: 'DEFLECT', queueArn: 'secondLine', queueKey: 'secondLine' }),
      sendDeflectionSms: async () => {
        simulator.advanceTo(simulator.now + 30_000);
        return false;
      },
      random: new Random(7),
    });

    // Act
    const outcome = await inbound.call({ at: START + 1_000, phone: '+48500100200', key: 3 });

    // Assess
    expect(outcome).toBe('kept-waiting');
    expect(simulator.queueStats('secondLine').arrived).toBe(1);
  });
});
