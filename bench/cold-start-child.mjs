// One cold start, as Lambda's init + first invoke: load the bundle, call the handler once, and report
// the two phases on fd 3. Run by bench/cold-start.ts in a fresh node process per sample.
import { readFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { promisify } from 'node:util';

// Deliberate waits (the Connect adapter's pacing sleeps) are timers that fire: each fired timer of 1 ms
// or more is kept as the part of its delay during which the event loop was idle (its event-loop
// utilization's idle time between scheduling and firing, at most the delay), from its scheduling, and the
// union of those within the first invoke is reported as `waitMs`. Timers that are cleared (the SDK's socket
// timeouts) never count. Idle only: a timer scheduled inside synchronous work (zrender's 16 ms animation
// frame, while the monthly report draws its charts) fires late because the loop was busy, and that lateness is
// the work itself, not a wait (issue 16, found by counting the report's chart drawing as pacing).
const waits = [];
const realSetTimeout = globalThis.setTimeout;
const measuredSetTimeout = function (callback, delay, ...args) {
  if (typeof callback !== 'function' || !(Number(delay) >= 1))
    return realSetTimeout(callback, delay, ...args);
  const scheduled = performance.now();
  const loop = performance.eventLoopUtilization();
  return realSetTimeout(() => {
    const fired = performance.now();
    const idle = performance.eventLoopUtilization(loop).idle;
    waits.push([scheduled, scheduled + Math.min(Number(delay), fired - scheduled, idle)]);
    callback(...args);
  }, delay);
};
measuredSetTimeout[promisify.custom] = realSetTimeout[promisify.custom];
globalThis.setTimeout = measuredSetTimeout;

/** The time covered by at least one of `intervals`, clipped to [from, to]. */
const covered = (intervals, from, to) => {
  let total = 0;
  let reach = from;
  for (const [start, end] of [...intervals].sort((a, b) => a[0] - b[0])) {
    const s = Math.max(start, reach);
    const e = Math.min(end, to);
    if (e > s) total += e - s;
    reach = Math.max(reach, e);
  }
  return total;
};

const [bundle, eventFile] = process.argv.slice(2);
const started = performance.now();
const { handler } = await import(bundle);
const loaded = performance.now();
const context = {
  functionName: 'bench',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:bench',
  memoryLimitInMB: '256',
  awsRequestId: 'bench',
  logGroupName: '/aws/lambda/bench',
  logStreamName: 'bench',
  getRemainingTimeInMillis: () => 10_000,
};
const result = await handler(JSON.parse(readFileSync(eventFile, 'utf8')), context);
const invoked = performance.now();
// CPU of the whole process so far (node's start included): far steadier than wall time on a busy machine,
// where a lever's A/B would otherwise drown in the neighbours' noise.
const cpu = process.cpuUsage();
writeSync(
  3,
  JSON.stringify({
    loadMs: loaded - started,
    invokeMs: invoked - loaded,
    waitMs: covered(waits, loaded, invoked),
    cpuMs: (cpu.user + cpu.system) / 1000,
    result,
  }),
);
// Lambda freezes the process once the invoke has returned: what would still run (an SDK keep-alive socket,
// a timer) is no part of the cold start, yet waiting for it before node exits would be. Out at once, as
// the bare `node -e 0` the figures are measured over.
process.exit(0);
