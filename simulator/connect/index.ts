/** The in-process Amazon Connect the local stack and `peakline simulate` run against. */
export { ConnectSimulator, ConnectSimulatorError, type ConnectErrorName } from './simulator.js';
export { BinaryHeap } from './event-queue.js';
export { Random } from './random.js';
export type * from './types.js';
export type {
  GetMetricDataV2Input,
  GetMetricDataV2Output,
  MetricResultV2Output,
} from './get-metric-data-v2.js';
