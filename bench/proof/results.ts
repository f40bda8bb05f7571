/**
 * Writes the proof's figures beside the other benchmark figures without touching them: `proof.load` in
 * bench/results.json, and the "Proof: load under faults" section of bench/results.md, replaced in place
 * (or appended). A run keeps the figures of runs with other faults, so `--only clean` after
 * `--only faults` leaves both in the table.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { format } from 'prettier';
import type { LoadProofResult } from './load.js';

const JSON_FILE = new URL('../results.json', import.meta.url);
const MD_FILE = new URL('../results.md', import.meta.url);
export const PROOF_HEADING = '## Proof: load under faults';

/** A run as results.json keeps it. */
export type StoredRun = Pick<
  LoadProofResult,
  | 'label'
  | 'faults'
  | 'faultSeed'
  | 'events'
  | 'injected'
  | 'load'
  | 'accounting'
  | 'smsInOutbox'
  | 'duplicateSms'
  | 'smsToOptedOut'
  | 'callbacksForOrderedCarts'
  | 'callbacksMadeBeforeTheirOrder'
  | 'settled'
  | 'seconds'
  | 'eventsPerSecond'
  | 'broken'
> &
  Partial<Pick<LoadProofResult, 'speed' | 'smsPartsPerSecond'>> & {
    readonly writtenAt: string;
    readonly machine: string;
    readonly seed: number;
  };

const stored = (r: LoadProofResult, about: { machine: string; seed: number }): StoredRun => ({
  label: r.label,
  faults: r.faults,
  faultSeed: r.faultSeed,
  speed: r.speed,
  ...(r.smsPartsPerSecond === undefined ? {} : { smsPartsPerSecond: r.smsPartsPerSecond }),
  events: r.events,
  injected: r.injected,
  load: r.load,
  accounting: r.accounting,
  smsInOutbox: r.smsInOutbox,
  duplicateSms: r.duplicateSms,
  smsToOptedOut: r.smsToOptedOut,
  callbacksForOrderedCarts: r.callbacksForOrderedCarts,
  callbacksMadeBeforeTheirOrder: r.callbacksMadeBeforeTheirOrder,
  settled: r.settled,
  seconds: Number(r.seconds.toFixed(1)),
  eventsPerSecond: Number(r.eventsPerSecond.toFixed(1)),
  broken: r.broken,
  writtenAt: new Date().toISOString(),
  machine: about.machine,
  seed: about.seed,
});

export const proofSection = (runs: readonly StoredRun[]): string => {
  const row = (r: StoredRun) => {
    const a = r.accounting;
    const faults =
      r.faults === 'none' ? 'none' : `\`${r.faults}\` (seed ${r.faultSeed}), ${r.injected.injected} injected`;
    const clock = `${r.speed === undefined ? 'speed not recorded' : `×${r.speed}`}${r.smsPartsPerSecond === undefined ? '' : `, SMS ${r.smsPartsPerSecond} parts/s`}`;
    return `| ${faults} | ${clock} | ${r.events.toLocaleString('en')} | ${a.emitted.toLocaleString('en')} | ${a.sent} | ${a.suppressed} | ${a.deferred} | ${a['dead-lettered']} | ${a['outcome-unknown']} | **${a.lost}** | **${r.duplicateSms}** | **${r.smsToOptedOut}** | **${r.callbacksForOrderedCarts}** | ${r.settled ? 'yes' : '**no**'} | ${r.seconds.toFixed(0)} s | ${r.eventsPerSecond.toFixed(0)} |`;
  };
  const broken = runs.flatMap((r) =>
    r.broken.map(
      (b) => `- ${r.label}: **${b.promise}** broken ${b.count} time(s), e.g. \`${b.examples[0] ?? ''}\``,
    ),
  );
  const machines = [
    ...new Set(runs.map((r) => `${r.machine}, ${r.writtenAt.slice(0, 10)}, load seed ${r.seed}`)),
  ];
  return [
    PROOF_HEADING,
    '',
    `Written by \`npm run proof:load\` (${machines.join('; ')}). Shop events through the local PutEvents endpoint with the AWS SDK (batches of 10): orders and their status changes, abandoned carts (half of them bought, the order sometimes arriving first), payment issues, opt-outs; 10% duplicates (the same event again, or the same fact re-stamped), 1% malformed. Opt-outs are processed before the load. Then the stack is left to settle (buffers empty, deferred SMS released, nothing new for five virtual minutes), and the promises are checked against the outbox, which holds every message the SNS stand-in accepted, including those whose answer a fault then lost.`,
    '',
    "The clock column gives the virtual clock's speed and, where the run set it, the pace of the SNS stand-in in parts per virtual second (by default the order-SMS function's share of `sms.maxPartsPerSecond`, 4, as on AWS; a run at a slow clock raises it so that pacing is not what is measured).",
    '',
    'Accounting per SMS-bearing fact, each distinct (order, status): sent + suppressed + deferred (still waiting) + dead-lettered + outcome unknown + lost = emitted. The bold columns are promises: each must be 0.',
    '',
    '| faults | clock, SMS pace | events | facts | sent | suppressed | deferred | dead-lettered | outcome unknown | lost | duplicate SMS | SMS to opted-out | callbacks for ordered carts | settled | time | events/s |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map(row),
    '',
    ...(broken.length > 0 ? ['Broken promises:', '', ...broken, ''] : ['Every promise held.', '']),
  ].join('\n');
};

export const writeProofResults = async (
  results: readonly LoadProofResult[],
  about: { machine: string; seed: number },
): Promise<void> => {
  const json = existsSync(JSON_FILE)
    ? (JSON.parse(readFileSync(JSON_FILE, 'utf8')) as Record<string, unknown>)
    : {};
  const proof = (json.proof ?? {}) as Record<string, unknown>;
  const earlier = ((proof.load as { runs?: StoredRun[] } | undefined)?.runs ?? []).filter(
    (run) => !results.some((r) => r.label === run.label),
  );
  const runs = [...earlier, ...results.map((r) => stored(r, about))].sort(
    (a, b) => Number(a.faults !== 'none') - Number(b.faults !== 'none'),
  );
  json.proof = { ...proof, load: { runs } };
  // Formatted as the repository formats it, so the other sections' figures keep their layout.
  writeFileSync(JSON_FILE, await format(JSON.stringify(json), { parser: 'json' }));

  const md = existsSync(MD_FILE) ? readFileSync(MD_FILE, 'utf8') : '# Benchmark results\n';
  const section = proofSection(runs);
  const start = md.indexOf(PROOF_HEADING);
  const end = start < 0 ? -1 : md.indexOf('\n## ', start + PROOF_HEADING.length);
  const updated =
    start < 0
      ? `${md.trimEnd()}\n\n${section}`
      : `${md.slice(0, start)}${section}${end >= 0 ? `\n${md.slice(end + 1)}` : ''}`;
  writeFileSync(MD_FILE, updated.endsWith('\n') ? updated : `${updated}\n`);
};
