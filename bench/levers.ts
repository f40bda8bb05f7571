/**
 * The cold start levers tried for issue 16, each measured A/B on the same machine (back to back,
 * interleaved samples, `npm run bench:cold` or the lever's own script) before it was kept or dropped.
 * Written into bench/results.md ("Cold start levers") and `bench.coldStarts.levers` of results.json.
 *
 * Adding one: append ONE entry to LEVERS (one surgical edit, at the end of the list). `beforeMs` and
 * `afterMs` are the same figure before and after the lever (say which in `note`: ms over `node -e 0`
 * by default, or load ms), on the functions in `scope`; `note` says why it was kept or dropped, the
 * machine's load when it matters, and where the lever is made.
 */
export interface Lever {
  /** What was changed, e.g. "NODE_OPTIONS without --enable-source-maps". */
  readonly lever: string;
  /** The functions it applies to, e.g. "every function" or "overflow-router". */
  readonly scope: string;
  readonly beforeMs: number;
  readonly afterMs: number;
  readonly kept: boolean;
  readonly note: string;
}

export const LEVERS: readonly Lever[] = [];

const ms = (n: number) => n.toFixed(1);

export const leversTable = (levers: readonly Lever[]): string[] => [
  '| lever | scope | before | after | effect | kept | why |',
  '| --- | --- | --- | --- | --- | --- | --- |',
  ...levers.map(
    (l) =>
      `| ${l.lever} | ${l.scope} | ${ms(l.beforeMs)} ms | ${ms(l.afterMs)} ms | ${l.afterMs <= l.beforeMs ? '−' : '+'}${ms(Math.abs(l.beforeMs - l.afterMs))} ms | ${l.kept ? 'yes' : 'no'} | ${l.note.replaceAll('|', '\\|')} |`,
  ),
];
