/**
 * A queue's figures from its per-channel ones, by the port's rule (ports.ts, `QueueMetrics`), so that the
 * Connect adapter and the simulator total them the same way.
 */
import type { Channel, ChannelMetrics, QueueMetrics } from './ports.js';

/**
 * The queue's figures: contacts summed over the channels, the oldest age the largest, and each agent figure
 * the largest on any one channel (an agent whose routing profile serves calls and chats is in both rows,
 * so adding them up would count them twice). A queue without any channel has zeros.
 */
export const queueMetricsOf = (
  queueId: string,
  channels: Readonly<Partial<Record<Channel, ChannelMetrics>>>,
): QueueMetrics => {
  const rows = Object.values(channels);
  const largest = (figure: (row: ChannelMetrics) => number) => Math.max(0, ...rows.map(figure));
  return {
    queueId,
    contactsInQueue: rows.reduce((sum, row) => sum + row.contactsInQueue, 0),
    oldestContactAgeSeconds: largest((row) => row.oldestContactAgeSeconds),
    agentsOnline: largest((row) => row.agentsOnline),
    agentsAvailable: largest((row) => row.agentsAvailable),
    agentsOnContact: largest((row) => row.agentsOnContact),
    channels,
  };
};
