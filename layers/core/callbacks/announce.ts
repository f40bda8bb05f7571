/**
 * Ending a callback and telling the bus, so that every scheduled callback is answered by exactly one
 * CallbackCreated or CallbackCancelled (with the reason), also when a run dies half-way: the end state is
 * written still pending, announced, then settled; what a dead run left pending the sweeper announces.
 */
import { randomUUID } from 'node:crypto';
import { maskPhone } from '../phone.js';
import { addMs, type Callback, claimed, type Ending, ended, settled } from './callback.js';
import { lineCount, outOfStockCount } from './offer.js';
import type { AnnounceDeps } from './settings.js';
import type { MarkerChange, Tombstone } from './store.js';

export const newToken = (deps: Pick<AnnounceDeps, 'newToken'>): string => (deps.newToken ?? randomUUID)();

export const leaseEnd = (deps: Pick<AnnounceDeps, 'settings'>, now: Date): Date =>
  addMs(now, deps.settings.leaseSeconds * 1000);

/** The fact for the bus; the phone, if still known, masked. */
export const announcementOf = (
  callback: Callback,
  queueId: string,
): {
  readonly detailType: 'CallbackCreated' | 'CallbackCancelled';
  readonly detail: Record<string, unknown>;
} => {
  const common = {
    cartId: callback.cartId,
    customerId: callback.customer.customerId,
    ...(callback.customer.phone === undefined ? {} : { to: maskPhone(callback.customer.phone) }),
    cartValue: callback.offer.total,
    abandonedAt: callback.abandonedAt,
    scheduledFor: callback.scheduledFor,
    postponements: callback.postponements,
  };
  if (callback.state === 'CREATED') {
    return {
      detailType: 'CallbackCreated',
      detail: {
        ...common,
        contactId: callback.contactId,
        queueId,
        // The order came while the task was being made: the agent's task exists, the cart was bought.
        ...(callback.lateOrder === undefined ? {} : { lateOrderId: callback.lateOrder }),
        createdAt: callback.endedAt,
        items: lineCount(callback.offer),
        outOfStock: outOfStockCount(callback.offer),
      },
    };
  }
  return {
    detailType: 'CallbackCancelled',
    detail: {
      ...common,
      reason: callback.endReason,
      cancelledAt: callback.endedAt,
      ...(callback.cancelledBy === undefined ? {} : { orderId: callback.cancelledBy }),
      ...(callback.smsMessageId === undefined ? {} : { smsMessageId: callback.smsMessageId }),
      ...(callback.taskMayExist ? { taskMayExist: true } : {}),
    },
  };
};

/** Publishes the end state and settles it; a failed publish leaves it pending for the sweeper. */
export const announceAndSettle = async (deps: AnnounceDeps, held: Callback): Promise<Callback> => {
  const { detailType, detail } = announcementOf(held, deps.settings.callbackQueueId);
  await deps.events.publish(detailType, detail);
  const done = settled(held, deps.settings.retentionDays);
  // Refused only if another run took it over after our lease ran out; it announces (again) then.
  await deps.store.replace(held, done);
  return done;
};

/**
 * Writes the end state (conditionally), announces and settles it; undefined when another writer came
 * first. With a tombstone, the tombstone and the end are written in one transaction.
 */
export const finish = async (
  deps: AnnounceDeps,
  seen: Callback,
  ending: Ending,
  marker?: MarkerChange,
  tombstone?: Tombstone,
): Promise<Callback | undefined> => {
  const now = deps.clock.now();
  const next = ended(seen, ending, now, newToken(deps), leaseEnd(deps, now));
  const written =
    tombstone === undefined
      ? await deps.store.replace(seen, next, marker, now)
      : await deps.store.cancel(tombstone, { seen, next, ...(marker === undefined ? {} : { marker }) }, now);
  if (!written) return undefined;
  return announceAndSettle(deps, next);
};

/** Announces an end state a dead run left pending; undefined when another run took it first. */
export const announceOutstanding = async (
  deps: AnnounceDeps,
  seen: Callback,
): Promise<Callback | undefined> => {
  const now = deps.clock.now();
  const held = claimed(seen, 'announce', newToken(deps), leaseEnd(deps, now));
  if (!(await deps.store.replace(seen, held, undefined, now))) return undefined;
  return announceAndSettle(deps, held);
};
