import { describe, expect, it } from 'vitest';
import { FlowBuilder, type FlowAction, type FlowDocument } from '#infra/constructs/connect/flows/builder.js';
import { ESTIMATED_WAIT_TIME, customerQueueFlow } from '#infra/constructs/connect/flows/customer-queue.js';
import { type InboundFlowInput, inboundFlow } from '#infra/constructs/connect/flows/inbound.js';
import { FLOW_LANGUAGES, FLOW_PROMPTS } from '#infra/constructs/connect/flows/prompts.js';
import { taskRoutingFlow } from '#infra/constructs/connect/flows/task-routing.js';
import { type FlowType, validateFlow } from '#infra/constructs/connect/flows/validator.js';

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const QUEUES = {
  primary: `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001`,
  secondLine: `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000002`,
  callback: `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000003`,
  accounting: `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000004`,
};
const ROUTER = 'arn:aws:lambda:eu-central-1:123456789012:function:peakline-test-router';
const SMS = 'arn:aws:lambda:eu-central-1:123456789012:function:peakline-test-deflection-sms';
const CUSTOMER_QUEUE_FLOW = `${INSTANCE}/contact-flow/bbbbbbbb-0000-0000-0000-000000000001`;
const ORDER_STATUS = 'arn:aws:lambda:eu-central-1:123456789012:function:peakline-test-order-status';

const inbound = (overrides: Partial<InboundFlowInput> = {}): FlowDocument =>
  inboundFlow({
    queueArns: QUEUES,
    routerFunctionArn: ROUTER,
    customerQueueFlowArn: CUSTOMER_QUEUE_FLOW,
    requestSms: { functionArn: SMS, withBonusCode: true },
    shopName: 'Peak Shop',
    ...overrides,
  });

const action = (flow: FlowDocument, id: string): FlowAction => {
  const found = flow.Actions.find((a) => a.Identifier === id);
  if (found === undefined) throw new Error(`no action ${id}`);
  return found;
};

/** Where `id` goes on the error `errorType`. */
const onError = (flow: FlowDocument, id: string, errorType: string): string | undefined =>
  action(flow, id).Transitions.Errors?.find((e) => e.ErrorType === errorType)?.NextAction;

/** Where `id` goes when its result equals `value`. */
const onResult = (flow: FlowDocument, id: string, value: string): string | undefined =>
  action(flow, id).Transitions.Conditions?.find((c) => c.Condition.Operands.includes(value))?.NextAction;

/** The actions reached from `from` by always taking NextAction, up to a terminal one. */
const happyPath = (flow: FlowDocument, from: string): string[] => {
  const path = [from];
  for (let next = action(flow, from).Transitions.NextAction; next !== undefined;) {
    path.push(next);
    next = action(flow, next).Transitions.NextAction;
  }
  return path;
};

describe('contact flows as Flow Language JSON', () => {
  describe('snapshots', () => {
    it.each<[string, FlowType, () => FlowDocument]>([
      ['inbound, with the SMS option and a bonus code', 'CONTACT_FLOW', () => inbound()],
      ['inbound, without a request page', 'CONTACT_FLOW', () => inbound({ requestSms: undefined })],
      ['inbound, in English', 'CONTACT_FLOW', () => inbound({ language: 'en-GB', shopName: undefined })],
      [
        'inbound, with the order status',
        'CONTACT_FLOW',
        () => inbound({ orderStatus: { functionArn: ORDER_STATUS, timeoutSeconds: 3 } }),
      ],
      ['customer queue', 'CUSTOMER_QUEUE', () => customerQueueFlow()],
      [
        'customer queue, with hold music',
        'CUSTOMER_QUEUE',
        () => customerQueueFlow({ holdPromptArn: `${INSTANCE}/prompt/music`, announceEverySeconds: 45 }),
      ],
      ['task routing', 'CONTACT_FLOW', () => taskRoutingFlow({ queueArns: QUEUES })],
    ])('%s', (_name, flowType, build) => {
      // Act
      const flow = build();

      // Assess
      expect(validateFlow(flow, { flowType })).toEqual([]);
      expect(flow).toMatchSnapshot();
    });
  });

  describe('inbound', () => {
    it('greets, sets the customer queue flow, then asks the router about the primary queue within 3 s', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(happyPath(flow, flow.StartAction).slice(0, 6)).toEqual([
        'EnableLogging',
        'SetVoice',
        'Greeting',
        'SetCustomerQueueFlow',
        'InvokeRouter',
        'SetRouterQueue',
      ]);
      expect(action(flow, 'SetCustomerQueueFlow').Parameters).toEqual({
        EventHooks: { CustomerQueue: CUSTOMER_QUEUE_FLOW },
      });
      expect(action(flow, 'InvokeRouter').Parameters).toEqual({
        LambdaFunctionARN: ROUTER,
        InvocationTimeLimitSeconds: '3',
        LambdaInvocationAttributes: { queue: 'primary' },
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      });
    });

    it("queues NORMAL and OVERFLOW callers in the router's queue and offers DEFLECT callers the menu", () => {
      // Act
      const flow = inbound();

      // Assess
      expect(action(flow, 'SetRouterQueue').Parameters).toEqual({ QueueId: '$.External.queueArn' });
      expect(action(flow, 'CheckMode').Parameters).toEqual({ ComparisonValue: '$.External.mode' });
      expect(onResult(flow, 'CheckMode', 'NORMAL')).toBe('TransferToRouterQueue');
      expect(onResult(flow, 'CheckMode', 'OVERFLOW')).toBe('TransferToRouterQueue');
      expect(onResult(flow, 'CheckMode', 'DEFLECT')).toBe('DeflectionMenu');
    });

    it('sends the caller to the primary queue when the router fails, answers an unknown mode, or its queue cannot be set', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(onError(flow, 'InvokeRouter', 'NoMatchingError')).toBe('SetPrimaryQueue');
      expect(onError(flow, 'SetRouterQueue', 'NoMatchingError')).toBe('SetPrimaryQueue');
      expect(onError(flow, 'CheckMode', 'NoMatchingCondition')).toBe('SetPrimaryQueue');
      expect(onError(flow, 'TransferToRouterQueue', 'NoMatchingError')).toBe('SetPrimaryQueue');
      expect(action(flow, 'SetPrimaryQueue').Parameters).toEqual({ QueueId: QUEUES.primary });
      expect(happyPath(flow, 'SetPrimaryQueue').slice(0, 2)).toEqual([
        'SetPrimaryQueue',
        'TransferToPrimary',
      ]);
    });

    it('overflows a full queue to the second line, and apologises only when that is full too', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(onError(flow, 'TransferToRouterQueue', 'QueueAtCapacity')).toBe('SetSecondLineQueue');
      expect(onError(flow, 'TransferToPrimary', 'QueueAtCapacity')).toBe('SetSecondLineQueue');
      expect(action(flow, 'SetSecondLineQueue').Parameters).toEqual({ QueueId: QUEUES.secondLine });
      expect(onError(flow, 'TransferToSecondLine', 'QueueAtCapacity')).toBe('AllLinesBusy');
      expect(happyPath(flow, 'AllLinesBusy')).toEqual(['AllLinesBusy', 'Disconnect']);
    });

    it('offers 1 wait, 2 callback and 3 SMS, mentioning the bonus code', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(onResult(flow, 'DeflectionMenu', '1')).toBe('RecordKeepWaiting');
      expect(onResult(flow, 'DeflectionMenu', '2')).toBe('SetCallbackNumber');
      expect(onResult(flow, 'DeflectionMenu', '3')).toBe('SendRequestSms');
      expect(action(flow, 'DeflectionMenu').Parameters).toMatchObject({
        Text: expect.stringMatching(/naciśnij 1\..*naciśnij 2\..*kodem rabatowym.*naciśnij 3\./),
        StoreInput: 'False',
        InputTimeLimitSeconds: '8',
      });
    });

    it('offers only 1 and 2 when no request page is configured, and never invokes the SMS function', () => {
      // Act
      const flow = inbound({ requestSms: undefined });

      // Assess
      expect(onResult(flow, 'DeflectionMenu', '3')).toBeUndefined();
      expect(String(action(flow, 'DeflectionMenu').Parameters['Text'])).not.toMatch(/3/);
      expect(JSON.stringify(flow)).not.toContain(SMS);
      expect(validateFlow(flow)).toEqual([]);
    });

    it('asks once more after silence or a wrong key, then keeps the caller waiting', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(onError(flow, 'DeflectionMenu', 'InputTimeLimitExceeded')).toBe('MenuAfterSilence');
      expect(onError(flow, 'DeflectionMenu', 'NoMatchingCondition')).toBe('MenuAfterInvalidKey');
      for (const again of ['MenuAfterSilence', 'MenuAfterInvalidKey']) {
        expect(onResult(flow, again, '2')).toBe('SetCallbackNumber');
        expect(onError(flow, again, 'InputTimeLimitExceeded')).toBe('KeepWaiting');
        expect(onError(flow, again, 'NoMatchingCondition')).toBe('KeepWaiting');
      }
      expect(happyPath(flow, 'KeepWaiting').slice(0, 2)).toEqual(['KeepWaiting', 'TransferToRouterQueue']);
    });

    it("queues a callback on the caller's number in the callback queue, confirms it and hangs up", () => {
      // Act
      const flow = inbound();

      // Assess
      expect(action(flow, 'SetCallbackNumber').Parameters).toEqual({
        CallbackNumber: '$.CustomerEndpoint.Address',
      });
      expect(action(flow, 'CreateCallback').Parameters).toMatchObject({ QueueId: QUEUES.callback });
      expect(happyPath(flow, 'SetCallbackNumber')).toEqual([
        'SetCallbackNumber',
        'CreateCallback',
        'RecordCallback',
        'CallbackConfirmed',
        'Disconnect',
      ]);
      expect(onError(flow, 'SetCallbackNumber', 'InvalidCallbackNumber')).toBe('CallbackUnavailable');
      expect(onError(flow, 'CreateCallback', 'NoMatchingError')).toBe('CallbackUnavailable');
      expect(happyPath(flow, 'CallbackUnavailable').slice(0, 2)).toEqual([
        'CallbackUnavailable',
        'TransferToRouterQueue',
      ]);
    });

    it('hangs up after the SMS was sent, and queues the caller when it was not', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(action(flow, 'SendRequestSms').Parameters).toMatchObject({
        LambdaFunctionARN: SMS,
        LambdaInvocationAttributes: { kind: 'deflection' },
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      });
      expect(onResult(flow, 'CheckSmsSent', 'true')).toBe('RecordSms');
      expect(happyPath(flow, 'RecordSms')).toEqual(['RecordSms', 'SmsSent', 'Disconnect']);
      expect(onResult(flow, 'CheckSmsSent', 'false')).toBe('SmsFailed');
      expect(onError(flow, 'CheckSmsSent', 'NoMatchingCondition')).toBe('SmsFailed');
      expect(onError(flow, 'SendRequestSms', 'NoMatchingError')).toBe('SmsFailed');
      expect(happyPath(flow, 'SmsFailed').slice(0, 2)).toEqual(['SmsFailed', 'TransferToRouterQueue']);
    });

    it('speaks Polish with a Polish voice by default', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(action(flow, 'SetVoice').Parameters).toEqual({
        TextToSpeechVoice: 'Ola',
        TextToSpeechEngine: 'Neural',
      });
      expect(action(flow, 'Greeting').Parameters).toEqual({
        Text: 'Dzień dobry, tu Peak Shop. Dziękujemy za telefon.',
      });
    });
  });

  describe('inbound, with the order status', () => {
    const withOrderStatus = (overrides: Partial<InboundFlowInput> = {}) =>
      inbound({ orderStatus: { functionArn: ORDER_STATUS, timeoutSeconds: 4 }, ...overrides });
    const ORDER_STEPS = [
      'LookupOrder',
      'CheckOrderFound',
      'RecordOrder',
      'SetOrderVoice',
      'OrderStatusMenu',
      'CheckLinkOffered',
      'SendTrackingLink',
      'CheckLinkSent',
      'RecordLinkSent',
      'LinkSent',
      'LinkNotSent',
      'RestoreVoiceAfterLinkError',
      'LinkApology',
      'RecordAskedForAgent',
      'RestoreVoice',
    ];

    it('looks the caller up after the customer queue flow is set, within the configured time, before the router', () => {
      // Act
      const flow = withOrderStatus();

      // Assess
      expect(happyPath(flow, flow.StartAction).slice(3, 5)).toEqual(['SetCustomerQueueFlow', 'LookupOrder']);
      expect(onError(flow, 'SetCustomerQueueFlow', 'NoMatchingError')).toBe('LookupOrder');
      expect(action(flow, 'LookupOrder').Parameters).toEqual({
        LambdaFunctionARN: ORDER_STATUS,
        InvocationTimeLimitSeconds: '4',
        LambdaInvocationAttributes: { action: 'lookup' },
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      });
      expect(validateFlow(flow, { flowType: 'CONTACT_FLOW' })).toEqual([]);
    });

    it('goes on to the router as before when no order is found, the answer is unknown, or the lookup fails', () => {
      // Act
      const flow = withOrderStatus();

      // Assess
      expect(action(flow, 'CheckOrderFound').Parameters).toEqual({ ComparisonValue: '$.External.found' });
      expect(onResult(flow, 'CheckOrderFound', 'true')).toBe('RecordOrder');
      expect(action(flow, 'CheckOrderFound').Transitions.NextAction).toBe('InvokeRouter');
      expect(onError(flow, 'CheckOrderFound', 'NoMatchingCondition')).toBe('InvokeRouter');
      expect(onError(flow, 'LookupOrder', 'NoMatchingError')).toBe('InvokeRouter');
      expect(happyPath(flow, 'InvokeRouter').slice(0, 2)).toEqual(['InvokeRouter', 'SetRouterQueue']);
    });

    it("gives the agent the order as contact attributes, then tells the status in the caller's language's voice", () => {
      // Act
      const flow = withOrderStatus();

      // Assess
      expect(action(flow, 'RecordOrder').Parameters).toEqual({
        Attributes: {
          peaklineOrderId: '$.External.orderId',
          peaklineOrderStatus: '$.External.status',
          peaklineOrderStatusChangedAt: '$.External.changedAt',
          peaklineOrderCarrier: '$.External.carrier',
          peaklineOrderTrackingUrl: '$.External.trackingUrl',
          peaklineOrderEstimatedDelivery: '$.External.estimatedDelivery',
          peaklineOrderLanguage: '$.External.language',
          peaklineOrderOutcome: 'told',
        },
      });
      expect(happyPath(flow, 'RecordOrder').slice(0, 3)).toEqual([
        'RecordOrder',
        'SetOrderVoice',
        'OrderStatusMenu',
      ]);
      expect(action(flow, 'SetOrderVoice').Parameters).toEqual({
        TextToSpeechVoice: '$.External.voice',
        TextToSpeechEngine: '$.External.engine',
      });
      expect(action(flow, 'OrderStatusMenu').Parameters).toEqual({
        SSML: '$.External.statusSsml',
        InputTimeLimitSeconds: '8',
        StoreInput: 'False',
      });
    });

    it("sends the tracking link on 1 when one is offered, says goodbye in the answer's words and hangs up", () => {
      // Act
      const flow = withOrderStatus();

      // Assess
      expect(onResult(flow, 'OrderStatusMenu', '1')).toBe('CheckLinkOffered');
      expect(action(flow, 'CheckLinkOffered').Parameters).toEqual({
        ComparisonValue: '$.External.linkOffered',
      });
      expect(onResult(flow, 'CheckLinkOffered', 'true')).toBe('SendTrackingLink');
      expect(action(flow, 'SendTrackingLink').Parameters).toEqual({
        LambdaFunctionARN: ORDER_STATUS,
        InvocationTimeLimitSeconds: '4',
        LambdaInvocationAttributes: { action: 'send-link' },
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      });
      expect(action(flow, 'CheckLinkSent').Parameters).toEqual({ ComparisonValue: '$.External.sent' });
      expect(onResult(flow, 'CheckLinkSent', 'true')).toBe('RecordLinkSent');
      expect(action(flow, 'RecordLinkSent').Parameters).toEqual({
        Attributes: { peaklineOrderOutcome: 'sms' },
      });
      expect(happyPath(flow, 'RecordLinkSent')).toEqual(['RecordLinkSent', 'LinkSent', 'Disconnect']);
      expect(action(flow, 'LinkSent').Parameters).toEqual({ SSML: '$.External.ssml' });
    });

    it("queues the caller in the flow's voice after the link was refused (its words) or failed (the flow's apology)", () => {
      // Act
      const flow = withOrderStatus();

      // Assess
      expect(onResult(flow, 'CheckLinkSent', 'false')).toBe('LinkNotSent');
      expect(action(flow, 'LinkNotSent').Parameters).toEqual({ SSML: '$.External.ssml' });
      expect(happyPath(flow, 'LinkNotSent').slice(0, 3)).toEqual([
        'LinkNotSent',
        'RestoreVoice',
        'InvokeRouter',
      ]);
      expect(onError(flow, 'SendTrackingLink', 'NoMatchingError')).toBe('RestoreVoiceAfterLinkError');
      expect(onError(flow, 'CheckLinkSent', 'NoMatchingCondition')).toBe('RestoreVoiceAfterLinkError');
      expect(happyPath(flow, 'RestoreVoiceAfterLinkError').slice(0, 3)).toEqual([
        'RestoreVoiceAfterLinkError',
        'LinkApology',
        'InvokeRouter',
      ]);
      expect(action(flow, 'LinkApology').Parameters).toEqual({
        Text: FLOW_PROMPTS['pl-PL'].trackingLinkFailed,
      });
      for (const restore of ['RestoreVoice', 'RestoreVoiceAfterLinkError']) {
        expect(action(flow, restore).Parameters).toEqual({
          TextToSpeechVoice: 'Ola',
          TextToSpeechEngine: 'Neural',
        });
      }
    });

    it("records a caller who asks for someone on 2, and routes them, or anyone silent or pressing another key, in the flow's voice", () => {
      // Act
      const flow = withOrderStatus();

      // Assess
      expect(onResult(flow, 'OrderStatusMenu', '2')).toBe('RecordAskedForAgent');
      expect(action(flow, 'RecordAskedForAgent').Parameters).toEqual({
        Attributes: { peaklineOrderOutcome: 'agent' },
      });
      expect(happyPath(flow, 'RecordAskedForAgent').slice(0, 3)).toEqual([
        'RecordAskedForAgent',
        'RestoreVoice',
        'InvokeRouter',
      ]);
      for (const error of ['InputTimeLimitExceeded', 'NoMatchingCondition', 'NoMatchingError']) {
        expect(onError(flow, 'OrderStatusMenu', error)).toBe('RestoreVoice');
      }
      expect(action(flow, 'OrderStatusMenu').Transitions.NextAction).toBe('RestoreVoice');
      expect(action(flow, 'CheckLinkOffered').Transitions.NextAction).toBe('RestoreVoice');
      expect(onError(flow, 'CheckLinkOffered', 'NoMatchingCondition')).toBe('RestoreVoice');
    });

    it('fails open: every way out of the order status leads to the router, except the goodbye after a link sent', () => {
      // Act
      const flow = withOrderStatus();

      // Assess
      const exits = new Map<string, string[]>();
      for (const step of ORDER_STEPS) {
        const a = action(flow, step);
        const targets = [
          a.Transitions.NextAction,
          ...(a.Transitions.Errors ?? []).map((e) => e.NextAction),
          ...(a.Transitions.Conditions ?? []).map((c) => c.NextAction),
        ].filter((t): t is string => t !== undefined && !ORDER_STEPS.includes(t));
        for (const target of targets) exits.set(target, [...(exits.get(target) ?? []), step]);
      }
      expect([...exits.keys()].sort()).toEqual(['Disconnect', 'InvokeRouter']);
      expect(new Set(exits.get('Disconnect'))).toEqual(new Set(['LinkSent']));
      // After the caller's voice is set, the router is only reached through the flow's voice again.
      expect(new Set(exits.get('InvokeRouter'))).toEqual(
        new Set(['LookupOrder', 'CheckOrderFound', 'RecordOrder', 'RestoreVoice', 'LinkApology']),
      );
    });

    it("speaks its own apology and restores the voice of the flow's language", () => {
      // Act
      const flow = withOrderStatus({ language: 'en-GB' });

      // Assess
      expect(action(flow, 'LinkApology').Parameters).toEqual({
        Text: FLOW_PROMPTS['en-GB'].trackingLinkFailed,
      });
      expect(action(flow, 'RestoreVoice').Parameters).toEqual({
        TextToSpeechVoice: 'Amy',
        TextToSpeechEngine: 'Neural',
      });
    });

    it('has no order status step without the function: the caller goes from the queue flow straight to the router', () => {
      // Act
      const flow = inbound();

      // Assess
      expect(onError(flow, 'SetCustomerQueueFlow', 'NoMatchingError')).toBe('InvokeRouter');
      expect(flow.Actions.map((a) => a.Identifier).filter((id) => ORDER_STEPS.includes(id))).toEqual([]);
      expect(JSON.stringify(flow)).not.toContain('peaklineOrder');
    });

    it('refuses a lookup time Connect would not accept', () => {
      // Act
      const flow = withOrderStatus({ orderStatus: { functionArn: ORDER_STATUS, timeoutSeconds: 9 } });

      // Assess
      expect(validateFlow(flow).map((p) => [p.action, p.code])).toEqual([
        ['LookupOrder', 'invalid-parameter'],
        ['SendTrackingLink', 'invalid-parameter'],
      ]);
    });
  });

  describe('customer queue', () => {
    it('announces the estimated wait of the voice queue, then holds until it is time to announce again', () => {
      // Act
      const flow = customerQueueFlow({ announceEverySeconds: 90 });

      // Assess
      expect(action(flow, 'GetQueueMetrics').Parameters).toEqual({ QueueChannel: 'Voice' });
      expect(action(flow, 'CheckEstimatedWait').Parameters).toEqual({ ComparisonValue: ESTIMATED_WAIT_TIME });
      expect(action(flow, 'Hold').Parameters).toMatchObject({ InterruptFrequencySeconds: '90' });
      expect(onResult(flow, 'Hold', 'MessagesInterrupted')).toBe('GetQueueMetrics');
    });

    it('announces the wait in bands, and only thanks the caller when there is no estimate', () => {
      // Act
      const flow = customerQueueFlow();

      // Assess
      const bands = action(flow, 'CheckEstimatedWait').Transitions.Conditions?.map((c) => [
        c.Condition.Operator,
        c.Condition.Operands[0],
        c.NextAction,
      ]);
      expect(bands).toEqual([
        ['NumberLessThan', '60', 'WaitUnderAMinute'],
        ['NumberLessThan', '300', 'WaitAFewMinutes'],
        ['NumberLessThan', '600', 'WaitUpToTenMinutes'],
        ['NumberGreaterOrEqualTo', '600', 'WaitOverTenMinutes'],
      ]);
      expect(onError(flow, 'CheckEstimatedWait', 'NoMatchingCondition')).toBe('ThanksForWaiting');
      expect(onError(flow, 'GetQueueMetrics', 'NoMatchingError')).toBe('Hold');
    });

    it('refuses an announcement interval too short to hear anything between', () => {
      // Act
      const act = () => customerQueueFlow({ announceEverySeconds: 5 });

      // Assess
      expect(act).toThrow(/announceEverySeconds must be a whole number of seconds >= 10, got 5/);
    });
  });

  describe('task routing', () => {
    it('transfers the task to the queue in its peaklineQueueId attribute', () => {
      // Act
      const flow = taskRoutingFlow({ queueArns: QUEUES });

      // Assess
      expect(action(flow, 'SetTaskQueue').Parameters).toEqual({ QueueId: '$.Attributes.peaklineQueueId' });
      expect(happyPath(flow, flow.StartAction).slice(0, 3)).toEqual([
        'EnableLogging',
        'SetTaskQueue',
        'TransferTask',
      ]);
    });

    it('falls back to the callback queue, marked, and ends the task marked unrouted if that fails too', () => {
      // Act
      const flow = taskRoutingFlow({ queueArns: QUEUES });

      // Assess
      expect(onError(flow, 'SetTaskQueue', 'NoMatchingError')).toBe('SetFallbackQueue');
      expect(onError(flow, 'TransferTask', 'QueueAtCapacity')).toBe('SetFallbackQueue');
      expect(action(flow, 'SetFallbackQueue').Parameters).toEqual({ QueueId: QUEUES.callback });
      expect(action(flow, 'MarkFallback').Parameters).toEqual({
        Attributes: { peaklineTaskRouting: 'fallback' },
      });
      expect(onError(flow, 'TransferToFallback', 'NoMatchingError')).toBe('MarkUnrouted');
      expect(happyPath(flow, 'MarkUnrouted')).toEqual(['MarkUnrouted', 'EndTask']);
      expect(JSON.stringify(flow)).not.toContain(QUEUES.accounting);
    });
  });
});

describe('FlowBuilder', () => {
  it('refuses an identifier used twice', () => {
    // Prepare
    const flow = new FlowBuilder<'A' | 'B'>().end('A', 'DisconnectParticipant');

    // Act
    const act = () => flow.end('A', 'EndFlowExecution');

    // Assess
    expect(act).toThrow(/Flow action "A" is defined twice/);
  });

  it('lays the blocks out left to right in the order the caller meets them', () => {
    // Prepare
    const flow = new FlowBuilder<'Hello' | 'Bye'>()
      .add('Hello', 'MessageParticipant', { Text: 'Hello' }, { next: 'Bye' })
      .end('Bye', 'DisconnectParticipant');

    // Act
    const doc = flow.build('Hello');

    // Assess
    expect(doc.Metadata).toEqual({
      entryPointPosition: { x: 40, y: 40 },
      ActionMetadata: {
        Hello: { position: { x: 280, y: 40 } },
        Bye: { position: { x: 560, y: 40 } },
      },
    });
  });

  it('leaves Metadata out on request', () => {
    // Act
    const doc = new FlowBuilder<'Bye'>().end('Bye', 'DisconnectParticipant').build('Bye', { layout: false });

    // Assess
    expect(doc).toEqual({
      Version: '2019-10-30',
      StartAction: 'Bye',
      Actions: [{ Identifier: 'Bye', Type: 'DisconnectParticipant', Parameters: {}, Transitions: {} }],
    });
  });
});

describe('prompts', () => {
  it.each(FLOW_LANGUAGES)('%s has every sentence, none empty', (language) => {
    // Act
    const prompts = FLOW_PROMPTS[language];

    // Assess
    const sentences = [
      prompts.greeting(),
      prompts.greeting('Peak Shop'),
      prompts.deflectionMenu(),
      prompts.deflectionMenu({ withBonusCode: true }),
      prompts.smsSent({ withBonusCode: false }),
      ...Object.values(prompts).filter((v): v is string => typeof v === 'string'),
    ];
    for (const sentence of sentences) expect(sentence.trim().length).toBeGreaterThan(5);
    expect(prompts.holdMessage).toMatch(/^<speak>.*<\/speak>$/);
  });
});
