/**
 * Facts for tests: the events peakline (and the shop) put on the bus, built from a short description, and a
 * private facts table on the run's DynamoDB Local to record them into through the real mapping and store.
 *
 * The events carry what the real ones carry, personal fields included (a masked `to`, the customer's id, the
 * shop's customer with a phone in clear), so a test can check none of it reaches the table.
 */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DocumentClient } from '#adapters/dynamodb/document-client.js';
import { inject } from 'vitest';
import { DynamoFactStore } from '#adapters/dynamodb/fact-store.js';
import { TABLES, toCreateTableInput } from '#adapters/dynamodb/tables.js';
import { factOf } from '#core/reporting/fact-events.js';
import { PEAKLINE_SOURCE } from '#events/index.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { localDocumentClient } from '#test/support/dynamodb.js';
import type { DeliveredEvent } from '#test/support/events.js';

/** The shop's source in these events. */
export const FIXTURE_SHOP_SOURCE = 'shop';

/** A fact as a test describes it; `at` is any ISO-8601 instant with an offset. */
export type FixtureFact =
  | {
      readonly type: 'SmsSent';
      readonly at: string;
      readonly kind: string;
      readonly status?: string;
      readonly parts: number;
      /** @default a fresh UUID */
      readonly messageId?: string;
    }
  | {
      readonly type: 'SmsSuppressed';
      readonly at: string;
      readonly kind: string;
      readonly status?: string;
      readonly reason: string;
      /** What tells this suppression from another. @default a fresh order id */
      readonly orderId?: string;
    }
  | { readonly type: 'CallbackScheduled'; readonly at: string; readonly cartId: string }
  | {
      readonly type: 'CallbackCreated';
      readonly at: string;
      readonly cartId: string;
      readonly cartValue: number;
      /** ISO 4217. @default 'PLN' */
      readonly currency?: string;
      /** The order came while the task was being made. @default false */
      readonly lateOrder?: boolean;
    }
  | {
      readonly type: 'CallbackCancelled';
      readonly at: string;
      readonly cartId: string;
      readonly reason: string;
    }
  | { readonly type: 'OrderPlaced'; readonly at: string; readonly cartId: string; readonly orderId?: string };

/** The phone and customer the events are about: what must never be stored. */
export const FIXTURE_PHONE = '+48601234567';
export const FIXTURE_MASKED_PHONE = '+48******4567';
export const FIXTURE_CUSTOMER_ID = 'C-1048213';

const customer = {
  customerId: FIXTURE_CUSTOMER_ID,
  phone: FIXTURE_PHONE,
  locale: 'pl-PL',
  timeZone: 'Europe/Warsaw',
  consent: { transactionalSms: true, marketingSms: true, callback: true },
};

const detailOf = (fact: FixtureFact): { source: string; detail: Record<string, unknown> } => {
  const own = (detail: Record<string, unknown>) => ({ source: PEAKLINE_SOURCE, detail });
  switch (fact.type) {
    case 'SmsSent':
      return own({
        orderId: `PL-${randomUUID()}`,
        ...(fact.status === undefined ? {} : { status: fact.status }),
        kind: fact.kind,
        to: FIXTURE_MASKED_PHONE,
        segments: fact.parts,
        encoding: 'GSM-7',
        messageId: fact.messageId ?? randomUUID(),
        sentAt: fact.at,
      });
    case 'SmsSuppressed':
      return own({
        orderId: fact.orderId ?? `PL-${randomUUID()}`,
        ...(fact.status === undefined ? {} : { status: fact.status }),
        kind: fact.kind,
        to: FIXTURE_MASKED_PHONE,
        reason: fact.reason,
      });
    case 'CallbackScheduled':
      return own({
        cartId: fact.cartId,
        customerId: FIXTURE_CUSTOMER_ID,
        to: FIXTURE_MASKED_PHONE,
        cartValue: { amount: 100, currency: 'PLN' },
        items: 2,
        outOfStock: 0,
        abandonedAt: fact.at,
        dueAt: fact.at,
        scheduledAt: fact.at,
      });
    case 'CallbackCreated':
      return own({
        cartId: fact.cartId,
        customerId: FIXTURE_CUSTOMER_ID,
        to: FIXTURE_MASKED_PHONE,
        cartValue: { amount: fact.cartValue, currency: fact.currency ?? 'PLN' },
        abandonedAt: fact.at,
        scheduledFor: fact.at,
        postponements: 0,
        contactId: randomUUID(),
        queueId: 'callback',
        ...(fact.lateOrder ? { lateOrderId: `PL-${randomUUID()}` } : {}),
        createdAt: fact.at,
        items: 2,
        outOfStock: 0,
      });
    case 'CallbackCancelled':
      return own({
        cartId: fact.cartId,
        customerId: FIXTURE_CUSTOMER_ID,
        to: FIXTURE_MASKED_PHONE,
        cartValue: { amount: 100, currency: 'PLN' },
        abandonedAt: fact.at,
        scheduledFor: fact.at,
        postponements: 0,
        reason: fact.reason,
        cancelledAt: fact.at,
      });
    case 'OrderPlaced':
      return {
        source: FIXTURE_SHOP_SOURCE,
        detail: {
          customer,
          orderId: fact.orderId ?? `PL-${randomUUID()}`,
          cartId: fact.cartId,
          total: { amount: 249.99, currency: 'PLN' },
          placedAt: fact.at,
        },
      };
  }
};

/**
 * The event that announces `fact`, as EventBridge delivers it: a fresh event id unless given, put on the bus
 * at `time` (@default the fact's own instant).
 */
export const factEvent = (
  fact: FixtureFact,
  envelope: { id?: string; time?: string } = {},
): DeliveredEvent => {
  const { source, detail } = detailOf(fact);
  return {
    version: '0',
    id: envelope.id ?? randomUUID(),
    'detail-type': fact.type,
    source,
    account: '123456789012',
    time: new Date(envelope.time ?? fact.at).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: 'eu-central-1',
    resources: [],
    detail,
  };
};

/** The same event announced again: a new event id, a later time on the bus, the same detail. */
export const reannounced = (event: DeliveredEvent, time: string): DeliveredEvent => ({
  ...structuredClone(event),
  id: randomUUID(),
  time,
});

/**
 * A facts table of its own on the run's DynamoDB Local, from the DataStack's definition: a test's day ranges
 * then see its own facts only (the run shares one DynamoDB Local). Returns its name.
 */
export const createFactsTable = async (): Promise<string> => {
  const tableName = `peakline-test-facts-${randomUUID().slice(0, 8)}`;
  const client = new DynamoDBClient({
    endpoint: inject('dynamodbEndpoint'),
    region: LOCAL_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await client.send(new CreateTableCommand(toCreateTableInput(TABLES.facts, tableName)));
  } finally {
    client.destroy();
  }
  return tableName;
};

/**
 * Records fixture facts into `tableName` through the real event -> fact mapping and the real store, as the
 * fact recorder would.
 */
export const putFixtureFacts = async (
  tableName: string,
  facts: readonly FixtureFact[],
  client?: DocumentClient,
): Promise<void> => {
  if (client === undefined) {
    // Only a client made here is this function's to close.
    const own = localDocumentClient();
    try {
      return await putFixtureFacts(tableName, facts, own);
    } finally {
      own.destroy();
    }
  }
  const store = new DynamoFactStore(client, tableName);
  for (const fixture of facts) {
    const result = factOf(factEvent(fixture), { shopSource: FIXTURE_SHOP_SOURCE });
    if (!result.ok) throw new Error(`fixture ${JSON.stringify(fixture)} is no fact: ${result.reason}`);
    await store.record(result.fact);
  }
};
