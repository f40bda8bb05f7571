/**
 * Test calls on the local stack (`POST /api/calls`): a caller from a number, pressing the keys given, placed
 * through the deployed inbound flow's own document (`inboundFlow()`, played by local/flow-player.ts), with
 * the real function code behind the flow's InvokeLambdaFunction actions and the contact-centre simulator
 * behind its queues. The answer is what the caller heard and where the call ended.
 */
import { randomUUID } from 'node:crypto';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import * as z from 'zod';
import { formatIssues, readableErrorMap } from '#events/index.js';
import type { FlowDocument } from '#infra/constructs/connect/flows/builder.js';
import { INBOUND_ATTRIBUTES } from '#infra/constructs/connect/flows/inbound.js';
import { ORDER_ATTRIBUTES } from '#core/orders/types.js';
import type { ConnectSimulator } from '#simulator/connect/index.js';
import { arriveNoEarlierThanNow, type InboundOutcome } from '#simulator/inbound-flow.js';
import { CALLER_KEYS, type FlowWorld, type PlayedCall, playFlow } from './flow-player.js';
import { RefusedBody } from './http/dashboard-endpoint.js';

/** The ARNs the local flow names its functions by; `invoke` dispatches on them. */
export const LOCAL_FUNCTION_ARNS = {
  router: 'local:function:overflow-router',
  orderStatus: 'local:function:order-status',
  deflectionSms: 'local:function:deflection-sms',
} as const;

/** The simulator's queue ids, which the local flow uses as its queue ARNs. */
export const LOCAL_FLOW_QUEUES = {
  primary: 'primary',
  secondLine: 'secondLine',
  callback: 'callback',
} as const;

/** The customer queue flow the local flow names; the simulator plays no hold music. */
export const LOCAL_CUSTOMER_QUEUE_FLOW = 'local:flow:customer-queue';

/** More keys than any path through the inbound flow takes (two menus, two tries each). */
const MAX_KEYS = 32;

/** The body of `POST /api/calls`. */
export const callRequestSchema = z.strictObject({
  from: z.string().regex(/^\+[1-9]\d{6,14}$/, 'expected the caller number in E.164, e.g. +48601234567'),
  keys: z
    .string()
    .max(MAX_KEYS)
    .regex(CALLER_KEYS, 'expected keys of the keypad (0-9, * and #), or - for a silence')
    .optional(),
});
export type CallRequest = z.infer<typeof callRequestSchema>;

/** The body, or a RefusedBody (a 400) saying each thing to change. */
export const parseCallRequest = (body: unknown): CallRequest => {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new RefusedBody('expected a JSON object such as {"from": "+48601234567", "keys": "1"}');
  }
  const parsed = callRequestSchema.safeParse(body, { reportInput: true, error: readableErrorMap });
  if (!parsed.success) throw new RefusedBody(formatIssues(parsed.error.issues).join('; '));
  return parsed.data;
};

/** What `/api/calls` answers. */
export type CallAnswer = Pick<PlayedCall, 'prompts' | 'keys' | 'outcome' | 'queue' | 'attributes'>;

/** A function the flow invokes: the Lambda handler's logic on local ports. */
export type LocalFunction = (event: ConnectContactFlowEvent) => Promise<unknown>;

export interface LocalCallsOptions {
  /** The inbound flow's document, built with the local ARNs. */
  readonly flow: FlowDocument;
  /** By the ARN the flow names (LOCAL_FUNCTION_ARNS). */
  readonly functions: Readonly<Record<string, LocalFunction>>;
  readonly simulator: Pick<ConnectSimulator, 'arrive' | 'now'>;
  /** Where each call ended, e.g. for the dashboard's counts. */
  readonly onCall?: (call: PlayedCall) => void;
  /** The flow's invocation time limits, as the caller waits them. @default real time */
  readonly timeLimit?: FlowWorld['timeLimit'];
}

/**
 * Where a played call ended, in the simulator's words (the dashboard counts those). A caller who hung up or
 * was hung up on before anything was settled is in none of them.
 */
export const inboundOutcomeOf = (call: PlayedCall): InboundOutcome | undefined => {
  switch (call.outcome) {
    case 'contained':
      return 'contained';
    case 'sms-sent':
      // The tracking link is the order status's; the deflection menu's SMS is the request link.
      return call.attributes[ORDER_ATTRIBUTES.outcome] === 'sms' ? 'sms-sent' : 'sms';
    case 'callback':
      return 'callback';
    case 'queued':
      if (call.attributes[INBOUND_ATTRIBUTES.deflection] !== undefined) return 'kept-waiting';
      return call.queue === LOCAL_FLOW_QUEUES.secondLine ? 'overflowed' : 'queued';
    default:
      return undefined;
  }
};

/**
 * The event Connect sends a function the flow invokes, for the demo's callers, who go through the
 * functions without the flow's document (the simulator's InboundFlow plays its steps).
 */
export const contactFlowEvent = (contact: {
  readonly contactId: string;
  readonly phone: string;
  readonly parameters: Readonly<Record<string, string>>;
  readonly attributes?: Readonly<Record<string, string>>;
}): ConnectContactFlowEvent =>
  ({
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: { ...contact.attributes },
        Channel: 'VOICE',
        ContactId: contact.contactId,
        InitialContactId: contact.contactId,
        InitiationMethod: 'INBOUND',
        CustomerEndpoint: { Address: contact.phone, Type: 'TELEPHONE_NUMBER' },
      },
      Parameters: { ...contact.parameters },
    },
  }) as unknown as ConnectContactFlowEvent;

/** Places test calls through the flow. */
export class LocalCalls {
  constructor(private readonly options: LocalCallsOptions) {}

  async place(request: CallRequest): Promise<CallAnswer> {
    const { simulator, functions } = this.options;
    const world: FlowWorld = {
      invoke: async (arn, event) => {
        const fn = functions[arn];
        if (fn === undefined) throw new Error(`no local function ${arn}`);
        return fn(event);
      },
      transfer: (queue, contact) => {
        arriveNoEarlierThanNow(simulator, {
          channel: 'VOICE',
          queueId: queue,
          at: simulator.now,
          attributes: contact.attributes,
        });
        return 'transferred';
      },
      // A queued callback waits in the callback queue until a voice agent is free, and is not abandoned.
      createCallback: (queue, _phone, contact) => {
        arriveNoEarlierThanNow(simulator, {
          channel: 'VOICE',
          queueId: queue,
          at: simulator.now,
          patienceSeconds: Number.POSITIVE_INFINITY,
          attributes: contact.attributes,
        });
      },
      ...(this.options.timeLimit === undefined ? {} : { timeLimit: this.options.timeLimit }),
    };
    // A contact id of its own per call, as Connect's: the tracking link is once per call, not per number,
    // and a stack started with --keep must not meet the ids of its last run in the ledger.
    const call = await playFlow(
      this.options.flow,
      { contactId: `local-test-call-${randomUUID()}`, from: request.from, keys: request.keys ?? '' },
      world,
    );
    this.options.onCall?.(call);
    return {
      prompts: call.prompts,
      keys: call.keys,
      outcome: call.outcome,
      ...(call.queue === undefined ? {} : { queue: call.queue }),
      attributes: call.attributes,
    };
  }
}
