/**
 * Checks a Flow Language document before Connect sees it: CreateContactFlow rejects a broken flow with
 * one terse `InvalidContactFlowException` at deploy time, minutes into a stack update; this names every
 * problem at synth, or in a unit test, by the action it is in.
 *
 * It reads any parsed JSON (`unknown`), so it also checks flows exported from the Connect console.
 * Action types it does not know are checked for structure and transitions but not for parameters.
 */
import {
  CONDITION_OPERATORS,
  FLOW_LANGUAGE_VERSION,
  type FlowAction,
  MAX_ACTIONS_PER_FLOW,
  successorsOf,
} from './builder.js';

export type FlowProblemCode =
  | 'not-a-flow'
  | 'version'
  | 'no-actions'
  | 'too-many-actions'
  | 'malformed-action'
  | 'identifier'
  | 'duplicate-identifier'
  | 'missing-start'
  | 'dangling-transition'
  | 'unreachable'
  | 'missing-parameter'
  | 'invalid-parameter'
  | 'terminal-with-transitions'
  | 'no-next-action'
  | 'invalid-condition'
  | 'wrong-flow-type';

/** AWS::Connect::ContactFlow's Type: the kind of flow, which decides the actions it may hold. */
export type FlowType =
  | 'CONTACT_FLOW'
  | 'CUSTOMER_QUEUE'
  | 'CUSTOMER_HOLD'
  | 'CUSTOMER_WHISPER'
  | 'AGENT_HOLD'
  | 'AGENT_WHISPER'
  | 'OUTBOUND_WHISPER'
  | 'AGENT_TRANSFER'
  | 'QUEUE_TRANSFER';

export interface ValidateOptions {
  /**
   * The flow's type: actions the reference restricts to other types are reported.
   * @default - no check by flow type
   */
  readonly flowType?: FlowType;
}

export interface FlowProblem {
  readonly code: FlowProblemCode;
  /** The action the problem is in, when it is in one. */
  readonly action?: string;
  /** A sentence that says what is wrong and where. */
  readonly message: string;
}

/** How the Flow Language constrains one action type's Parameters. */
interface ActionRule {
  /** Parameters that must be present. */
  readonly required?: readonly string[];
  /** Groups of which exactly one parameter must be present (e.g. Text, SSML or PromptId). */
  readonly exactlyOneOf?: readonly (readonly string[])[];
  /** Groups of which at most one parameter may be present. */
  readonly atMostOneOf?: readonly (readonly string[])[];
  /** Ends the flow: Transitions must be `{}`. */
  readonly terminal?: boolean;
  /** The flow types the action may appear in ("Restrictions" of its page). @default - any */
  readonly flowTypes?: readonly FlowType[];
  /** Further checks of the parameters' values; each string is a problem. */
  readonly check?: (parameters: Readonly<Record<string, unknown>>) => readonly string[];
}

const PROMPT = ['Text', 'SSML', 'PromptId', 'Media'] as const;

// The groups the reference's "Restrictions" sections speak of.
const INBOUND: readonly FlowType[] = ['CONTACT_FLOW'];
const TRANSFER: readonly FlowType[] = ['AGENT_TRANSFER', 'QUEUE_TRANSFER'];
const WHISPER: readonly FlowType[] = ['CUSTOMER_WHISPER', 'AGENT_WHISPER', 'OUTBOUND_WHISPER'];
const HOLD: readonly FlowType[] = ['CUSTOMER_HOLD', 'AGENT_HOLD'];
const QUEUE: readonly FlowType[] = ['CUSTOMER_QUEUE'];

/**
 * The parameter rules of the action types in the Flow Language reference ("Parameter object" of each
 * action's page). Only what the reference marks as required or exclusive is enforced, so that console
 * exports, which add optional fields of their own, pass.
 */
export const ACTION_RULES: Readonly<Record<string, ActionRule>> = {
  // Participant actions
  MessageParticipant: { exactlyOneOf: [PROMPT], flowTypes: [...INBOUND, ...TRANSFER, ...WHISPER, ...QUEUE] },
  MessageParticipantIteratively: {
    required: ['Messages'],
    flowTypes: [...QUEUE, ...HOLD],
    check: (p) => checkMessages(p['Messages']),
  },
  GetParticipantInput: {
    required: ['InputTimeLimitSeconds'],
    flowTypes: [...INBOUND, ...TRANSFER, ...QUEUE],
    // The prompt is optional here, unlike MessageParticipant's.
    atMostOneOf: [PROMPT],
    check: (p) => [
      ...positiveInteger(p, 'InputTimeLimitSeconds'),
      ...(isTrue(p['StoreInput']) && p['InputValidation'] === undefined
        ? ['StoreInput is "True" but InputValidation is missing']
        : []),
    ],
  },
  DisconnectParticipant: { terminal: true },
  ConnectParticipantWithLexBot: {},
  // Contact actions
  UpdateContactTargetQueue: { exactlyOneOf: [['QueueId', 'AgentId']], flowTypes: [...INBOUND, ...TRANSFER] },
  TransferContactToQueue: { flowTypes: [...INBOUND, ...TRANSFER] },
  UpdateContactCallbackNumber: {
    required: ['CallbackNumber'],
    flowTypes: [...INBOUND, ...TRANSFER, ...QUEUE],
    check: (p) =>
      isJsonPath(p['CallbackNumber'])
        ? []
        : ['CallbackNumber must be a single JSONPath reference (it cannot be set statically)'],
  },
  UpdateContactAttributes: { required: ['Attributes'], check: (p) => nonEmptyObject(p, 'Attributes') },
  UpdateContactEventHooks: {
    required: ['EventHooks'],
    check: (p) =>
      isObject(p['EventHooks']) && Object.keys(p['EventHooks']).length === 1
        ? []
        : ['EventHooks must hold exactly one hook'],
  },
  UpdateContactTextToSpeechVoice: { required: ['TextToSpeechVoice'] },
  UpdateContactRecordingBehavior: {},
  // Flow control actions
  Compare: {
    required: ['ComparisonValue'],
    check: (p) =>
      isJsonPath(p['ComparisonValue']) ? [] : ['ComparisonValue must be a single JSONPath reference'],
  },
  CheckHoursOfOperation: { flowTypes: [...INBOUND, ...TRANSFER, ...QUEUE] },
  CheckMetricData: {
    required: ['MetricType'],
    atMostOneOf: [['QueueId', 'AgentId']],
    flowTypes: [...INBOUND, ...TRANSFER, ...QUEUE],
  },
  GetMetricData: { atMostOneOf: [['QueueId', 'AgentId']] },
  UpdateFlowLoggingBehavior: {
    required: ['FlowLoggingBehavior'],
    check: (p) =>
      ['Enabled', 'Disabled'].includes(String(p['FlowLoggingBehavior']))
        ? []
        : ['FlowLoggingBehavior must be "Enabled" or "Disabled"'],
  },
  TransferToFlow: { required: ['ContactFlowId'], flowTypes: [...INBOUND, ...TRANSFER] },
  Loop: { required: ['LoopCount'] },
  Wait: { required: ['TimeoutSeconds'] },
  EndFlowExecution: { terminal: true, flowTypes: [...WHISPER, ...QUEUE] },
  // Interactions
  InvokeLambdaFunction: {
    required: ['LambdaFunctionARN', 'InvocationTimeLimitSeconds'],
    check: (p) => integerBetween(p, 'InvocationTimeLimitSeconds', 1, 8),
  },
  CreateCallbackContact: {
    required: ['InitialCallDelaySeconds', 'MaximumConnectionAttempts', 'RetryDelaySeconds'],
    atMostOneOf: [['QueueId', 'AgentId']],
    flowTypes: [...INBOUND, ...TRANSFER, ...QUEUE],
    check: (p) => [
      ...integerBetween(p, 'InitialCallDelaySeconds', 1, 259_200),
      ...positiveInteger(p, 'MaximumConnectionAttempts'),
      ...integerBetween(p, 'RetryDelaySeconds', 1, 259_200),
    ],
  },
};

/** Characters the reference forbids in an Identifier. */
const FORBIDDEN_IN_IDENTIFIER = /[%:(\\/)=$,;[\]{}]/;
const RESERVED_IDENTIFIERS = new Set([
  '__proto__',
  'constructor',
  '__defineGetter__',
  '__defineSetter__',
  'toString',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable',
  'toLocaleString',
  'valueOf',
]);
const MAX_IDENTIFIER_LENGTH = 50;

/** Every problem of `flow` (parsed JSON); empty when Connect should accept it. */
export const validateFlow = (flow: unknown, options: ValidateOptions = {}): FlowProblem[] => {
  if (!isObject(flow)) {
    return [{ code: 'not-a-flow', message: 'A flow must be a JSON object' }];
  }
  const problems: FlowProblem[] = [];
  if (flow['Version'] !== FLOW_LANGUAGE_VERSION) {
    problems.push({
      code: 'version',
      message: `Version must be "${FLOW_LANGUAGE_VERSION}", got ${JSON.stringify(flow['Version'])}`,
    });
  }
  const rawActions = flow['Actions'];
  if (!Array.isArray(rawActions) || rawActions.length === 0) {
    problems.push({ code: 'no-actions', message: 'Actions must be a non-empty list' });
    return problems;
  }
  if (rawActions.length > MAX_ACTIONS_PER_FLOW) {
    problems.push({
      code: 'too-many-actions',
      message: `A flow may have at most ${MAX_ACTIONS_PER_FLOW} actions, this one has ${rawActions.length}`,
    });
  }

  const actions: FlowAction[] = [];
  rawActions.forEach((raw: unknown, index) => {
    const malformed = malformedAction(raw);
    if (malformed === undefined) {
      actions.push(raw as FlowAction);
    } else {
      problems.push({ code: 'malformed-action', message: `Action #${index + 1}: ${malformed}` });
    }
  });

  const ids = new Set<string>();
  for (const action of actions) {
    const id = action.Identifier;
    if (ids.has(id)) {
      problems.push({
        code: 'duplicate-identifier',
        action: id,
        message: `Identifier "${id}" is used twice`,
      });
    }
    ids.add(id);
    problems.push(...identifierProblems(id));
  }

  const start = flow['StartAction'];
  if (typeof start !== 'string' || !ids.has(start)) {
    problems.push({
      code: 'missing-start',
      message:
        typeof start === 'string'
          ? `StartAction "${start}" is not the Identifier of any action`
          : 'StartAction must name the one action the flow starts with',
    });
  }

  for (const action of actions) {
    problems.push(...transitionProblems(action, ids), ...parameterProblems(action));
    if (options.flowType !== undefined) problems.push(...flowTypeProblems(action, options.flowType));
  }
  if (typeof start === 'string' && ids.has(start)) {
    problems.push(...unreachable(start, actions));
  }
  return problems;
};

/** Throws an error listing every problem of `flow`, if it has any; `name` says which flow it is. */
export const assertValidFlow = (flow: unknown, name = 'flow', options: ValidateOptions = {}): void => {
  const problems = validateFlow(flow, options);
  if (problems.length > 0) {
    throw new Error(
      `Contact flow "${name}" is invalid:\n${problems.map((p) => `  - ${p.message}`).join('\n')}`,
    );
  }
};

// ---------------------------------------------------------------------------------------------------

const label = (action: FlowAction): string => `Action "${action.Identifier}" (${action.Type})`;

const malformedAction = (raw: unknown): string | undefined => {
  if (!isObject(raw)) return 'must be an object';
  if (typeof raw['Identifier'] !== 'string') return 'Identifier must be a string';
  if (typeof raw['Type'] !== 'string') return `"${raw['Identifier']}": Type must be a string`;
  if (!isObject(raw['Parameters'])) return `"${raw['Identifier']}": Parameters must be an object`;
  const transitions = raw['Transitions'];
  if (!isObject(transitions)) return `"${raw['Identifier']}": Transitions must be an object`;
  const { NextAction, Errors, Conditions } = transitions;
  if (NextAction !== undefined && typeof NextAction !== 'string') {
    return `"${raw['Identifier']}": NextAction must be a string`;
  }
  if (
    Errors !== undefined &&
    !isListOf(Errors, (e) => isString(e['NextAction']) && isString(e['ErrorType']))
  ) {
    return `"${raw['Identifier']}": each of Errors must have a NextAction and an ErrorType`;
  }
  if (
    Conditions !== undefined &&
    !isListOf(Conditions, (c) => isString(c['NextAction']) && isObject(c['Condition']))
  ) {
    return `"${raw['Identifier']}": each of Conditions must have a NextAction and a Condition`;
  }
  return undefined;
};

const identifierProblems = (id: string): FlowProblem[] => {
  const problem = (message: string): FlowProblem => ({ code: 'identifier', action: id, message });
  if (id.length === 0) return [problem('An Identifier must not be empty')];
  if (id.length > MAX_IDENTIFIER_LENGTH) {
    return [problem(`Identifier "${id}" is longer than ${MAX_IDENTIFIER_LENGTH} characters`)];
  }
  if (FORBIDDEN_IN_IDENTIFIER.test(id)) {
    return [
      problem(`Identifier "${id}" contains a character Connect forbids (% : ( \\ / ) = $ , ; [ ] { })`),
    ];
  }
  if (RESERVED_IDENTIFIERS.has(id)) return [problem(`Identifier "${id}" is a reserved word`)];
  return [];
};

const transitionProblems = (action: FlowAction, ids: ReadonlySet<string>): FlowProblem[] => {
  const problems: FlowProblem[] = [];
  const { NextAction, Errors = [], Conditions = [] } = action.Transitions;
  const dangling = (what: string, target: string): FlowProblem => ({
    code: 'dangling-transition',
    action: action.Identifier,
    message: `${label(action)}: ${what} leads to "${target}", which is not an action of this flow`,
  });
  if (NextAction !== undefined && !ids.has(NextAction)) problems.push(dangling('NextAction', NextAction));
  for (const error of Errors) {
    if (!ids.has(error.NextAction)) problems.push(dangling(`error ${error.ErrorType}`, error.NextAction));
  }
  for (const { NextAction: target, Condition } of Conditions) {
    const operands = Array.isArray(Condition.Operands) ? Condition.Operands : [];
    if (!ids.has(target))
      problems.push(dangling(`condition ${Condition.Operator} ${operands.join(', ')}`, target));
    if (!CONDITION_OPERATORS.includes(Condition.Operator) || operands.length === 0) {
      problems.push({
        code: 'invalid-condition',
        action: action.Identifier,
        message: `${label(action)}: a condition needs one of the operators ${CONDITION_OPERATORS.join(', ')} and at least one operand`,
      });
    }
  }

  const rule = ACTION_RULES[action.Type];
  const hasTransitions = NextAction !== undefined || Errors.length > 0 || Conditions.length > 0;
  if (rule?.terminal === true && hasTransitions) {
    problems.push({
      code: 'terminal-with-transitions',
      action: action.Identifier,
      message: `${label(action)} ends the flow, so its Transitions must be empty`,
    });
  }
  if (rule !== undefined && rule.terminal !== true && NextAction === undefined) {
    problems.push({
      code: 'no-next-action',
      action: action.Identifier,
      message: `${label(action)} has no NextAction; only DisconnectParticipant and EndFlowExecution end a flow`,
    });
  }
  return problems;
};

const parameterProblems = (action: FlowAction): FlowProblem[] => {
  const rule = ACTION_RULES[action.Type];
  if (rule === undefined) return [];
  const p = action.Parameters;
  const present = (name: string): boolean => p[name] !== undefined;
  const missing = (message: string): FlowProblem => ({
    code: 'missing-parameter',
    action: action.Identifier,
    message: `${label(action)}: ${message}`,
  });
  const invalid = (message: string): FlowProblem => ({
    code: 'invalid-parameter',
    action: action.Identifier,
    message: `${label(action)}: ${message}`,
  });
  const problems: FlowProblem[] = [];
  for (const name of rule.required ?? []) {
    if (!present(name)) problems.push(missing(`parameter ${name} is required`));
  }
  for (const group of rule.exactlyOneOf ?? []) {
    const count = group.filter(present).length;
    if (count === 0) problems.push(missing(`one of ${group.join(', ')} is required`));
    if (count > 1) problems.push(invalid(`only one of ${group.join(', ')} may be given`));
  }
  for (const group of rule.atMostOneOf ?? []) {
    if (group.filter(present).length > 1)
      problems.push(invalid(`only one of ${group.join(', ')} may be given`));
  }
  // Value checks only make sense once the parameters they read are there.
  if (problems.length === 0 && rule.check !== undefined) problems.push(...rule.check(p).map(invalid));
  return problems;
};

const flowTypeProblems = (action: FlowAction, flowType: FlowType): FlowProblem[] => {
  const allowed = ACTION_RULES[action.Type]?.flowTypes;
  return allowed === undefined || allowed.includes(flowType)
    ? []
    : [
        {
          code: 'wrong-flow-type',
          action: action.Identifier,
          message: `${label(action)} is not supported in a ${flowType} flow, only in ${allowed.join(', ')}`,
        },
      ];
};

/** Actions no path from the start reaches: dead code that Connect rejects or a transition forgotten. */
const unreachable = (start: string, actions: readonly FlowAction[]): FlowProblem[] => {
  const byId = new Map(actions.map((a) => [a.Identifier, a]));
  const seen = new Set([start]);
  const stack = [start];
  for (let id = stack.pop(); id !== undefined; id = stack.pop()) {
    const action = byId.get(id);
    for (const target of action === undefined ? [] : successorsOf(action)) {
      if (!seen.has(target)) {
        seen.add(target);
        stack.push(target);
      }
    }
  }
  return actions
    .filter((a) => !seen.has(a.Identifier))
    .map((a) => ({
      code: 'unreachable' as const,
      action: a.Identifier,
      message: `${label(a)} cannot be reached from StartAction "${start}"`,
    }));
};

const checkMessages = (messages: unknown): string[] => {
  if (!Array.isArray(messages) || messages.length === 0) return ['Messages must be a non-empty list'];
  return messages.flatMap((m: unknown, i) =>
    isObject(m) && ['Text', 'SSML', 'PromptId'].filter((k) => m[k] !== undefined).length === 1
      ? []
      : [`Messages[${i}] must have exactly one of Text, SSML, PromptId`],
  );
};

const nonEmptyObject = (p: Readonly<Record<string, unknown>>, name: string): string[] => {
  const value = p[name];
  return isObject(value) && Object.keys(value).length > 0 ? [] : [`${name} must be a non-empty object`];
};

/** A number-ish parameter within bounds; dynamic values (JSONPath) are left to Connect. */
const integerBetween = (
  p: Readonly<Record<string, unknown>>,
  name: string,
  min: number,
  max: number,
): string[] => {
  const value = p[name];
  if (isJsonPath(value)) return [];
  const n = Number(value);
  return Number.isInteger(n) && n >= min && n <= max
    ? []
    : [`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`];
};

const positiveInteger = (p: Readonly<Record<string, unknown>>, name: string): string[] =>
  integerBetween(p, name, 1, Number.MAX_SAFE_INTEGER);

const isTrue = (value: unknown): boolean => value === true || value === 'True';

const isJsonPath = (value: unknown): boolean => typeof value === 'string' && value.startsWith('$.');

const isString = (value: unknown): value is string => typeof value === 'string';

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isListOf = (value: unknown, test: (item: Record<string, unknown>) => boolean): boolean =>
  Array.isArray(value) && value.every((item: unknown) => isObject(item) && test(item));
