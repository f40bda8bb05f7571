import { describe, expect, it } from 'vitest';
import { queueRecords } from '#local/runtime/queue-records.js';
import { createContactCentre } from '#simulator/contact-centre.js';

const START = Date.UTC(2026, 10, 27, 17);
const HOLD = Number.POSITIVE_INFINITY;

/**
 * Two voice agents and nobody else: the primary queue's calls are answered at once, but for one caller
 * who finds both busy and hangs up within the 5 s allowance; its chat and the second line's calls find
 * nobody and are abandoned after it, but for one caller still holding on the second line.
 */
const evening = () => {
  const simulator = createContactCentre(START);
  simulator.setAgentsOnline('voice', 2);
  for (let i = 0; i < 2; i++) {
    simulator.arrive({ channel: 'VOICE', queueId: 'primary', patienceSeconds: HOLD, handlingSeconds: 600 });
  }
  simulator.arrive({ channel: 'VOICE', queueId: 'primary', patienceSeconds: 3 });
  simulator.arrive({ channel: 'CHAT', queueId: 'primary', patienceSeconds: 60 });
  simulator.arrive({ channel: 'VOICE', queueId: 'secondLine', patienceSeconds: 60 });
  simulator.arrive({ channel: 'VOICE', queueId: 'secondLine', patienceSeconds: 90 });
  simulator.arrive({ channel: 'VOICE', queueId: 'secondLine', patienceSeconds: HOLD });
  simulator.advanceTo(START + 120_000);
  return simulator;
};

describe('/api/queues: each queue with its abandonment and service level, in total and per channel', () => {
  it('sets the abandoning second line beside the answering primary queue', () => {
    // Prepare
    const simulator = evening();

    // Act
    const records = queueRecords(simulator.snapshot(), (id) => (id === 'primary' ? 'OVERFLOW' : 'NORMAL'));

    // Assess
    const primary = records.find((q) => q.id === 'primary');
    const secondLine = records.find((q) => q.id === 'secondLine');
    expect(primary).toMatchObject({
      name: 'primary',
      routingState: 'OVERFLOW',
      arrived: 4,
      answered: 2,
      abandoned: 2,
      abandonment: 2 / 4,
      // The short abandon is left out: 2 answered in time of 2 answered + 1 abandoned after 5 s.
      serviceLevel: 2 / 3,
      asaSeconds: 0,
      serviceLevelThresholdSeconds: 20,
      shortAbandonSeconds: 5,
    });
    expect(primary?.byChannel.VOICE).toMatchObject({
      arrived: 3,
      abandonment: 1 / 3,
      serviceLevel: 1,
      agentsOnline: 2,
      agentsAvailable: 0,
    });
    expect(primary?.byChannel.CHAT).toMatchObject({
      arrived: 1,
      abandonment: 1,
      serviceLevel: 0,
      agentsOnline: 0,
    });
    expect(secondLine).toMatchObject({
      routingState: 'NORMAL',
      arrived: 3,
      answered: 0,
      abandoned: 2,
      waiting: 1,
      oldestWaitSeconds: 120,
      abandonment: 2 / 3,
      serviceLevel: 0,
      asaSeconds: null,
    });
  });

  it('says nothing about a queue nobody has called yet rather than 0%', () => {
    // Prepare
    const simulator = evening();

    // Act
    const accounting = queueRecords(simulator.snapshot(), () => 'NORMAL').find((q) => q.id === 'accounting');

    // Assess
    expect(accounting).toMatchObject({ arrived: 0, abandonment: null, serviceLevel: null, asaSeconds: null });
  });
});
