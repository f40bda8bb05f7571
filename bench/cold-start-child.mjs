// One cold start, as Lambda's init + first invoke: load the bundle, call the handler once, and report
// the two phases on fd 3. Run by bench/cold-start.ts in a fresh node process per sample.
import { readFileSync, writeSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

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
writeSync(3, JSON.stringify({ loadMs: loaded - started, invokeMs: invoked - loaded, result }));
