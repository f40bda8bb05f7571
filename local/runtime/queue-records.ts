/**
 * `/api/queues`: each queue of the simulator with what its contacts came to, in total and per channel, so
 * the dashboard can set the second line's abandonment and service level beside the primary queue's.
 */
import type { Channel } from '#core/ports.js';
import type { AgentSnapshot, ContactCounters, SimulatorSnapshot } from '#simulator/connect/index.js';
import type { QueueFigures, QueueRecord } from './records.js';

const CHANNELS: readonly Channel[] = ['VOICE', 'CHAT', 'TASK'];

const figures = (
  counters: ContactCounters,
  lane: { readonly waiting: number; readonly oldestWaitSeconds: number },
  serving: readonly AgentSnapshot[],
): QueueFigures => ({
  waiting: lane.waiting,
  oldestWaitSeconds: lane.oldestWaitSeconds,
  agentsOnline: serving.length,
  agentsAvailable: serving.filter((a) => a.state === 'AVAILABLE').length,
  arrived: counters.arrived,
  answered: counters.answered,
  abandoned: counters.abandoned,
  answeredInTime: counters.answeredInTime,
  abandonedCounted: counters.abandonedCounted,
  // Connect's abandonment rate divides by the contacts queued, so a backlog still waiting lowers it: the
  // dashboard shows `waiting` beside it for that reason.
  abandonment: counters.arrived === 0 ? null : counters.abandoned / counters.arrived,
  serviceLevel: counters.serviceLevel,
  asaSeconds: counters.averageWaitSeconds,
});

/** One record per queue, in the simulator's order; `routingState` says what the router answers for it. */
export const queueRecords = (
  snapshot: SimulatorSnapshot,
  routingState: (queueId: string) => string,
): QueueRecord[] => {
  const online = snapshot.agents.filter((a) => a.loggedIn);
  const servingOf = (queueId: string, channel?: Channel) =>
    online.filter((a) =>
      snapshot.routingProfiles
        .find((p) => p.id === a.routingProfileId)
        ?.queues.some((rq) => rq.queueId === queueId && (channel === undefined || rq.channel === channel)),
    );
  return snapshot.queues.map((q) => {
    const byChannel = Object.fromEntries(
      CHANNELS.map((channel) => [
        channel,
        figures(q.stats.byChannel[channel], q.byChannel[channel], servingOf(q.id, channel)),
      ]),
    ) as Record<Channel, QueueFigures>;
    return {
      id: q.id,
      name: q.name,
      routingState: routingState(q.id),
      ...figures(q.stats, q, servingOf(q.id)),
      serviceLevelThresholdSeconds: q.stats.serviceLevelThresholdSeconds,
      shortAbandonSeconds: q.stats.shortAbandonSeconds,
      byChannel,
    };
  });
};
