import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '#local/bus/local-queue.js';

describe('local SQS buffer with maxConcurrency', () => {
  it('runs that many batches at once and never hands one message to two of them', async () => {
    // Prepare: each batch waits until a second batch has started, or gives up after a while.
    let running = 0;
    let mostAtOnce = 0;
    const seen: string[] = [];
    const queue = new LocalQueue({
      name: 'test-queue',
      region: 'eu-central-1',
      account: '000000000000',
      nowMs: () => 0,
      concurrency: 2,
      consume: async (records: SQSRecord[]) => {
        running += 1;
        mostAtOnce = Math.max(mostAtOnce, running);
        for (let i = 0; i < 50 && running < 2; i++) await new Promise((r) => setTimeout(r, 5));
        seen.push(...records.map((r) => r.body));
        running -= 1;
        return { batchItemFailures: [] };
      },
      onDeadLetter: () => {},
    });

    // Act
    for (let i = 0; i < 40; i++) queue.send(String(i));
    await queue.pump();

    // Assess
    expect(mostAtOnce).toBe(2);
    expect(seen.toSorted()).toEqual(Array.from({ length: 40 }, (_, i) => String(i)).toSorted());
    expect(queue.stats()).toMatchObject({ visible: 0, inFlight: 0, delivered: 40 });
  });
});
