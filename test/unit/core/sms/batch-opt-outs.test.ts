import { describe, expect, it } from 'vitest';
import type { OptOutRead, SuppressionStore } from '#core/ports.js';
import { BatchOptOuts, OPT_OUT_MAX_AGE_MS } from '#core/sms/batch-opt-outs.js';

const AT = new Date('2026-11-27T11:00:00Z');
const after = (ms: number) => new Date(AT.getTime() + ms);

/** A suppression list in memory that counts how it is asked. */
const list = (optedOut: string[], options: { unread?: string[]; batchFails?: number } = {}) => {
  const suppressed = new Set(optedOut);
  const asked = { batches: [] as string[][], single: [] as string[] };
  let failures = options.batchFails ?? 0;
  const store: Required<SuppressionStore> & { optOut: (hash: string) => void } = {
    optOut: (hash) => void suppressed.add(hash),
    suppress: async () => true,
    isSuppressed: async (hash) => {
      asked.single.push(hash);
      return suppressed.has(hash);
    },
    readOptOuts: async (hashes): Promise<OptOutRead> => {
      asked.batches.push([...hashes]);
      if (failures > 0) {
        failures -= 1;
        throw Object.assign(new Error('Rate of requests exceeds the allowed throughput'), {
          name: 'ThrottlingException',
        });
      }
      const unread = new Set(hashes.filter((hash) => options.unread?.includes(hash)));
      return { suppressed: new Set(hashes.filter((h) => suppressed.has(h) && !unread.has(h))), unread };
    },
  };
  return { store, asked };
};

describe('BatchOptOuts', () => {
  it('reads the opt-outs of the whole batch once, and answers each SMS from that read', async () => {
    // Prepare
    const { store, asked } = list(['b']);
    const batch = new BatchOptOuts(store, ['a', 'b', 'c']);

    // Act
    const answers = [
      await batch.isSuppressed('a', AT),
      await batch.isSuppressed('b', AT),
      await batch.isSuppressed('c', AT),
    ];

    // Assess
    expect(answers).toEqual([false, true, false]);
    expect(asked.batches).toEqual([['a', 'b', 'c']]);
    expect(asked.single).toEqual([]);
  });

  it('honours an opt-out recorded while the batch runs, once the batch read is older than its maximum age', async () => {
    // Prepare
    const { store, asked } = list([]);
    const batch = new BatchOptOuts(store, ['a', 'b', 'c']);
    await batch.isSuppressed('a', AT);

    // Act: 'c' opts out while 'a' is being sent; 'b' is decided within the age, 'c' after it
    store.optOut('c');
    const b = await batch.isSuppressed('b', after(OPT_OUT_MAX_AGE_MS - 1));
    const c = await batch.isSuppressed('c', after(OPT_OUT_MAX_AGE_MS + 1));

    // Assess: the second read asks only for the phones still to be decided
    expect(c).toBe(true);
    expect(b).toBe(false);
    expect(asked.batches).toEqual([['a', 'b', 'c'], ['c']]);
  });

  it('asks on its own for a phone the batch read could not read, never taking it for not suppressed', async () => {
    // Prepare
    const { store, asked } = list(['b'], { unread: ['b'] });
    const batch = new BatchOptOuts(store, ['a', 'b']);

    // Act
    const a = await batch.isSuppressed('a', AT);
    const b = await batch.isSuppressed('b', AT);

    // Assess
    expect([a, b]).toEqual([false, true]);
    expect(asked.single).toEqual(['b']);
  });

  it('fails the SMS whose batch read failed, and reads again for the next one', async () => {
    // Prepare
    const { store, asked } = list(['b'], { batchFails: 1 });
    const batch = new BatchOptOuts(store, ['a', 'b']);

    // Act
    const a = await batch.isSuppressed('a', AT).catch((error: Error) => error.name);
    const b = await batch.isSuppressed('b', AT);

    // Assess
    expect(a).toBe('ThrottlingException');
    expect(b).toBe(true);
    expect(asked.batches).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ]);
  });

  it('shares one read between SMS of the batch that ask at the same time', async () => {
    // Prepare
    const { store, asked } = list(['a']);
    const batch = new BatchOptOuts(store, ['a', 'b', 'a']);

    // Act
    const answers = await Promise.all([
      batch.isSuppressed('a', AT),
      batch.isSuppressed('b', AT),
      batch.isSuppressed('a', AT),
    ]);

    // Assess
    expect(answers).toEqual([true, false, true]);
    expect(asked.batches).toHaveLength(1);
  });

  it('asks a store without batch reads, and a phone outside the batch, one by one', async () => {
    // Prepare
    const { store, asked } = list(['x']);
    const { readOptOuts: _unused, ...singleOnly } = store;
    const withoutBatch = new BatchOptOuts(singleOnly, ['a']);
    const withBatch = new BatchOptOuts(store, ['a']);

    // Act
    const a = await withoutBatch.isSuppressed('a', AT);
    const x = await withBatch.isSuppressed('x', AT);

    // Assess
    expect([a, x]).toEqual([false, true]);
    expect(asked.single).toEqual(['a', 'x']);
    expect(asked.batches).toEqual([]);
  });
});
