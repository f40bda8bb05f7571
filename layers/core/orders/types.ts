/**
 * "Where is my order?" answered before the queue (issue 15): the shared vocabulary of the order index, the
 * lookup the inbound flow invokes, the tracking-link SMS and the contact attributes the agent sees. One
 * definition, used by the index writer, the lookup function, the flow, the local stack and the simulator.
 */
import type { SmsLanguage } from '../sms/templates.js';

/** The statuses the index keeps: the shop's OrderStatusChanged statuses, and PLACED for a new order. */
export const INDEXED_STATUSES = [
  'PLACED',
  'PACKED',
  'SHIPPED',
  'OUT_FOR_DELIVERY',
  'DELAYED',
  'DELIVERED',
  'CANCELLED',
] as const;
export type IndexedStatus = (typeof INDEXED_STATUSES)[number];

/** An order is "in progress" (told to a caller) until it is delivered or cancelled. */
export const FINAL_STATUSES: ReadonlySet<IndexedStatus> = new Set(['DELIVERED', 'CANCELLED']);

/**
 * One order of a phone, as the index keeps it: what the status announcement and the agent need, and
 * nothing else (no name, no address, no basket, no amount). The phone itself is only the item's key, as a
 * keyed hash.
 */
export interface IndexedOrder {
  readonly orderId: string;
  readonly status: IndexedStatus;
  /** When the status changed (the event's occurredAt, or placedAt for PLACED), ISO-8601. */
  readonly changedAt: string;
  readonly carrier?: string;
  /** https only (the event schema's rule). */
  readonly trackingUrl?: string;
  /** The carrier's estimate: a date (YYYY-MM-DD) or an ISO time, as the shop sent it. */
  readonly estimatedDelivery?: string;
  /** Why the order is DELAYED or CANCELLED, in the shop's words (untrusted text: escaped before speech). */
  readonly reason?: string;
  /** The customer's language, from their locale; a language without copy is 'en'. */
  readonly language: SmsLanguage;
  /** The customer's IANA zone (the event's, or the phone's country's): dates are said in it. */
  readonly timeZone: string;
  /** The customer's transactional-SMS consent at the last event: the tracking-link SMS needs it. */
  readonly smsConsent: boolean;
}

/**
 * The index port. `phoneDigest` is the core's `phoneHash(e164)`; the adapter keys it with the secret
 * phone-hash key (as the suppression list does), so neither the number nor its plain digest is stored.
 */
export interface OrderIndex {
  /**
   * Applies one order event. Never regresses: an update older than what is kept (by `changedAt`), unless it
   * delivers or cancels the order, or any update of a DELIVERED or CANCELLED order, changes no status; details the kept entry lacks (carrier,
   * link, estimate) are still filled in from it. Idempotent: a duplicate changes nothing.
   * `expiresAt`: the entry's TTL (`sms.retentionDays` after the change).
   */
  record(phoneDigest: string, order: IndexedOrder, expiresAt: Date): Promise<'recorded' | 'stale'>;
  /** The phone's orders, most recently changed first, at most `orderStatus.maxOrdersPerPhone`. */
  recent(phoneDigest: string): Promise<readonly IndexedOrder[]>;
  /** One order of the phone, or undefined. */
  get(phoneDigest: string, orderId: string): Promise<IndexedOrder | undefined>;
}

/**
 * The contact attributes the inbound flow sets when a caller's order was told: the agent workspace shows
 * them, so any agent, seasonal or outsourced, sees the order without logging into the shop.
 */
export const ORDER_ATTRIBUTES = {
  orderId: 'peaklineOrderId',
  status: 'peaklineOrderStatus',
  changedAt: 'peaklineOrderStatusChangedAt',
  carrier: 'peaklineOrderCarrier',
  trackingUrl: 'peaklineOrderTrackingUrl',
  estimatedDelivery: 'peaklineOrderEstimatedDelivery',
  language: 'peaklineOrderLanguage',
  /** 'told' once the caller heard the status; 'sms' once they took the link; 'agent' when they asked for one. */
  outcome: 'peaklineOrderOutcome',
} as const;

/**
 * What the lookup function answers the flow (Connect takes a flat map of strings). Every key is always
 * present (empty when unknown), so the flow's UpdateContactAttributes never reads a missing key.
 */
export interface OrderStatusAnswer {
  /** 'true' when a caller's order in progress was found and is to be told. */
  readonly found: 'true' | 'false';
  /** Polly voice and engine for the caller's language (Set voice, set dynamically). */
  readonly voice: string;
  readonly engine: 'Neural' | 'Standard' | '';
  /** BCP 47 of the spoken language, e.g. 'pl-PL'. */
  readonly language: string;
  /** `<speak>…</speak>`: the status and the menu (1: the link by SMS, when there is one; 2: an adviser). */
  readonly statusSsml: string;
  /** 'true' when option 1 (the link by SMS) is offered. */
  readonly linkOffered: 'true' | 'false';
  readonly orderId: string;
  readonly status: string;
  readonly changedAt: string;
  readonly carrier: string;
  readonly trackingUrl: string;
  readonly estimatedDelivery: string;
  /** Index signature: Connect takes a flat string map. */
  readonly [key: string]: string;
}

/** What the tracking-link action answers the flow. */
export interface TrackingLinkAnswer {
  /** 'true': the SMS is on its way. */
  readonly sent: 'true' | 'false';
  /** `<speak>…</speak>` in the caller's language: the goodbye when sent, the apology otherwise. */
  readonly ssml: string;
  readonly reason: string;
  readonly [key: string]: string;
}

/** The Lambda invocation attribute (`Details.Parameters.action`) that tells the two actions apart. */
export type OrderStatusAction = 'lookup' | 'send-link';
