/**
 * Every EventBridge rule peakline puts on its bus, as plain event-pattern JSON in EventBridge's own
 * syntax. The PipelineStack deploys these, and the local stack's bus matches events with the very same
 * objects, so a pattern can never differ between AWS and a laptop.
 */
import { RECORDED_FACT_TYPES } from '#core/reporting/facts.js';
import { PEAKLINE_SOURCE, SHOP_DETAIL_TYPES } from './index.js';

export { unknownDetailTypeReason } from './index.js';

/** An event pattern as EventBridge documents it (`detail-type`, not CDK's `detailType`). */
export type EventPattern = { readonly [field: string]: EventPattern | readonly unknown[] };

export interface RuleDefinition {
  /** Stable id: the construct id on AWS, the rule's name in the local stack. */
  readonly id: string;
  readonly description: string;
  readonly pattern: EventPattern;
}

export interface RuleContext {
  /** The shop's event source (`shop.source` in the configuration). */
  readonly shopSource: string;
}

export type RuleName =
  | 'orderSms'
  | 'orderIndex'
  | 'customerOptOut'
  | 'cartCallbacks'
  | 'paymentIssues'
  | 'unknownDetailType'
  | 'factRecorder';

export const rules = ({ shopSource }: RuleContext): Readonly<Record<RuleName, RuleDefinition>> => ({
  orderSms: {
    id: 'OrderSms',
    description: 'OrderPlaced and OrderStatusChanged -> the order-SMS buffer -> SMS',
    pattern: { source: [shopSource], 'detail-type': ['OrderPlaced', 'OrderStatusChanged'] },
  },
  orderIndex: {
    id: 'OrderIndex',
    description:
      "OrderPlaced and OrderStatusChanged -> the order-index buffer -> the phone's recent orders, told to a caller",
    // Its own rule and buffer rather than a second target of orderSms: the index and the SMS fail, retry and
    // dead-letter apart.
    pattern: { source: [shopSource], 'detail-type': ['OrderPlaced', 'OrderStatusChanged'] },
  },
  customerOptOut: {
    id: 'CustomerOptOut',
    description: 'CustomerOptedOut -> the opt-out buffer -> the suppression list',
    pattern: { source: [shopSource], 'detail-type': ['CustomerOptedOut'] },
  },
  cartCallbacks: {
    id: 'CartCallbacks',
    description:
      'CartAbandoned, and OrderPlaced with a cart id -> the cart-callbacks buffer -> a callback scheduled or cancelled',
    // An order without a cart id cancels nothing, so it never reaches the buffer. A CartAbandoned is taken
    // whatever its detail: one without a cart id is malformed, and the consumer rejects it with the reason.
    pattern: {
      source: [shopSource],
      $or: [
        { 'detail-type': ['CartAbandoned'] },
        { 'detail-type': ['OrderPlaced'], detail: { cartId: [{ exists: true }] } },
      ],
    },
  },
  paymentIssues: {
    id: 'PaymentIssues',
    description: 'PaymentIssueReported -> the payment-issues buffer -> a task in the accounting queue',
    pattern: { source: [shopSource], 'detail-type': ['PaymentIssueReported'] },
  },
  factRecorder: {
    id: 'FactRecorder',
    description:
      "peakline's SMS and callback facts, and OrderPlaced with a cart id -> the facts buffer -> the KPI report's facts table",
    // The source is part of each alternative: a shop event named like one of peakline's facts must not be
    // counted as one. An order without a cart id can convert no callback, so it never reaches the buffer.
    pattern: {
      $or: [
        { source: [PEAKLINE_SOURCE], 'detail-type': [...RECORDED_FACT_TYPES] },
        { source: [shopSource], 'detail-type': ['OrderPlaced'], detail: { cartId: [{ exists: true }] } },
      ],
    },
  },
  unknownDetailType: {
    id: 'UnknownDetailType',
    description: 'Shop events of a detail-type peakline does not know -> rejected events, with the reason',
    // Without this rule a misspelt detail-type would match nothing and vanish without a trace.
    pattern: { source: [shopSource], 'detail-type': [{ 'anything-but': [...SHOP_DETAIL_TYPES] }] },
  },
});

/** Who refuses events no rule can take: the bus itself. */
export const REFUSED_BY_BUS = 'event-bus';
