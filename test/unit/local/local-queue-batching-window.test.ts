import type { SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { LocalQueue } from '#local/bus/local-queue.js';

/** A buffer on a clock the test moves, recording the batches its function got and the wakes it asked for. */
const bufferWithWindow = (options: { batchingWindowMs?: number } = {}) => {
  const clock = { now: 0 };
  const batches: string[][] = [];
  const wakes: { afterMs: number; wake: () => void }[] = [];
  const queue = new LocalQueue({
    name: 'test-queue',
    region: 'eu-central-1',
    account: '000000000000',
    nowMs: () => clock.now,
    consume: async (records: SQSRecord[]) => {
      batches.push(records.map((r) => r.body));
      return { batchItemFailures: [] };
    },
    onDeadLetter: () => {},
    ...options,
    wakeAfter: (afterMs, wake) => wakes.push({ afterMs, wake }),
  });
  return { clock, batches, wakes, queue };
};

describe('local SQS buffer with a batching window', () => {
  it('holds a short batch until the window after its oldest message closes, then hands it over', async () => {
    // Prepare
    const { clock, batches, wakes, queue } = bufferWithWindow({ batchingWindowMs: 1_000 });
    queue.send('a');
    clock.now = 400;
    queue.send('b');
    await queue.pump();
    const beforeWindowCloses = batches.length;

    // Act
    clock.now = 1_000;
    wakes[0]?.wake();
    await queue.pump();

    // Assess
    expect(beforeWindowCloses).toBe(0);
    expect(wakes[0]?.afterMs).toBe(1_000);
    expect(batches).toEqual([['a', 'b']]);
  });

  it('hands over a full batch at once, window or not', async () => {
    // Prepare
    const { batches, queue } = bufferWithWindow({ batchingWindowMs: 1_000 });

    // Act
    for (let i = 0; i < 12; i++) queue.send(String(i));
    await queue.pump();

    // Assess: ten go at once, the two left wait for their window.
    expect(batches).toEqual([Array.from({ length: 10 }, (_, i) => String(i))]);
    expect(queue.stats()).toMatchObject({ visible: 2, delivered: 10 });
  });

  it('without a window hands over what is there as soon as it can, as before', async () => {
    // Prepare
    const { batches, wakes, queue } = bufferWithWindow();

    // Act
    queue.send('a');
    await queue.pump();

    // Assess
    expect(batches).toEqual([['a']]);
    expect(wakes).toEqual([]);
  });
});
