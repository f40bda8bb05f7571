/**
 * What the local stack's API returns: one JSON array per resource, each item in the shape documented
 * in the README. The SMS shape is the outbox's: the SMS path writes it, the API serves it.
 */
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

export interface QueueRecord {
  readonly id: string;
  readonly name: string;
  readonly waiting: number;
  readonly oldestWaitSeconds: number;
  readonly agentsOnline: number;
  readonly agentsAvailable: number;
  /** NORMAL, OVERFLOW or DEFLECT: what the router answers for this queue now. */
  readonly routingState: string;
  readonly arrived: number;
  readonly answered: number;
  readonly abandoned: number;
}
