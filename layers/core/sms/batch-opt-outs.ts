/**
 * The opt-out list as one batch of order SMS sees it: one read for the phones of the whole batch instead
 * of one per SMS (a BatchGetItem of up to 10 keys for 10 GetItems: 0.1 call per event instead of 1).
 *
 * The answer is only as old as one SMS's own read used to be. Before, each SMS read the list beside its
 * claim and then waited for the SMS rate (SnsSmsSender's pacer, about a second per SMS at a function's
 * share of the account's rate) before SNS took it: an opt-out recorded during that wait was not seen.
 * Here an answer older than `maxAgeMs` (a second by default) is never used: the phones of the batch that
 * are still to be decided are read again, together. So an opt-out that arrives while the batch runs
 * stops every SMS decided more than a second after it, as before.
 *
 * The read is lazy (a batch held overnight by quiet hours reads nothing: its opt-outs are read at
 * release), and a failed read fails only the SMS that asked, whose claim goes back; the next one reads
 * again. A phone the store could not read (`unread`) is asked on its own, never taken for "not suppressed".
 */
import type { OptOutRead, SuppressionEntry, SuppressionStore } from '../ports.js';

/** How old an answer of the batch read may be when an SMS is decided on it. */
export const OPT_OUT_MAX_AGE_MS = 1_000;

export class BatchOptOuts implements SuppressionStore {
  /** Phones of the batch not yet decided, with how many of its SMS are still to come. */
  readonly #waiting = new Map<string, number>();
  #read: { readonly at: number; readonly answer: Promise<OptOutRead> } | undefined;

  constructor(
    private readonly store: SuppressionStore,
    phoneHashes: readonly string[],
    private readonly maxAgeMs = OPT_OUT_MAX_AGE_MS,
  ) {
    for (const hash of phoneHashes) this.#waiting.set(hash, (this.#waiting.get(hash) ?? 0) + 1);
  }

  suppress(entry: SuppressionEntry): Promise<boolean> {
    return this.store.suppress(entry);
  }

  async isSuppressed(phoneHash: string, now: Date): Promise<boolean> {
    const left = this.#waiting.get(phoneHash);
    if (this.store.readOptOuts === undefined || left === undefined) {
      return this.store.isSuppressed(phoneHash, now);
    }
    const answer = await this.#answer(now);
    if (left <= 1) this.#waiting.delete(phoneHash);
    else this.#waiting.set(phoneHash, left - 1);
    if (answer.unread.has(phoneHash)) return this.store.isSuppressed(phoneHash, now);
    return answer.suppressed.has(phoneHash);
  }

  #answer(now: Date): Promise<OptOutRead> {
    const at = now.getTime();
    const read = this.#read;
    // A read still under way is shared by the SMS that ask meanwhile.
    if (read !== undefined && at - read.at <= this.maxAgeMs) return read.answer;
    const answer = (this.store.readOptOuts as NonNullable<SuppressionStore['readOptOuts']>).call(
      this.store,
      [...this.#waiting.keys()],
      now,
    );
    const current = { at, answer };
    this.#read = current;
    // A failed read is not kept: the next SMS reads again.
    answer.catch(() => {
      if (this.#read === current) this.#read = undefined;
    });
    return answer;
  }
}
