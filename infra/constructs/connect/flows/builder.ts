/**
 * A small typed builder for Amazon Connect Flow Language documents (Version 2019-10-30), the JSON that
 * AWS::Connect::ContactFlow's `Content` takes.
 *
 * Names and parameter shapes follow the Flow Language reference of the Amazon Connect Administrator
 * Guide ("Actions in the Amazon Connect Flow Language" and the per-action pages under "Contact
 * actions", "Flow control actions", "Interactions" and "Participant actions"). Where the console's own
 * exports differ from the reference, the exports win, because they are what CreateContactFlow is known
 * to accept: numbers are written as strings ("InvocationTimeLimitSeconds": "3"), booleans as "True" /
 * "False", and GetParticipantInput's timeout error is `InputTimeLimitExceeded` (not in the reference).
 *
 * Pure data, no aws-cdk-lib: the flows are plain functions of their inputs, unit-tested as JSON, and
 * the ContactFlows construct turns them into CloudFormation with the ARNs' tokens inside.
 */

/** The only Flow Language version Connect accepts. */
export const FLOW_LANGUAGE_VERSION = '2019-10-30';

/** Connect's limit on actions per flow ("A single Flow may have no more than 250 Actions defined"). */
export const MAX_ACTIONS_PER_FLOW = 250;

/** An integer written the way the console exports it. */
export type NumericString = `${number}`;

/** A boolean written the way the console exports it. */
export type BooleanString = 'True' | 'False';

/** A single JSONPath reference into the flow's data, e.g. `$.External.queueArn`. */
export type JsonPath = `$.${string}`;

/** The condition operators of "List of Operators" in the Flow Language reference. */
export type ConditionOperator =
  | 'Equals'
  | 'TextStartsWith'
  | 'TextEndsWith'
  | 'TextContains'
  | 'NumberGreaterThan'
  | 'NumberGreaterOrEqualTo'
  | 'NumberLessThan'
  | 'NumberLessOrEqualTo';

export const CONDITION_OPERATORS: readonly ConditionOperator[] = [
  'Equals',
  'TextStartsWith',
  'TextEndsWith',
  'TextContains',
  'NumberGreaterThan',
  'NumberGreaterOrEqualTo',
  'NumberLessThan',
  'NumberLessOrEqualTo',
];

// ---------------------------------------------------------------------------------------------------
// The document, as Connect reads it.
// ---------------------------------------------------------------------------------------------------

export interface FlowCondition {
  readonly NextAction: string;
  readonly Condition: { readonly Operator: ConditionOperator; readonly Operands: readonly string[] };
}

export interface FlowError {
  readonly NextAction: string;
  readonly ErrorType: string;
}

/** Where to go next. Terminal actions (DisconnectParticipant, EndFlowExecution) have `{}`. */
export interface FlowTransitions {
  readonly NextAction?: string;
  readonly Errors?: readonly FlowError[];
  readonly Conditions?: readonly FlowCondition[];
}

export interface FlowAction {
  readonly Identifier: string;
  readonly Type: string;
  readonly Parameters: Readonly<Record<string, unknown>>;
  readonly Transitions: FlowTransitions;
}

export interface FlowDocument {
  readonly Version: typeof FLOW_LANGUAGE_VERSION;
  readonly StartAction: string;
  /** Free-form; Connect's designer keeps the blocks' positions here. */
  readonly Metadata?: Readonly<Record<string, unknown>>;
  readonly Actions: readonly FlowAction[];
}

// ---------------------------------------------------------------------------------------------------
// The action types peakline uses, with their parameters and the errors they can take.
// ---------------------------------------------------------------------------------------------------

/**
 * What is said or played: exactly one of Text (text-to-speech), SSML or a prompt (MessageParticipant,
 * GetParticipantInput, and each entry of MessageParticipantIteratively's Messages).
 */
export type Message =
  | { readonly Text: string; readonly SSML?: never; readonly PromptId?: never }
  | { readonly SSML: string; readonly Text?: never; readonly PromptId?: never }
  | { readonly PromptId: string; readonly Text?: never; readonly SSML?: never };

/** Event hooks UpdateContactEventHooks can set ("Set customer queue flow", "Set whisper flow", ...). */
export type EventHookType =
  'CustomerQueue' | 'CustomerHold' | 'CustomerWhisper' | 'AgentHold' | 'AgentWhisper';

/**
 * Every action type the builder writes: its Parameters and the ErrorTypes its Errors may name.
 * `terminal` ones end the flow and take no transitions.
 */
export interface ActionCatalogue {
  /** Flow control: "Set logging behavior". */
  UpdateFlowLoggingBehavior: {
    parameters: { readonly FlowLoggingBehavior: 'Enabled' | 'Disabled' };
    errors: never;
  };
  /**
   * Contact: "Set voice". The reference's page for the action (Amazon Connect API Reference,
   * "UpdateContactTextToSpeechVoice") says voice and engine "May be defined statically or dynamically", so
   * one JSONPath each (e.g. a Lambda's `$.External.voice`) sets the caller's language's voice; an invalid
   * voice, or a voice without that engine, takes NoMatchingError, which "Must always be defined".
   */
  UpdateContactTextToSpeechVoice: {
    parameters: {
      readonly TextToSpeechVoice: string;
      /** Needed for a neural voice. */
      readonly TextToSpeechEngine?: 'Neural' | 'Standard' | JsonPath;
    };
    errors: 'NoMatchingError';
  };
  /** Participant: "Play prompt". */
  MessageParticipant: { parameters: Message; errors: 'NoMatchingError' };
  /**
   * Participant: "Loop prompts", customer queue and hold flows only. With InterruptFrequencySeconds it
   * completes with the result `MessagesInterrupted` (the only operand its conditions take).
   */
  MessageParticipantIteratively: {
    parameters: { readonly Messages: readonly Message[]; readonly InterruptFrequencySeconds?: NumericString };
    errors: 'NoMatchingError';
  };
  /**
   * Participant: "Get customer input" (DTMF on voice). With StoreInput "False" the digit pressed is the
   * result, and conditions compare it with Equals against single characters.
   */
  GetParticipantInput: {
    parameters: Message & {
      readonly InputTimeLimitSeconds: NumericString;
      readonly StoreInput: BooleanString;
    };
    errors: 'InputTimeLimitExceeded' | 'NoMatchingCondition' | 'NoMatchingError';
  };
  /** Interaction: "Invoke AWS Lambda function"; the answer is under `$.External`. */
  InvokeLambdaFunction: {
    parameters: {
      readonly LambdaFunctionARN: string;
      /** 1..8 seconds. */
      readonly InvocationTimeLimitSeconds: NumericString;
      readonly InvocationType?: 'SYNCHRONOUS' | 'ASYNCHRONOUS';
      readonly LambdaInvocationAttributes?: Readonly<Record<string, string>>;
      readonly ResponseValidation?: { readonly ResponseType: 'STRING_MAP' | 'JSON' };
    };
    errors: 'NoMatchingError';
  };
  /** Flow control: "Check contact attributes"; conditions compare the value, NoMatchingCondition else. */
  Compare: { parameters: { readonly ComparisonValue: JsonPath }; errors: 'NoMatchingCondition' };
  /** Contact: "Set working queue" (a queue ID or ARN, static or one JSONPath). */
  UpdateContactTargetQueue: { parameters: { readonly QueueId: string }; errors: 'NoMatchingError' };
  /** Contact: "Transfer to queue" into the working queue. Contact and transfer flows only. */
  TransferContactToQueue: {
    parameters: Readonly<Record<string, never>>;
    errors: 'QueueAtCapacity' | 'NoMatchingError';
  };
  /** Contact: "Set callback number"; must be one JSONPath, never static. */
  UpdateContactCallbackNumber: {
    parameters: { readonly CallbackNumber: JsonPath };
    errors: 'InvalidCallbackNumber' | 'CallbackNumberNotDialable';
  };
  /**
   * Interaction: a queued callback ("Transfer to queue" > "Transfer to callback queue" in the console),
   * dialled to the contact's callback number when an agent of QueueId is free.
   */
  CreateCallbackContact: {
    parameters: {
      readonly QueueId: string;
      /** 1..259200: lets the caller hang up before the callback is routed. */
      readonly InitialCallDelaySeconds: NumericString;
      readonly MaximumConnectionAttempts: NumericString;
      /** 1..259200 between unanswered attempts. */
      readonly RetryDelaySeconds: NumericString;
    };
    errors: 'NoMatchingError';
  };
  /** Contact: "Set contact attributes" (user-defined attributes, static or dynamic values). */
  UpdateContactAttributes: {
    parameters: { readonly Attributes: Readonly<Record<string, string>> };
    errors: 'NoMatchingError';
  };
  /** Contact: "Set customer queue flow" and friends; exactly one hook per action. */
  UpdateContactEventHooks: {
    parameters: { readonly EventHooks: Readonly<Partial<Record<EventHookType, string>>> };
    errors: 'NoMatchingError';
  };
  /**
   * Flow control: "Get queue metrics" for the working queue (or QueueId), under `$.Metrics.Queue`.
   * The queue's estimated wait time is only returned for a single channel.
   */
  GetMetricData: {
    parameters: { readonly QueueId?: string; readonly QueueChannel?: 'Voice' | 'Chat' };
    errors: 'NoMatchingError';
  };
  /** Participant: "Disconnect / hang up"; terminal. */
  DisconnectParticipant: { parameters: Readonly<Record<string, never>>; errors: never; terminal: true };
  /** Flow control: "End flow / Resume", whisper and customer queue flows only; terminal. */
  EndFlowExecution: { parameters: Readonly<Record<string, never>>; errors: never; terminal: true };
}

export type ActionType = keyof ActionCatalogue;

export type TerminalActionType = {
  [T in ActionType]: ActionCatalogue[T] extends { terminal: true } ? T : never;
}[ActionType];

export type RoutingActionType = Exclude<ActionType, TerminalActionType>;

export type ParametersOf<T extends ActionType> = ActionCatalogue[T]['parameters'];
export type ErrorTypeOf<T extends ActionType> = ActionCatalogue[T]['errors'];

// ---------------------------------------------------------------------------------------------------
// The builder.
// ---------------------------------------------------------------------------------------------------

/** A condition on an action's result, and where it leads. */
export interface StepCondition<Id extends string> {
  readonly operator: ConditionOperator;
  readonly operand: string;
  readonly next: Id;
}

/** The result equals `value` (a digit pressed, an attribute's value, `MessagesInterrupted`, ...). */
export const equals = <Id extends string>(value: string, next: Id): StepCondition<Id> => ({
  operator: 'Equals',
  operand: value,
  next,
});

/** The result, read as a number, is below `limit`. */
export const numberBelow = <Id extends string>(limit: number, next: Id): StepCondition<Id> => ({
  operator: 'NumberLessThan',
  operand: String(limit),
  next,
});

/** The result, read as a number, is at least `limit`. */
export const numberAtLeast = <Id extends string>(limit: number, next: Id): StepCondition<Id> => ({
  operator: 'NumberGreaterOrEqualTo',
  operand: String(limit),
  next,
});

export interface StepTransitions<Id extends string, E extends string> {
  /**
   * The action that follows. Every non-terminal action names one, even those Connect leaves on
   * success (TransferContactToQueue), as the console does.
   */
  readonly next: Id;
  /** Where each error leads. */
  readonly onError?: Readonly<Partial<Record<E, Id>>>;
  /** Checked in order; the first that holds wins. */
  readonly when?: readonly StepCondition<Id>[];
}

export interface BuildOptions {
  /**
   * Write block positions into Metadata so the Connect console draws the flow legibly (left to right,
   * in the order the caller meets the blocks). Connect ignores Metadata when it runs the flow.
   * @default true
   */
  readonly layout?: boolean;
}

/** Horizontal and vertical distance between blocks in the console's designer. */
const COLUMN_WIDTH = 280;
const ROW_HEIGHT = 180;

/**
 * Collects a flow's actions, typed by action type, with identifiers from the union `Id` so that a
 * misspelt transition does not compile. What the type system cannot see (an identifier never added, an
 * action nothing leads to) the validator reports.
 */
export class FlowBuilder<Id extends string> {
  private readonly actions: FlowAction[] = [];
  private readonly ids = new Set<string>();

  /** Adds a non-terminal action. */
  add<T extends RoutingActionType>(
    id: Id,
    type: T,
    parameters: ParametersOf<T>,
    transitions: StepTransitions<Id, ErrorTypeOf<T>>,
  ): this {
    const errors = Object.entries(transitions.onError ?? {}).flatMap(([errorType, next]) =>
      typeof next === 'string' ? [{ NextAction: next, ErrorType: errorType }] : [],
    );
    const conditions = (transitions.when ?? []).map((c) => ({
      NextAction: c.next,
      Condition: { Operator: c.operator, Operands: [c.operand] },
    }));
    return this.push({
      Identifier: id,
      Type: type,
      Parameters: parameters,
      Transitions: {
        NextAction: transitions.next,
        ...(errors.length > 0 ? { Errors: errors } : {}),
        ...(conditions.length > 0 ? { Conditions: conditions } : {}),
      },
    });
  }

  /** Adds a terminal action: it ends the flow, so it has no transitions. */
  end(id: Id, type: TerminalActionType): this {
    return this.push({ Identifier: id, Type: type, Parameters: {}, Transitions: {} });
  }

  /** The document, starting at `start`. */
  build(start: Id, options: BuildOptions = {}): FlowDocument {
    const actions = [...this.actions];
    return {
      Version: FLOW_LANGUAGE_VERSION,
      StartAction: start,
      ...(options.layout === false ? {} : { Metadata: layoutMetadata(start, actions) }),
      Actions: actions,
    };
  }

  private push(action: FlowAction): this {
    // Fail where the mistake is made rather than in the validator's list.
    if (this.ids.has(action.Identifier)) {
      throw new Error(`Flow action "${action.Identifier}" is defined twice`);
    }
    this.ids.add(action.Identifier);
    this.actions.push(action);
    return this;
  }
}

/** Every action an action can lead to: NextAction, then its errors' and conditions' targets. */
export const successorsOf = (action: FlowAction): string[] => {
  const { NextAction, Errors = [], Conditions = [] } = action.Transitions;
  return [
    ...(NextAction === undefined ? [] : [NextAction]),
    ...Errors.map((e) => e.NextAction),
    ...Conditions.map((c) => c.NextAction),
  ];
};

/**
 * Block positions by breadth-first depth from the start: one column per step, one row per block in it.
 * The console's own exports keep them as `entryPointPosition` and `ActionMetadata.<id>.position`.
 */
const layoutMetadata = (start: string, actions: readonly FlowAction[]): Record<string, unknown> => {
  const byId = new Map(actions.map((a) => [a.Identifier, a]));
  const depth = new Map<string, number>([[start, 0]]);
  const queue = [start];
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const action = byId.get(id);
    if (action === undefined) continue;
    for (const next of successorsOf(action)) {
      if (!depth.has(next) && byId.has(next)) {
        depth.set(next, (depth.get(id) ?? 0) + 1);
        queue.push(next);
      }
    }
  }
  const rows = new Map<number, number>();
  const positions: Record<string, { position: { x: number; y: number } }> = {};
  for (const action of actions) {
    // An unreachable block (the validator reports it) goes in a column of its own at the far right.
    const column = depth.get(action.Identifier) ?? depth.size + 1;
    const row = rows.get(column) ?? 0;
    rows.set(column, row + 1);
    positions[action.Identifier] = {
      position: { x: COLUMN_WIDTH * (column + 1), y: 40 + ROW_HEIGHT * row },
    };
  }
  return { entryPointPosition: { x: 40, y: 40 }, ActionMetadata: positions };
};
