import { appendFileSync, existsSync, readFileSync } from 'node:fs';

/**
 * An append-only JSON Lines file with its newest entries in memory: the local stack's outbox and dead
 * letters, kept on disk under `.peakline/` so they can be read with `tail -f` or `jq`, and served by the
 * dashboard's API from memory.
 */
export class JsonlLog<T> {
  private readonly entries: T[] = [];

  constructor(
    readonly file: string,
    private readonly keep = 5_000,
  ) {
    // With --keep, the previous run's entries are there to see again.
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (line.trim()) this.remember(JSON.parse(line) as T);
      }
    }
    // The file exists from the start, so `tail -f` works before the first entry.
    appendFileSync(file, '');
  }

  append(entry: T): void {
    appendFileSync(this.file, `${JSON.stringify(entry)}\n`);
    this.remember(entry);
  }

  /** Newest first. */
  list(): readonly T[] {
    return this.entries;
  }

  private remember(entry: T): void {
    this.entries.unshift(entry);
    if (this.entries.length > this.keep) this.entries.length = this.keep;
  }
}
