/**
 * The load proof (`npm run proof:load`) at a small scale, under every kind of fault: the same code,
 * the same checks, a fixed seed so a failure can be replayed with
 * `npm run proof:load -- --events 300 --only faults --fault-seed 5 --seed 11`.
 */
import { describe, expect, it } from 'vitest';
import { parseFaultSpec } from '#local/faults/fault-plan.js';
import { runLoadProof } from '../../bench/proof/load.js';

describe('the load proof, small', () => {
  it(
    'keeps every promise under faults: nothing lost, no duplicate SMS, none to an opted-out phone, no callback for a bought cart, no phone in clear in the logs',
    async () => {
      // Act
      const result = await runLoadProof({
        events: 300,
        faults: parseFaultSpec('sns=0.3,events=0.3,connect=0.3,dynamodb=0.05'),
        faultSeed: 5,
        seed: 11,
        // A loaded machine may take long; the limit is generous, and the result says if it was reached.
        settleTimeoutMs: 8 * 60_000,
      });

      // Assess: the faults happened...
      for (const service of ['sns', 'events', 'dynamodb'] as const) {
        const counts = result.injected.services[service];
        expect(
          counts.throttling + counts['server-error'] + counts['acted-then-timeout'],
          service,
        ).toBeGreaterThan(0);
      }
      expect(result.injected.services.sns['acted-then-timeout']).toBeGreaterThan(0);
      // ...every SMS-bearing fact is accounted for...
      const a = result.accounting;
      expect(a.sent + a.suppressed + a.deferred + a['dead-lettered'] + a['outcome-unknown'] + a.lost).toBe(
        a.emitted,
      );
      expect(a.sent).toBeGreaterThan(a.emitted / 2);
      expect(result.settled).toBe(true);
      // ...and every promise held (each broken one comes with examples).
      expect(result.broken).toEqual([]);
      expect(a.lost).toBe(0);
      expect(result.duplicateSms).toBe(0);
      expect(result.smsToOptedOut).toBe(0);
      expect(result.callbacksForOrderedCarts).toBe(0);
      expect(result.malformedDeadLettered).toBeGreaterThanOrEqual(result.load.malformed);
    },
    15 * 60_000,
  );
});
