import { phoneHash } from './phone.js';
import type { SuppressionEntry, SuppressionStore } from './ports.js';

export interface OptOutRequest {
  readonly eventId: string;
  readonly phone: string;
  readonly channel: 'sms';
  readonly at: string;
}

export interface OptOutDeps {
  readonly store: SuppressionStore;
  readonly retentionDays: number;
}

export type OptOutOutcome = {
  readonly kind: 'suppressed' | 'already-suppressed-later';
  readonly entry: SuppressionEntry;
};

const DAY_SECONDS = 86_400;

/**
 * Puts a phone on the suppression list. The retention counts from the opt-out itself (not from when
 * the event was processed), so replaying an archive months later does not extend it.
 */
export const recordOptOut = async (request: OptOutRequest, deps: OptOutDeps): Promise<OptOutOutcome> => {
  const optedOutAtMs = Date.parse(request.at);
  const entry: SuppressionEntry = {
    phoneHash: phoneHash(request.phone),
    channel: request.channel,
    optedOutAt: new Date(optedOutAtMs).toISOString(),
    sourceEventId: request.eventId,
    expiresAt: Math.floor(optedOutAtMs / 1000) + deps.retentionDays * DAY_SECONDS,
  };
  const kept = await deps.store.suppress(entry);
  return { kind: kept ? 'suppressed' : 'already-suppressed-later', entry };
};
