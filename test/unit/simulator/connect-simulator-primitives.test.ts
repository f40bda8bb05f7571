import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BinaryHeap, Random } from '#simulator/connect/index.js';

interface Item {
  readonly time: number;
  readonly seq: number;
}
const byTimeThenSeq = (a: Item, b: Item) => (a.time !== b.time ? a.time < b.time : a.seq < b.seq);

const drain = <T>(heap: BinaryHeap<T>): T[] => {
  const out: T[] = [];
  for (let item = heap.pop(); item !== undefined; item = heap.pop()) out.push(item);
  return out;
};

describe('BinaryHeap (the event queue)', () => {
  it('hands events out in time order, equal times in the order they were scheduled', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 20 })), (times) => {
        // Prepare: few distinct times, so that ties are common
        const heap = new BinaryHeap(byTimeThenSeq);
        const items = times.map((time, seq) => ({ time, seq }));

        // Act
        for (const item of items) heap.push(item);
        const out = drain(heap);

        // Assess
        expect(out).toEqual([...items].sort((a, b) => a.time - b.time || a.seq - b.seq));
      }),
    );
  });

  it('stays ordered when pushes and pops interleave, as in a running simulation', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined })), (script) => {
        // Prepare: a number pushes it, undefined pops; a sorted array is the reference
        const heap = new BinaryHeap<number>((a, b) => a < b);
        const reference: number[] = [];

        for (const step of script) {
          // Act
          if (step === undefined) {
            const popped = heap.pop();
            // Assess
            expect(popped).toBe(reference.shift());
          } else {
            heap.push(step);
            reference.push(step);
            reference.sort((a, b) => a - b);
          }
          expect(heap.size).toBe(reference.length);
          expect(heap.peek()).toBe(reference[0]);
        }
      }),
    );
  });

  it('keeps only what retain accepts, still in order', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 1000 })), (values) => {
        // Prepare
        const heap = new BinaryHeap<number>((a, b) => a < b);
        for (const value of values) heap.push(value);

        // Act
        heap.retain((value) => value % 3 !== 0);

        // Assess
        expect(drain(heap)).toEqual(values.filter((v) => v % 3 !== 0).sort((a, b) => a - b));
      }),
    );
  });
});

describe('Random', () => {
  it('repeats its sequence for a seed and differs between seeds', () => {
    // Prepare
    const draw = (seed: number) => {
      const random = new Random(seed);
      return Array.from({ length: 5 }, () => random.nextUint32());
    };

    // Act
    const first = draw(1);

    // Assess
    expect(draw(1)).toEqual(first);
    expect(draw(2)).not.toEqual(first);
    expect(new Set(draw(0)).size).toBe(5);
  });

  it('draws uniformly in [0, 1)', () => {
    // Prepare
    const random = new Random(11);
    const buckets = new Array<number>(10).fill(0);
    let outside = 0;

    // Act
    for (let i = 0; i < 100_000; i++) {
      const u = random.next();
      if (u >= 0 && u < 1) buckets[Math.floor(u * 10)] = (buckets[Math.floor(u * 10)] ?? 0) + 1;
      else outside++;
    }

    // Assess: each tenth gets its 10% (binomial standard deviation ~95; allow 5 of them)
    expect(outside).toBe(0);
    for (const count of buckets) expect(Math.abs(count - 10_000)).toBeLessThan(500);
  });

  it.each([
    ['exponential', (r: Random) => r.exponential(300), 300, 1],
    ['lognormal', (r: Random) => r.lognormal(300, 0.6), 300, 0.6],
  ])('draws %s times with the asked mean and spread', (_name, draw, mean, cv) => {
    // Prepare
    const random = new Random(3);
    const n = 200_000;
    let sum = 0;
    let sumSquares = 0;
    let smallest = Infinity;

    // Act
    for (let i = 0; i < n; i++) {
      const x = draw(random);
      smallest = Math.min(smallest, x);
      sum += x;
      sumSquares += x * x;
    }

    // Assess
    const sampleMean = sum / n;
    const sampleCv = Math.sqrt(sumSquares / n - sampleMean * sampleMean) / sampleMean;
    expect(smallest).toBeGreaterThanOrEqual(0);
    expect(Math.abs(sampleMean - mean)).toBeLessThan(0.01 * mean);
    expect(Math.abs(sampleCv - cv)).toBeLessThan(0.03);
  });
});
