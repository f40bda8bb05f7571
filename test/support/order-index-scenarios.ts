/**
 * The never-regress table every OrderIndex must pass, the in-memory one (unit tests) and the DynamoDB one
 * (integration tests) alike: a sequence of events for one order, as delivered, and what the index then
 * says about it. One table, so the two indexes cannot drift apart.
 */
import type { IndexedOrder, IndexedStatus } from '#core/orders/types.js';

export const TRACKING_URL = 'https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901';

/** An event of order `PL-2025-118734` as the index receives it. */
export const indexedOrder = (
  status: IndexedStatus,
  changedAt: string,
  extra: Partial<IndexedOrder> = {},
): IndexedOrder => ({
  orderId: 'PL-2025-118734',
  status,
  changedAt,
  language: 'pl',
  timeZone: 'Europe/Warsaw',
  smsConsent: true,
  ...extra,
});

export interface NeverRegressCase {
  readonly name: string;
  readonly events: readonly IndexedOrder[];
  readonly outcomes: readonly ('recorded' | 'stale')[];
  /** What `get` answers afterwards (only the fields named). */
  readonly kept: Partial<IndexedOrder>;
  /** Fields `get` must not answer. */
  readonly absent?: readonly (keyof IndexedOrder)[];
}

const shipped = indexedOrder('SHIPPED', '2025-11-29T10:00:00Z', {
  carrier: 'InPost',
  trackingUrl: TRACKING_URL,
  estimatedDelivery: '2025-12-01',
});

export const NEVER_REGRESS: readonly NeverRegressCase[] = [
  {
    name: 'a SHIPPED delivered after its DELIVERED changes no status',
    events: [indexedOrder('DELIVERED', '2025-11-30T12:00:00Z'), shipped],
    outcomes: ['recorded', 'stale'],
    kept: { status: 'DELIVERED', changedAt: '2025-11-30T12:00:00.000Z' },
  },
  {
    name: 'a duplicate changes nothing',
    events: [shipped, shipped],
    outcomes: ['recorded', 'stale'],
    kept: { status: 'SHIPPED', trackingUrl: TRACKING_URL },
  },
  {
    name: 'a stale SHIPPED still fills in the tracking link its OUT_FOR_DELIVERY lacked',
    events: [indexedOrder('OUT_FOR_DELIVERY', '2025-11-30T08:00:00Z'), shipped],
    outcomes: ['recorded', 'stale'],
    kept: {
      status: 'OUT_FOR_DELIVERY',
      carrier: 'InPost',
      trackingUrl: TRACKING_URL,
      estimatedDelivery: '2025-12-01',
    },
  },
  {
    name: 'a stale event fills in no detail the entry has',
    events: [
      indexedOrder('OUT_FOR_DELIVERY', '2025-11-30T08:00:00Z', { carrier: 'DPD' }),
      indexedOrder('SHIPPED', '2025-11-29T10:00:00Z', { carrier: 'InPost' }),
    ],
    outcomes: ['recorded', 'stale'],
    kept: { status: 'OUT_FOR_DELIVERY', carrier: 'DPD' },
  },
  {
    name: 'a CANCELLED order never regresses, even to a newer status',
    events: [indexedOrder('CANCELLED', '2025-11-29T09:00:00Z'), shipped],
    outcomes: ['recorded', 'stale'],
    kept: { status: 'CANCELLED', trackingUrl: TRACKING_URL },
  },
  {
    name: 'a DELIVERED stamped before the OUT_FOR_DELIVERY that arrived first still ends the order',
    events: [
      indexedOrder('OUT_FOR_DELIVERY', '2025-11-30T12:05:00Z'),
      indexedOrder('DELIVERED', '2025-11-30T12:00:00Z'),
    ],
    outcomes: ['recorded', 'recorded'],
    kept: { status: 'DELIVERED', changedAt: '2025-11-30T12:00:00.000Z' },
  },
  {
    name: 'a CANCELLED stamped before a SHIPPED that arrived first still cancels the order',
    events: [shipped, indexedOrder('CANCELLED', '2025-11-29T09:00:00Z', { reason: 'Out of stock' })],
    outcomes: ['recorded', 'recorded'],
    kept: { status: 'CANCELLED', reason: 'Out of stock', trackingUrl: TRACKING_URL },
  },
  {
    name: 'a second end changes nothing: DELIVERED then an older CANCELLED',
    events: [
      indexedOrder('DELIVERED', '2025-11-30T12:00:00Z'),
      indexedOrder('CANCELLED', '2025-11-29T09:00:00Z'),
    ],
    outcomes: ['recorded', 'stale'],
    kept: { status: 'DELIVERED' },
  },
  {
    name: 'a DELIVERED order never turns DELAYED',
    events: [
      indexedOrder('DELIVERED', '2025-11-30T12:00:00Z'),
      indexedOrder('DELAYED', '2025-11-30T13:00:00Z', { reason: 'Weather' }),
    ],
    outcomes: ['recorded', 'stale'],
    kept: { status: 'DELIVERED' },
    absent: ['reason'],
  },
  {
    name: 'a newer status keeps the link it does not repeat',
    events: [shipped, indexedOrder('OUT_FOR_DELIVERY', '2025-11-30T08:00:00Z')],
    outcomes: ['recorded', 'recorded'],
    kept: { status: 'OUT_FOR_DELIVERY', trackingUrl: TRACKING_URL, carrier: 'InPost' },
  },
  {
    name: 'a reason goes with the status it came with',
    events: [
      indexedOrder('DELAYED', '2025-11-29T12:00:00Z', { reason: 'Snow in the sorting centre' }),
      indexedOrder('SHIPPED', '2025-11-29T18:00:00Z'),
    ],
    outcomes: ['recorded', 'recorded'],
    kept: { status: 'SHIPPED' },
    absent: ['reason'],
  },
  {
    name: 'times are compared as instants, whatever their offsets',
    // 16:20 in Warsaw is 15:20Z; 15:30Z is later, though it sorts first as text.
    events: [
      indexedOrder('SHIPPED', '2025-11-29T16:20:03+01:00'),
      indexedOrder('OUT_FOR_DELIVERY', '2025-11-29T15:30:00Z'),
    ],
    outcomes: ['recorded', 'recorded'],
    kept: { status: 'OUT_FOR_DELIVERY', changedAt: '2025-11-29T15:30:00.000Z' },
  },
  {
    name: 'a second status at the very same instant is taken for a duplicate',
    events: [indexedOrder('PACKED', '2025-11-29T10:00:00Z'), indexedOrder('SHIPPED', '2025-11-29T10:00:00Z')],
    outcomes: ['recorded', 'stale'],
    kept: { status: 'PACKED' },
  },
  {
    name: 'the last event gives the consent and the language with its status',
    events: [
      indexedOrder('PLACED', '2025-11-28T21:00:00Z'),
      indexedOrder('SHIPPED', '2025-11-29T10:00:00Z', { smsConsent: false, language: 'en' }),
    ],
    outcomes: ['recorded', 'recorded'],
    kept: { status: 'SHIPPED', smsConsent: false, language: 'en' },
  },
];
