/**
 * Overflow routing's two budgets (docs/architecture.md, "Budgets"):
 * - the router's warm decision time in process: the Lambda handler answering flow events from its cache
 *   (budget: p99 under 1 ms), and, for comparison, a cache miss that reads DynamoDB over loopback;
 * - the controller's Connect calls a minute at 10 and at 10,000 calls in queue (budget: the same), the
 *   controller running minute after minute against the contact-centre simulator on a virtual clock.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ConnectContactFlowEvent } from 'aws-lambda';
import type { ContactCentre } from '#core/ports.js';
import { runController } from '#core/routing/controller.js';
import { InMemoryRoutingStateStore } from '#core/routing/memory-store.js';
import {
  overflowControllerEnvironment,
  overflowControllerEnvironmentFrom,
  queueIdOfArn,
} from '#functions/overflow-controller/environment.js';
import { overflowControllerSettings } from '#functions/overflow-controller/wiring.js';
import {
  overflowRouterEnvironment,
  overflowRouterEnvironmentFrom,
} from '#functions/overflow-router/environment.js';
import { overflowRouter, routerDynamoDb } from '#functions/overflow-router/wiring.js';
import { loadConfig } from '#infra/config/load.js';
import { createContactCentre } from '#simulator/contact-centre.js';

export interface Percentiles {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
}

export interface RouterDecisionTimes {
  readonly decisions: number;
  /** Through the handler, state in the router's cache: what nearly every caller at peak gets. */
  readonly warmMs: Percentiles;
  readonly missDecisions: number;
  /** A cache miss: one GetItem to a fake DynamoDB on loopback (network and SDK, not DynamoDB itself). */
  readonly missMs: Percentiles;
}

export interface ControllerCalls {
  readonly callsInQueue: number;
  readonly minutes: number;
  readonly samplesPerMinute: number;
  readonly connectCallsPerMinute: number;
  /** The primary queue's state at the end: the load was real enough to move it. */
  readonly finalState: string;
}

const percentiles = (values: number[]): Percentiles => {
  const sorted = Float64Array.from(values).sort();
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? Number.NaN };
};

const dev = loadConfig('dev');
const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77';
export const benchQueueArns = {
  primary: `${INSTANCE}/queue/0b1c2d3e-0000-4000-8000-000000000001`,
  secondLine: `${INSTANCE}/queue/0b1c2d3e-0000-4000-8000-000000000002`,
  callback: `${INSTANCE}/queue/0b1c2d3e-0000-4000-8000-000000000003`,
  accounting: `${INSTANCE}/queue/0b1c2d3e-0000-4000-8000-000000000004`,
};

/** The router's environment as the CDK app builds it, for the benchmark's fake AWS. */
export const routerBenchEnvironment = overflowRouterEnvironmentFrom(dev, {
  routingTable: 'peakline-bench-routing',
  queueArns: benchQueueArns,
});

/** What the inbound flow sends: the standard Connect event, asking for the primary queue. */
export const routerBenchEvent = (): ConnectContactFlowEvent =>
  ({
    Name: 'ContactFlowEvent',
    Details: {
      ContactData: {
        Attributes: {},
        Channel: 'VOICE',
        ContactId: '6f0e4a7c-0000-4000-8000-00000000bench',
        InitialContactId: '6f0e4a7c-0000-4000-8000-00000000bench',
        InitiationMethod: 'INBOUND',
        InstanceARN: INSTANCE,
        PreviousContactId: '6f0e4a7c-0000-4000-8000-00000000bench',
        Queue: null,
        CustomerEndpoint: { Address: '+48500100200', Type: 'TELEPHONE_NUMBER' },
        SystemEndpoint: { Address: '+48221000000', Type: 'TELEPHONE_NUMBER' },
        MediaStreams: { Customer: { Audio: null } },
      },
      Parameters: { queue: 'primary' },
    },
  }) as unknown as ConnectContactFlowEvent;

/**
 * A DynamoDB that answers every GetItem with the primary queue in OVERFLOW, confirmed by a sample just now
 * (as the controller stamps it), so the router believes it rather than falling back to NORMAL.
 */
const fakeDynamo = async () => {
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'x-amzn-requestid': 'bench' });
      res.end(
        JSON.stringify({
          Item: {
            state: { S: 'OVERFLOW' },
            updatedAt: { S: new Date().toISOString() },
            maxAgeSeconds: { N: '45' },
          },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
};

export const measureRouterDecisions = async (
  decisions: number,
  misses: number,
): Promise<RouterDecisionTimes> => {
  const { server, endpoint } = await fakeDynamo();
  try {
    Object.assign(process.env, routerBenchEnvironment, {
      AWS_REGION: 'eu-central-1',
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    });
    const { handler } = await import('#functions/overflow-router/handler.js');
    const event = routerBenchEvent();
    // Warm-up: the first read fills the cache, and the JIT sees the path.
    for (let i = 0; i < 1_000; i += 1) await handler(event);
    const warm = new Array<number>(decisions);
    for (let i = 0; i < decisions; i += 1) {
      const started = performance.now();
      const answer = await handler(event);
      warm[i] = performance.now() - started;
      if (answer.mode !== 'OVERFLOW')
        throw new Error(`the router answered ${answer.mode}, not the stored OVERFLOW`);
    }

    // Cache misses: the same router with no cache, reading every time.
    const documents = routerDynamoDb({ endpoint });
    const uncached = overflowRouter(
      overflowRouterEnvironment.parse({ ...routerBenchEnvironment, ROUTER_CACHE_SECONDS: '0' }),
      documents,
    );
    for (let i = 0; i < 50; i += 1) await uncached.route('primary');
    const miss = new Array<number>(misses);
    for (let i = 0; i < misses; i += 1) {
      const started = performance.now();
      const decision = await uncached.route('primary');
      miss[i] = performance.now() - started;
      if (decision.fallback !== undefined) throw new Error(`a cache miss fell back: ${decision.fallback}`);
    }
    documents.destroy();
    return { decisions, warmMs: percentiles(warm), missDecisions: misses, missMs: percentiles(miss) };
  } finally {
    server.close();
  }
};

/** Queue ARNs whose last part is the simulator's queue id, as the Connect adapter asks by the ARN's id. */
const simulatorQueueArn = (id: string) => `${INSTANCE}/queue/${id}`;

/**
 * The controller's settings as the Lambda builds them from the environment the CDK app gives it: the
 * primary queue judged on its calls' expected wait, the callback queue on its oldest contact, the stage's
 * wait model and thresholds, and the second line asked for in the same metrics call.
 */
export const controllerBenchSettings = () =>
  overflowControllerSettings(
    overflowControllerEnvironment.parse(
      overflowControllerEnvironmentFrom(dev, {
        routingTable: 'peakline-bench-routing',
        busName: 'peakline',
        opsTopicArn: 'arn:aws:sns:eu-central-1:123456789012:peakline-bench-ops',
        connectInstanceId: '5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77',
        queueArns: {
          primary: simulatorQueueArn('primary'),
          callback: simulatorQueueArn('callback'),
          secondLine: simulatorQueueArn('secondLine'),
        },
      }),
    ),
  );

/** Voice agents on the phones during the controller bench, each on a call that outlasts the run. */
const BUSY_VOICE_AGENTS = 5;

/**
 * The controller for `minutes` minutes (one run a minute, as the schedule starts it) against the simulator
 * with `callsInQueue` callers in the primary queue, the first few answered by agents on long calls and the
 * rest waiting, counting the metrics calls that reach the contact centre.
 */
export const measureControllerCalls = async (
  callsInQueue: number,
  minutes: number,
): Promise<ControllerCalls> => {
  const start = Date.UTC(2026, 10, 27, 9);
  const simulator = createContactCentre(start);
  // Agents on calls: the expected wait the controller judges needs someone on the channel (a queue with
  // nobody logged in is judged closed), and grows with the callers ahead of a new one.
  simulator.setAgentsOnline('voice', BUSY_VOICE_AGENTS);
  for (let i = 0; i < callsInQueue; i += 1) {
    simulator.arrive({
      channel: 'VOICE',
      queueId: 'primary',
      patienceSeconds: Number.POSITIVE_INFINITY,
      handlingSeconds: (minutes + 1) * 60,
    });
  }
  const settings = controllerBenchSettings();
  const secondLineId = queueIdOfArn(settings.secondLine?.metricsId ?? '');
  let metricsCalls = 0;
  let withoutSecondLine = 0;
  const counting: Pick<ContactCentre, 'getCurrentMetrics'> = {
    getCurrentMetrics: (arns) => {
      metricsCalls += 1;
      const ids = arns.map(queueIdOfArn);
      if (!ids.includes(secondLineId)) withoutSecondLine += 1;
      return simulator.getCurrentMetrics(ids);
    },
  };
  const store = new InMemoryRoutingStateStore();
  const overflow = dev.overflow;
  const deps = {
    contactCentre: counting,
    store,
    events: { publish: async () => undefined },
    ops: { notify: async () => undefined },
    clock: { now: () => new Date(simulator.now) },
  };
  for (let minute = 0; minute < minutes; minute += 1) {
    simulator.advanceTo(start + minute * 60_000);
    const runStart = simulator.now;
    await runController(deps, settings, {
      samplesPerMinute: overflow.samplesPerMinute,
      // As the Lambda's timeout gives it, on the virtual clock.
      remainingMs: () => 55_000 - (simulator.now - runStart),
      sleep: async (ms) => simulator.advanceTo(simulator.now + ms),
    });
  }
  const viaSimulator = simulator.snapshot().apiCalls.GetCurrentMetricData ?? 0;
  if (viaSimulator !== metricsCalls)
    throw new Error(`counted ${metricsCalls} calls, the simulator saw ${viaSimulator}`);
  // The deployed controller asks for the second line with the watched queues, at no extra call.
  if (withoutSecondLine > 0) throw new Error(`${withoutSecondLine} metrics calls left the second line out`);
  return {
    callsInQueue,
    minutes,
    samplesPerMinute: overflow.samplesPerMinute,
    connectCallsPerMinute: metricsCalls / minutes,
    finalState: await store.stateOf('primary'),
  };
};
