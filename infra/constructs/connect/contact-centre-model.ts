/**
 * The contact centre's shape as plain data (no AWS imports): the queues and what each routing profile
 * serves. The ContactCenterStack builds Connect's queues and routing profiles from it, and the local
 * stack's simulator builds its own from the very same data, so the two cannot route differently.
 */
import { checkCloudWatchName } from './cloudwatch-names.js';
import type { ContactChannel, RoutingProfileKey } from './seat-types.js';

/** Keys of the queues peakline creates (the ContactCenterStack's `queueArns`). */
export type QueueKey = 'primary' | 'secondLine' | 'callback' | 'accounting';

export interface QueueSpec {
  /** Construct id, so the logical ids stay stable. */
  readonly id: string;
  /** Last part of the queue's name, after the stage prefix. */
  readonly name: string;
  readonly description: string;
}

export const QUEUES: Readonly<Record<QueueKey, QueueSpec>> = {
  primary: { id: 'Primary', name: 'primary', description: 'First line: inbound calls and chats.' },
  secondLine: {
    id: 'SecondLine',
    name: 'second-line',
    description: 'Overflow: callers are routed here while the primary queue waits too long.',
  },
  callback: { id: 'Callback', name: 'callback', description: 'Cart callback tasks, made by voice agents.' },
  accounting: {
    id: 'Accounting',
    name: 'accounting',
    description: 'Payment-issue tasks, worked by light agents.',
  },
};

/**
 * The queue's name in Connect, `<prefix>-<name>`, which is also its `QueueName` dimension in CloudWatch:
 * checked at synth (see cloudwatch-names.ts), so a queue never hides its metrics.
 */
export const queueNameOf = (prefix: string, key: QueueKey): string =>
  checkCloudWatchName('queue', `${prefix}-${QUEUES[key].name}`);

/**
 * peakline's queues as the KPI report names them (primary first), each with its id in the world read: the
 * ARN from the ContactCenterStack on AWS, the key itself in the simulator.
 */
export const reportQueues = (
  idOf: (key: QueueKey) => string,
): { readonly key: QueueKey; readonly id: string; readonly name: string }[] =>
  (Object.keys(QUEUES) as QueueKey[]).map((key) => ({ key, id: idOf(key), name: QUEUES[key].name }));

/** One queue a routing profile serves, on one channel. */
export interface QueueAssignment {
  readonly queue: QueueKey;
  readonly channel: ContactChannel;
  /** 1 is served first: an agent gets a contact from a priority-2 queue only when no priority-1 one waits. */
  readonly priority: number;
  /** Seconds a contact must have waited before agents of this profile are offered it. */
  readonly delaySeconds: number;
}

export interface RoutingProfileSpec {
  readonly description: string;
  /** Connect requires one; it is also where the agent's outbound calls are reported. */
  readonly defaultOutboundQueue: QueueKey;
  readonly queues: (secondLineAssistDelaySeconds: number) => readonly QueueAssignment[];
}

export const ROUTING_PROFILES: Readonly<Record<RoutingProfileKey, RoutingProfileSpec>> = {
  voice: {
    description:
      'Voice agents: inbound calls, then queued callbacks and cart callbacks once no caller waits.',
    defaultOutboundQueue: 'primary',
    // A waiting caller goes before a callback task: the callback can wait a minute, the caller hangs up.
    // Queued callbacks (DEFLECT, option 2) are VOICE contacts in the callback queue, the cart callbacks
    // TASK contacts there: both after the waiting callers.
    queues: () => [
      { queue: 'primary', channel: 'VOICE', priority: 1, delaySeconds: 0 },
      { queue: 'callback', channel: 'VOICE', priority: 2, delaySeconds: 0 },
      { queue: 'callback', channel: 'TASK', priority: 2, delaySeconds: 0 },
    ],
  },
  chat2: chatProfile(),
  chat4: chatProfile(),
  chat6: chatProfile(),
  light: {
    description: 'Light agents: payment-issue tasks only; no calls, no chats.',
    defaultOutboundQueue: 'accounting',
    queues: () => [{ queue: 'accounting', channel: 'TASK', priority: 1, delaySeconds: 0 }],
  },
  secondLine: {
    description: 'Second line: the overflow queue first, the primary queue when idle.',
    defaultOutboundQueue: 'secondLine',
    // The lower priority keeps overflow callers first; the delay gives first-line agents the first go at a
    // new primary call, so an idle second line helps with the queue rather than taking its easy calls.
    queues: (assistDelay) => [
      { queue: 'secondLine', channel: 'VOICE', priority: 1, delaySeconds: 0 },
      { queue: 'primary', channel: 'VOICE', priority: 2, delaySeconds: assistDelay },
    ],
  },
};

// The tiers differ only in how many chats at once (in the seat type), not in what they serve.
function chatProfile(): RoutingProfileSpec {
  return {
    description: 'Chat agents: chats from the primary queue, as many at once as the tier in the name.',
    defaultOutboundQueue: 'primary',
    queues: () => [{ queue: 'primary', channel: 'CHAT', priority: 1, delaySeconds: 0 }],
  };
}
