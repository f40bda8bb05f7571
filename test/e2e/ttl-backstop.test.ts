/**
 * The seat TTL backstop in the local stack (issue 11, defect 10): DynamoDB Local's own TTL is off, the TTL
 * reaper deletes a seat once its TTL has passed on the VIRTUAL clock (plus the reaper's AWS-like lag), and
 * the stream record it writes reaches the backstop, which deletes the Connect user the sweeper missed.
 */
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TABLES } from '#adapters/dynamodb/tables.js';
import { buildProgram } from '#cli/program.js';
import { LOCAL_CREDENTIALS, LOCAL_REGION } from '#local/dynamodb-local.js';
import type { LocalStack } from '#local/stack.js';
import { eventually, getJson, startTestStack } from '#test/support/local-stack.js';

interface SeatJson {
  readonly username: string;
  readonly state: string;
  readonly revokedBy?: string;
}

/** The sweeper's index: a seat without its partition key is one the sweeper does not see. */
const SWEEP_INDEX_KEY = TABLES.seats.indexes.find((index) => index.name === 'active-by-expiry')?.partitionKey
  .name;

describe('the seat TTL backstop in the local stack, on the virtual clock', () => {
  let stack: LocalStack;

  beforeAll(async () => {
    // 600 virtual seconds a real second: the contract's end, the reaper's hour of lag and its next pass come
    // within 20 real seconds.
    stack = await startTestStack({ startTime: new Date('2026-11-20T09:00:00+01:00'), speed: 600 });
  });

  afterAll(async () => {
    await stack?.stop();
  });

  it('revokes a seat the sweeper missed once the reaper deletes it, and announces it', async () => {
    // Prepare: a seat added with the CLI, ending two virtual hours (12 real seconds) from now, that the
    // sweeper will not see
    const end = new Date(stack.clock.nowMs() + 2 * 3_600_000).toISOString();
    const err: string[] = [];
    const program = buildProgram({
      out: () => {},
      err: (text) => err.push(text),
      interactive: false,
      exitCode: () => {},
    });
    await program.parseAsync([
      'node',
      'peakline',
      'seats',
      'add',
      'missed.by.sweeper',
      '--first-name',
      'Ola',
      '--last-name',
      'Pominięta',
      '--email',
      'ola.pominieta@example.com',
      '--type',
      'voice',
      '--from',
      '2026-11-20',
      '--until',
      end,
      '--local',
      '--dashboard-url',
      stack.dashboardUrl,
      '--rate',
      '50',
    ]);
    expect(err.join('\n')).toBe('');
    const users = () =>
      stack.simulator
        .snapshot()
        .agents.filter((a) => !a.deleted)
        .map((a) => a.username);
    expect(users()).toContain('missed.by.sweeper');
    if (SWEEP_INDEX_KEY === undefined) throw new Error('the seats table has no sweep index');
    const client = new DynamoDBClient({
      endpoint: stack.dynamodbEndpoint,
      region: LOCAL_REGION,
      credentials: LOCAL_CREDENTIALS,
    });
    try {
      await client.send(
        new UpdateItemCommand({
          TableName: stack.tableNames.seats,
          Key: { username: { S: 'missed.by.sweeper' } },
          UpdateExpression: 'REMOVE #sweep',
          ExpressionAttributeNames: { '#sweep': SWEEP_INDEX_KEY },
        }),
      );
    } finally {
      client.destroy();
    }

    // Act: the virtual clock runs past the end, the reaper's lag and its next pass
    await eventually(
      stack,
      async () => {
        const seat = (await getJson<SeatJson[]>(stack, '/api/seats')).find(
          (s) => s.username === 'missed.by.sweeper',
        );
        expect(seat).toMatchObject({ state: 'REVOKED', revokedBy: 'ttl-backstop' });
      },
      90_000,
    );

    // Assert: the user is gone and the revocation is on the bus, once
    expect(users()).not.toContain('missed.by.sweeper');
    await eventually(stack, () =>
      // The only seat of this stack: its one SeatRevoked.
      expect(stack.bus.recent().filter((e) => e.detailType === 'SeatRevoked')).toHaveLength(1),
    );
    // The reaper counts its pass once the stream record it wrote has been delivered: polled, not read once.
    await eventually(stack, async () => {
      const status = await getJson<{ metrics: Record<string, number> }>(stack, '/api/status');
      expect(status.metrics['ttl-reaper.deleted.seats']).toBe(1);
      expect(status.metrics['seat-ttl-backstop.SeatsRevoked']).toBe(1);
    });
    // About 20 real seconds of virtual time to wait through: room for a busy machine.
  }, 150_000);
});
