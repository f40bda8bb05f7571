import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import { GetCommand, PutCommand } from '#adapters/dynamodb/document-client.js';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { DynamoSuppressionStore, keyedPhoneHash } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { phoneHash } from '#core/phone.js';
import type { DeadLetter } from '#core/ports.js';
import { createOptOutConsumer } from '#functions/customer-opt-out/consumer.js';
import { localDocumentClient, tableName } from '#test/support/dynamodb.js';
import { deliveredSample, sqsRecord } from '#test/support/events.js';

const client: LeanDocumentClient = localDocumentClient();
afterAll(() => client.destroy());

/** A unique phone per test, so tests sharing the table never see each other's items. */
let phoneCounter = 0;
const uniquePhone = () => `+4860${String(Date.now() % 1_000_000).padStart(6, '0')}${phoneCounter++ % 10}`;

describe('customer opt-out on DynamoDB Local', () => {
  let store: DynamoSuppressionStore;
  let deadLetters: DeadLetter[];
  let consume: ReturnType<typeof createOptOutConsumer>;
  const logs: unknown[] = [];

  beforeEach(() => {
    store = new DynamoSuppressionStore(client, tableName('suppression'), { key: LOCAL_PHONE_HASH_KEY });
    deadLetters = [];
    consume = createOptOutConsumer({
      store,
      deadLetters: { put: async (letter) => void deadLetters.push(letter) },
      retentionDays: 1095,
      log: (message, fields) => logs.push({ message, ...fields }),
      count: () => {},
    });
  });

  const optOutEvent = (phone: string, at: string) => {
    const event = deliveredSample('customer-opted-out');
    (event.detail.customer as { phone: string }).phone = phone;
    event.detail.at = at;
    return event;
  };

  /** Where the store keeps a phone: the keyed hash, under the key the store was built with. */
  const storedKey = (phone: string, key: Buffer = LOCAL_PHONE_HASH_KEY) =>
    keyedPhoneHash(key, phoneHash(phone));

  it('puts the keyed hash of the phone on the suppression list, with a TTL counted from the opt-out', async () => {
    // Prepare
    const phone = uniquePhone();
    const event = optOutEvent(phone, '2026-11-27T19:30:00+01:00');

    // Act
    await consume(sqsRecord(event));

    // Assess
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName('suppression'), Key: { phoneHash: storedKey(phone) } }),
    );
    expect(Item).toEqual({
      phoneHash: storedKey(phone),
      channel: 'sms',
      optedOutAt: '2026-11-27T18:30:00.000Z',
      sourceEventId: event.id,
      expiresAt: Date.parse('2026-11-27T18:30:00Z') / 1000 + 1095 * 86_400,
    });
    expect(JSON.stringify(Item)).not.toContain(phone.slice(3));
    expect(JSON.stringify(Item)).not.toContain(phoneHash(phone));
    expect(await store.isSuppressed(phoneHash(phone), new Date('2026-12-01T00:00:00Z'))).toBe(true);
  });

  it('keeps the later opt-out when an older event arrives after a newer one', async () => {
    // Prepare
    const phone = uniquePhone();
    await consume(sqsRecord(optOutEvent(phone, '2026-11-28T10:00:00Z')));

    // Act
    await consume(sqsRecord(optOutEvent(phone, '2026-01-01T10:00:00Z')));

    // Assess
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName('suppression'), Key: { phoneHash: storedKey(phone) } }),
    );
    expect(Item?.optedOutAt).toBe('2026-11-28T10:00:00.000Z');
  });

  it('treats an entry past its retention as gone before TTL removes it', async () => {
    // Prepare
    const phone = uniquePhone();
    await consume(sqsRecord(optOutEvent(phone, '2023-01-01T00:00:00Z')));

    // Act
    const suppressedNow = await store.isSuppressed(phoneHash(phone), new Date('2026-11-27T00:00:00Z'));

    // Assess
    expect(suppressedNow).toBe(false);
  });

  it('dead-letters a malformed opt-out with the reason and writes nothing', async () => {
    // Prepare
    const event = optOutEvent('601234567', '2026-11-27T19:30:00+01:00');

    // Act
    await consume(sqsRecord(event));

    // Assess
    expect(deadLetters).toHaveLength(1);
    expect(deadLetters[0]?.refusedBy).toBe('customer-opt-out');
    expect(deadLetters[0]?.reason).toContain('detail.customer.phone');
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName('suppression'), Key: { phoneHash: storedKey('601234567') } }),
    );
    expect(Item).toBeUndefined();
  });

  it('never logs the phone number in clear', async () => {
    // Prepare
    const phone = uniquePhone();
    logs.length = 0;

    // Act
    await consume(sqsRecord(optOutEvent(phone, '2026-11-27T19:30:00+01:00')));

    // Assess
    expect(logs).not.toHaveLength(0);
    expect(JSON.stringify(logs)).not.toContain(phone);
    expect(JSON.stringify(logs)).not.toContain(phone.slice(3, 9));
  });

  it('keys the same phone differently under two keys, and never by the plain digest', async () => {
    // Prepare
    const phone = uniquePhone();
    const otherKey = Buffer.from('another-stage-phone-hash-key-0123456789', 'utf8');
    const other = new DynamoSuppressionStore(client, tableName('suppression'), { key: otherKey });
    const at = new Date('2026-12-01T00:00:00Z');
    const entry = {
      phoneHash: phoneHash(phone),
      channel: 'sms' as const,
      optedOutAt: '2026-11-27T18:30:00.000Z',
      sourceEventId: 'opt-out-two-keys',
      expiresAt: Math.floor(Date.parse('2029-01-01T00:00:00Z') / 1000),
    };

    // Act
    await store.suppress(entry);

    // Assess: stored under this store's key only; the store under another key does not recognise it.
    expect(storedKey(phone)).not.toBe(storedKey(phone, otherKey));
    expect(storedKey(phone)).not.toContain(phoneHash(phone));
    const under = async (key: string) =>
      (await client.send(new GetCommand({ TableName: tableName('suppression'), Key: { phoneHash: key } })))
        .Item;
    expect(await under(storedKey(phone))).toBeDefined();
    expect(await under(phoneHash(phone))).toBeUndefined();
    expect(await under(storedKey(phone, otherKey))).toBeUndefined();
    expect(await store.isSuppressed(phoneHash(phone), at)).toBe(true);
    expect(await other.isSuppressed(phoneHash(phone), at)).toBe(false);
  });

  it('honours an entry written before the key existed only until the legacy window closes', async () => {
    // Prepare: an opt-out stored the old way, keyed by the plain digest.
    const phone = uniquePhone();
    await client.send(
      new PutCommand({
        TableName: tableName('suppression'),
        Item: {
          phoneHash: phoneHash(phone),
          channel: 'sms',
          optedOutAt: '2026-01-10T00:00:00.000Z',
          sourceEventId: 'legacy-opt-out',
          expiresAt: Math.floor(Date.parse('2029-01-10T00:00:00Z') / 1000),
        },
      }),
    );
    const migrating = new DynamoSuppressionStore(client, tableName('suppression'), {
      key: LOCAL_PHONE_HASH_KEY,
      legacyReadsUntil: new Date('2027-01-01T00:00:00Z'),
    });

    // Act
    const inWindow = await migrating.isSuppressed(phoneHash(phone), new Date('2026-12-01T00:00:00Z'));
    const afterWindow = await migrating.isSuppressed(phoneHash(phone), new Date('2027-01-02T00:00:00Z'));
    const withoutWindow = await store.isSuppressed(phoneHash(phone), new Date('2026-12-01T00:00:00Z'));

    // Assess
    expect(inWindow).toBe(true);
    expect(afterWindow).toBe(false);
    expect(withoutWindow).toBe(false);
  });
});
