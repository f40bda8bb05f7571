/**
 * The inbound contact flow, played for the simulator's callers (the local stack's demo and `peakline
 * simulate` alike): what `infra/constructs/connect/flows/
 * inbound.ts` does in Connect, step for step where it matters to routing. The caller asks the router
 * (the same OverflowRouter the Lambda runs, on DynamoDB Local or in memory); NORMAL and OVERFLOW put them in the queue
 * the router names; DEFLECT offers the menu, where a caller keeps waiting (1), asks for a queued callback
 * (2: a callback contact in the callback queue) or asks for the SMS with the request link (3: the
 * deflection SMS function's own code; if it is not sent, the caller waits after all).
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

/** What a caller chose, or where they went (`overflowed`: routed to the second line without the menu). */
export type InboundOutcome = 'queued' | 'overflowed' | 'kept-waiting' | 'callback' | 'sms';

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
}

export class InboundFlow {
  private readonly counts: Record<InboundOutcome, number> = {
    queued: 0,
    overflowed: 0,
    'kept-waiting': 0,
    callback: 0,
    sms: 0,
  };
  private calls = 0;

  constructor(private readonly options: InboundFlowOptions) {}

  async call(call: InboundCall): Promise<InboundOutcome> {
    const answer = await this.options.route();
    const outcome = await this.decide(answer, call);
    this.counts[outcome] += 1;
    return outcome;
  }

  /** How many callers went which way, for `/api/status`. */
  stats(): Readonly<Record<InboundOutcome, number>> {
    return { ...this.counts };
  }

  private async decide(answer: RouteAnswer, planned: InboundCall): Promise<InboundOutcome> {
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
      const contactId = `local-call-${++this.calls}`;
      if (await this.options.sendDeflectionSms({ contactId, phone: call.phone })) return 'sms';
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
