import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { FlowAction, FlowDocument } from '#infra/constructs/connect/flows/builder.js';
import {
  ACTION_RULES,
  type FlowProblemCode,
  type FlowType,
  assertValidFlow,
  validateFlow,
} from '#infra/constructs/connect/flows/validator.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(
    readFileSync(new URL(`../../fixtures/connect-flows/${name}`, import.meta.url), 'utf8'),
  ) as Record<string, unknown>;

/** Greeting -> router -> (queue | apology) -> hang up: small, but every kind of transition. */
const validFlow = (): FlowDocument => ({
  Version: '2019-10-30',
  StartAction: 'Greeting',
  Actions: [
    {
      Identifier: 'Greeting',
      Type: 'MessageParticipant',
      Parameters: { Text: 'Hello' },
      Transitions: { NextAction: 'Router', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'Router' }] },
    },
    {
      Identifier: 'Router',
      Type: 'InvokeLambdaFunction',
      Parameters: {
        LambdaFunctionARN: 'arn:aws:lambda:eu-central-1:123456789012:function:router',
        InvocationTimeLimitSeconds: '3',
      },
      Transitions: { NextAction: 'Mode', Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'Sorry' }] },
    },
    {
      Identifier: 'Mode',
      Type: 'Compare',
      Parameters: { ComparisonValue: '$.External.mode' },
      Transitions: {
        NextAction: 'Sorry',
        Conditions: [{ NextAction: 'Queue', Condition: { Operator: 'Equals', Operands: ['NORMAL'] } }],
        Errors: [{ ErrorType: 'NoMatchingCondition', NextAction: 'Sorry' }],
      },
    },
    {
      Identifier: 'Queue',
      Type: 'TransferContactToQueue',
      Parameters: {},
      Transitions: { NextAction: 'Sorry', Errors: [{ ErrorType: 'QueueAtCapacity', NextAction: 'Sorry' }] },
    },
    {
      Identifier: 'Sorry',
      Type: 'MessageParticipant',
      Parameters: { Text: 'Sorry' },
      Transitions: { NextAction: 'HangUp' },
    },
    { Identifier: 'HangUp', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} },
  ],
});

/** `validFlow()` with the action `id` changed by `change`. */
const withAction = (id: string, change: (action: FlowAction) => FlowAction | undefined): FlowDocument => {
  const flow = validFlow();
  return {
    ...flow,
    Actions: flow.Actions.flatMap((a) => {
      if (a.Identifier !== id) return [a];
      const changed = change(a);
      return changed === undefined ? [] : [changed];
    }),
  };
};

describe('validateFlow', () => {
  it('finds nothing wrong with a well-formed flow', () => {
    // Act
    const problems = validateFlow(validFlow());

    // Assess
    expect(problems).toEqual([]);
  });

  it.each<[string, () => unknown, FlowProblemCode, RegExp]>([
    [
      'a NextAction to an action that does not exist',
      () => withAction('Sorry', (a) => ({ ...a, Transitions: { NextAction: 'Goodbye' } })),
      'dangling-transition',
      /Action "Sorry" \(MessageParticipant\): NextAction leads to "Goodbye", which is not an action/,
    ],
    [
      "an error's NextAction to an action that does not exist",
      () =>
        withAction('Router', (a) => ({
          ...a,
          Transitions: {
            NextAction: 'Mode',
            Errors: [{ ErrorType: 'NoMatchingError', NextAction: 'Primary' }],
          },
        })),
      'dangling-transition',
      /error NoMatchingError leads to "Primary"/,
    ],
    [
      "a condition's NextAction to an action that does not exist",
      () =>
        withAction('Mode', (a) => ({
          ...a,
          Transitions: {
            ...a.Transitions,
            Conditions: [{ NextAction: 'Deflect', Condition: { Operator: 'Equals', Operands: ['DEFLECT'] } }],
          },
        })),
      'dangling-transition',
      /condition Equals DEFLECT leads to "Deflect"/,
    ],
    [
      'an action nothing leads to',
      () => {
        const flow = validFlow();
        return {
          ...flow,
          Actions: [
            ...flow.Actions,
            {
              Identifier: 'Orphan',
              Type: 'MessageParticipant',
              Parameters: { Text: '?' },
              Transitions: { NextAction: 'HangUp' },
            },
          ],
        };
      },
      'unreachable',
      /Action "Orphan" \(MessageParticipant\) cannot be reached from StartAction "Greeting"/,
    ],
    [
      'no StartAction',
      () => ({ ...validFlow(), StartAction: undefined }),
      'missing-start',
      /StartAction must name the one action the flow starts with/,
    ],
    [
      'a StartAction that is no action',
      () => ({ ...validFlow(), StartAction: 'Welcome' }),
      'missing-start',
      /StartAction "Welcome" is not the Identifier of any action/,
    ],
    [
      'two actions with one Identifier',
      () => withAction('Sorry', (a) => ({ ...a, Identifier: 'Greeting' })),
      'duplicate-identifier',
      /Identifier "Greeting" is used twice/,
    ],
    [
      'a Lambda invocation without its function',
      () => withAction('Router', (a) => ({ ...a, Parameters: { InvocationTimeLimitSeconds: '3' } })),
      'missing-parameter',
      /Action "Router" \(InvokeLambdaFunction\): parameter LambdaFunctionARN is required/,
    ],
    [
      'a prompt with nothing to say',
      () => withAction('Greeting', (a) => ({ ...a, Parameters: {} })),
      'missing-parameter',
      /one of Text, SSML, PromptId, Media is required/,
    ],
    [
      'a prompt with both text and SSML',
      () => withAction('Greeting', (a) => ({ ...a, Parameters: { Text: 'Hi', SSML: '<speak>Hi</speak>' } })),
      'invalid-parameter',
      /only one of Text, SSML, PromptId, Media may be given/,
    ],
    [
      'a Lambda timeout over the 8 s the Flow Language allows',
      () =>
        withAction('Router', (a) => ({
          ...a,
          Parameters: { ...a.Parameters, InvocationTimeLimitSeconds: '9' },
        })),
      'invalid-parameter',
      /InvocationTimeLimitSeconds must be a whole number from 1 to 8, got "9"/,
    ],
    [
      'a terminal action with transitions',
      () => withAction('HangUp', (a) => ({ ...a, Transitions: { NextAction: 'Greeting' } })),
      'terminal-with-transitions',
      /Action "HangUp" \(DisconnectParticipant\) ends the flow, so its Transitions must be empty/,
    ],
    [
      'a non-terminal action without a NextAction',
      () => withAction('Sorry', (a) => ({ ...a, Transitions: {} })),
      'no-next-action',
      /Action "Sorry" \(MessageParticipant\) has no NextAction/,
    ],
    [
      'a condition with an operator the Flow Language does not have',
      () =>
        withAction('Mode', (a) => ({
          ...a,
          Transitions: {
            ...a.Transitions,
            Conditions: [
              { NextAction: 'Queue', Condition: { Operator: 'Matches' as 'Equals', Operands: ['N.*'] } },
            ],
          },
        })),
      'invalid-condition',
      /a condition needs one of the operators Equals, /,
    ],
    [
      'an Identifier with a character Connect forbids',
      () => withAction('HangUp', (a) => ({ ...a, Identifier: 'Hang/Up' })),
      'identifier',
      /Identifier "Hang\/Up" contains a character Connect forbids/,
    ],
    [
      'another Version',
      () => ({ ...validFlow(), Version: '2020-01-01' }),
      'version',
      /Version must be "2019-10-30", got "2020-01-01"/,
    ],
    [
      'an action without Transitions',
      () => withAction('Sorry', ({ Transitions: _, ...rest }) => rest as FlowAction),
      'malformed-action',
      /"Sorry": Transitions must be an object/,
    ],
    ['no actions', () => ({ ...validFlow(), Actions: [] }), 'no-actions', /Actions must be a non-empty list/],
    ['not an object', () => 'Version: 2019-10-30', 'not-a-flow', /A flow must be a JSON object/],
  ])('reports %s', (_name, makeFlow, code, message) => {
    // Prepare
    const flow = makeFlow();

    // Act
    const problems = validateFlow(flow);

    // Assess
    expect(problems).toContainEqual(
      expect.objectContaining({ code, message: expect.stringMatching(message) }),
    );
  });

  it('checks the transitions of an action type it does not know, but not its parameters', () => {
    // Prepare
    const flow = withAction('Sorry', (a) => ({
      ...a,
      Type: 'SomeFutureAction',
      Parameters: { Anything: 'goes' },
      Transitions: { NextAction: 'Nowhere' },
    }));

    // Act
    const problems = validateFlow(flow);

    // Assess
    expect(problems.map((p) => p.code)).toEqual(['dangling-transition', 'unreachable']);
  });

  it('reports every problem, not only the first', () => {
    // Prepare: a dangling NextAction that also strands HangUp.
    const flow = withAction('Sorry', (a) => ({ ...a, Transitions: { NextAction: 'Goodbye' } }));

    // Act
    const problems = validateFlow(flow);

    // Assess
    expect(problems).toEqual([
      expect.objectContaining({ code: 'dangling-transition', action: 'Sorry' }),
      expect.objectContaining({ code: 'unreachable', action: 'HangUp' }),
    ]);
  });
});

describe('assertValidFlow', () => {
  it('throws naming the flow and listing each problem', () => {
    // Prepare
    const flow = withAction('Sorry', (a) => ({ ...a, Transitions: { NextAction: 'Goodbye' } }));

    // Act
    const act = () => assertValidFlow(flow, 'test-inbound');

    // Assess
    expect(act).toThrow(
      /Contact flow "test-inbound" is invalid:\n {2}- .*"Goodbye".*\n {2}- Action "HangUp" \(DisconnectParticipant\) cannot be reached/,
    );
  });

  it('accepts a valid flow', () => {
    // Act
    const act = () => assertValidFlow(validFlow(), 'test-inbound');

    // Assess
    expect(act).not.toThrow();
  });
});

describe('validateFlow with a flow type', () => {
  it('reports an action the flow type does not support', () => {
    // Prepare: a customer queue flow cannot transfer the contact, which is already in a queue.
    const flow = validFlow();

    // Act
    const problems = validateFlow(flow, { flowType: 'CUSTOMER_QUEUE' });

    // Assess
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'wrong-flow-type',
        action: 'Queue',
        message: expect.stringMatching(
          /Action "Queue" \(TransferContactToQueue\) is not supported in a CUSTOMER_QUEUE flow, only in CONTACT_FLOW, /,
        ),
      }),
    ]);
  });

  it('accepts the same actions in a contact flow', () => {
    // Act
    const problems = validateFlow(validFlow(), { flowType: 'CONTACT_FLOW' });

    // Assess
    expect(problems).toEqual([]);
  });
});

describe('flows exported from the Connect console (test/fixtures/connect-flows)', () => {
  it.each<[string, FlowType]>([
    ['inbound-contact-flow.json', 'CONTACT_FLOW'],
    ['customer-queue-flow.json', 'CUSTOMER_QUEUE'],
  ])('finds nothing wrong with %s as a %s', (name, flowType) => {
    // Prepare
    const flow = fixture(name);

    // Act
    const problems = validateFlow(flow, { flowType });

    // Assess
    expect(problems).toEqual([]);
  });

  it('holds action types the validator does not know, which it skips for parameters', () => {
    // Prepare
    const flow = fixture('inbound-contact-flow.json') as unknown as FlowDocument;

    // Act
    const unknown = flow.Actions.map((a) => a.Type).filter((type) => ACTION_RULES[type] === undefined);

    // Assess
    expect(new Set(unknown)).toEqual(new Set(['UpdateContactData', 'CreateWisdomSession']));
  });

  it('finds the transition broken when an action of the export is removed', () => {
    // Prepare: drop the "Set working queue" block the whisper hook leads to.
    const flow = fixture('inbound-contact-flow.json') as unknown as FlowDocument;
    const broken = {
      ...flow,
      Actions: flow.Actions.filter((a) => a.Identifier !== 'a54d3e42-7be9-4b9b-abd7-8bed84c08e28'),
    };

    // Act
    const problems = validateFlow(broken);

    // Assess
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'dangling-transition',
          action: 'e23b49ec-4ee7-464b-b6eb-f8515957339f',
        }),
        expect.objectContaining({ code: 'unreachable', action: '2eb34b80-00f6-480d-a39a-0c27cac864b2' }),
      ]),
    );
  });
});
