import type { ConnectContactFlowEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { FlowBuilder, type FlowAction, type FlowDocument } from '#infra/constructs/connect/flows/builder.js';
import { FLOW_PROMPTS } from '#infra/constructs/connect/flows/prompts.js';
import { inboundFlow } from '#infra/constructs/connect/flows/inbound.js';
import { ORDER_ATTRIBUTES } from '#core/orders/types.js';
import { type FlowWorld, FlowPlayError, playFlow } from '#local/flow-player.js';

const CALLER = '+48601234567';

/** A world that records what the flow asked of it; each function answers from `answers` by its ARN. */
const worldOf = (
  answers: Record<string, (event: ConnectContactFlowEvent) => unknown>,
  overrides: Partial<FlowWorld> = {},
) => {
  const invoked: { arn: string; parameters: Record<string, string>; attributes: Record<string, string> }[] =
    [];
  const transfers: string[] = [];
  const callbacks: { queue: string; phone: string }[] = [];
  const world: FlowWorld = {
    invoke: async (arn, event) => {
      invoked.push({
        arn,
        parameters: { ...(event.Details.Parameters as Record<string, string>) },
        attributes: { ...event.Details.ContactData.Attributes },
      });
      const answer = answers[arn];
      if (answer === undefined) throw new Error(`no function ${arn}`);
      return answer(event);
    },
    transfer: (queue) => {
      transfers.push(queue);
      return 'transferred';
    },
    createCallback: (queue, phone) => {
      callbacks.push({ queue, phone });
    },
    ...overrides,
  };
  return { world, invoked, transfers, callbacks };
};

const action = (
  Identifier: string,
  Type: string,
  Parameters: Record<string, unknown>,
  Transitions: FlowAction['Transitions'],
): FlowAction => ({ Identifier, Type, Parameters, Transitions });

const documentOf = (start: string, actions: FlowAction[]): FlowDocument => ({
  Version: '2019-10-30',
  StartAction: start,
  Actions: actions,
});

const hangUp = action('Bye', 'DisconnectParticipant', {}, {});

describe('playFlow on small hand-written flows', () => {
  it('says static and dynamic text in the voice set, reading $.External, $.Attributes and the caller', async () => {
    // Prepare: a flow that sets a voice, asks a function, stores its answer and reads it back three ways.
    type Id = 'Voice' | 'Ask' | 'Store' | 'DynamicVoice' | 'Static' | 'Path' | 'Embedded' | 'Ssml' | 'Bye';
    const flow = new FlowBuilder<Id>()
      .add(
        'Voice',
        'UpdateContactTextToSpeechVoice',
        { TextToSpeechVoice: 'Ola', TextToSpeechEngine: 'Neural' },
        { next: 'Ask' },
      )
      .add(
        'Ask',
        'InvokeLambdaFunction',
        {
          LambdaFunctionARN: 'fn:hello',
          InvocationTimeLimitSeconds: '3',
          LambdaInvocationAttributes: { who: '$.CustomerEndpoint.Address', kind: 'greeting' },
        },
        { next: 'Store' },
      )
      .add(
        'Store',
        'UpdateContactAttributes',
        { Attributes: { name: '$.External.name', fixed: 'yes' } },
        { next: 'Static' },
      )
      .add('Static', 'MessageParticipant', { Text: 'Dzień dobry.' }, { next: 'Path' })
      .add('Path', 'MessageParticipant', { Text: '$.External.sentence' }, { next: 'DynamicVoice' })
      .add(
        'DynamicVoice',
        'UpdateContactTextToSpeechVoice',
        { TextToSpeechVoice: '$.External.voice' },
        { next: 'Embedded' },
      )
      .add(
        'Embedded',
        'MessageParticipant',
        { Text: 'Hello $.Attributes.name, from $.CustomerEndpoint.Address.' },
        { next: 'Ssml' },
      )
      .add('Ssml', 'MessageParticipant', { SSML: '$.External.ssml' }, { next: 'Bye' })
      .end('Bye', 'DisconnectParticipant')
      .build('Voice', { layout: false });
    const { world, invoked } = worldOf({
      'fn:hello': () => ({
        name: 'Ada',
        sentence: 'Twoje zamówienie jest w drodze.',
        voice: 'Tatyana',
        ssml: '<speak>Hi</speak>',
      }),
    });

    // Act
    const call = await playFlow(flow, { contactId: 'c-1', from: CALLER }, world);

    // Assess
    expect(invoked).toEqual([
      { arn: 'fn:hello', parameters: { who: CALLER, kind: 'greeting' }, attributes: {} },
    ]);
    expect(call.prompts).toEqual([
      { text: 'Dzień dobry.', voice: 'Ola' },
      { text: 'Twoje zamówienie jest w drodze.', voice: 'Ola' },
      { text: `Hello Ada, from ${CALLER}.`, voice: 'Tatyana' },
      { ssml: '<speak>Hi</speak>', voice: 'Tatyana' },
    ]);
    expect(call.attributes).toEqual({ name: 'Ada', fixed: 'yes' });
    expect(call.outcome).toBe('disconnected');
  });

  it('takes one key per input: a digit follows its condition, "-" times out, another key matches nothing', async () => {
    // Prepare: a menu whose three error branches each say which way the caller went, then ask again.
    const menu = (id: string) =>
      action(
        id,
        'GetParticipantInput',
        { Text: `menu ${id}`, InputTimeLimitSeconds: '8', StoreInput: 'False' },
        {
          NextAction: 'Bye',
          Conditions: [{ NextAction: 'One', Condition: { Operator: 'Equals', Operands: ['1'] } }],
          Errors: [
            { NextAction: 'Silence', ErrorType: 'InputTimeLimitExceeded' },
            { NextAction: 'Other', ErrorType: 'NoMatchingCondition' },
            { NextAction: 'Bye', ErrorType: 'NoMatchingError' },
          ],
        },
      );
    const say = (id: string, then: string) =>
      action(id, 'MessageParticipant', { Text: id }, { NextAction: then });
    const flow = documentOf('Menu', [
      menu('Menu'),
      menu('Again'),
      say('One', 'Bye'),
      say('Silence', 'Again'),
      say('Other', 'Again'),
      hangUp,
    ]);
    const { world } = worldOf({});

    // Act
    const silentThenOne = await playFlow(flow, { contactId: 'c', from: CALLER, keys: '-1' }, world);
    const wrongThenHangUp = await playFlow(flow, { contactId: 'c', from: CALLER, keys: '7' }, world);
    const noKeys = await playFlow(flow, { contactId: 'c', from: CALLER }, world);

    // Assess
    expect(silentThenOne.prompts.map((p) => ('text' in p ? p.text : ''))).toEqual([
      'menu Menu',
      'Silence',
      'menu Again',
      'One',
    ]);
    expect(silentThenOne).toMatchObject({ keys: '-1', outcome: 'disconnected' });
    expect(wrongThenHangUp.actions).toEqual(['Menu', 'Other', 'Again']);
    expect(wrongThenHangUp).toMatchObject({ keys: '7', outcome: 'hung-up' });
    expect(noKeys).toMatchObject({ keys: '', outcome: 'hung-up', actions: ['Menu'] });
  });

  it('takes the error branch when a function throws or answers after its time limit, and forgets the last answer', async () => {
    // Prepare: a function whose answer is read after it; its error branch reads the same value.
    const flow = documentOf('Ask', [
      action(
        'Ask',
        'InvokeLambdaFunction',
        { LambdaFunctionARN: 'fn:slow', InvocationTimeLimitSeconds: '2' },
        { NextAction: 'Check', Errors: [{ NextAction: 'Check', ErrorType: 'NoMatchingError' }] },
      ),
      action(
        'Check',
        'Compare',
        { ComparisonValue: '$.External.ok' },
        {
          NextAction: 'Failed',
          Conditions: [{ NextAction: 'Fine', Condition: { Operator: 'Equals', Operands: ['true'] } }],
          Errors: [{ NextAction: 'Failed', ErrorType: 'NoMatchingCondition' }],
        },
      ),
      action('Fine', 'MessageParticipant', { Text: 'fine' }, { NextAction: 'Bye' }),
      action('Failed', 'MessageParticipant', { Text: 'failed' }, { NextAction: 'Bye' }),
      hangUp,
    ]);
    const asked: number[] = [];
    const never = new Promise<never>(() => undefined);
    const answers = {
      answers: worldOf({ 'fn:slow': () => ({ ok: 'true' }) }).world,
      throws: worldOf({
        'fn:slow': () => {
          throw new Error('boom');
        },
      }).world,
      // The caller's time limit is reached before the function answers.
      late: worldOf(
        { 'fn:slow': () => never },
        {
          timeLimit: async (seconds) => {
            asked.push(seconds);
          },
        },
      ).world,
      notAMap: worldOf({ 'fn:slow': () => ({ ok: { nested: true } }) }).world,
    };

    // Act
    const said = async (world: FlowWorld) =>
      (await playFlow(flow, { contactId: 'c', from: CALLER }, world)).prompts.map((p) =>
        'text' in p ? p.text : '',
      );

    // Assess
    expect(await said(answers.answers)).toEqual(['fine']);
    expect(await said(answers.throws)).toEqual(['failed']);
    expect(await said(answers.late)).toEqual(['failed']);
    expect(asked).toEqual([2]);
    expect(await said(answers.notAMap)).toEqual(['failed']);
  });

  it('queues into the working queue, overflows on QueueAtCapacity, and creates a callback on the caller number', async () => {
    // Prepare
    const flow = documentOf('SetQueue', [
      action('SetQueue', 'UpdateContactTargetQueue', { QueueId: 'primary' }, { NextAction: 'Transfer' }),
      action(
        'Transfer',
        'TransferContactToQueue',
        {},
        {
          NextAction: 'Bye',
          Errors: [
            { NextAction: 'CallbackNumber', ErrorType: 'QueueAtCapacity' },
            { NextAction: 'Bye', ErrorType: 'NoMatchingError' },
          ],
        },
      ),
      action(
        'CallbackNumber',
        'UpdateContactCallbackNumber',
        { CallbackNumber: '$.CustomerEndpoint.Address' },
        { NextAction: 'Callback', Errors: [{ NextAction: 'Bye', ErrorType: 'InvalidCallbackNumber' }] },
      ),
      action('Callback', 'CreateCallbackContact', { QueueId: 'callback' }, { NextAction: 'Bye' }),
      hangUp,
    ]);
    const open = worldOf({});
    const full = worldOf({}, { transfer: () => 'at-capacity' });

    // Act
    const queued = await playFlow(flow, { contactId: 'c', from: CALLER }, open.world);
    const calledBack = await playFlow(flow, { contactId: 'c', from: CALLER }, full.world);
    const withheld = await playFlow(flow, { contactId: 'c', from: '' }, full.world);

    // Assess
    expect(queued).toMatchObject({ outcome: 'queued', queue: 'primary' });
    expect(open.transfers).toEqual(['primary']);
    expect(calledBack).toMatchObject({ outcome: 'callback', queue: 'callback' });
    expect(full.callbacks).toEqual([{ queue: 'callback', phone: CALLER }]);
    expect(withheld.outcome).toBe('disconnected');
  });

  it('refuses a loop, an unknown action type, a missing action and an error without a branch, naming them', async () => {
    // Prepare
    const loop = documentOf('A', [
      action('A', 'MessageParticipant', { Text: 'a' }, { NextAction: 'B' }),
      action('B', 'MessageParticipant', { Text: 'b' }, { NextAction: 'A' }),
    ]);
    const unknownType = documentOf('A', [action('A', 'PlayJingle', {}, { NextAction: 'Bye' }), hangUp]);
    const missing = documentOf('A', [
      action('A', 'MessageParticipant', { Text: 'a' }, { NextAction: 'Nowhere' }),
    ]);
    const noBranch = documentOf('A', [
      action('A', 'UpdateContactTargetQueue', { QueueId: '$.External.queueArn' }, { NextAction: 'Bye' }),
      hangUp,
    ]);
    const { world } = worldOf({});
    const play = (flow: FlowDocument) => playFlow(flow, { contactId: 'c', from: CALLER }, world);

    // Act / Assess
    await expect(play(loop)).rejects.toThrow(/played 200 actions without ending/);
    await expect(play(unknownType)).rejects.toThrow(
      new FlowPlayError('A: the action type PlayJingle is not played'),
    );
    await expect(play(missing)).rejects.toThrow(/no action Nowhere/);
    await expect(play(noBranch)).rejects.toThrow(
      /A failed \(NoMatchingError: QueueId: \$\.External\.queueArn is not set\)/,
    );
    await expect(playFlow(loop, { contactId: 'c', from: CALLER, keys: '1x' }, world)).rejects.toThrow(
      /keys "1x"/,
    );
  });
});

const QUEUES = { primary: 'primary', secondLine: 'secondLine', callback: 'callback' } as const;
const ROUTER = 'local:function:overflow-router';
const ORDER_STATUS = 'local:function:order-status';
const DEFLECTION_SMS = 'local:function:deflection-sms';
const say = FLOW_PROMPTS['pl-PL'];

const inbound = (options: { orderStatus?: boolean; requestSms?: boolean } = {}) =>
  inboundFlow({
    queueArns: QUEUES,
    routerFunctionArn: ROUTER,
    customerQueueFlowArn: 'local:flow:customer-queue',
    ...(options.requestSms ? { requestSms: { functionArn: DEFLECTION_SMS, withBonusCode: false } } : {}),
    ...(options.orderStatus ? { orderStatus: { functionArn: ORDER_STATUS, timeoutSeconds: 3 } } : {}),
  });

const routeTo =
  (mode: string, queueArn = 'primary') =>
  () => ({ mode, queueArn, queueKey: queueArn });

/** What the lookup answers for an order in progress of a Russian customer, as the contract shapes it. */
const FOUND = {
  found: 'true',
  voice: 'Tatyana',
  engine: 'Standard',
  language: 'ru-RU',
  statusSsml: '<speak>Ваш заказ 0042 отправлен. Нажмите 1, нажмите 2.</speak>',
  linkOffered: 'true',
  orderId: 'ORD-0042',
  status: 'SHIPPED',
  changedAt: '2026-11-27T16:00:00.000Z',
  carrier: 'InPost',
  trackingUrl: 'https://track.example/0042',
  estimatedDelivery: '2026-11-29',
};

const orderStatusFunction =
  (sendLink: () => unknown, lookup: () => unknown = () => FOUND) =>
  (event: ConnectContactFlowEvent) =>
    event.Details.Parameters.action === 'lookup' ? lookup() : sendLink();

/** A caller's time limit reached at the first invocation only (the lookup), never later (the router). */
const firstLimitReached = () => {
  let reached = false;
  return () => (reached ? new Promise<void>(() => undefined) : ((reached = true), Promise.resolve()));
};

const texts = (prompts: readonly { voice: string }[]) =>
  prompts.map((p) => ('text' in p ? p.text : 'ssml' in p ? p.ssml : ''));

describe('playFlow on the inbound flow inboundFlow() writes', () => {
  const play = (flow: FlowDocument, world: FlowWorld, keys = '') =>
    playFlow(flow, { contactId: 'c-1', from: CALLER, keys }, world);

  it.each([
    ['NORMAL', routeTo('NORMAL'), 'primary'],
    ['OVERFLOW to the second line', routeTo('OVERFLOW', 'secondLine'), 'secondLine'],
    [
      'a router that throws (fail open)',
      () => {
        throw new Error('router down');
      },
      'primary',
    ],
    ['an unknown mode', routeTo('PANIC', 'secondLine'), 'primary'],
    ['no queue in the answer', () => ({ mode: 'NORMAL' }), 'primary'],
  ])('queues the caller where the router says: %s', async (_name, router, queue) => {
    // Prepare
    const { world, transfers } = worldOf({ [ROUTER]: router });

    // Act
    const call = await play(inbound(), world);

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue, keys: '' });
    expect(transfers).toEqual([queue]);
    expect(call.prompts).toEqual([{ text: say.greeting(), voice: say.voice.voice }]);
  });

  it.each([
    ['1: keeps waiting', '1', { outcome: 'queued', queue: 'primary' }, { peaklineDeflection: 'wait' }],
    ['2: a callback', '2', { outcome: 'callback', queue: 'callback' }, { peaklineDeflection: 'callback' }],
    ['3: the request link by SMS', '3', { outcome: 'sms-sent' }, { peaklineDeflection: 'sms' }],
    ['silence twice: keeps their place', '--', { outcome: 'queued', queue: 'primary' }, {}],
    [
      'a wrong key, then 2',
      '92',
      { outcome: 'callback', queue: 'callback' },
      { peaklineDeflection: 'callback' },
    ],
    ['hangs up at the menu', '', { outcome: 'hung-up' }, {}],
  ])('offers the DEFLECT menu: %s', async (_name, keys, outcome, attributes) => {
    // Prepare
    const { world, callbacks } = worldOf({
      [ROUTER]: routeTo('DEFLECT'),
      [DEFLECTION_SMS]: () => ({ sent: 'true' }),
    });

    // Act
    const call = await play(inbound({ requestSms: true }), world, keys);

    // Assess
    expect(call).toMatchObject({ ...outcome, keys });
    expect(call.attributes).toEqual({ peaklineRoutingMode: 'DEFLECT', ...attributes });
    expect(callbacks).toEqual(outcome.outcome === 'callback' ? [{ queue: 'callback', phone: CALLER }] : []);
  });

  it('queues a deflected caller whose SMS was not sent, after saying so', async () => {
    // Prepare
    const { world } = worldOf({ [ROUTER]: routeTo('DEFLECT'), [DEFLECTION_SMS]: () => ({ sent: 'false' }) });

    // Act
    const call = await play(inbound({ requestSms: true }), world, '3');

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary' });
    expect(texts(call.prompts).at(-1)).toBe(say.smsFailed);
  });

  it('tells a known caller the status in their voice and sets the order on the contact; hanging up then is contained', async () => {
    // Prepare
    const { world, invoked } = worldOf({
      [ORDER_STATUS]: orderStatusFunction(() => ({ sent: 'true' })),
      [ROUTER]: routeTo('NORMAL'),
    });

    // Act
    const call = await play(inbound({ orderStatus: true }), world, '');

    // Assess
    expect(call.outcome).toBe('contained');
    expect(call.prompts).toEqual([
      { text: say.greeting(), voice: 'Ola' },
      { ssml: FOUND.statusSsml, voice: 'Tatyana' },
    ]);
    expect(call.attributes).toEqual({
      [ORDER_ATTRIBUTES.orderId]: 'ORD-0042',
      [ORDER_ATTRIBUTES.status]: 'SHIPPED',
      [ORDER_ATTRIBUTES.changedAt]: FOUND.changedAt,
      [ORDER_ATTRIBUTES.carrier]: 'InPost',
      [ORDER_ATTRIBUTES.trackingUrl]: FOUND.trackingUrl,
      [ORDER_ATTRIBUTES.estimatedDelivery]: '2026-11-29',
      [ORDER_ATTRIBUTES.language]: 'ru-RU',
      [ORDER_ATTRIBUTES.outcome]: 'told',
    });
    expect(invoked.map((i) => i.parameters)).toEqual([{ action: 'lookup' }]);
  });

  it('sends the tracking link on 1 and says goodbye in the caller voice: sms-sent, never queued', async () => {
    // Prepare
    const goodbye = '<speak>Ссылка отправлена.</speak>';
    const { world, invoked, transfers } = worldOf({
      [ORDER_STATUS]: orderStatusFunction(() => ({ sent: 'true', ssml: goodbye, reason: '' })),
      [ROUTER]: routeTo('NORMAL'),
    });

    // Act
    const call = await play(inbound({ orderStatus: true }), world, '1');

    // Assess
    expect(call).toMatchObject({ outcome: 'sms-sent', keys: '1' });
    expect(call.prompts.at(-1)).toEqual({ ssml: goodbye, voice: 'Tatyana' });
    expect(call.attributes[ORDER_ATTRIBUTES.outcome]).toBe('sms');
    expect(invoked.map((i) => i.parameters.action)).toEqual(['lookup', 'send-link']);
    expect(invoked[1]?.attributes[ORDER_ATTRIBUTES.orderId]).toBe('ORD-0042');
    expect(transfers).toEqual([]);
  });

  it.each([
    [
      'the link was not sent: the function apology, then the queue in the flow voice',
      () => ({ sent: 'false', ssml: '<speak>Не удалось.</speak>', reason: 'no-consent' }),
      [{ ssml: '<speak>Не удалось.</speak>', voice: 'Tatyana' }],
    ],
    [
      'the send-link function failed: the flow own apology in the flow voice',
      () => {
        throw new Error('queue down');
      },
      [{ text: say.trackingLinkFailed, voice: 'Ola' }],
    ],
  ])('queues the caller when %s', async (_name, sendLink, apology) => {
    // Prepare
    const { world } = worldOf({ [ORDER_STATUS]: orderStatusFunction(sendLink), [ROUTER]: routeTo('NORMAL') });

    // Act
    const call = await play(inbound({ orderStatus: true }), world, '1');

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary' });
    expect(call.prompts.slice(2)).toEqual(apology);
    expect(call.attributes[ORDER_ATTRIBUTES.outcome]).toBe('told');
  });

  it.each([
    ['2: an adviser', '2', 'agent'],
    ['silence', '-', 'told'],
    ['a key not offered', '7', 'told'],
  ])('queues a known caller who presses %s, with the order on the contact', async (_name, keys, outcome) => {
    // Prepare
    const { world } = worldOf({
      [ORDER_STATUS]: orderStatusFunction(() => ({ sent: 'true' })),
      [ROUTER]: routeTo('DEFLECT'),
    });

    // Act: the router then deflects, and the caller (out of keys) hangs up at its menu unless queued before
    const call = await play(inbound({ orderStatus: true }), world, `${keys}1`);

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary', keys: `${keys}1` });
    expect(call.attributes).toMatchObject({
      [ORDER_ATTRIBUTES.orderId]: 'ORD-0042',
      [ORDER_ATTRIBUTES.outcome]: outcome,
      peaklineRoutingMode: 'DEFLECT',
    });
    // The router's menu is said in the flow's voice again.
    expect(call.prompts.at(-2)).toEqual({ text: say.deflectionMenu(), voice: 'Ola' });
  });

  it('does not offer the link for an order without one: 1 then goes to the queue', async () => {
    // Prepare
    const { world, invoked } = worldOf({
      [ORDER_STATUS]: orderStatusFunction(
        () => ({ sent: 'true' }),
        () => ({ ...FOUND, linkOffered: 'false', trackingUrl: '' }),
      ),
      [ROUTER]: routeTo('NORMAL'),
    });

    // Act
    const call = await play(inbound({ orderStatus: true }), world, '1');

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary' });
    expect(invoked.map((i) => i.parameters.action ?? i.parameters.queue)).toEqual(['lookup', 'primary']);
  });

  it.each([
    ['an unknown caller', () => ({ ...FOUND, found: 'false', statusSsml: '' }), {}],
    [
      'a lookup that throws',
      () => {
        throw new Error('index down');
      },
      {},
    ],
    [
      'a lookup slower than its limit',
      () => new Promise<never>(() => undefined),
      { timeLimit: firstLimitReached() },
    ],
  ])(
    'sends %s to the router exactly as before: no status, no order attributes',
    async (_name, lookup, overrides) => {
      // Prepare
      const { world } = worldOf(
        {
          [ORDER_STATUS]: orderStatusFunction(() => ({ sent: 'true' }), lookup),
          [ROUTER]: routeTo('NORMAL'),
        },
        overrides,
      );

      // Act
      const call = await play(inbound({ orderStatus: true }), world, '1');

      // Assess
      expect(call).toMatchObject({ outcome: 'queued', queue: 'primary', keys: '' });
      expect(call.prompts).toEqual([{ text: say.greeting(), voice: 'Ola' }]);
      expect(call.attributes).toEqual({ peaklineRoutingMode: 'NORMAL' });
    },
  );

  it('sends a caller to the router with no order attribute when the lookup answer lacks a key the flow reads', async () => {
    // Prepare: an answer without the carrier, which the contract says is always present.
    const { carrier: _carrier, ...incomplete } = FOUND;
    const { world } = worldOf({
      [ORDER_STATUS]: orderStatusFunction(
        () => ({ sent: 'true' }),
        () => incomplete,
      ),
      [ROUTER]: routeTo('NORMAL'),
    });

    // Act
    const call = await play(inbound({ orderStatus: true }), world, '1');

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary', keys: '' });
    expect(call.attributes).toEqual({ peaklineRoutingMode: 'NORMAL' });
  });

  it('queues a known caller in the primary queue when the router throws after the status', async () => {
    // Prepare
    const { world } = worldOf({
      [ORDER_STATUS]: orderStatusFunction(() => ({ sent: 'true' })),
      [ROUTER]: () => {
        throw new Error('router down');
      },
    });

    // Act
    const call = await play(inbound({ orderStatus: true }), world, '2');

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary' });
    expect(call.attributes[ORDER_ATTRIBUTES.outcome]).toBe('agent');
  });
});
