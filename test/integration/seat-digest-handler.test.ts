import type { LeanDocumentClient } from '#adapters/dynamodb/lean-document-client.js';
import type { Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { DynamoSeatStore } from '#adapters/dynamodb/seat-store.js';
import { pendingSeat, type Seat } from '#core/seats/seat.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { localDocumentClient } from '#test/support/dynamodb.js';
import {
  type FakeAwsQuery,
  fakeAwsQuery,
  publishAnswer,
  publishedInputs,
  queryError,
} from '#test/support/fake-aws-query.js';
import { createSeatsTable, metricValues, seatFunctionEnvironment } from '#test/support/seat-functions.js';

/** SNS on loopback: the digest reaches it through AWS_ENDPOINT_URL_SNS. */
let sns: FakeAwsQuery;
const documents: LeanDocumentClient = localDocumentClient();
const TOPIC = 'arn:aws:sns:eu-central-1:123456789012:peakline-it-ops';

type Handler = (event: unknown, context: Context) => Promise<{ day: string; total: number; sent: boolean }>;
let handler: Handler;
let store: DynamoSeatStore;
let output: string[];

/** Wednesday 23 December 2026, 16:00 in Warsaw: the digest's time. Only Date is faked; timers run. */
const NOW = new Date('2026-12-23T16:00:00+01:00');

const seat = (username: string, expiresAt: string, type: Seat['type'] = 'voice'): Seat => ({
  ...pendingSeat({
    username,
    type,
    firstName: 'Jan',
    lastName: 'Nowak',
    email: `${username}@example.com`,
    validFrom: '2026-11-20T00:00:00+01:00',
    expiresAt: new Date(expiresAt).toISOString(),
  }),
  state: 'ACTIVE',
  userId: `user-${username}`,
});

beforeAll(async () => {
  const seatsTable = await createSeatsTable('digest');
  store = new DynamoSeatStore(documents, seatsTable);
  sns = await fakeAwsQuery();
  const env = {
    ...seatFunctionEnvironment('peakline-seat-digest', seatsTable),
    OPS_TOPIC_ARN: TOPIC,
    CONNECT_TIME_ZONE: 'Europe/Warsaw',
    AWS_ENDPOINT_URL_SNS: sns.url,
  };
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  ({ handler } = (await import('#functions/seat-digest/handler.js')) as { handler: Handler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  documents.destroy();
  await sns.close();
});

beforeEach(() => {
  sns.requests.length = 0;
  sns.answer(() => publishAnswer('m-1'));
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      output.push(String(chunk));
      return true;
    });
  }
});

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const context = () => structuredClone(lambdaContext) as unknown as Context;

describe('seat digest handler on DynamoDB Local', () => {
  it('sends nothing while no seat ends tomorrow', async () => {
    // Prepare
    await store.put(seat('ends-today', '2026-12-24T00:00:00+01:00'));

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result).toEqual({ day: '2026-12-24', total: 0, sent: false });
    expect(publishedInputs(sns)).toEqual([]);
    expect(metricValues(output, 'SeatsEndingTomorrow')).toEqual([
      expect.objectContaining({ SeatsEndingTomorrow: 0, service: 'peakline-seat-digest' }),
    ]);
  });

  it("tells the ops topic of tomorrow's seats, by type", async () => {
    // Prepare
    await store.put(seat('anna', '2026-12-25T00:00:00+01:00', 'chat-4'));
    await store.put(seat('jan', '2026-12-24T18:00:00+01:00'));
    await store.put(seat('after-christmas', '2026-12-27T00:00:00+01:00'));

    // Act
    const result = await handler({}, context());

    // Assess
    expect(result).toEqual({ day: '2026-12-24', total: 2, sent: true });
    const published = publishedInputs(sns);
    expect(published).toHaveLength(1);
    expect(published[0]).toMatchObject({
      TopicArn: TOPIC,
      Subject: 'peakline: 2 seats end tomorrow (2026-12-24)',
    });
    expect(published[0]?.Message).toContain('voice (1):\n  jan: access ends at 18:00');
    expect(published[0]?.Message).toContain('chat-4 (1):\n  anna: access ends at the end of the day');
    expect(published[0]?.Message).not.toContain('after-christmas');
  });

  it('fails the invocation when the ops topic refuses, for its retries and failure queue', async () => {
    // Prepare
    await store.put(seat('ola', '2026-12-24T12:00:00+01:00', 'light'));
    sns.answer(() => queryError(403, 'AuthorizationError', 'denied'));

    // Act
    const running = handler({}, context());

    // Assess
    await expect(running).rejects.toThrow('denied');
  });
});
