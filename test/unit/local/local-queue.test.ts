import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '#local/bus/local-queue.js';

const makeQueue = (
  consume: (records: SQSRecord[]) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>,
) => {
  let now = 0;
  const deadLetters: { body: string; reason: string }[] = [];
  const queue = new LocalQueue({
    name: 'test-queue',
    region: 'eu-central-1',
    account: '000000000000',
    nowMs: () => now,
    consume,
    onDeadLetter: (body, reason) => void deadLetters.push({ body, reason }),
    maxReceiveCount: 3,
    visibilityTimeoutMs: 1_000,
  });
  return { queue, deadLetters, advance: (ms: number) => (now += ms) };
};

describe('local SQS buffer', () => {
  it('delivers SQS-shaped records in batches of at most 10', async () => {
    // Prepare
    const batches: SQSRecord[][] = [];
    const { queue } = makeQueue(async (records) => {
      batches.push(records);
      return { batchItemFailures: [] };
    });

    // Act
    for (let i = 0; i < 25; i++) queue.send(JSON.stringify({ n: i }));
    await queue.pump();

    // Assess
    expect(batches.flat()).toHaveLength(25);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(10);
    expect(batches[0]?.[0]).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-central-1:000000000000:test-queue',
      attributes: { ApproximateReceiveCount: '1' },
    });
    expect(queue.stats()).toMatchObject({ visible: 0, inFlight: 0, delivered: 25 });
  });

  it('stops after the batch under way when closed, however many messages keep coming', async () => {
    // Prepare: a consumer that sends two more messages for every batch it takes, so the backlog never ends.
    let batches = 0;
    const self: { queue?: LocalQueue } = {};
    const { queue } = makeQueue(async () => {
      // A consumer works on I/O: it yields before it does anything, as the functions' SDK calls do.
      await new Promise((resolve) => setImmediate(resolve));
      batches += 1;
      if (batches === 3) void self.queue?.close();
      self.queue?.send('{"more":1}');
      self.queue?.send('{"more":2}');
      return { batchItemFailures: [] };
    });
    self.queue = queue;
    for (let i = 0; i < 25; i++) queue.send(JSON.stringify({ n: i }));

    // Act
    await queue.pump();

    // Assess: the batch that closed it was the last; the rest stays undelivered.
    expect(batches).toBe(3);
    expect(queue.stats().visible).toBeGreaterThan(0);
  });

  it('redelivers only the failed record after the visibility timeout', async () => {
    // Prepare
    const seen: string[] = [];
    let failOnce = true;
    const { queue, advance } = makeQueue(async (records) => {
      seen.push(...records.map((r) => r.body));
      const bad = records.find((r) => r.body === '"b"');
      if (bad && failOnce) {
        failOnce = false;
        return { batchItemFailures: [{ itemIdentifier: bad.messageId }] };
      }
      return { batchItemFailures: [] };
    });
    for (const body of ['"a"', '"b"', '"c"']) queue.send(body);
    await queue.pump();

    // Act
    await queue.pump();
    const beforeTimeout = [...seen];
    advance(1_000);
    await queue.pump();

    // Assess
    expect(beforeTimeout).toEqual(['"a"', '"b"', '"c"']);
    expect(seen).toEqual(['"a"', '"b"', '"c"', '"b"']);
    expect(queue.stats().delivered).toBe(3);
  });

  it('moves a record that keeps failing to the dead letters with the last error', async () => {
    // Prepare
    const { queue, deadLetters, advance } = makeQueue(async () => {
      throw new Error('ProvisionedThroughputExceededException');
    });
    queue.send('"poison"');

    // Act
    for (let attempt = 0; attempt < 3; attempt++) {
      await queue.pump();
      advance(1_000);
    }

    // Assess
    expect(deadLetters).toEqual([
      {
        body: '"poison"',
        reason: 'test-queue: delivery failed 3 times; last error: ProvisionedThroughputExceededException',
      },
    ]);
    expect(queue.stats()).toMatchObject({ visible: 0, inFlight: 0, deadLettered: 1 });
  });
});
