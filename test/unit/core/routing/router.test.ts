import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { DynamoRoutingStateReader } from '#adapters/dynamodb/routing-state.js';
import { BridgedDocumentClient } from '#adapters/dynamodb/sdk-document-client.js';
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
  ProjectionExpression: '#state, #updatedAt, #maxAge, #share, #deflect',
  ExpressionAttributeNames: {
    '#state': 'state',
    '#updatedAt': 'updatedAt',
    '#maxAge': 'maxAgeSeconds',
    '#share': 'secondLineShare',
    '#deflect': 'deflectShare',
  },
};

describe('overflow router', () => {
  let now: number;

  /** A state item as the controller writes it: confirmed by a sample `ageMs` ago, believed for 45 s. */
  const item = (state: string, ageMs = 0) => ({
    Item: { state, updatedAt: new Date(now - ageMs).toISOString(), maxAgeSeconds: 45 },
  });

  /** The router as the Lambda wires it: its own cache over an uncached DynamoDB reader. */
  const router = (options: Partial<RouterOptions> = {}) =>
    new OverflowRouter(
      new DynamoRoutingStateReader(
        BridgedDocumentClient.over(new DynamoDBClient({ region: 'eu-central-1' })),
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
      documents.on(GetCommand, PRIMARY_STATE_READ).resolves(item(state));

      // Act
      const decision = await router().route('primary');

      // Assess
      expect(decision.answer).toEqual(expected);
      expect(decision.fallback).toBeUndefined();
      expect(documents.commandCalls(GetCommand, PRIMARY_STATE_READ, true)).toHaveLength(1);
    });

    describe("shares the callers with the second line by the controller's share", () => {
      /** A state item with the share the controller set. */
      const shared = (state: string, secondLineShare: unknown) => ({
        Item: { state, updatedAt: new Date(now).toISOString(), maxAgeSeconds: 45, secondLineShare },
      });
      /** Where 10 callers go, with draws 0.05, 0.15, ... 0.95 (evenly over [0, 1)). */
      const tenCallers = async (r: OverflowRouter): Promise<string[]> => {
        const keys: string[] = [];
        for (let i = 0; i < 10; i += 1) keys.push((await r.route('primary')).answer.queueKey);
        return keys;
      };
      const evenDraws = () => {
        let i = 0;
        return () => (i++ % 10) / 10 + 0.05;
      };

      it.each([
        ['OVERFLOW', 0.3, 3],
        ['DEFLECT', 0.3, 3],
        ['OVERFLOW', 0, 0],
        ['OVERFLOW', 1, 10],
        ['NORMAL', 1, 0],
        ['OVERFLOW', 'half', 0],
        ['OVERFLOW', 1.5, 0],
        ['OVERFLOW', -0.2, 0],
      ])('%s with share %s: %i of 10 callers to the second line', async (state, share, expected) => {
        // Prepare
        documents.on(GetCommand, PRIMARY_STATE_READ).resolves(shared(state, share));

        // Act
        const keys = await tenCallers(router({ random: evenDraws() }));

        // Assess: the rest stay in the primary queue, in the same mode (DEFLECT still hears the menu)
        expect(keys.filter((k) => k === 'secondLine')).toHaveLength(expected);
        expect(keys.filter((k) => k === 'primary')).toHaveLength(10 - expected);
      });

      it.each([
        ['DEFLECT', 0.3, 3],
        ['DEFLECT', 0, 0],
        ['DEFLECT', 1, 10],
        ['DEFLECT', 'garbage', 10],
        ['DEFLECT', undefined, 10],
        ['OVERFLOW', 0.3, 3],
        ['OVERFLOW', 'garbage', 0],
        ['OVERFLOW', undefined, 0],
      ])(
        '%s offering the menu to a share of %s: %i of 10 callers hear it, the others are routed as in OVERFLOW',
        async (state, offered, expected) => {
          // Prepare: nobody to the second line, so only the menu's share varies
          documents.on(GetCommand, PRIMARY_STATE_READ).resolves({
            Item: {
              state,
              updatedAt: new Date(now).toISOString(),
              maxAgeSeconds: 45,
              secondLineShare: 0,
              ...(offered === undefined ? {} : { deflectShare: offered }),
            },
          });
          const r = router({ random: evenDraws() });

          // Act
          const modes: string[] = [];
          for (let i = 0; i < 10; i += 1) modes.push((await r.route('primary')).answer.mode);

          // Assess
          expect(modes.filter((m) => m === 'DEFLECT')).toHaveLength(expected);
          expect(modes.filter((m) => m === 'OVERFLOW')).toHaveLength(10 - expected);
        },
      );

      it('sends every caller in a state with no share (forced by hand, or written before shares)', async () => {
        // Prepare
        documents.on(GetCommand, PRIMARY_STATE_READ).resolves(item('OVERFLOW'));

        // Act
        const keys = await tenCallers(router({ random: evenDraws() }));

        // Assess
        expect(keys).toEqual(new Array(10).fill('secondLine'));
      });
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
      documents.on(GetCommand, PRIMARY_STATE_READ).resolves(item('OVERFLOW'));

      // Act
      const decision = await router().route(undefined);

      // Assess
      expect(decision.answer).toEqual({ mode: 'OVERFLOW', queueArn: SECOND_LINE, queueKey: 'secondLine' });
    });
  });

  describe('keeps a state for the cache time', () => {
    it('answers from the cache within it and reads again after it', async () => {
      // Prepare
      documents.on(GetCommand).resolvesOnce(item('OVERFLOW')).resolvesOnce(item('NORMAL'));
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
      documents.on(GetCommand).resolves(item('DEFLECT'));
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
        .resolves(item('OVERFLOW'));
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
        .callsFake(() => new Promise((resolve) => setTimeout(() => resolve(item('OVERFLOW')), 200)));

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

  describe('takes a state the controller stopped confirming as NORMAL (issue 11, defect 4)', () => {
    it.each([
      ['older than its maximum age', () => item('OVERFLOW', 45_000), 'state-stale'],
      [
        'without a sample time (written by hand)',
        () => ({ Item: { state: 'DEFLECT' } }),
        'state-unconfirmed',
      ],
      [
        'dated in the future',
        () => ({ Item: { state: 'OVERFLOW', updatedAt: '2099-01-01T00:00:00.000Z', maxAgeSeconds: 45 } }),
        'state-garbage',
      ],
      [
        'claiming a maximum age of a year',
        () => ({
          Item: { state: 'OVERFLOW', updatedAt: '2026-11-27T09:59:59.000Z', maxAgeSeconds: 31_536_000 },
        }),
        'state-garbage',
      ],
      [
        'in a state nobody knows',
        () => ({ Item: { state: 'PANIC', updatedAt: '2026-11-27T10:00:00.000Z' } }),
        'state-garbage',
      ],
      [
        'with a sample time that is no time',
        () => ({ Item: { state: 'OVERFLOW', updatedAt: 'yesterday' } }),
        'state-garbage',
      ],
    ])('%s', async (_what, stored, reason) => {
      // Prepare
      documents.on(GetCommand, PRIMARY_STATE_READ).resolves(stored());

      // Act
      const decision = await router().route('primary');

      // Assess
      expect(decision.answer).toEqual({ mode: 'NORMAL', queueArn: PRIMARY, queueKey: 'primary' });
      expect(decision.fallback).toBe(reason);
    });

    it('believes a state confirmed just inside its maximum age', async () => {
      // Prepare
      documents.on(GetCommand, PRIMARY_STATE_READ).resolves(item('OVERFLOW', 44_999));

      // Act
      const decision = await router().route('primary');

      // Assess
      expect(decision.answer).toEqual({ mode: 'OVERFLOW', queueArn: SECOND_LINE, queueKey: 'secondLine' });
      expect(decision.fallback).toBeUndefined();
    });

    it('lets a cached state go stale with the stored one, then counts every caller', async () => {
      // Prepare: OVERFLOW confirmed 43 s ago, a cache time of 5 s, and the controller silent since
      documents.on(GetCommand, PRIMARY_STATE_READ).resolves(item('OVERFLOW', 43_000));
      const subject = router({ cacheMs: 5_000 });

      // Act
      const fresh = await subject.route('primary');
      now += 2_000;
      const expired = await subject.route('primary');
      now += 1_000;
      const cachedStale = await subject.route('primary');

      // Assess: the cache held the state only until it turned stale, not for its 5 s
      expect(fresh.answer.mode).toBe('OVERFLOW');
      expect(expired).toMatchObject({
        answer: { mode: 'NORMAL', queueArn: PRIMARY },
        fallback: 'state-stale',
      });
      expect(cachedStale).toMatchObject({
        answer: { queueArn: PRIMARY },
        fallback: 'state-stale',
        cached: true,
      });
      expect(documents.commandCalls(GetCommand)).toHaveLength(2);
    });
  });
});
