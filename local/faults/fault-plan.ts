/**
 * The chaos switch of the local stack (`npm start -- --faults sns=0.3,events=0.3,connect=0.3,dynamodb=0.05`):
 * which share of each service's calls fails, and how. A fault is one of the ways AWS fails a caller:
 * - `throttling`: turned down for the rate, nothing done (SNS `Throttled`, EventBridge and Connect
 *   `ThrottlingException`, DynamoDB `ProvisionedThroughputExceededException`/`ThrottlingException`);
 * - `server-error`: a 5xx on AWS's side, nothing done;
 * - `acted-then-timeout`: the remote side did the work, but the caller's connection timed out before
 *   the answer came, so the caller sees an error for a call that took effect. This is the fault that
 *   doubles an SMS or loses a fact when code takes "error" for "nothing happened".
 * The draws come from a seeded generator, so a run can be replayed with the same `--fault-seed`.
 */
import { InvalidArgumentError } from 'commander';
import { Random } from '#simulator/connect/random.js';

export const FAULT_SERVICES = ['sns', 'events', 'connect', 'dynamodb'] as const;
export type FaultService = (typeof FAULT_SERVICES)[number];

export const FAULT_KINDS = ['throttling', 'server-error', 'acted-then-timeout'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Share of calls that fail, per service, each in [0, 1]. A service left out never fails. */
export type FaultRates = Readonly<Partial<Record<FaultService, number>>>;

export class FaultSpecError extends Error {
  override readonly name = 'FaultSpecError';
}

/**
 * Parses `sns=0.3,events=0.3,connect=0.3,dynamodb=0.05`. Refuses an unknown service, a share outside
 * [0, 1], a service named twice and anything that is not `name=share`, naming what is wrong.
 */
export const parseFaultSpec = (text: string): FaultRates => {
  const rates: Partial<Record<FaultService, number>> = {};
  const parts = text
    .split(',')
    .map((p) => p.trim())
    .filter((p) => p.length > 0);
  if (parts.length === 0) {
    throw new FaultSpecError(`expected service=share pairs such as sns=0.3,dynamodb=0.05, got "${text}"`);
  }
  for (const part of parts) {
    const match = /^([a-z]+)\s*=\s*(\S+)$/i.exec(part);
    if (!match) throw new FaultSpecError(`"${part}" is not service=share, e.g. sns=0.3`);
    const [, name = '', value = ''] = match;
    const service = name.toLowerCase();
    if (!(FAULT_SERVICES as readonly string[]).includes(service)) {
      throw new FaultSpecError(`unknown service "${name}": expected one of ${FAULT_SERVICES.join(', ')}`);
    }
    const share = Number(value);
    if (!/^\d*\.?\d+$/.test(value) || !Number.isFinite(share) || share < 0 || share > 1) {
      throw new FaultSpecError(`${service}=${value}: the share of calls that fail must be between 0 and 1`);
    }
    if (service in rates) throw new FaultSpecError(`${service} is given twice`);
    rates[service as FaultService] = share;
  }
  return rates;
};

/** The faults as `npm start -- --faults` wrote them, for logs and the dashboard. */
/** `--faults` as commander reads it (for `npm start` and `npm run proof:load`): a bad spec is a usage error. */
export const faultSpecArgument = (value: string): FaultRates => {
  try {
    return parseFaultSpec(value);
  } catch (error) {
    if (error instanceof FaultSpecError) throw new InvalidArgumentError(error.message);
    throw error;
  }
};

export const formatFaultRates = (rates: FaultRates): string =>
  FAULT_SERVICES.filter((s) => (rates[s] ?? 0) > 0)
    .map((s) => `${s}=${rates[s]}`)
    .join(',') || 'none';

export interface FaultCounts {
  /** Calls that reached the stand-in. */
  calls: number;
  throttling: number;
  'server-error': number;
  'acted-then-timeout': number;
}

export interface FaultsSnapshot {
  readonly seed: number;
  readonly rates: Readonly<Record<FaultService, number>>;
  readonly services: Readonly<Record<FaultService, FaultCounts>>;
  /** Faults injected in all. */
  readonly injected: number;
}

const zeroCounts = (): FaultCounts => ({
  calls: 0,
  throttling: 0,
  'server-error': 0,
  'acted-then-timeout': 0,
});

/**
 * Decides, call by call, whether a service's call fails and how; counts what it injected. The kinds are
 * drawn in equal shares. One generator per service, each seeded from the run's seed, so the faults one
 * service sees do not shift when another service is called more or less often.
 */
export class FaultInjector {
  private readonly randoms: Record<FaultService, Random>;
  private readonly counts: Record<FaultService, FaultCounts>;
  readonly rates: Readonly<Record<FaultService, number>>;

  constructor(
    rates: FaultRates,
    readonly seed = 1,
  ) {
    this.rates = Object.fromEntries(FAULT_SERVICES.map((s) => [s, rates[s] ?? 0])) as Record<
      FaultService,
      number
    >;
    this.randoms = Object.fromEntries(
      FAULT_SERVICES.map((s, i) => [s, new Random((seed * 31 + i * 7919) >>> 0)]),
    ) as Record<FaultService, Random>;
    this.counts = Object.fromEntries(FAULT_SERVICES.map((s) => [s, zeroCounts()])) as Record<
      FaultService,
      FaultCounts
    >;
  }

  /** No fault at all: the stand-ins behave as before. */
  get enabled(): boolean {
    return FAULT_SERVICES.some((s) => this.rates[s] > 0);
  }

  /** One call to `service`: the fault to inject, or undefined to let it through. */
  draw(service: FaultService): FaultKind | undefined {
    const counts = this.counts[service];
    counts.calls += 1;
    const rate = this.rates[service];
    if (rate <= 0) return undefined;
    const random = this.randoms[service];
    if (random.next() >= rate) return undefined;
    const kind = FAULT_KINDS[random.int(FAULT_KINDS.length)] ?? 'throttling';
    counts[kind] += 1;
    return kind;
  }

  snapshot(): FaultsSnapshot {
    const services = Object.fromEntries(FAULT_SERVICES.map((s) => [s, { ...this.counts[s] }])) as Record<
      FaultService,
      FaultCounts
    >;
    const injected = FAULT_SERVICES.reduce(
      (sum, s) =>
        sum + services[s].throttling + services[s]['server-error'] + services[s]['acted-then-timeout'],
      0,
    );
    return { seed: this.seed, rates: this.rates, services, injected };
  }
}

/** No faults: what the local stack runs with unless `--faults` is given. */
export const noFaults = (): FaultInjector => new FaultInjector({});
