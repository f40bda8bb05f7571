/**
 * The inbound contact flow, played for the simulator's callers (the local stack's demo and `peakline
 * simulate` alike): what `infra/constructs/connect/flows/
 * inbound.ts` does in Connect, step for step where it matters to routing. The caller asks the router
 * (the same OverflowRouter the Lambda runs, on DynamoDB Local or in memory); NORMAL and OVERFLOW put them in the queue
 * the router names; DEFLECT offers the menu, where a caller keeps waiting (1), asks for a queued callback
 * (2: a callback contact in the callback queue) or asks for the SMS with the request link (3: the
 * deflection SMS function's own code; if it is not sent, the caller waits after all).
 *
 * With `orderStatus` (issue 15) the order status comes first, before the router, as in the deployed flow:
 * a caller whose order in progress is found hears its status and then hangs up (contained), presses 1 for
 * the tracking link by SMS (sent: contained, `sms-sent`) or presses 2 / stays on the line for an adviser
 * (on to the router, as any caller whose number is unknown or whose lookup failed).
 */
import type { RouteAnswer } from '#core/routing/router.js';
import type { ConnectSimulator } from './connect/index.js';
import type { Random } from './connect/random.js';

/**
 * Places a contact at its planned time, or now when the simulator has already passed it. The local demo
 * plans contacts a little ahead, but a tick can run late (the machine is busy, a router read or an SMS send is
 * awaited in between, the clock runs fast), and a contact that is late is still a contact: it arrives now
 * rather than failing the demo with "A contact cannot arrive before now".
 */
export const arriveNoEarlierThanNow = (
  simulator: Pick<ConnectSimulator, 'arrive' | 'now'>,
  arrival: Parameters<ConnectSimulator['arrive']>[0] & { readonly at: number },
): string => simulator.arrive({ ...arrival, at: Math.max(arrival.at, simulator.now) });

/**
 * What a caller chose, or where they went (`overflowed`: routed to the second line without the menu;
 * `contained`: told their order's status, hung up; `sms-sent`: told, took the tracking link by SMS).
 */
export type InboundOutcome =
  'queued' | 'overflowed' | 'kept-waiting' | 'callback' | 'sms' | 'contained' | 'sms-sent';

/** The outcomes of a caller the order status kept out of the queue. */
export const CONTAINED_OUTCOMES: ReadonlySet<InboundOutcome> = new Set(['contained', 'sms-sent']);

/** What a caller does after hearing their order's status, as shares of 1. */
export interface StatusChoices {
  /** Hangs up: the status was all they wanted. */
  readonly hangUp: number;
  /** Presses 1 for the tracking link by SMS (when offered). */
  readonly link: number;
  /** Presses 2, or stays on the line: an adviser after all. */
  readonly agent: number;
}

/**
 * Of the callers told a status: half hang up, one in five takes the link, three in ten want an adviser.
 * "Where is my order?" is the most common reason to call in a peak, but a customer with an order in
 * progress may call about something else (a return, a payment, another order) or not be reassured by
 * the status: those press 2. The link is offered only once the order has a tracking URL (shipped).
 */
export const DEFAULT_STATUS_CHOICES: StatusChoices = { hangUp: 0.5, link: 0.2, agent: 0.3 };

/** What the order-status lookup answered for a caller (the flow's `found` and `linkOffered`). */
export interface OrderStatusTold {
  readonly told: boolean;
  readonly linkOffered: boolean;
}

export interface InboundFlowOptions {
  readonly simulator: ConnectSimulator;
  /** The router's answer for the primary queue's callers. */
  readonly route: () => Promise<RouteAnswer>;
  /**
   * Sends the deflection SMS to the caller; answers whether it went. Absent without `overflow.requestUrl`:
   * the menu then has no option 3, as in the deployed flow.
   */
  readonly sendDeflectionSms?: (caller: { contactId: string; phone: string }) => Promise<boolean>;
  readonly random: Random;
  /**
   * How callers answer the deflection menu, as shares of 1: keep waiting, a callback, the SMS.
   * @default 0.5 / 0.3 / 0.2
   */
  readonly choices?: { readonly wait: number; readonly callback: number; readonly sms: number };
  /**
   * The order-status lookup for a caller, before the router (the `order-status` function's lookup). Absent:
   * no order status, every caller goes to the router as before, and no random draw is made for it. A
   * lookup that throws is a lookup that failed: the caller goes on to the router (fail open).
   */
  readonly orderStatus?: (call: { contactId: string; phone: string }) => Promise<OrderStatusTold>;
  /** @default DEFAULT_STATUS_CHOICES */
  readonly statusChoices?: StatusChoices;
  /**
   * Sends the tracking link to a told caller who pressed 1; answers whether it went (not sent: the caller
   * hears the apology and goes on to the router). Absent: the link counts as sent, as the SMS is only a
   * counter in `peakline simulate`.
   */
  readonly sendTrackingLink?: (call: { contactId: string; phone: string }) => Promise<boolean>;
  /**
   * The draws of the told callers' choices. Absent: they come from `random`, which then shifts the menu's
   * draws; a Random of its own keeps the deflection menu's draws as they were without the order status.
   */
  readonly statusRandom?: Random;
}

export interface InboundCall {
  readonly at: number;
  readonly phone: string;
  /** The caller's patience in the queue, seconds; the simulator's default when absent. */
  readonly patienceSeconds?: number;
  /** The call's handling time once answered, seconds; the simulator draws it when absent. */
  readonly handlingSeconds?: number;
  /** The key the caller presses if offered the deflection menu; drawn from `choices` when absent. */
  readonly key?: 1 | 2 | 3;
  /** What the caller does after hearing their order's status; drawn from `statusChoices` when absent. */
  readonly afterStatus?: keyof StatusChoices;
}

export class InboundFlow {
  private readonly counts: Record<InboundOutcome, number> = {
    queued: 0,
    overflowed: 0,
    'kept-waiting': 0,
    callback: 0,
    sms: 0,
    contained: 0,
    'sms-sent': 0,
  };
  private calls = 0;

  constructor(private readonly options: InboundFlowOptions) {}

  async call(call: InboundCall): Promise<InboundOutcome> {
    // Without the order status the contact id is numbered only for the deflection SMS, as it always was.
    const contactId = this.options.orderStatus ? this.contactId() : undefined;
    const told = contactId === undefined ? undefined : await this.tell(call, contactId);
    if (told !== undefined) {
      this.counts[told] += 1;
      return told;
    }
    const answer = await this.options.route();
    const outcome = await this.decide(answer, call, contactId);
    this.counts[outcome] += 1;
    return outcome;
  }

  /** How many callers went which way, for `/api/status`. */
  stats(): Readonly<Record<InboundOutcome, number>> {
    return { ...this.counts };
  }

  private contactId(): string {
    return `local-call-${++this.calls}`;
  }

  /**
   * The order status before the router: the outcome when the caller leaves here, undefined when they go on
   * to the router (nothing found, the lookup failed, an adviser asked for, or the link not sent).
   */
  private async tell(call: InboundCall, contactId: string): Promise<InboundOutcome | undefined> {
    const lookup = this.options.orderStatus;
    if (lookup === undefined) return undefined;
    let answer: OrderStatusTold;
    try {
      answer = await lookup({ contactId, phone: call.phone });
    } catch {
      return undefined;
    }
    if (!answer.told) return undefined;
    const choice = call.afterStatus ?? this.statusChoice(answer.linkOffered);
    if (choice === 'hangUp') return 'contained';
    // Pressing 1 when no link was offered is "any other key": on to the router.
    if (choice !== 'link' || !answer.linkOffered) return undefined;
    const send = this.options.sendTrackingLink;
    if (send === undefined) return 'sms-sent';
    try {
      return (await send({ contactId, phone: call.phone })) ? 'sms-sent' : undefined;
    } catch {
      return undefined;
    }
  }

  /** One draw per told caller; without a link on offer, its share is the others' in proportion. */
  private statusChoice(linkOffered: boolean): keyof StatusChoices {
    const { hangUp, link, agent } = this.options.statusChoices ?? DEFAULT_STATUS_CHOICES;
    const roll = (this.options.statusRandom ?? this.options.random).next();
    if (linkOffered) return roll < hangUp ? 'hangUp' : roll < hangUp + link ? 'link' : 'agent';
    return roll * (hangUp + agent) < hangUp ? 'hangUp' : 'agent';
  }

  private async decide(
    answer: RouteAnswer,
    planned: InboundCall,
    contactId?: string,
  ): Promise<InboundOutcome> {
    // The simulator may move on while the router is asked or the SMS is sent: a caller cannot arrive in
    // its past, so every arrival is placed at its time or now, whichever is later, when it is made.
    const call = planned;
    const simulator = this.options.simulator;
    if (answer.mode !== 'DEFLECT') {
      this.queue(call, answer.queueKey);
      // In OVERFLOW only the router's share goes to the second line; the rest wait in their own queue.
      return answer.queueKey === 'secondLine' ? 'overflowed' : 'queued';
    }
    const { wait, callback } = this.options.choices ?? { wait: 0.5, callback: 0.3, sms: 0.2 };
    const roll = this.options.random.next();
    const key = call.key ?? (roll < wait ? 1 : roll < wait + callback ? 2 : 3);
    if (key === 2) {
      // A queued callback waits in the callback queue until a voice agent is free, and is not abandoned.
      arriveNoEarlierThanNow(simulator, {
        channel: 'VOICE',
        queueId: 'callback',
        at: call.at,
        patienceSeconds: Number.POSITIVE_INFINITY,
        ...(call.handlingSeconds === undefined ? {} : { handlingSeconds: call.handlingSeconds }),
      });
      return 'callback';
    }
    if (key === 3 && this.options.sendDeflectionSms) {
      // One contact, one id: the caller who heard their order's status keeps the id the lookup had.
      const id = contactId ?? this.contactId();
      if (await this.options.sendDeflectionSms({ contactId: id, phone: call.phone })) return 'sms';
    }
    this.queue(call, answer.queueKey);
    return 'kept-waiting';
  }

  // A method, not a closure made per call: `peakline simulate` routes tens of thousands of callers a day.
  private queue(call: InboundCall, queueId: string): void {
    arriveNoEarlierThanNow(this.options.simulator, {
      channel: 'VOICE',
      queueId,
      at: call.at,
      ...(call.patienceSeconds === undefined ? {} : { patienceSeconds: call.patienceSeconds }),
      ...(call.handlingSeconds === undefined ? {} : { handlingSeconds: call.handlingSeconds }),
    });
  }
}
