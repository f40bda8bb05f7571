import { randomUUID } from 'node:crypto';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { DynamoOrderLedger } from '#adapters/dynamodb/order-ledger.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { sdkSnsPublish } from '#adapters/sns/sdk-publish.js';
import { SnsSmsSender } from '#adapters/sns/sms-sender.js';
import { phoneHash } from '#core/phone.js';
import type { DeflectionSmsDeps } from '#core/sms/deflection-sms.js';
import { answerDeflection } from '#functions/deflection-sms/answer.js';
import { drainDeflections } from '#functions/deflection-sms-sender/drain.js';
import invocation from '#test/fixtures/connect/deflection-invocation.json' with { type: 'json' };
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';

const documents = localDocumentClient();
const sns = mockClient(SNSClient);
afterAll(() => documents.destroy());
afterEach(() => sns.reset());

/** Black Friday, 21:30 in Warsaw: inside the default quiet hours, which a requested SMS ignores. */
const NOW = new Date('2026-11-27T20:30:00Z');

/** Connect's invocation from the inbound flow, cloned per test with a fresh contact and number. */
const callFrom = (phone: string, contactId = randomUUID()): ConnectContactFlowEvent => {
  const event = structuredClone(invocation) as unknown as ConnectContactFlowEvent;
  (event.Details.ContactData as { ContactId: string }).ContactId = contactId;
  (event.Details.ContactData.CustomerEndpoint as { Address: string }).Address = phone;
  return event;
};

/** A Polish mobile number of its own per test, so the shared tables do not mix tests. */
const mobile = () => `+4860${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;

const world = (settings: Partial<DeflectionSmsDeps['settings']> = {}) => {
  const published: { detailType: string; detail: Record<string, unknown> }[] = [];
  const logs: { message: string; fields: Record<string, unknown> }[] = [];
  const clock = { now: () => NOW };
  const deps: DeflectionSmsDeps = {
    clock,
    ledger: new DynamoOrderLedger(documents, tableName('ledger'), 30, clock.now),
    suppression: new DynamoSuppressionStore(documents, tableName('suppression'), {
      key: LOCAL_PHONE_HASH_KEY,
    }),
    sender: new SnsSmsSender(sdkSnsPublish(new SNSClient({ region: 'eu-central-1' })), {
      senderId: 'PeakShop',
      partsPerSecond: 1_000,
    }),
    events: { publish: async (detailType, detail) => void published.push({ detailType, detail }) },
    settings: {
      shopName: 'Sklep Peak',
      requestUrl: 'https://sklep.example.pl/kontakt',
      bonusCode: 'PEAK10',
      segmentCap: 3,
      dailySegmentCap: 10_000,
      fallbackTimeZone: 'Europe/Warsaw',
      ...settings,
    },
  };
  const record = {
    log: (message: string, fields: Record<string, unknown>) => void logs.push({ message, fields }),
    count: () => {},
  };
  return { deps, published, logs, record };
};

describe('the deflection SMS, answered to the inbound flow', () => {
  it('sends the request link and the bonus code in the caller’s language, once per call', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const w = world();
    const phone = mobile();
    const event = callFrom(phone);

    // Act
    const first = await answerDeflection(event, w.deps, w.record);
    const retried = await answerDeflection(structuredClone(event), w.deps, w.record);

    // Assert
    expect(first).toEqual({ sent: 'true' });
    expect(retried).toEqual({ sent: 'false', reason: 'already-sent' });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      PhoneNumber: phone,
      Message:
        'Sklep Peak: dziękujemy, że nie czekasz na linii. Zostaw nam wiadomość tutaj: https://sklep.example.pl/kontakt - odpiszemy najszybciej, jak się da. Kod PEAK10 to mały rabat na kolejne zakupy.',
      MessageAttributes: {
        'AWS.SNS.SMS.SMSType': { DataType: 'String', StringValue: 'Transactional' },
        'AWS.SNS.SMS.SenderID': { DataType: 'String', StringValue: 'PeakShop' },
      },
    });
    expect(w.published.map((p) => p.detailType)).toEqual(['SmsSent', 'SmsSuppressed']);
    expect(w.published[0]?.detail).toMatchObject({
      kind: 'deflection',
      to: expect.stringMatching(/^\+48\*+\d{4}$/),
    });
    expect(JSON.stringify(w.logs)).not.toContain(phone);
  });

  it('sends nothing to a number on the suppression list', async () => {
    // Prepare
    const w = world();
    const phone = mobile();
    await w.deps.suppression.suppress({
      phoneHash: phoneHash(phone),
      channel: 'sms',
      optedOutAt: '2026-11-01T10:00:00Z',
      sourceEventId: 'e-1',
      expiresAt: Math.floor(NOW.getTime() / 1000) + 86_400,
    });

    // Act
    const answer = await answerDeflection(callFrom(phone), w.deps, w.record);

    // Assert
    expect(answer).toEqual({ sent: 'false', reason: 'opted-out' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('sends nothing to a landline, and tells the flow so', async () => {
    // Act
    const answer = await answerDeflection(callFrom('+48221234567'), world().deps, world().record);

    // Assert
    expect(answer).toEqual({ sent: 'false', reason: 'not-mobile' });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('answers "not sent" instead of failing the flow when SNS throttles', async () => {
    // Prepare
    sns.on(PublishCommand).rejects(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }));
    const w = world();

    // Act
    const answer = await answerDeflection(callFrom(mobile()), w.deps, w.record);

    // Assert
    expect(answer).toEqual({ sent: 'false', reason: 'error' });
    expect(w.logs.at(-1)?.message).toBe('deflection SMS failed');
  });

  it('uses the short wording when the full one is over the segment cap, keeping link and code whole', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-2' });
    const w = world({ segmentCap: 1 });

    // Act
    await answerDeflection(callFrom(mobile()), w.deps, w.record);

    // Assert
    expect(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message).toBe(
      'Sklep Peak: zostaw wiadomość: https://sklep.example.pl/kontakt Kod rabatowy: PEAK10',
    );
  });
});

describe('the deflection SMS sender, draining a burst from its queue (issue 11, defect 7)', () => {
  it('sends one SMS per queued request, and none again when the queue delivers them twice', async () => {
    // Prepare: twelve callers pressed 3 within the same second
    let published = 0;
    sns.on(PublishCommand).callsFake(async () => ({ MessageId: `m-${++published}` }));
    const w = world();
    const records = Array.from({ length: 12 }, (_, i) => ({
      messageId: `sqs-${i}`,
      body: JSON.stringify({ contactId: randomUUID(), phone: mobile(), locale: 'pl-PL' }),
    }));

    // Act: two senders take overlapping halves, then SQS delivers every message once more
    const [first, second] = await Promise.all([
      drainDeflections(records.slice(0, 7), w.deps, w.record),
      drainDeflections(records.slice(5), w.deps, w.record),
    ]);
    const again = await drainDeflections(records, w.deps, w.record);

    // Assess
    expect([first, second, again]).toEqual([
      { batchItemFailures: [] },
      { batchItemFailures: [] },
      { batchItemFailures: [] },
    ]);
    const to = sns.commandCalls(PublishCommand).map((c) => c.args[0].input.PhoneNumber);
    expect(to).toHaveLength(12);
    expect(new Set(to).size).toBe(12);
  });

  it('hands a throttled request back to the queue, and the retry sends it: the caller gets the SMS once', async () => {
    // Prepare: SNS throttles the first try (it took nothing), then takes it
    sns
      .on(PublishCommand)
      .rejectsOnce(Object.assign(new Error('Rate exceeded'), { name: 'ThrottledException' }))
      .resolves({ MessageId: 'm-retry' });
    const w = world();
    const record = {
      messageId: 'sqs-retry',
      body: JSON.stringify({ contactId: randomUUID(), phone: mobile() }),
    };

    // Act
    const failed = await drainDeflections([record], w.deps, w.record);
    const retried = await drainDeflections([record], w.deps, w.record);
    const again = await drainDeflections([record], w.deps, w.record);

    // Assess: sent on the retry, and never a second time
    expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-retry' }] });
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(again).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(w.published.filter((p) => p.detailType === 'SmsSent').map((p) => p.detail.messageId)).toEqual([
      'm-retry',
    ]);
  });

  it('never sends again after SNS may have taken it (its answer lost)', async () => {
    // Prepare: a 5xx: SNS may have taken the SMS
    sns.on(PublishCommand).rejectsOnce(
      Object.assign(new Error('Internal error'), {
        name: 'InternalErrorException',
        $metadata: { httpStatusCode: 500 },
      }),
    );
    const w = world();
    const record = {
      messageId: 'sqs-lost',
      body: JSON.stringify({ contactId: randomUUID(), phone: mobile() }),
    };

    // Act
    const failed = await drainDeflections([record], w.deps, w.record);
    const retried = await drainDeflections([record], w.deps, w.record);

    // Assess
    expect(failed).toEqual({ batchItemFailures: [{ itemIdentifier: 'sqs-lost' }] });
    expect(retried).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it('does not fail a sent SMS when the bus is down: SmsSent waits in the ledger for the sweeper', async () => {
    // Prepare
    sns.on(PublishCommand).resolves({ MessageId: 'm-bus-down' });
    const w = world();
    const contactId = randomUUID();
    const deps: DeflectionSmsDeps = {
      ...w.deps,
      events: {
        publish: async () => {
          throw new Error('EventBridge InternalException');
        },
      },
    };
    const record = { messageId: 'sqs-bus', body: JSON.stringify({ contactId, phone: mobile() }) };

    // Act
    const result = await drainDeflections([record], deps, w.record);
    const ledger = new DynamoOrderLedger(documents, tableName('ledger'), 30, () => NOW);
    const pending = await ledger.dueAnnouncements(new Date(NOW.getTime() + 10 * 60_000), 300, 1_000);

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(pending.filter((p) => p.detail.contactId === contactId)).toMatchObject([
      { detailType: 'SmsSent', detail: { messageId: 'm-bus-down', kind: 'deflection' } },
    ]);
  });
});
