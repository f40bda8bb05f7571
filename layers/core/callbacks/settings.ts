/**
 * What the cart callbacks are told by the stage's settings (config `callbacks`, `connect.hours`,
 * `connect.timeZone`, `connect.language`, the queue ids) and the ports they are given. One object with
 * every port satisfies each function's deps, so a handler, the local stack and the simulator can build
 * it once.
 */
import type { PeaklineConfig } from '#infra/config/schema.js';
import type {
  Clock,
  ContactCentre,
  EventPublisher,
  OrderLedger,
  RoutingStateReader,
  SmsSender,
  SuppressionStore,
} from '../ports.js';
import type { WeeklyHours } from './business-hours.js';
import type { Catalogue } from './catalogue.js';
import type { SavedCartSmsSettings } from './saved-cart-sms.js';
import type { CallbackStore } from './store.js';

export type PeakBehaviour = 'postpone' | 'sms';

export interface CallbackSettings {
  /** Minutes after the abandonment before the callback is due (then moved into opening hours). */
  readonly delayMinutes: number;
  /** Least cart total worth a call, in the cart's own currency. */
  readonly minCartValue: number;
  /** At most one callback per customer in this many hours. */
  readonly perCustomerHours: number;
  /** While the callback queue is in OVERFLOW or DEFLECT: wait, or send the saved cart by SMS. */
  readonly peakBehaviour: PeakBehaviour;
  /** How far one postponement moves a callback (then into opening hours). */
  readonly postponeMinutes: number;
  /** A callback not made within this many hours of the abandonment is dropped: the offer is stale. */
  readonly maxAgeHours: number;
  /** StartTaskContact failures (other than throttling) before a callback is given up. */
  readonly maxTaskAttempts: number;
  /** Days a callback is kept after it ended, for the record (the phone goes at the end). */
  readonly retentionDays: number;
  /** How long a sweeper holds a callback it took; past it the next sweep takes it over. */
  readonly leaseSeconds: number;
  /** The callback queue's id in the contact centre: Connect's queue id on AWS, the queue key locally. */
  readonly callbackQueueId: string;
  /** The callback queue's key in the routing table (`callback`), whose state says "overloaded". */
  readonly callbackQueueKey: string;
  /** `connect.hours`: callbacks become tasks only while the centre is open. */
  readonly openingHours: WeeklyHours;
  /** `connect.timeZone`. */
  readonly timeZone: string;
  /** `connect.language`: the language the agents read the task in. */
  readonly agentLocale: string;
}

/** Lease a sweeper holds a callback for, unless configured: well over one paced, retried Connect call. */
export const DEFAULT_LEASE_SECONDS = 120;

export interface ScheduleDeps {
  readonly clock: Clock;
  readonly store: CallbackStore;
  readonly suppression: Pick<SuppressionStore, 'isSuppressed'>;
  readonly events: EventPublisher;
  readonly catalogue: Catalogue;
  readonly settings: CallbackSettings;
}

export interface AnnounceDeps {
  readonly clock: Clock;
  readonly store: CallbackStore;
  readonly events: EventPublisher;
  readonly settings: Pick<
    CallbackSettings,
    'leaseSeconds' | 'retentionDays' | 'perCustomerHours' | 'callbackQueueId'
  >;
  /** Lease tokens; random by default. */
  readonly newToken?: () => string;
}

export interface CancelDeps extends AnnounceDeps {
  /** `maxAgeHours` sets how long the cart's tombstone is kept. */
  readonly settings: AnnounceDeps['settings'] & Pick<CallbackSettings, 'maxAgeHours'>;
}

/** The saved-cart SMS path; without it, peakBehaviour 'sms' postpones like 'postpone'. */
export interface SavedCartSmsPorts {
  readonly ledger: Pick<OrderLedger, 'claimOnce' | 'addDailySegments'>;
  readonly sender: SmsSender;
  readonly settings: SavedCartSmsSettings;
}

export interface SweepDeps extends AnnounceDeps {
  readonly settings: CallbackSettings;
  readonly contactCentre: Pick<ContactCentre, 'startTask'>;
  readonly routing: RoutingStateReader;
  readonly suppression: Pick<SuppressionStore, 'isSuppressed'>;
  readonly sms?: SavedCartSmsPorts;
  /**
   * Whether a startTask error is Connect's "too fast" that outlived the adapter's retries: the callback
   * then keeps its place and the sweep stops, leaving the rest to the next run. On AWS the Connect
   * adapter's `isThrottling`; by default the error names Connect uses.
   */
  readonly isThrottling?: (error: unknown) => boolean;
}

/** Everything at once: what a handler or the local stack builds, and every function accepts. */
export type CallbackDeps = ScheduleDeps & SweepDeps;

/** The config's sections the callbacks read (`callbacks`, and `connect` for the hours and language). */
export interface CallbackConfig {
  readonly callbacks: Omit<PeaklineConfig['callbacks'], 'catalogue' | 'sweepBatch'>;
  readonly connect: Pick<PeaklineConfig['connect'], 'hours' | 'timeZone' | 'language'>;
}

/**
 * The settings from a stage's validated config and the queue ids the deployment (or the local stack)
 * knows: one mapping for the handlers' environment, the local stack and the simulator.
 */
export const callbackSettingsFrom = (
  config: CallbackConfig,
  queues: { readonly callbackQueueId: string; readonly callbackQueueKey?: string },
  leaseSeconds: number = DEFAULT_LEASE_SECONDS,
): CallbackSettings => ({
  delayMinutes: config.callbacks.delayMinutes,
  minCartValue: config.callbacks.minCartValue,
  perCustomerHours: config.callbacks.perCustomerHours,
  peakBehaviour: config.callbacks.peakBehaviour,
  postponeMinutes: config.callbacks.postponeMinutes,
  maxAgeHours: config.callbacks.maxAgeHours,
  maxTaskAttempts: config.callbacks.maxTaskAttempts,
  retentionDays: config.callbacks.retentionDays,
  leaseSeconds,
  callbackQueueId: queues.callbackQueueId,
  callbackQueueKey: queues.callbackQueueKey ?? 'callback',
  openingHours: config.connect.hours,
  timeZone: config.connect.timeZone,
  agentLocale: config.connect.language,
});
