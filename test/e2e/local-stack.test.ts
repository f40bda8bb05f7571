import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { readdirSync } from 'node:fs';
import { createServer } from 'node:net';
import {
  DescribeTimeToLiveCommand,
  DynamoDBClient,
  GetItemCommand,
  ListTablesCommand,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import { type EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetCommand } from '#adapters/dynamodb/document-client.js';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { keyedPhoneHash } from '#adapters/dynamodb/suppression-store.js';
import { LOCAL_PHONE_HASH_KEY } from '#adapters/secrets/phone-hash-key.js';
import { phoneHash } from '#core/phone.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import { PortInUseError } from '#local/http/listen.js';
import type { DeadLetterRecord, QueueRecord, SmsRecord } from '#local/runtime/records.js';
import type { LocalStack } from '#local/stack.js';
import { sampleEntries } from '#test/support/events.js';
import { eventBridgeClient, eventually, getJson, startTestStack } from '#test/support/local-stack.js';

const validSamples = readdirSync(new URL('../../events/samples/', import.meta.url))
  .filter((f) => f.endsWith('.json'))
  .map((f) => f.slice(0, -'.json'.length));

describe('the local stack, end to end', () => {
  let stack: LocalStack;
  let events: EventBridgeClient;

  beforeAll(async () => {
    stack = await startTestStack();
    events = eventBridgeClient(stack);
  });

  afterAll(async () => {
    events?.destroy();
    const endpoint = stack?.dynamodbEndpoint;
    await stack?.stop();
    // Stopping stops Java: DynamoDB Local no longer answers.
    const client = new DynamoDBClient({
      endpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
      maxAttempts: 1,
    });
    await expect(client.send(new ListTablesCommand({}))).rejects.toThrow();
    client.destroy();
  });

  it.each(validSamples)('accepts events/samples/%s.json from the AWS SDK, entry by entry', async (name) => {
    // Act
    const result = await events.send(new PutEventsCommand({ Entries: sampleEntries(name) }));

    // Assess
    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(sampleEntries(name).length);
    for (const entry of result.Entries ?? []) expect(entry.EventId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('answers a request of 11 entries with the ValidationException EventBridge sends', async () => {
    const entries = Array.from({ length: 11 }, () => sampleEntries('order-placed')[0]);
    await expect(events.send(new PutEventsCommand({ Entries: entries as never }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringMatching(/less than or equal to 10/),
    });
  });

  it('refuses an entry from another source with NotAuthorizedForSourceException and keeps the rest', async () => {
    const [good] = sampleEntries('order-placed');
    const result = await events.send(
      new PutEventsCommand({ Entries: [{ ...good, Source: 'someone.else' }, good] as never }),
    );
    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries?.[0]?.ErrorCode).toBe('NotAuthorizedForSourceException');
    expect(result.Entries?.[1]?.EventId).toBeDefined();
  });

  it('puts an opted-out phone on the suppression list in DynamoDB Local', async () => {
    // Prepare
    const [entry] = sampleEntries('customer-opted-out');
    const phone = JSON.parse(entry?.Detail ?? '{}').customer.phone as string;
    const documents = BridgedDocumentClient.over(
      new DynamoDBClient({
        endpoint: stack.dynamodbEndpoint,
        region: LOCAL_REGION,
        credentials: LOCAL_CREDENTIALS,
      }),
    );

    // Act
    await events.send(new PutEventsCommand({ Entries: [entry as never] }));

    // Assess
    await eventually(stack, async () => {
      const { Item } = await documents.send(
        new GetCommand({
          TableName: stack.tableNames.suppression,
          Key: { phoneHash: keyedPhoneHash(LOCAL_PHONE_HASH_KEY, phoneHash(phone)) },
        }),
      );
      expect(Item?.channel).toBe('sms');
    });
    documents.destroy();
  });

  it('shows an event of an unknown detail-type in /api/dead-letters with the reason', async () => {
    // Act
    await events.send(
      new PutEventsCommand({ Entries: sampleEntries('invalid/order-shiped-unknown-detail-type') as never }),
    );

    // Assess
    await eventually(stack, async () => {
      const letters = await getJson<DeadLetterRecord[]>(stack, '/api/dead-letters');
      expect(letters).toContainEqual(
        expect.objectContaining({
          refusedBy: 'event-bus',
          reason: expect.stringContaining('detail-type "OrderShiped" is not one peakline knows'),
        }),
      );
    });
  });

  it('dead-letters a malformed opt-out with the reason the consumer gives, phone masked', async () => {
    // Prepare
    const [entry] = sampleEntries('customer-opted-out');
    const detail = JSON.parse(entry?.Detail ?? '{}');
    detail.customer.phone = '601 999 123';

    // Act
    await events.send(
      new PutEventsCommand({ Entries: [{ ...entry, Detail: JSON.stringify(detail) } as never] }),
    );

    // Assess
    await eventually(stack, async () => {
      const letters = await getJson<DeadLetterRecord[]>(stack, '/api/dead-letters');
      const letter = letters.find((l) => l.refusedBy === 'customer-opt-out');
      expect(letter?.reason).toContain('detail.customer.phone: expected an E.164 phone number');
      expect(letter?.reason).toContain('60* *** *23');
    });
  });

  it('texts an order confirmation and shows it in /api/sms, phone masked', async () => {
    // Act
    await events.send(new PutEventsCommand({ Entries: forOrder('order-placed', 'E2E-PLACED-1') as never }));

    // Assess
    await eventually(stack, async () => {
      const sms = await getJson<SmsRecord[]>(stack, '/api/sms');
      const sent = sms.find((s) => s.orderId === 'E2E-PLACED-1');
      expect(sent).toMatchObject({
        status: 'SENT',
        kind: 'order-placed',
        to: '+48*****0001',
        encoding: 'UCS-2',
      });
      expect(sent?.body).toContain('E2E-PLACED-1');
      expect(sent?.segments).toBeGreaterThanOrEqual(1);
    });
  });

  it('sends one SMS per status of the lifecycle sample, none for its late repeat of SHIPPED', async () => {
    // Act
    await events.send(
      new PutEventsCommand({
        Entries: forOrder('order-status-changed-lifecycle', 'E2E-LIFECYCLE-1') as never,
      }),
    );

    // Assess
    await eventually(stack, async () => {
      const logs = await getJson<{ message: string; outcome?: string; orderId?: string; kind?: string }[]>(
        stack,
        '/api/logs',
      );
      const decisions = logs.filter((l) => l.message === 'sms decision' && l.orderId === 'E2E-LIFECYCLE-1');
      expect(decisions.map((d) => `${d.outcome} ${d.kind}`).sort()).toEqual([
        // The repeat meets the ledger's claim of the first: a duplicate, no second SMS.
        'DUPLICATE order-shipped',
        'SENT order-delivered',
        'SENT order-out-for-delivery',
        'SENT order-packed',
        'SENT order-shipped',
      ]);
      // The outbox holds what SNS accepted, i.e. what reached the phone: one order-shipped SMS.
      expect(
        stack.outbox
          .list()
          .filter(
            (s) => s.orderId === 'E2E-LIFECYCLE-1' && s.kind === 'order-shipped' && s.status === 'SENT',
          ),
      ).toHaveLength(1);
    });
  });

  it("defers an SMS that would land in the customer's night, with the time it will go", async () => {
    // Prepare: 18:00 in Warsaw is 02:00 in Tokyo.
    const [entry] = sampleEntries('order-placed');
    const detail = JSON.parse(entry?.Detail ?? '{}');
    detail.orderId = 'TOKYO-1';
    detail.customer.timeZone = 'Asia/Tokyo';

    // Act
    await events.send(
      new PutEventsCommand({ Entries: [{ ...entry, Detail: JSON.stringify(detail) } as never] }),
    );

    // Assess: 08:00 in Tokyo is 23:00 UTC the day before.
    await eventually(stack, async () => {
      const sms = await getJson<SmsRecord[]>(stack, '/api/sms');
      expect(sms.find((s) => s.orderId === 'TOKYO-1')).toMatchObject({
        status: 'DEFERRED',
        sendAt: '2026-11-27T23:00:00.000Z',
      });
    });
  });

  it("runs TTL on the virtual clock: DynamoDB Local's own TTL is off, the reaper deletes what expired virtually", async () => {
    // Prepare: a ledger item whose TTL passed two virtual hours ago (past the reaper's lag of one)
    const client = new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    const id = 'e2e-ttl-expired';
    const nowS = Math.floor(stack.clock.nowMs() / 1000);
    await client.send(
      new PutItemCommand({
        TableName: stack.tableNames.ledger,
        Item: { id: { S: id }, expiration: { N: String(nowS - 2 * 3600) } },
      }),
    );

    try {
      // Assess
      for (const tableName of Object.values(stack.tableNames)) {
        const { TimeToLiveDescription } = await client.send(
          new DescribeTimeToLiveCommand({ TableName: tableName }),
        );
        expect(TimeToLiveDescription?.TimeToLiveStatus).toBe('DISABLED');
      }
      await eventually(stack, async () => {
        const { Item } = await client.send(
          new GetItemCommand({ TableName: stack.tableNames.ledger, Key: { id: { S: id } } }),
        );
        expect(Item).toBeUndefined();
      });
      // The reaper counts a pass when the pass is over (the item is gone before that): polled, not read once.
      await eventually(stack, async () => {
        const status = await getJson<{ metrics: Record<string, number> }>(stack, '/api/status');
        expect(status.metrics['ttl-reaper.deleted.ledger']).toBeGreaterThanOrEqual(1);
      });
    } finally {
      client.destroy();
    }
  });

  it('serves every resource of the API as a JSON array', async () => {
    for (const path of ['/api/sms', '/api/callbacks', '/api/queues', '/api/seats', '/api/dead-letters']) {
      expect(Array.isArray(await getJson(stack, path)), path).toBe(true);
    }
  });

  it("shows each queue with the simulator's waits and its routing state", async () => {
    // Act: two calls reach a queue nobody serves.
    stack.simulator.arrive({
      channel: 'VOICE',
      queueId: 'secondLine',
      patienceSeconds: Number.POSITIVE_INFINITY,
    });
    stack.simulator.arrive({
      channel: 'VOICE',
      queueId: 'secondLine',
      patienceSeconds: Number.POSITIVE_INFINITY,
    });

    // Assess
    await eventually(stack, async () => {
      const queues = await getJson<QueueRecord[]>(stack, '/api/queues');
      expect(queues.map((q) => q.name).sort()).toEqual(['accounting', 'callback', 'primary', 'second-line']);
      expect(queues.find((q) => q.name === 'second-line')).toMatchObject({
        waiting: 2,
        arrived: 2,
        routingState: 'NORMAL',
      });
    });
  });

  it('accepts every sample from the AWS CLI with --endpoint-url', async () => {
    const cli = spawnSync('aws', ['--version'], { encoding: 'utf8' });
    expect(
      cli.error,
      'the AWS CLI is needed for this test: apt-get install awscli, or pip install awscli',
    ).toBeUndefined();
    for (const name of validSamples) {
      // Asynchronously: the endpoint answering the CLI runs in this very process.
      const { stdout: out } = await promisify(execFile)(
        'aws',
        [
          'events',
          'put-events',
          // As the README has it: no credentials at all.
          '--no-sign-request',
          '--endpoint-url',
          stack.eventsUrl,
          '--region',
          'eu-central-1',
          '--output',
          'json',
          '--entries',
          `file://events/samples/${name}.json`,
        ],
        { env: withoutAwsCredentials() },
      );
      expect(JSON.parse(out).FailedEntryCount, name).toBe(0);
    }
  });
});

describe('starting the local stack', () => {
  it('names the busy port and leaves no Java behind', async () => {
    // Prepare: something already listens where the EventBridge endpoint wants to.
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const javaBefore = countDynamoDbLocal();

    // Act
    const start = startTestStack({ eventsPort: port });

    // Assess
    await expect(start).rejects.toThrow(PortInUseError);
    await expect(start).rejects.toThrow(`Port ${port} (the EventBridge endpoint) is already in use`);
    expect(countDynamoDbLocal()).toBe(javaBefore);
    blocker.close();
  });
});

/** A sample's entries about an order (and a customer) of the test's own, so earlier tests cannot interfere. */
let phoneNo = 0;
const forOrder = (sample: string, orderId: string) => {
  const phone = `+4860100${String(++phoneNo).padStart(4, '0')}`;
  return sampleEntries(sample).map((entry) => {
    const detail = JSON.parse(entry.Detail);
    detail.orderId = orderId;
    detail.customer.phone = phone;
    return { ...entry, Detail: JSON.stringify(detail) };
  });
};

/** The environment of a shop developer with no AWS account. */
const withoutAwsCredentials = (): NodeJS.ProcessEnv => {
  const env: NodeJS.ProcessEnv = { ...process.env, AWS_PAGER: '' };
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'])
    delete env[name];
  return env;
};

const countDynamoDbLocal = (): number => {
  const out = spawnSync('pgrep', ['-P', String(process.pid), '-f', 'DynamoDBLocal.jar'], {
    encoding: 'utf8',
  });
  return out.stdout.split('\n').filter(Boolean).length;
};
