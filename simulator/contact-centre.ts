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
import { ConnectSimulator } from './connect/index.js';

/**
 * The tag the local stack's seat users carry (`peakline:managed=local`): the seats CLI with `--local` tags
 * the users it creates with it, and the local contact centre refuses to delete a user without it, as the
 * revokers' IAM does on AWS.
 */
export const LOCAL_MANAGED_USER_TAG = managedUserTag('local');

/** The second line's help on the primary queue starts after this wait, as the stack's default. */
const SECOND_LINE_ASSIST_DELAY_SECONDS = 20;

export const createContactCentre = (startTime: number, seed = 2026): ConnectSimulator =>
  new ConnectSimulator({
    startTime,
    seed,
    queues: (Object.keys(QUEUES) as QueueKey[]).map((key) => ({ id: key, name: QUEUES[key].name })),
    routingProfiles: (Object.keys(ROUTING_PROFILES) as RoutingProfileKey[]).map((key) => ({
      id: key,
      name: seatTypeOfRoutingProfile(key),
      concurrency: SEAT_TYPE_SPECS[seatTypeOfRoutingProfile(key)].concurrency,
      queues: ROUTING_PROFILES[key].queues(SECOND_LINE_ASSIST_DELAY_SECONDS).map((q) => ({
        queueId: q.queue,
        channel: q.channel,
        priority: q.priority,
        delaySeconds: q.delaySeconds,
      })),
    })),
    securityProfiles: [
      { id: 'agent', name: 'agent' },
      { id: 'lightAgent', name: 'light-agent' },
    ],
    deletableUsersTag: LOCAL_MANAGED_USER_TAG,
  });
