import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRoutingStateReader } from '#adapters/dynamodb/routing-state.js';
import { OverflowRouter, type RouterOptions } from '#core/routing/router.js';

const documents = mockClient(DynamoDBDocumentClient);
const TABLE = 'peakline-test-routing';
const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const PRIMARY = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000001`;
const SECOND_LINE = `${INSTANCE}/queue/aaaaaaaa-0000-0000-0000-000000000002`;

/** The GetItem the router makes for the primary queue's state, exactly. */
const PRIMARY_STATE_READ = {
  TableName: TABLE,
  Key: { pk: 'queue#primary', sk: 'STATE' },
  ProjectionExpression: '#state',
  ExpressionAttributeNames: { '#state': 'state' },
};

describe('overflow router', () => {
  let now: number;

  /** The router as the Lambda wires it: its own cache over an uncached DynamoDB reader. */
  const router = (options: Partial<RouterOptions> = {}) =>
    new OverflowRouter(
      new DynamoRoutingStateReader(
        DynamoDBDocumentClient.from(new DynamoDBClient({ region: 'eu-central-1' })),
        TABLE,
        0,
        () => now,
      ),
      {
        queueArns: { primary: PRIMARY, secondLine: SECOND_LINE },
        cacheMs: 5_000,
        nowMs: () => now,
        ...options,
      },
    );

  beforeEach(() => {
    documents.reset();
    now = Date.UTC(2026, 10, 27, 10);
  });

  describe('answers from the state', () => {
    it.each([
      ['NORMAL', { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' }],
      ['OVERFLOW', { mode: 'OVERFLOW', queueArn: SECOND_LINE, queueKey: 'secondLine' }],
      ['DEFLECT', { mode: 'DEFLECT', queueArn: SECOND_LINE, queueKey: 'secondLine' }],
    ])('in %s', async (state, expected) => {
      // Prepare
      documents.on(GetCommand, PRIMARY_STATE_READ).resolves({ Item: { state } });

      // Act
      const decision = await router().route('primary');

      // Assess
      expect(decision.answer).toEqual(expected);
      expect(decision.fallback).toBeUndefined();
      expect(documents.commandCalls(GetCommand, PRIMARY_STATE_READ, true)).toHaveLength(1);
    });

    it('routes normally when the controller has not judged the queue yet', async () => {
      // Prepare
      documents.on(GetCommand).resolves({});

      // Act
      const decision = await router().route('primary');

      // Assess
      expect(decision).toMatchObject({ answer: { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' } });
      expect(decision.fallback).toBeUndefined();
    });

    it('takes the primary queue when the flow names none', async () => {
      // Prepare
      documents.on(GetCommand, PRIMARY_STATE_READ).resolves({ Item: { state: 'OVERFLOW' } });

      // Act
      const decision = await router().route(undefined);

      // Assess
      expect(decision.answer).toEqual({ mode: 'OVERFLOW', queueArn: SECOND_LINE, queueKey: 'secondLine' });
    });
  });

  describe('keeps a state for the cache time', () => {
    it('answers from the cache within it and reads again after it', async () => {
      // Prepare
      documents
        .on(GetCommand)
        .resolvesOnce({ Item: { state: 'OVERFLOW' } })
        .resolvesOnce({ Item: { state: 'NORMAL' } });
      const subject = router({ cacheMs: 5_000 });

      // Act
      const first = await subject.route('primary');
      now += 4_999;
      const cached = await subject.route('primary');
      now += 1;
      const reread = await subject.route('primary');

      // Assess
      expect([first.cached, cached.cached, reread.cached]).toEqual([false, true, false]);
      expect([first.answer.mode, cached.answer.mode, reread.answer.mode]).toEqual([
        'OVERFLOW',
        'OVERFLOW',
        'NORMAL',
      ]);
      expect(documents.commandCalls(GetCommand)).toHaveLength(2);
    });

    it('reads every time with a cache time of 0', async () => {
      // Prepare
      documents.on(GetCommand).resolves({ Item: { state: 'DEFLECT' } });
      const subject = router({ cacheMs: 0 });

      // Act
      await subject.route('primary');
      await subject.route('primary');

      // Assess
      expect(documents.commandCalls(GetCommand)).toHaveLength(2);
    });
  });

  describe('routes to the primary queue when in doubt', () => {
    it('when DynamoDB fails, and holds off DynamoDB for a second before trying again', async () => {
      // Prepare
      documents
        .on(GetCommand)
        .rejectsOnce(
          Object.assign(new Error('Throughput exceeds the current capacity'), {
            name: 'ThrottlingException',
          }),
        )
        .resolves({ Item: { state: 'OVERFLOW' } });
      const subject = router({ failureHoldMs: 1_000 });

      // Act
      const failed = await subject.route('primary');
      now += 999;
      const held = await subject.route('primary');
      now += 1;
      const recovered = await subject.route('primary');

      // Assess
      expect(failed).toMatchObject({
        answer: { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' },
        fallback: 'state-read-failed',
      });
      expect(failed.error).toMatchObject({ name: 'ThrottlingException' });
      expect(held).toMatchObject({ answer: { queueArn: PRIMARY }, fallback: 'state-read-failed' });
      expect(recovered.answer).toEqual({ mode: 'OVERFLOW', queueArn: SECOND_LINE, queueKey: 'secondLine' });
      expect(documents.commandCalls(GetCommand)).toHaveLength(2);
    });

    it('when the read takes longer than its deadline', async () => {
      // Prepare: DynamoDB answers OVERFLOW, but only after the deadline
      documents
        .on(GetCommand)
        .callsFake(
          () => new Promise((resolve) => setTimeout(() => resolve({ Item: { state: 'OVERFLOW' } }), 200)),
        );

      // Act
      const started = performance.now();
      const decision = await router({ readDeadlineMs: 20 }).route('primary');
      const tookMs = performance.now() - started;

      // Assess
      expect(decision).toMatchObject({
        answer: { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' },
        fallback: 'state-read-timeout',
      });
      expect(tookMs).toBeLessThan(150);
    });

    it.each([['vip'], ['__proto__'], ['constructor'], [42], [{ queue: 'primary' }]])(
      'for a queue it does not know: %j',
      async (queue) => {
        // Act
        const decision = await router().route(queue);

        // Assess
        expect(decision).toMatchObject({
          answer: { mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' },
          fallback: 'unknown-queue',
        });
        expect(documents.calls()).toHaveLength(0);
      },
    );
  });
});
