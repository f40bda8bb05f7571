/**
 * A binary min-heap: O(log n) push and pop, O(1) peek. The simulator keeps its future events in one (by
 * time, then by the order they were scheduled) and its routable agents in others, so that a whole peak
 * day costs O(events · log events) and never a scan over every contact.
 */
export class BinaryHeap<T> {
  // A flat array: the children of i are 2i+1 and 2i+2; no per-node objects to allocate.
  private readonly items: T[] = [];

  /** `before(a, b)` is true when `a` must come out before `b`; it must be a strict order. */
  constructor(private readonly before: (a: T, b: T) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  peek(): T | undefined {
    return this.items[0];
  }

  push(item: T): void {
    const items = this.items;
    let i = items.length;
    items.push(item);
    // Sift up: move the parent down until the new item's place is found, then write it once.
    while (i > 0) {
      const parentIndex = (i - 1) >> 1;
      const parent = items[parentIndex] as T;
      if (!this.before(item, parent)) break;
      items[i] = parent;
      i = parentIndex;
    }
    items[i] = item;
  }

  pop(): T | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  /** Keeps only the items `keep` accepts, then restores the heap order in O(n). */
  retain(keep: (item: T) => boolean): void {
    const kept = this.items.filter(keep);
    this.items.length = 0;
    for (const item of kept) this.items.push(item);
    for (let i = (this.items.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(start: number): void {
    const items = this.items;
    const n = items.length;
    const item = items[start] as T;
    let i = start;
    // Move the smaller child up at each level until the item's place is found, then write it once.
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      let child = left;
      if (right < n && this.before(items[right] as T, items[left] as T)) child = right;
      const smaller = items[child] as T;
      if (!this.before(smaller, item)) break;
      items[i] = smaller;
      i = child;
    }
    items[i] = item;
  }
}
