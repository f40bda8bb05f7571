/**
 * `npm run bench`: measures the budgets of docs/architecture.md and writes the figures to
 * bench/results.md (committed, so a change's effect shows in review). Figures, never pass/fail: the
 * budget is printed beside each so a reader sees the margin.
 */

import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import {
  coldStartSection,
  leversSection,
  moduleCostSection,
  writeColdStartsJson,
} from './cold-start-results.js';
import { measureColdStarts } from './cold-start.js';
import { measureModuleCosts } from './module-cost.js';
import { BUNDLE_VARIANTS, leverEntries, measureBundleLevers } from './bundle-levers.js';
import { measureOrderLookups } from './order-status.js';
import { measureControllerCalls, measureRouterDecisions } from './overflow.js';
import { COST_HEADING } from './cost.js';
import { E2E_HEADING } from './end-to-end-events.js';
import { OVERFLOW_COMPARE_HEADING, sectionOf } from './overflow-compare.js';
import { PROOF_HEADING } from './proof/results.js';
import { measurePlanning, planningSection, writePlanningJson } from './planning.js';
import { smsSection, writeSmsJson } from './sms-results.js';
import { measureSmsThroughput } from './sms-throughput.js';

const { values } = parseArgs({
  options: { samples: { type: 'string', default: '15' }, events: { type: 'string', default: '4000' } },
});
const samples = Number(values.samples);
const ROUTER_P99_BUDGET_MS = 1;

/** Microseconds below a millisecond, where the router's figures are. */
const us = (n: number) => (n < 1 ? `${(n * 1000).toFixed(1)} µs` : `${n.toFixed(2)} ms`);

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const coldStarts = await measureColdStarts(samples);
// The two functions every caller waits on, the SMS path and one of each other kind (an SQS consumer, a
// scheduled Connect caller), with fewer samples: every package alone is a run of its own. `tsx
// bench/module-cost.ts --only <names>` for any other.
const moduleCosts = await measureModuleCosts(Math.min(samples, 5), [
  'overflow-router',
  'order-status',
  'order-sms',
  'cart-callbacks',
  'overflow-controller',
]);
// The bundle-level levers, A/B: one function without the AWS SDK's clients at load and two with them.
const bundleLevers = leverEntries(
  await measureBundleLevers(['overflow-router', 'order-sms', 'cart-callbacks'], BUNDLE_VARIANTS, samples),
);
const sms = await measureSmsThroughput(Number(values.events), 8);
const router = await measureRouterDecisions(100_000, 2_000);
const lookup = await measureOrderLookups(20_000);
const controller = [await measureControllerCalls(10, 10), await measureControllerCalls(10_000, 10)];
const planning = await measurePlanning();

const lines = [
  '# Benchmark results',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'unknown CPU'}, ${samples} samples per figure (median, with p90).`,
  '',
  ...coldStartSection(coldStarts, samples),
  ...moduleCostSection(moduleCosts),
  ...leversSection(bundleLevers),
  ...smsSection(sms),
  '## Overflow router decision time',
  '',
  `${router.decisions.toLocaleString('en')} decisions through the router's Lambda handler in one process, the primary queue's state in its cache (as for nearly every caller: the cache is read again every \`overflow.routerCacheSeconds\`). Budget: p99 under ${ROUTER_P99_BUDGET_MS} ms. Beside it, ${router.missDecisions.toLocaleString('en')} cache misses, each one GetItem to a fake DynamoDB on loopback (the SDK and the network stack, not DynamoDB's own latency).`,
  '',
  '| decision | p50 | p99 | max | budget |',
  '| --- | --- | --- | --- | --- |',
  `| warm (cached state) | ${us(router.warmMs.p50)} | ${us(router.warmMs.p99)} | ${us(router.warmMs.max)} | ${router.warmMs.p99 < ROUTER_P99_BUDGET_MS ? 'within' : '**over**'} |`,
  `| cache miss (GetItem on loopback) | ${us(router.missMs.p50)} | ${us(router.missMs.p99)} | ${us(router.missMs.max)} | - |`,
  '',
  '## Order lookup time',
  '',
  `${lookup.lookups.toLocaleString('en')} lookups through the order-status Lambda handler in one process (issue 15: every caller of a stage with order status waits on it before the menu), each one Query of the order index to a fake DynamoDB on loopback answering one order in progress, then the announcement's SSML, the log line and the metric. The flow waits at most \`orderStatus.lookupTimeoutSeconds\`; past it the caller goes on to routing.`,
  '',
  '| lookup | p50 | p99 | max |',
  '| --- | --- | --- | --- |',
  `| warm (Query on loopback) | ${us(lookup.warmMs.p50)} | ${us(lookup.warmMs.p99)} | ${us(lookup.warmMs.max)} |`,
  '',
  '## Overflow controller Connect calls',
  '',
  `The controller run once a minute for ${controller[0]?.minutes ?? 0} virtual minutes against the contact-centre simulator, with callers waiting in the primary queue and its 5 voice agents all on long calls (so the wait, and the state, climb alike under both loads); every metrics call counted. Budget: the same calls a minute whatever the load.`,
  '',
  '| calls in queue | samples a minute | GetCurrentMetricData calls a minute | primary queue at the end |',
  '| --- | --- | --- | --- |',
  ...controller.map(
    (c) =>
      `| ${c.callsInQueue.toLocaleString('en')} | ${c.samplesPerMinute} | ${c.connectCallsPerMinute.toFixed(1)} | ${c.finalState} |`,
  ),
  '',
  `Connect calls a minute ${new Set(controller.map((c) => c.connectCallsPerMinute)).size === 1 ? 'do not change' : '**change**'} with the load.`,
  '',
  ...planningSection(planning.day, planning.replications, planning.plan),
];
// The cost (npm run cost), the end-to-end latency (npm run bench:e2e), the policy comparison (npm run
// bench:overflow) and the proofs (npm run proof:load) write their own sections of results.md; a bench run
// keeps them as they were.
const resultsFile = new URL('./results.md', import.meta.url);
const previous = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '';
const kept = [COST_HEADING, E2E_HEADING, OVERFLOW_COMPARE_HEADING, PROOF_HEADING]
  .map((heading) => sectionOf(previous, heading)?.trimEnd())
  .filter((section): section is string => section !== undefined && section !== '');
const report = [lines.join('\n').trimEnd(), ...kept].join('\n\n') + '\n';
writeFileSync(resultsFile, report);
writeColdStartsJson(coldStarts, samples, moduleCosts, bundleLevers);
writeSmsJson(sms);
writePlanningJson(planning);
console.log(report);
