/**
 * What the local stack's API returns: one JSON array per resource, each item in the shape documented
 * in the README. The SMS shape is the outbox's: the SMS path writes it, the API serves it.
 */
import type { Channel } from '#core/ports.js';

export interface DeadLetterRecord {
  readonly at: string;
  readonly refusedBy: string;
  readonly reason: string;
  readonly event: unknown;
}

export type SmsStatus = 'SENT' | 'DEFERRED' | 'SUPPRESSED';

export interface SmsRecord {
  readonly id: string;
  /** Masked: `+48*****4567`. */
  readonly to: string;
  readonly body: string;
  readonly kind: string;
  readonly status: SmsStatus;
  readonly reason?: string;
  readonly segments: number;
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** When it was sent, or when a deferred SMS will be. */
  readonly sendAt: string;
  readonly orderId?: string;
  readonly cartId?: string;
  /** SNS's message id: set on what the SNS stand-in accepted, i.e. what reached a phone. */
  readonly messageId?: string;
  /** The error the sender was told although SNS had accepted the message (an injected fault). */
  readonly answeredWith?: string;
}

/** What a queue's contacts came to since the stack started, on one channel or on all of them. */
export interface QueueFigures {
  readonly waiting: number;
  readonly oldestWaitSeconds: number;
  /** Logged-in agents whose routing profile serves it, and those of them with nothing to do. */
  readonly agentsOnline: number;
  readonly agentsAvailable: number;
  /** Offered: every contact that entered the queue, the ones still waiting included. */
  readonly arrived: number;
  readonly answered: number;
  readonly abandoned: number;
  /** Answered within `serviceLevelThresholdSeconds`. */
  readonly answeredInTime: number;
  /** Abandoned after `shortAbandonSeconds`: the abandons the service level counts. */
  readonly abandonedCounted: number;
  /** abandoned / arrived, 0 to 1 (Amazon Connect's abandonment rate); null before the first contact. */
  readonly abandonment: number | null;
  /** answeredInTime / (answered + abandonedCounted), 0 to 1; null before anyone is answered or counted. */
  readonly serviceLevel: number | null;
  /** Average speed of answer: the mean wait of the answered contacts, seconds; null before the first. */
  readonly asaSeconds: number | null;
}

export interface QueueRecord extends QueueFigures {
  readonly id: string;
  readonly name: string;
  /** NORMAL, OVERFLOW or DEFLECT: what the router answers for this queue now. */
  readonly routingState: string;
  readonly serviceLevelThresholdSeconds: number;
  readonly shortAbandonSeconds: number;
  /** The same figures per channel: the primary queue holds calls and chats, which wait differently. */
  readonly byChannel: Readonly<Record<Channel, QueueFigures>>;
}
