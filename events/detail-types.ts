/**
 * The names of peakline's event contracts, without their schemas: what a function that only publishes
 * (or only routes by detail-type) needs. events/index.ts builds every zod schema when it is loaded; the
 * seat sweeper, which publishes SeatRevoked and parses no shop event, loaded them all through the event
 * publisher: 898 -> 854 M instructions for its cold start once it imports the names from here, about 10 ms
 * (valgrind's instruction count, A/B; bench/levers.ts, "event names apart from the schemas").
 */

/** The source of the facts peakline itself publishes on the bus. */
export const PEAKLINE_SOURCE = 'peakline';

/** The facts peakline publishes with source `peakline`; their schemas are not part of version 1 yet. */
export const PEAKLINE_DETAIL_TYPES = [
  'SmsSent',
  'SmsSuppressed',
  'CallbackScheduled',
  'CallbackCreated',
  'CallbackCancelled',
  'OverflowStateChanged',
  'SeatProvisioned',
  'SeatRevoked',
] as const;
export type PeaklineDetailType = (typeof PEAKLINE_DETAIL_TYPES)[number];

/** The detail-types the shop backend sends. */
export const SHOP_DETAIL_TYPES = [
  'OrderPlaced',
  'OrderStatusChanged',
  'CartAbandoned',
  'PaymentIssueReported',
  'CustomerOptedOut',
] as const;
export type ShopDetailType = (typeof SHOP_DETAIL_TYPES)[number];

/**
 * Why an event of a detail-type peakline does not know is refused. The same words whether the bus rule
 * refuses it (the CDK app's input transformer fills in EventBridge's `<detail-type>`) or a consumer does.
 */
export const unknownDetailTypeReason = (detailType: string): string =>
  `detail-type "${detailType}" is not one peakline knows; expected one of ${SHOP_DETAIL_TYPES.join(', ')}`;

export const isShopDetailType = (value: unknown): value is ShopDetailType =>
  typeof value === 'string' && (SHOP_DETAIL_TYPES as readonly string[]).includes(value);
