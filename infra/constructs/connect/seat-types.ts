/**
 * What each kind of seasonal seat gets in Amazon Connect: one routing profile and one security profile.
 *
 * Pure data on purpose (no AWS imports): the ContactCenterStack builds the routing profiles from it, the
 * seat feature provisions users with it, and the planner and simulator read the chat concurrency from it,
 * so a seat type means the same thing in every world.
 */

/** The channels a routing profile can offer; Connect's own names. */
export type ContactChannel = 'VOICE' | 'CHAT' | 'TASK';

/** Keys of the routing profiles the ContactCenterStack creates (its `routingProfileArns`). */
export type RoutingProfileKey = 'voice' | 'chat2' | 'chat4' | 'chat6' | 'light' | 'secondLine';

/** Keys of the security profiles the ContactCenterStack creates (its `securityProfileArns`). */
export type SecurityProfileKey = 'agent' | 'lightAgent';

export const SEAT_TYPES = ['voice', 'chat-2', 'chat-4', 'chat-6', 'light', 'second-line'] as const;
export type SeatType = (typeof SEAT_TYPES)[number];

export interface SeatTypeSpec {
  /** The routing profile a user of this seat type is given. */
  readonly routingProfile: RoutingProfileKey;
  /** The security profile a user of this seat type is given. */
  readonly securityProfile: SecurityProfileKey;
  /**
   * How many contacts of each channel the agent handles at once. A channel not listed is never offered to
   * the agent (Connect allows VOICE 1, CHAT 1-10, TASK 1-10).
   */
  readonly concurrency: Readonly<Partial<Record<ContactChannel, number>>>;
  /**
   * The next chat tier, for promoting an agent who copes with more parallel chats.
   * @default - none: the seat type is not promotable
   */
  readonly promotesTo?: SeatType;
}

export const SEAT_TYPE_SPECS = {
  // Voice agents also make the cart callbacks, which reach them as tasks on the callback queue.
  voice: { routingProfile: 'voice', securityProfile: 'agent', concurrency: { VOICE: 1, TASK: 1 } },
  'chat-2': {
    routingProfile: 'chat2',
    securityProfile: 'agent',
    concurrency: { CHAT: 2 },
    promotesTo: 'chat-4',
  },
  'chat-4': {
    routingProfile: 'chat4',
    securityProfile: 'agent',
    concurrency: { CHAT: 4 },
    promotesTo: 'chat-6',
  },
  'chat-6': { routingProfile: 'chat6', securityProfile: 'agent', concurrency: { CHAT: 6 } },
  // Light agents are short-trained seasonal staff: payment-issue tasks one at a time, never a customer
  // call, and a security profile that cannot dial out.
  light: { routingProfile: 'light', securityProfile: 'lightAgent', concurrency: { TASK: 1 } },
  'second-line': { routingProfile: 'secondLine', securityProfile: 'agent', concurrency: { VOICE: 1 } },
} as const satisfies Readonly<Record<SeatType, SeatTypeSpec>>;

/** The seat type whose routing profile is `key`; each routing profile belongs to exactly one seat type. */
export const seatTypeOfRoutingProfile = (key: RoutingProfileKey): SeatType => {
  const found = SEAT_TYPES.find((seat) => SEAT_TYPE_SPECS[seat].routingProfile === key);
  if (found === undefined) {
    throw new Error(`No seat type uses the routing profile "${key}"`);
  }
  return found;
};
