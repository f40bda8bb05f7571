import { DeleteTableCommand, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORDER_ATTRIBUTES } from '#core/orders/types.js';
import { ORDER_VOICES } from '#core/orders/status-speech.js';
import { loadConfig } from '#infra/config/load.js';
import { FLOW_PROMPTS } from '#infra/constructs/connect/flows/prompts.js';
import type { CallAnswer } from '#local/calls.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import type { SmsRecord } from '#local/runtime/records.js';
import type { LocalStack } from '#local/stack.js';
import { eventBridgeClient, eventually, getJson, startTestStack } from '#test/support/local-stack.js';

const POLISH_CUSTOMER = '+48601234567';
const RUSSIAN_CUSTOMER = '+48512345678';
const UNKNOWN_CALLER = '+48609999999';
const ORDER = 'PL-2026-118734';
const RUSSIAN_ORDER = 'PL-2026-118790';
const TRACKING_URL = 'https://inpost.pl/sledzenie-przesylek?number=620123456789012345678901';
const say = FLOW_PROMPTS['pl-PL'];
/** The test stack's stage (test/support/local-stack.ts): the flow's greeting names its shop. */
const SHOP_NAME = loadConfig('dev').sms.shopName;

/** What the caller heard, as text or SSML. */
const heard = (call: CallAnswer): string[] =>
  call.prompts.map((p) => ('text' in p ? p.text : 'ssml' in p ? p.ssml : p.promptId));

describe('order status before the queue on the local stack: POST /api/calls plays the inbound flow', () => {
  let stack: LocalStack;
  let events: EventBridgeClient;
  let dynamo: DynamoDBClient;

  /** A customer of the shop, as the order events carry them. */
  const customer = (phone: string, locale: string) => ({
    customerId: `C-${phone.slice(-6)}`,
    phone,
    locale,
    timeZone: 'Europe/Warsaw',
    consent: { transactionalSms: true, marketingSms: false, callback: true },
  });

  /** An order placed an hour ago (virtual time) and shipped half an hour ago with InPost or DPD. */
  const placeAndShip = async (phone: string, locale: string, orderId: string, carrier: string) => {
    const now = stack.clock.nowMs();
    const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();
    const entry = (detailType: string, detail: Record<string, unknown>) => ({
      Source: 'shop',
      DetailType: detailType,
      EventBusName: 'peakline',
      Detail: JSON.stringify({ customer: customer(phone, locale), orderId, ...detail }),
    });
    const result = await events.send(
      new PutEventsCommand({
        Entries: [
          entry('OrderPlaced', {
            cartId: `cart-${orderId}`,
            total: { amount: 199.99, currency: 'PLN' },
            placedAt: at(60),
          }),
          entry('OrderStatusChanged', {
            status: 'SHIPPED',
            occurredAt: at(30),
            carrier,
            trackingUrl: TRACKING_URL,
          }),
        ],
      }),
    );
    expect(result.FailedEntryCount).toBe(0);
  };

  /** The order index's items: the events have reached it once both orders are there. */
  const indexedOrders = async () =>
    (await dynamo.send(new ScanCommand({ TableName: stack.tableNames.orders }))).Items?.length ?? 0;

  const trackingSms = () => stack.outbox.list().filter((sms: SmsRecord) => sms.kind === 'tracking');

  const postCall = (body: unknown) =>
    fetch(`${stack.dashboardUrl}/api/calls`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    // Functions may answer the flow ten times later than on AWS: a busy machine must not fail the lookup open.
    stack = await startTestStack({ functionTimeScale: 10 });
    events = eventBridgeClient(stack);
    dynamo = new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    await placeAndShip(POLISH_CUSTOMER, 'pl-PL', ORDER, 'InPost');
    await placeAndShip(RUSSIAN_CUSTOMER, 'ru-RU', RUSSIAN_ORDER, 'DPD');
    await eventually(stack, async () => expect(await indexedOrders()).toBe(2));
  });

  afterAll(async () => {
    events?.destroy();
    dynamo?.destroy();
    await stack?.stop();
  });

  it('tells a caller their order in Polish and, on 1, sends the tracking link by SMS: once per call', async () => {
    // Act
    const res = await postCall({ from: POLISH_CUSTOMER, keys: '1' });
    const first = (await res.json()) as CallAnswer;
    const afterFirst = trackingSms();
    const second = await stack.placeCall(POLISH_CUSTOMER, '1');

    // Assess: the greeting in the flow's voice, the status in the customer's, then the goodbye.
    expect(res.status).toBe(200);
    expect(first).toMatchObject({ outcome: 'sms-sent', keys: '1' });
    expect(first.prompts[0]).toEqual({ text: say.greeting(SHOP_NAME), voice: 'Ola' });
    const status = heard(first)[1] ?? '';
    expect(status).toContain('InPost');
    // The order is named by its last characters, said one by one.
    expect(status).toContain('<say-as interpret-as="characters">8734</say-as>');
    expect(status).toContain('Wysłaliśmy');
    expect(first.prompts[1]?.voice).toBe(ORDER_VOICES.pl.voice);
    expect(first.attributes).toMatchObject({
      [ORDER_ATTRIBUTES.orderId]: ORDER,
      [ORDER_ATTRIBUTES.status]: 'SHIPPED',
      [ORDER_ATTRIBUTES.carrier]: 'InPost',
      [ORDER_ATTRIBUTES.trackingUrl]: TRACKING_URL,
      [ORDER_ATTRIBUTES.outcome]: 'sms',
    });
    expect(afterFirst).toHaveLength(1);
    expect(afterFirst[0]?.body).toContain(TRACKING_URL);
    expect(afterFirst[0]?.to).not.toContain('601234567');
    expect(second.outcome).toBe('sms-sent');
    expect(trackingSms()).toHaveLength(2);
  });

  it('counts a caller who hangs up after the status as contained, and sends nothing', async () => {
    // Prepare
    const before = trackingSms().length;

    // Act
    const call = await stack.placeCall(POLISH_CUSTOMER, '');

    // Assess
    expect(call).toMatchObject({ outcome: 'contained', keys: '' });
    expect(call.attributes[ORDER_ATTRIBUTES.outcome]).toBe('told');
    expect(trackingSms()).toHaveLength(before);
    const stats = await getJson<{ orderStatus: { contained: number } }>(stack, '/api/stats');
    expect(stats.orderStatus.contained).toBeGreaterThanOrEqual(3);
  });

  it('queues a caller who presses 2 in the primary queue, with their order on the contact for the agent', async () => {
    // Act
    const call = await stack.placeCall(POLISH_CUSTOMER, '2');

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary', keys: '2' });
    expect(call.attributes).toMatchObject({
      [ORDER_ATTRIBUTES.orderId]: ORDER,
      [ORDER_ATTRIBUTES.status]: 'SHIPPED',
      [ORDER_ATTRIBUTES.outcome]: 'agent',
    });
  });

  it('sends an unknown caller to the primary queue with no status, as before', async () => {
    // Act
    const call = await stack.placeCall(UNKNOWN_CALLER, '1');

    // Assess: the key is never asked for, and no order attribute is set.
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary', keys: '' });
    expect(heard(call)).toEqual([say.greeting(SHOP_NAME)]);
    expect(call.attributes[ORDER_ATTRIBUTES.orderId]).toBeUndefined();
  });

  it("tells a Russian customer their order in Russian with Polly's Russian voice", async () => {
    // Act
    const call = await stack.placeCall(RUSSIAN_CUSTOMER, '');

    // Assess
    expect(call.outcome).toBe('contained');
    expect(call.prompts[1]?.voice).toBe('Tatyana');
    expect(heard(call)[1]).toContain('DPD');
    expect(heard(call)[1]).toMatch(/[А-Яа-я]/);
    expect(call.attributes[ORDER_ATTRIBUTES.language]).toBe('ru-RU');
  });

  it('answers 400 with the reason for a body that is not a call', async () => {
    // Act
    const noNumber = await postCall({ keys: '1' });
    const notE164 = await postCall({ from: '601234567' });
    const badKeys = await postCall({ from: POLISH_CUSTOMER, keys: '1a' });
    const notJson = await postCall('{"from": ');

    // Assess
    expect([noNumber.status, notE164.status, badKeys.status, notJson.status]).toEqual([400, 400, 400, 400]);
    expect(((await noNumber.json()) as { error: string }).error).toMatch(/^from: required/);
    expect(((await notE164.json()) as { error: string }).error).toContain('E.164');
    expect(((await badKeys.json()) as { error: string }).error).toContain('keys');
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
  });

  // Last: it drops the index.
  it('queues a customer as before when the order index is down', async () => {
    // Prepare
    await dynamo.send(new DeleteTableCommand({ TableName: stack.tableNames.orders }));

    // Act
    const call = await stack.placeCall(POLISH_CUSTOMER, '1');

    // Assess
    expect(call).toMatchObject({ outcome: 'queued', queue: 'primary', keys: '' });
    expect(heard(call)).toEqual([say.greeting(SHOP_NAME)]);
  });
});
