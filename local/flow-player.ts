/**
 * Plays an Amazon Connect Flow Language document for one test caller, action by action, as Connect would:
 * the very document `inboundFlow()` writes for the CloudFormation template, built with local ARNs. So a
 * call placed on the local stack walks the deployed flow's steps, not a second description of them; a
 * flow change that breaks the caller's path breaks it here too.
 *
 * The caller is scripted by `keys`: each character is their answer to one input (a digit, `*` or `#`;
 * `-` is silence, so the input times out); when the keys run out at an input, the caller hangs up there.
 * The functions the flow invokes, the queues and the callbacks are the world's (ports, passed in).
 *
 * A loop, a missing action, an action type the player does not know, or an error the flow names no branch
 * for is a {@link FlowPlayError} naming the action: a broken flow must fail loudly, never hang or guess.
 */
import type { ConnectContactFlowEvent } from 'aws-lambda';
import type { FlowAction, FlowDocument } from '#infra/constructs/connect/flows/builder.js';
import { INBOUND_ATTRIBUTES } from '#infra/constructs/connect/flows/inbound.js';
import { ORDER_ATTRIBUTES } from '#core/orders/types.js';

/** Where a call ended. */
export type CallOutcome =
  /** The caller heard their order's status and hung up, or the flow ended without queueing them. */
  | 'contained'
  /** Transferred to a queue (`queue`). */
  | 'queued'
  /** A queued callback was created; the flow then hung up. */
  | 'callback'
  /** The tracking link (or the deflection SMS) was sent, and the flow hung up. */
  | 'sms-sent'
  /** The caller hung up at an input, before anything was settled. */
  | 'hung-up'
  /** The flow hung up for another reason (all lines busy, a technical problem). */
  | 'disconnected';

/** One thing the caller heard: text-to-speech text or SSML, with the voice it was read in. */
export type HeardPrompt =
  | { readonly text: string; readonly voice: string }
  | { readonly ssml: string; readonly voice: string }
  | { readonly promptId: string; readonly voice: string };

export interface PlayedCall {
  readonly prompts: readonly HeardPrompt[];
  /** The keys the caller pressed (or let time out, `-`) before the call ended. */
  readonly keys: string;
  readonly outcome: CallOutcome;
  /** The queue the call was transferred to, or the callback's queue. */
  readonly queue?: string;
  /** The contact's user-defined attributes when the call ended: what the agent sees. */
  readonly attributes: Readonly<Record<string, string>>;
  /** The identifiers of the actions played, in order. */
  readonly actions: readonly string[];
}

/** What Connect needs of the world outside the flow. */
export interface FlowWorld {
  /**
   * InvokeLambdaFunction: the function's answer to the event Connect would send it. A rejection, or an
   * answer later than the action's `InvocationTimeLimitSeconds`, takes the action's error branch.
   */
  readonly invoke: (functionArn: string, event: ConnectContactFlowEvent) => Promise<unknown>;
  /**
   * TransferContactToQueue into `queue` (the working queue); 'at-capacity' takes the QueueAtCapacity
   * branch. A throw takes the action's error branch.
   */
  readonly transfer: (
    queue: string,
    contact: FlowContact,
  ) => Promise<'transferred' | 'at-capacity'> | 'transferred' | 'at-capacity';
  /** CreateCallbackContact: a callback to `phone` in `queue`. A throw takes the error branch. */
  readonly createCallback: (queue: string, phone: string, contact: FlowContact) => Promise<void> | void;
  /**
   * Resolves once `seconds` have passed for the caller: the invocation's time limit.
   * @default a real-time timer
   */
  readonly timeLimit?: (seconds: number) => Promise<void>;
}

/** The contact as the flow sees it. */
export interface FlowContact {
  readonly contactId: string;
  /** The caller's number, E.164; empty when withheld. */
  readonly from: string;
  /** The number they rang. */
  readonly to: string;
  readonly attributes: Readonly<Record<string, string>>;
}

export interface FlowCall {
  readonly contactId: string;
  readonly from: string;
  /** The shop's number the caller rang. @default '+48000000000' */
  readonly to?: string;
  /** See the module's comment. @default '' (hangs up at the first input) */
  readonly keys?: string;
  /** The Connect instance's ARN the events carry. @default a local one */
  readonly instanceArn?: string;
}

/** Thrown for a flow the player cannot play: the message names the action and what is wrong. */
export class FlowPlayError extends Error {
  override readonly name = 'FlowPlayError';
}

/** Far beyond any caller's path through peakline's flows (the inbound flow has about 40 actions). */
export const MAX_FLOW_STEPS = 200;

/** One character of `keys`: a key of the phone's keypad, or `-` for silence. */
export const CALLER_KEYS = /^[0-9*#-]*$/;

const SILENCE = '-';
/** A JSONPath reference the flow language reads: `$.External.x`, `$.Attributes.y`, `$.CustomerEndpoint.Address`. */
const REFERENCE = /\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+/g;
const WHOLE_REFERENCE = /^\$(?:\.[A-Za-z_][A-Za-z0-9_]*)+$/;
/** What UpdateContactCallbackNumber accepts: E.164. */
const E164 = /^\+[1-9]\d{6,14}$/;

/** An action failed with `errorType`: the player follows the action's branch for it. */
class ActionError extends Error {
  constructor(
    readonly errorType: string,
    message: string,
  ) {
    super(message);
  }
}

/** The flow's state while it plays: what its JSONPath references read and what it has set. */
interface PlayState {
  readonly call: Required<FlowCall>;
  attributes: Record<string, string>;
  external: Record<string, string>;
  voice: string;
  workingQueue?: string;
  callbackNumber?: string;
  keysTaken: string;
  keysLeft: string;
  readonly prompts: HeardPrompt[];
  readonly actions: string[];
  callbackQueue?: string;
}

const dataOf = (state: PlayState): Record<string, unknown> => ({
  External: state.external,
  Attributes: state.attributes,
  ContactId: state.call.contactId,
  InitialContactId: state.call.contactId,
  Channel: 'VOICE',
  CustomerEndpoint: { Address: state.call.from, Type: 'TELEPHONE_NUMBER' },
  SystemEndpoint: { Address: state.call.to, Type: 'TELEPHONE_NUMBER' },
  ...(state.workingQueue === undefined ? {} : { Queue: { ARN: state.workingQueue } }),
});

/** The value a reference reads, or undefined when it reads nothing (or an object). */
const read = (state: PlayState, reference: string): string | undefined => {
  let value: unknown = dataOf(state);
  for (const key of reference.slice(2).split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return typeof value === 'string' ? value : undefined;
};

/**
 * A parameter that is one reference reads it (an error when it reads nothing, as Connect's dynamic values
 * fail); any other is static.
 */
const valueOf = (state: PlayState, value: unknown, what: string): string => {
  if (typeof value !== 'string') throw new ActionError('NoMatchingError', `${what} is not text`);
  if (!WHOLE_REFERENCE.test(value)) return value;
  const resolved = read(state, value);
  if (resolved === undefined) throw new ActionError('NoMatchingError', `${what}: ${value} is not set`);
  return resolved;
};

/** Text to speech may embed references ("Your order $.Attributes.orderId"); one that reads nothing says nothing. */
const interpolate = (state: PlayState, text: string): string =>
  text.replace(REFERENCE, (reference) => read(state, reference) ?? '');

const heard = (state: PlayState, parameters: Readonly<Record<string, unknown>>): HeardPrompt => {
  const voice = state.voice;
  if (parameters.Text !== undefined) {
    return { text: interpolate(state, valueOf(state, parameters.Text, 'Text')), voice };
  }
  if (parameters.SSML !== undefined) {
    return { ssml: interpolate(state, valueOf(state, parameters.SSML, 'SSML')), voice };
  }
  if (parameters.PromptId !== undefined) {
    return { promptId: valueOf(state, parameters.PromptId, 'PromptId'), voice };
  }
  throw new ActionError('NoMatchingError', 'the message has no Text, SSML or PromptId');
};

const compare = (operator: string, value: string, operand: string): boolean => {
  const a = Number(value);
  const b = Number(operand);
  const numbers = value.trim() !== '' && operand.trim() !== '' && Number.isFinite(a) && Number.isFinite(b);
  switch (operator) {
    case 'Equals':
      return value === operand;
    case 'TextStartsWith':
      return value.startsWith(operand);
    case 'TextEndsWith':
      return value.endsWith(operand);
    case 'TextContains':
      return value.includes(operand);
    case 'NumberGreaterThan':
      return numbers && a > b;
    case 'NumberGreaterOrEqualTo':
      return numbers && a >= b;
    case 'NumberLessThan':
      return numbers && a < b;
    case 'NumberLessOrEqualTo':
      return numbers && a <= b;
    default:
      throw new FlowPlayError(`unknown condition operator ${operator}`);
  }
};

/** The first condition `value` meets, or the NoMatchingCondition error. */
const conditionMet = (action: FlowAction, value: string): string => {
  for (const condition of action.Transitions.Conditions ?? []) {
    const operand = condition.Condition.Operands[0] ?? '';
    if (compare(condition.Condition.Operator, value, operand)) return condition.NextAction;
  }
  throw new ActionError('NoMatchingCondition', `no condition of ${action.Identifier} matches "${value}"`);
};

/** A rejection, or no answer within the limit, is the invocation's error. */
const withinLimit = async (
  answer: Promise<unknown>,
  seconds: number,
  timeLimit: FlowWorld['timeLimit'],
): Promise<unknown> => {
  // The function may still answer (or fail) after the flow gave up on it; nobody listens any more.
  answer.catch(() => undefined);
  let timer: NodeJS.Timeout | undefined;
  const late = timeLimit
    ? timeLimit(seconds)
    : new Promise<void>((resolve) => {
        timer = setTimeout(resolve, seconds * 1000);
      });
  const TIMED_OUT = Symbol('timed out');
  try {
    const first = await Promise.race([answer, late.then(() => TIMED_OUT)]);
    if (first === TIMED_OUT) {
      throw new ActionError('NoMatchingError', `the function did not answer within ${seconds} s`);
    }
    return first;
  } finally {
    if (timer !== undefined) clearTimeout(timer);
  }
};

/** A STRING_MAP answer: a flat map of strings, as Connect requires of it. */
const stringMap = (answer: unknown, validation: unknown): Record<string, string> => {
  if (answer === null || typeof answer !== 'object' || Array.isArray(answer)) {
    throw new ActionError('NoMatchingError', 'the function answered no key-value map');
  }
  const map: Record<string, string> = {};
  const strict = (validation as { ResponseType?: unknown } | undefined)?.ResponseType !== 'JSON';
  for (const [key, value] of Object.entries(answer)) {
    if (typeof value === 'string') map[key] = value;
    else if (strict) {
      throw new ActionError('NoMatchingError', `the function's answer ${key} is not a string`);
    }
  }
  return map;
};

const contactOf = (state: PlayState): FlowContact => ({
  contactId: state.call.contactId,
  from: state.call.from,
  to: state.call.to,
  attributes: { ...state.attributes },
});

const eventFor = (state: PlayState, parameters: Readonly<Record<string, string>>): ConnectContactFlowEvent =>
  ({
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: { ...state.attributes },
        Channel: 'VOICE',
        ContactId: state.call.contactId,
        CustomerEndpoint: { Address: state.call.from, Type: 'TELEPHONE_NUMBER' },
        InitialContactId: state.call.contactId,
        InitiationMethod: 'INBOUND',
        InstanceARN: state.call.instanceArn,
        PreviousContactId: state.call.contactId,
        Queue:
          state.workingQueue === undefined ? null : { ARN: state.workingQueue, Name: state.workingQueue },
        SystemEndpoint: { Address: state.call.to, Type: 'TELEPHONE_NUMBER' },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: parameters,
    },
  }) as unknown as ConnectContactFlowEvent;

/** What the flow did at one action: where it goes next, or how the call ended. */
type Step =
  | { readonly next: string }
  | { readonly end: 'transferred'; readonly queue: string }
  | { readonly end: 'hung-up' | 'disconnected' };

const next = (action: FlowAction): Step => {
  const target = action.Transitions.NextAction;
  if (target === undefined) throw new FlowPlayError(`${action.Identifier} names no next action`);
  return { next: target };
};

const playAction = async (action: FlowAction, state: PlayState, world: FlowWorld): Promise<Step> => {
  const p = action.Parameters;
  switch (action.Type) {
    case 'UpdateFlowLoggingBehavior':
    case 'UpdateContactEventHooks':
      // Logs and the queue's hold flow change nothing the test caller hears before the transfer.
      return next(action);
    case 'UpdateContactTextToSpeechVoice': {
      const voice = valueOf(state, p.TextToSpeechVoice, 'TextToSpeechVoice');
      // Read for its error only: a dynamic engine that reads nothing fails the action, as in Connect.
      if (p.TextToSpeechEngine !== undefined) valueOf(state, p.TextToSpeechEngine, 'TextToSpeechEngine');
      if (voice === '') throw new ActionError('NoMatchingError', 'no voice to set');
      state.voice = voice;
      return next(action);
    }
    case 'MessageParticipant':
      state.prompts.push(heard(state, p));
      return next(action);
    case 'GetParticipantInput': {
      if (p.StoreInput === 'True') {
        throw new FlowPlayError(`${action.Identifier}: stored (multi-digit) input is not played`);
      }
      state.prompts.push(heard(state, p));
      const key = state.keysLeft[0];
      if (key === undefined) return { end: 'hung-up' };
      state.keysLeft = state.keysLeft.slice(1);
      state.keysTaken += key;
      if (key === SILENCE) {
        throw new ActionError('InputTimeLimitExceeded', 'the caller pressed nothing in time');
      }
      return { next: conditionMet(action, key) };
    }
    case 'InvokeLambdaFunction': {
      const arn = valueOf(state, p.LambdaFunctionARN, 'LambdaFunctionARN');
      const seconds = Number(p.InvocationTimeLimitSeconds ?? 8);
      const attributes = (p.LambdaInvocationAttributes ?? {}) as Record<string, unknown>;
      const parameters = Object.fromEntries(
        Object.entries(attributes).map(([key, value]) => [key, valueOf(state, value, key)]),
      );
      // Connect keeps only the latest function's answer under $.External.
      state.external = {};
      let answer: unknown;
      try {
        answer = await withinLimit(
          Promise.resolve().then(() => world.invoke(arn, eventFor(state, parameters))),
          seconds,
          world.timeLimit,
        );
      } catch (error) {
        if (error instanceof ActionError) throw error;
        throw new ActionError('NoMatchingError', `the function failed: ${String(error)}`);
      }
      state.external = stringMap(answer, p.ResponseValidation);
      return next(action);
    }
    case 'UpdateContactTargetQueue': {
      const queue = valueOf(state, p.QueueId, 'QueueId');
      if (queue === '') throw new ActionError('NoMatchingError', 'no queue to set');
      state.workingQueue = queue;
      return next(action);
    }
    case 'UpdateContactAttributes': {
      const values = Object.entries((p.Attributes ?? {}) as Record<string, unknown>).map(
        ([key, value]) => [key, valueOf(state, value, `attribute ${key}`)] as const,
      );
      // All or nothing: a value that cannot be read sets none of them.
      for (const [key, value] of values) state.attributes[key] = value;
      return next(action);
    }
    case 'Compare': {
      // A reference that reads nothing compares as empty text, so it meets no condition but an empty one.
      const compared = String(p.ComparisonValue);
      const value = WHOLE_REFERENCE.test(compared) ? (read(state, compared) ?? '') : compared;
      return { next: conditionMet(action, value) };
    }
    case 'TransferContactToQueue': {
      const queue = state.workingQueue;
      if (queue === undefined) throw new ActionError('NoMatchingError', 'no working queue is set');
      let result: 'transferred' | 'at-capacity';
      try {
        result = await world.transfer(queue, contactOf(state));
      } catch (error) {
        throw new ActionError('NoMatchingError', `the transfer failed: ${String(error)}`);
      }
      if (result === 'at-capacity') throw new ActionError('QueueAtCapacity', `${queue} is at capacity`);
      return { end: 'transferred', queue };
    }
    case 'UpdateContactCallbackNumber': {
      const number = valueOf(state, p.CallbackNumber, 'CallbackNumber');
      if (!E164.test(number)) throw new ActionError('InvalidCallbackNumber', `"${number}" is not E.164`);
      state.callbackNumber = number;
      return next(action);
    }
    case 'CreateCallbackContact': {
      const queue = valueOf(state, p.QueueId, 'QueueId');
      const number = state.callbackNumber ?? state.call.from;
      try {
        await world.createCallback(queue, number, contactOf(state));
      } catch (error) {
        throw new ActionError('NoMatchingError', `the callback was not created: ${String(error)}`);
      }
      state.callbackQueue = queue;
      return next(action);
    }
    case 'DisconnectParticipant':
    case 'EndFlowExecution':
      return { end: 'disconnected' };
    default:
      throw new FlowPlayError(`${action.Identifier}: the action type ${action.Type} is not played`);
  }
};

/** The branch an error takes: its own ErrorType, else NoMatchingError; a flow with neither is broken. */
const errorBranch = (action: FlowAction, error: ActionError): string => {
  const errors = action.Transitions.Errors ?? [];
  const branch =
    errors.find((e) => e.ErrorType === error.errorType) ??
    errors.find((e) => e.ErrorType === 'NoMatchingError');
  if (branch === undefined) {
    throw new FlowPlayError(
      `${action.Identifier} failed (${error.errorType}: ${error.message}) and names no branch for it`,
    );
  }
  return branch.NextAction;
};

/** Where a call that left the flow ended, from what the flow recorded on the contact. */
const outcomeOf = (
  state: PlayState,
  end: 'hung-up' | 'disconnected',
): Pick<PlayedCall, 'outcome' | 'queue'> => {
  const order = state.attributes[ORDER_ATTRIBUTES.outcome];
  if (order === 'sms' || state.attributes[INBOUND_ATTRIBUTES.deflection] === 'sms') {
    return { outcome: 'sms-sent' };
  }
  if (state.callbackQueue !== undefined) return { outcome: 'callback', queue: state.callbackQueue };
  if (order === 'told') return { outcome: 'contained' };
  return { outcome: end };
};

/** Plays `document` for one caller; see the module's comment. */
export const playFlow = async (
  document: FlowDocument,
  call: FlowCall,
  world: FlowWorld,
  maxSteps = MAX_FLOW_STEPS,
): Promise<PlayedCall> => {
  const keys = call.keys ?? '';
  if (!CALLER_KEYS.test(keys)) {
    throw new FlowPlayError(`keys "${keys}": each must be a digit, * or #, or - for silence`);
  }
  const actions = new Map(document.Actions.map((a) => [a.Identifier, a]));
  const state: PlayState = {
    call: {
      to: '+48000000000',
      instanceArn: 'arn:aws:connect:eu-central-1:000000000000:instance/local',
      keys,
      ...call,
    },
    attributes: {},
    external: {},
    // Connect's default voice, until the flow sets one.
    voice: 'Joanna',
    keysTaken: '',
    keysLeft: keys,
    prompts: [],
    actions: [],
  };
  const played = (outcome: Pick<PlayedCall, 'outcome' | 'queue'>): PlayedCall => ({
    prompts: state.prompts,
    keys: state.keysTaken,
    ...outcome,
    attributes: { ...state.attributes },
    actions: state.actions,
  });

  let id = document.StartAction;
  for (let steps = 0; ; steps += 1) {
    if (steps >= maxSteps) {
      throw new FlowPlayError(
        `the flow played ${maxSteps} actions without ending (a loop through ${id}?): ${state.actions.slice(-6).join(' -> ')}`,
      );
    }
    const action = actions.get(id);
    if (action === undefined) throw new FlowPlayError(`no action ${id} in the flow`);
    state.actions.push(id);
    let step: Step;
    try {
      step = await playAction(action, state, world);
    } catch (error) {
      if (!(error instanceof ActionError)) throw error;
      id = errorBranch(action, error);
      continue;
    }
    if ('next' in step) id = step.next;
    else if (step.end === 'transferred') return played({ outcome: 'queued', queue: step.queue });
    else return played(outcomeOf(state, step.end));
  }
};
