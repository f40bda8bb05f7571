/**
 * The local stack's contact centre: the simulator, shaped by the same data the ContactCenterStack
 * deploys (queues, routing profiles, chat concurrencies), so routing on a laptop is routing on AWS.
 */
import { QUEUES, ROUTING_PROFILES } from '#infra/constructs/connect/contact-centre-model.js';
import type { QueueKey } from '#infra/constructs/connect/queues.js';
import {
  type RoutingProfileKey,
  SEAT_TYPE_SPECS,
  seatTypeOfRoutingProfile,
} from '#infra/constructs/connect/seat-types.js';
import { managedUserTag } from '#core/seats/managed-user.js';
import type { Channel } from '#core/ports.js';
import { ConnectSimulator, type ConnectSimulatorOptions } from './connect/index.js';

/**
 * The tag the local stack's seat users carry (`peakline:managed=local`): the seats CLI with `--local` tags
 * the users it creates with it, and the local contact centre refuses to delete a user without it, as the
 * revokers' IAM does on AWS.
 */
export const LOCAL_MANAGED_USER_TAG = managedUserTag('local');

/** The second line's help on the primary queue starts after this wait, as the stack's default. */
const SECOND_LINE_ASSIST_DELAY_SECONDS = 20;

/** What `peakline simulate` sets beyond the local stack's defaults. */
export interface ContactCentreOptions extends Pick<
  ConnectSimulatorOptions,
  'patienceSeconds' | 'serviceLevel' | 'recentContacts'
> {
  /** Per routing profile, how much longer its agents take per contact (a chat tier's AHT factor). */
  readonly handlingFactor?: Readonly<
    Partial<Record<RoutingProfileKey, Readonly<Partial<Record<Channel, number>>>>>
  >;
  /**
   * Seconds a primary call waits before the second line may take it (the stack's default unless told);
   * Infinity: the second line never serves the primary queue, so `simulate --policy none` can leave it out.
   */
  readonly secondLineAssistDelaySeconds?: number;
}

export const createContactCentre = (
  startTime: number,
  seed = 2026,
  options: ContactCentreOptions = {},
): ConnectSimulator =>
  new ConnectSimulator({
    startTime,
    seed,
    ...(options.patienceSeconds === undefined ? {} : { patienceSeconds: options.patienceSeconds }),
    ...(options.serviceLevel === undefined ? {} : { serviceLevel: options.serviceLevel }),
    ...(options.recentContacts === undefined ? {} : { recentContacts: options.recentContacts }),
    queues: (Object.keys(QUEUES) as QueueKey[]).map((key) => ({ id: key, name: QUEUES[key].name })),
    routingProfiles: (Object.keys(ROUTING_PROFILES) as RoutingProfileKey[]).map((key) => ({
      id: key,
      name: seatTypeOfRoutingProfile(key),
      concurrency: SEAT_TYPE_SPECS[seatTypeOfRoutingProfile(key)].concurrency,
      queues: ROUTING_PROFILES[key]
        .queues(options.secondLineAssistDelaySeconds ?? SECOND_LINE_ASSIST_DELAY_SECONDS)
        // An assignment never offered (an infinite delay) is one the profile does not have.
        .filter((q) => Number.isFinite(q.delaySeconds))
        .map((q) => ({
          queueId: q.queue,
          channel: q.channel,
          priority: q.priority,
          delaySeconds: q.delaySeconds,
        })),
      ...(options.handlingFactor?.[key] === undefined ? {} : { handlingFactor: options.handlingFactor[key] }),
    })),
    securityProfiles: [
      { id: 'agent', name: 'agent' },
      { id: 'lightAgent', name: 'light-agent' },
    ],
    deletableUsersTag: LOCAL_MANAGED_USER_TAG,
  });
