/**
 * The inbound contact flow the local stack plays for its demo callers. It lives with the simulator
 * (simulator/inbound-flow.ts), where `peakline simulate` plays the same flow; these are its local names.
 */
export {
  type InboundCall,
  type InboundOutcome,
  InboundFlow as LocalInboundFlow,
  type InboundFlowOptions as LocalInboundFlowOptions,
} from '#simulator/inbound-flow.js';
