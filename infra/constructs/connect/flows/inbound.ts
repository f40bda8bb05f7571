/**
 * The inbound contact flow (type CONTACT_FLOW) a caller enters from the shop's phone number.
 *
 *   greeting -> customer queue flow set -> [order status] -> router Lambda -> working queue = the router's queue
 *     NORMAL, OVERFLOW -> transfer
 *     DEFLECT -> menu: 1 keep waiting, 2 queued callback on the caller's number, 3 SMS with the
 *                request link (only when `overflow.requestUrl` is configured)
 *     router error, unknown mode, or the router's queue not settable -> primary queue
 *
 *   [order status] (only with `orderStatus`, i.e. `orderStatus.enabled`): "where is my order?" before the queue
 *     lookup Lambda { action: lookup } -> found == 'true'?
 *       no, error, timeout -> router (exactly as without the step)
 *       yes -> contact attributes (the order, outcome 'told') -> the caller's language's voice ($.External)
 *           -> the status and a menu (SSML from the Lambda), 8 s:
 *              1 (when a link is offered) -> Lambda { action: send-link } -> sent == 'true'?
 *                   yes -> outcome 'sms', goodbye ($.External.ssml), hang up: contained
 *                   no  -> the Lambda's apology, the flow's voice again, router
 *                   error, timeout -> the flow's voice again, the flow's own apology, router
 *              2 -> outcome 'agent', the flow's voice again, router
 *              silence, another key, any error -> the flow's voice again, router
 *     A caller who hangs up after the status never reaches the router: contained. The router counts the
 *     callers who carry an outcome (`OrderStatusThenQueue`), so contained = told - then queued.
 *
 * The rule throughout: whatever fails, the caller ends up in a queue, never in silence or a hang-up,
 * unless no queue will take them. A queue "at capacity" (its maximum contacts reached) overflows to
 * the second line, which exists for exactly that; only when the second line is full too does the flow
 * apologise and hang up, because a caller held in a loop that can never be queued is worse off than
 * one told to call again. Connect queues have no maximum unless one is set, so this is the rare path.
 */
import { ORDER_ATTRIBUTES } from '#core/orders/types.js';
import type { QueueKey } from '../contact-centre-model.js';
import { FlowBuilder, type FlowDocument, equals } from './builder.js';
import { FLOW_PROMPTS, type FlowLanguage, type FlowVoice, type SmsOffer } from './prompts.js';

/** The router must answer within the Flow Language's limit and the caller's patience. */
export const ROUTER_TIMEOUT_SECONDS = 3;
/** Sending one SMS (SNS Publish) plus a cold start fits well within this. */
export const DEFLECTION_SMS_TIMEOUT_SECONDS = 5;
/** How long the DEFLECT menu waits for the first key. */
export const MENU_INPUT_TIMEOUT_SECONDS = 8;

/**
 * How long the order status's menu waits for a key after the status was said: the status is the long
 * part, and a caller who only wanted to hear it hangs up rather than press anything.
 */
export const ORDER_STATUS_INPUT_TIMEOUT_SECONDS = 8;

/** The queued callback: time to hang up first, then up to three tries ten minutes apart. */
export const CALLBACK = {
  initialDelaySeconds: 15,
  maxAttempts: 3,
  retryDelaySeconds: 600,
} as const;

/** Contact attributes the flow records, so contact records tell how the call was routed. */
export const INBOUND_ATTRIBUTES = {
  /** NORMAL, OVERFLOW or DEFLECT, as the router answered. */
  mode: 'peaklineRoutingMode',
  /** What a deflected caller chose: wait, callback or sms. */
  deflection: 'peaklineDeflection',
} as const;

export interface InboundFlowInput {
  /** ARNs of the queues the flow names itself (the router names the others through its answer). */
  readonly queueArns: Readonly<Pick<Record<QueueKey, string>, 'primary' | 'secondLine' | 'callback'>>;
  readonly routerFunctionArn: string;
  /** The CUSTOMER_QUEUE flow callers hear while they wait. */
  readonly customerQueueFlowArn: string;
  /**
   * Option 3 of the DEFLECT menu: the deflection SMS function and whether its SMS carries a bonus code.
   * @default - not offered: the menu has options 1 and 2 only
   */
  readonly requestSms?: SmsOffer & { readonly functionArn: string };
  /** @default 'pl-PL' */
  readonly language?: FlowLanguage;
  /**
   * Said in the greeting.
   * @default - a greeting without the shop's name
   */
  readonly shopName?: string;
  /**
   * The order status told before routing: the `order-status` function (`{ action: 'lookup' }`, then
   * `{ action: 'send-link' }` for option 1) and how long the flow waits for each answer (1..8 s, Connect's
   * limit; `orderStatus.lookupTimeoutSeconds`).
   * @default - no order status: the flow goes from the greeting straight to the router
   */
  readonly orderStatus?: { readonly functionArn: string; readonly timeoutSeconds: number };
}

type Step =
  | 'EnableLogging'
  | 'SetVoice'
  | 'Greeting'
  | 'SetCustomerQueueFlow'
  | 'InvokeRouter'
  | 'SetRouterQueue'
  | 'RecordRoutingMode'
  | 'CheckMode'
  | 'TransferToRouterQueue'
  | 'SetPrimaryQueue'
  | 'TransferToPrimary'
  | 'SetSecondLineQueue'
  | 'TransferToSecondLine'
  | 'AllLinesBusy'
  | 'TechnicalProblem'
  | 'Disconnect'
  | 'DeflectionMenu'
  | 'MenuAfterSilence'
  | 'MenuAfterInvalidKey'
  | 'RecordKeepWaiting'
  | 'KeepWaiting'
  | 'SetCallbackNumber'
  | 'CreateCallback'
  | 'RecordCallback'
  | 'CallbackConfirmed'
  | 'CallbackUnavailable'
  | 'SendRequestSms'
  | 'CheckSmsSent'
  | 'RecordSms'
  | 'SmsSent'
  | 'SmsFailed'
  | 'LookupOrder'
  | 'CheckOrderFound'
  | 'RecordOrder'
  | 'SetOrderVoice'
  | 'OrderStatusMenu'
  | 'CheckLinkOffered'
  | 'SendTrackingLink'
  | 'CheckLinkSent'
  | 'RecordLinkSent'
  | 'LinkSent'
  | 'LinkNotSent'
  | 'RestoreVoiceAfterLinkError'
  | 'LinkApology'
  | 'RecordAskedForAgent'
  | 'RestoreVoice';

/** What the caller did after hearing their order's status (the `peaklineOrderOutcome` attribute). */
export const ORDER_OUTCOMES = { told: 'told', sms: 'sms', agent: 'agent' } as const;

export const inboundFlow = (input: InboundFlowInput): FlowDocument => {
  const say = FLOW_PROMPTS[input.language ?? 'pl-PL'];
  const sms = input.requestSms;
  const offer: SmsOffer | undefined = sms === undefined ? undefined : { withBonusCode: sms.withBonusCode };
  const flow = new FlowBuilder<Step>();
  const afterQueueFlow: Step = input.orderStatus === undefined ? 'InvokeRouter' : 'LookupOrder';

  // Flow logs are the only record of what a caller went through when the router misbehaves.
  flow.add(
    'EnableLogging',
    'UpdateFlowLoggingBehavior',
    { FlowLoggingBehavior: 'Enabled' },
    { next: 'SetVoice' },
  );
  flow.add(
    'SetVoice',
    'UpdateContactTextToSpeechVoice',
    { TextToSpeechVoice: say.voice.voice, TextToSpeechEngine: say.voice.engine },
    { next: 'Greeting', onError: { NoMatchingError: 'Greeting' } },
  );
  flow.add(
    'Greeting',
    'MessageParticipant',
    { Text: say.greeting(input.shopName) },
    { next: 'SetCustomerQueueFlow', onError: { NoMatchingError: 'SetCustomerQueueFlow' } },
  );
  // Without it the caller would hear Connect's default queue music and never the estimated wait.
  flow.add(
    'SetCustomerQueueFlow',
    'UpdateContactEventHooks',
    { EventHooks: { CustomerQueue: input.customerQueueFlowArn } },
    { next: afterQueueFlow, onError: { NoMatchingError: afterQueueFlow } },
  );
  if (input.orderStatus !== undefined)
    addOrderStatus(flow, input.orderStatus, say.voice, say.trackingLinkFailed);

  // --- The router decides; any doubt means the primary queue -------------------------------------
  flow.add(
    'InvokeRouter',
    'InvokeLambdaFunction',
    {
      LambdaFunctionARN: input.routerFunctionArn,
      InvocationTimeLimitSeconds: `${ROUTER_TIMEOUT_SECONDS}`,
      LambdaInvocationAttributes: { queue: 'primary' },
      ResponseValidation: { ResponseType: 'STRING_MAP' },
    },
    { next: 'SetRouterQueue', onError: { NoMatchingError: 'SetPrimaryQueue' } },
  );
  // Every mode queues the caller where the router said; DEFLECT offers the alternatives first, and
  // "keep waiting" (or any failure of them) then transfers into this queue.
  flow.add(
    'SetRouterQueue',
    'UpdateContactTargetQueue',
    { QueueId: '$.External.queueArn' },
    { next: 'RecordRoutingMode', onError: { NoMatchingError: 'SetPrimaryQueue' } },
  );
  flow.add(
    'RecordRoutingMode',
    'UpdateContactAttributes',
    { Attributes: { [INBOUND_ATTRIBUTES.mode]: '$.External.mode' } },
    { next: 'CheckMode', onError: { NoMatchingError: 'CheckMode' } },
  );
  flow.add(
    'CheckMode',
    'Compare',
    { ComparisonValue: '$.External.mode' },
    {
      next: 'SetPrimaryQueue',
      when: [
        equals('NORMAL', 'TransferToRouterQueue'),
        equals('OVERFLOW', 'TransferToRouterQueue'),
        equals('DEFLECT', 'DeflectionMenu'),
      ],
      onError: { NoMatchingCondition: 'SetPrimaryQueue' },
    },
  );

  // --- Queueing, with the second line as the overflow of last resort ------------------------------
  // TransferContactToQueue ends the flow when it succeeds; its NextAction, like the console's, is the
  // error path.
  flow.add(
    'TransferToRouterQueue',
    'TransferContactToQueue',
    {},
    {
      next: 'SetPrimaryQueue',
      onError: { QueueAtCapacity: 'SetSecondLineQueue', NoMatchingError: 'SetPrimaryQueue' },
    },
  );
  flow.add(
    'SetPrimaryQueue',
    'UpdateContactTargetQueue',
    { QueueId: input.queueArns.primary },
    { next: 'TransferToPrimary', onError: { NoMatchingError: 'TechnicalProblem' } },
  );
  flow.add(
    'TransferToPrimary',
    'TransferContactToQueue',
    {},
    {
      next: 'TechnicalProblem',
      onError: { QueueAtCapacity: 'SetSecondLineQueue', NoMatchingError: 'TechnicalProblem' },
    },
  );
  flow.add(
    'SetSecondLineQueue',
    'UpdateContactTargetQueue',
    { QueueId: input.queueArns.secondLine },
    { next: 'TransferToSecondLine', onError: { NoMatchingError: 'TechnicalProblem' } },
  );
  flow.add(
    'TransferToSecondLine',
    'TransferContactToQueue',
    {},
    {
      next: 'TechnicalProblem',
      onError: { QueueAtCapacity: 'AllLinesBusy', NoMatchingError: 'TechnicalProblem' },
    },
  );
  flow.add(
    'AllLinesBusy',
    'MessageParticipant',
    { Text: say.allLinesBusy },
    { next: 'Disconnect', onError: { NoMatchingError: 'Disconnect' } },
  );
  flow.add(
    'TechnicalProblem',
    'MessageParticipant',
    { Text: say.technicalProblem },
    { next: 'Disconnect', onError: { NoMatchingError: 'Disconnect' } },
  );
  flow.end('Disconnect', 'DisconnectParticipant');

  // --- DEFLECT: wait, a callback, or (when configured) the request link by SMS ---------------------
  const menu = say.deflectionMenu(offer);
  const choices = [
    equals<Step>('1', 'RecordKeepWaiting'),
    equals<Step>('2', 'SetCallbackNumber'),
    ...(sms === undefined ? [] : [equals<Step>('3', 'SendRequestSms')]),
  ];
  const menuInput = (text: string) =>
    ({ Text: text, InputTimeLimitSeconds: `${MENU_INPUT_TIMEOUT_SECONDS}`, StoreInput: 'False' }) as const;
  flow.add('DeflectionMenu', 'GetParticipantInput', menuInput(menu), {
    next: 'KeepWaiting',
    when: choices,
    onError: {
      InputTimeLimitExceeded: 'MenuAfterSilence',
      NoMatchingCondition: 'MenuAfterInvalidKey',
      NoMatchingError: 'KeepWaiting',
    },
  });
  // One second chance, then the caller simply keeps their place in the queue.
  for (const [id, prefix] of [
    ['MenuAfterSilence', say.noChoiceHeard],
    ['MenuAfterInvalidKey', say.choiceNotOffered],
  ] as const) {
    flow.add(id, 'GetParticipantInput', menuInput(`${prefix} ${menu}`), {
      next: 'KeepWaiting',
      when: choices,
      onError: {
        InputTimeLimitExceeded: 'KeepWaiting',
        NoMatchingCondition: 'KeepWaiting',
        NoMatchingError: 'KeepWaiting',
      },
    });
  }
  flow.add(
    'RecordKeepWaiting',
    'UpdateContactAttributes',
    { Attributes: { [INBOUND_ATTRIBUTES.deflection]: 'wait' } },
    { next: 'KeepWaiting', onError: { NoMatchingError: 'KeepWaiting' } },
  );
  flow.add(
    'KeepWaiting',
    'MessageParticipant',
    { Text: say.keepWaiting },
    { next: 'TransferToRouterQueue', onError: { NoMatchingError: 'TransferToRouterQueue' } },
  );

  // 2: a queued callback on the number the caller rings from. Setting it explicitly, rather than
  // relying on CreateCallbackContact's default, rejects a withheld or undialable number up front.
  flow.add(
    'SetCallbackNumber',
    'UpdateContactCallbackNumber',
    { CallbackNumber: '$.CustomerEndpoint.Address' },
    {
      next: 'CreateCallback',
      onError: {
        InvalidCallbackNumber: 'CallbackUnavailable',
        CallbackNumberNotDialable: 'CallbackUnavailable',
      },
    },
  );
  flow.add(
    'CreateCallback',
    'CreateCallbackContact',
    {
      QueueId: input.queueArns.callback,
      InitialCallDelaySeconds: `${CALLBACK.initialDelaySeconds}`,
      MaximumConnectionAttempts: `${CALLBACK.maxAttempts}`,
      RetryDelaySeconds: `${CALLBACK.retryDelaySeconds}`,
    },
    { next: 'RecordCallback', onError: { NoMatchingError: 'CallbackUnavailable' } },
  );
  flow.add(
    'RecordCallback',
    'UpdateContactAttributes',
    { Attributes: { [INBOUND_ATTRIBUTES.deflection]: 'callback' } },
    { next: 'CallbackConfirmed', onError: { NoMatchingError: 'CallbackConfirmed' } },
  );
  flow.add(
    'CallbackConfirmed',
    'MessageParticipant',
    { Text: say.callbackConfirmed },
    { next: 'Disconnect', onError: { NoMatchingError: 'Disconnect' } },
  );
  flow.add(
    'CallbackUnavailable',
    'MessageParticipant',
    { Text: say.callbackUnavailable },
    { next: 'TransferToRouterQueue', onError: { NoMatchingError: 'TransferToRouterQueue' } },
  );

  // 3: the SMS; the function reads the caller's number from the contact data and answers sent=true|false.
  if (sms !== undefined) {
    flow.add(
      'SendRequestSms',
      'InvokeLambdaFunction',
      {
        LambdaFunctionARN: sms.functionArn,
        InvocationTimeLimitSeconds: `${DEFLECTION_SMS_TIMEOUT_SECONDS}`,
        LambdaInvocationAttributes: { kind: 'deflection' },
        ResponseValidation: { ResponseType: 'STRING_MAP' },
      },
      { next: 'CheckSmsSent', onError: { NoMatchingError: 'SmsFailed' } },
    );
    flow.add(
      'CheckSmsSent',
      'Compare',
      { ComparisonValue: '$.External.sent' },
      {
        next: 'SmsFailed',
        when: [equals('true', 'RecordSms'), equals('false', 'SmsFailed')],
        onError: { NoMatchingCondition: 'SmsFailed' },
      },
    );
    flow.add(
      'RecordSms',
      'UpdateContactAttributes',
      { Attributes: { [INBOUND_ATTRIBUTES.deflection]: 'sms' } },
      { next: 'SmsSent', onError: { NoMatchingError: 'SmsSent' } },
    );
    flow.add(
      'SmsSent',
      'MessageParticipant',
      { Text: say.smsSent(sms) },
      { next: 'Disconnect', onError: { NoMatchingError: 'Disconnect' } },
    );
    flow.add(
      'SmsFailed',
      'MessageParticipant',
      { Text: say.smsFailed },
      { next: 'TransferToRouterQueue', onError: { NoMatchingError: 'TransferToRouterQueue' } },
    );
  }

  return flow.build('EnableLogging');
};

/**
 * "Where is my order?" before the queue. Fail open throughout: every error, timeout, unknown answer or
 * caller who wants someone leads on to the router, as if the step were not there; once the caller's
 * language's voice was set, through the flow's own voice again, so the router's menu and the queue's
 * announcements sound as they always do.
 */
const addOrderStatus = (
  flow: FlowBuilder<Step>,
  orderStatus: NonNullable<InboundFlowInput['orderStatus']>,
  flowVoice: FlowVoice,
  apology: string,
): void => {
  const invoke = (action: 'lookup' | 'send-link') =>
    ({
      LambdaFunctionARN: orderStatus.functionArn,
      InvocationTimeLimitSeconds: `${orderStatus.timeoutSeconds}`,
      LambdaInvocationAttributes: { action },
      ResponseValidation: { ResponseType: 'STRING_MAP' },
    }) as const;
  const restoreVoice = { TextToSpeechVoice: flowVoice.voice, TextToSpeechEngine: flowVoice.engine } as const;

  flow.add('LookupOrder', 'InvokeLambdaFunction', invoke('lookup'), {
    next: 'CheckOrderFound',
    onError: { NoMatchingError: 'InvokeRouter' },
  });
  flow.add(
    'CheckOrderFound',
    'Compare',
    { ComparisonValue: '$.External.found' },
    {
      next: 'InvokeRouter',
      when: [equals('true', 'RecordOrder')],
      onError: { NoMatchingCondition: 'InvokeRouter' },
    },
  );
  // First, so the agent sees the order whatever the caller does next; the lookup answers every key.
  const orderAttributes = Object.fromEntries(
    Object.entries(ORDER_ATTRIBUTES).map(([key, attribute]) => [
      attribute,
      key === 'outcome' ? ORDER_OUTCOMES.told : `$.External.${key}`,
    ]),
  );
  flow.add(
    'RecordOrder',
    'UpdateContactAttributes',
    { Attributes: orderAttributes },
    { next: 'SetOrderVoice', onError: { NoMatchingError: 'InvokeRouter' } },
  );
  // The status is said in the customer's language (from their order), not the flow's.
  flow.add(
    'SetOrderVoice',
    'UpdateContactTextToSpeechVoice',
    { TextToSpeechVoice: '$.External.voice', TextToSpeechEngine: '$.External.engine' },
    { next: 'OrderStatusMenu', onError: { NoMatchingError: 'RestoreVoice' } },
  );
  flow.add(
    'OrderStatusMenu',
    'GetParticipantInput',
    {
      SSML: '$.External.statusSsml',
      InputTimeLimitSeconds: `${ORDER_STATUS_INPUT_TIMEOUT_SECONDS}`,
      StoreInput: 'False',
    },
    {
      next: 'RestoreVoice',
      when: [equals('1', 'CheckLinkOffered'), equals('2', 'RecordAskedForAgent')],
      onError: {
        InputTimeLimitExceeded: 'RestoreVoice',
        NoMatchingCondition: 'RestoreVoice',
        NoMatchingError: 'RestoreVoice',
      },
    },
  );
  // Option 1 is said only for an order with a link; a 1 pressed without one is a key not offered.
  flow.add(
    'CheckLinkOffered',
    'Compare',
    { ComparisonValue: '$.External.linkOffered' },
    {
      next: 'RestoreVoice',
      when: [equals('true', 'SendTrackingLink')],
      onError: { NoMatchingCondition: 'RestoreVoice' },
    },
  );
  flow.add('SendTrackingLink', 'InvokeLambdaFunction', invoke('send-link'), {
    next: 'CheckLinkSent',
    onError: { NoMatchingError: 'RestoreVoiceAfterLinkError' },
  });
  flow.add(
    'CheckLinkSent',
    'Compare',
    { ComparisonValue: '$.External.sent' },
    {
      next: 'RestoreVoiceAfterLinkError',
      when: [equals('true', 'RecordLinkSent'), equals('false', 'LinkNotSent')],
      onError: { NoMatchingCondition: 'RestoreVoiceAfterLinkError' },
    },
  );
  // The link is on its way: the caller's goodbye is said even if the attribute could not be set.
  flow.add(
    'RecordLinkSent',
    'UpdateContactAttributes',
    { Attributes: { [ORDER_ATTRIBUTES.outcome]: ORDER_OUTCOMES.sms } },
    { next: 'LinkSent', onError: { NoMatchingError: 'LinkSent' } },
  );
  flow.add(
    'LinkSent',
    'MessageParticipant',
    { SSML: '$.External.ssml' },
    { next: 'Disconnect', onError: { NoMatchingError: 'Disconnect' } },
  );
  // Not sent (no consent, suppressed, already sent in this call...): the function's words, in the caller's voice.
  flow.add(
    'LinkNotSent',
    'MessageParticipant',
    { SSML: '$.External.ssml' },
    { next: 'RestoreVoice', onError: { NoMatchingError: 'RestoreVoice' } },
  );
  // No answer: the flow's own apology, in the flow's language, so in the flow's voice first.
  flow.add('RestoreVoiceAfterLinkError', 'UpdateContactTextToSpeechVoice', restoreVoice, {
    next: 'LinkApology',
    onError: { NoMatchingError: 'LinkApology' },
  });
  flow.add(
    'LinkApology',
    'MessageParticipant',
    { Text: apology },
    { next: 'InvokeRouter', onError: { NoMatchingError: 'InvokeRouter' } },
  );
  flow.add(
    'RecordAskedForAgent',
    'UpdateContactAttributes',
    { Attributes: { [ORDER_ATTRIBUTES.outcome]: ORDER_OUTCOMES.agent } },
    { next: 'RestoreVoice', onError: { NoMatchingError: 'RestoreVoice' } },
  );
  flow.add('RestoreVoice', 'UpdateContactTextToSpeechVoice', restoreVoice, {
    next: 'InvokeRouter',
    onError: { NoMatchingError: 'InvokeRouter' },
  });
};
