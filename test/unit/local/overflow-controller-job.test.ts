import type { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import { describe, expect, it } from 'vitest';
import type { ContactCentre, QueueMetrics } from '#core/ports.js';
import { parseConfig } from '#infra/config/load.js';
import { type LocalWiring, overflowControllerJob } from '#local/functions.js';

const EMPTY: QueueMetrics = {
  queueId: '',
  contactsInQueue: 0,
  oldestContactAgeSeconds: 0,
  agentsOnline: 0,
  agentsAvailable: 0,
  agentsOnContact: 0,
  channels: {},
};

/** The local wiring the job reads, around a contact centre that records what it is asked for. */
const wiringAsking = (asked: string[][]): LocalWiring =>
  ({
    config: parseConfig('local', {}),
    tableNames: { routing: 'peakline-local-routing' },
    busName: 'peakline',
    clock: { now: () => new Date('2025-11-28T18:00:00Z') },
    // No state stored yet, and every write taken.
    documentClient: {
      send: async () => ({ Responses: { 'peakline-local-routing': [] } }),
    } as unknown as BridgedDocumentClient,
    contactCentre: {
      getCurrentMetrics: async (ids: readonly string[]) => {
        asked.push([...ids]);
        return ids.map((queueId) => ({ ...EMPTY, queueId }));
      },
    } as Pick<ContactCentre, 'getCurrentMetrics'>,
    events: { publish: async () => undefined },
    log: () => undefined,
    count: () => undefined,
  }) as unknown as LocalWiring;

describe('the local overflow controller', () => {
  it("asks the simulator for the watched queues and the second line by the simulator's own ids, in one call", async () => {
    // Prepare
    const asked: string[][] = [];
    const job = overflowControllerJob(wiringAsking(asked));

    // Act
    await job.run(Date.parse('2025-11-28T18:00:00Z'));

    // Assess
    expect(asked).toEqual([['primary', 'callback', 'secondLine']]);
  });
});
