import { describe, expect, it } from 'vitest';
import { readOverflowRouterEnvironment } from '#functions/overflow-router/environment-fields.js';
import {
  overflowRouterEnvironment,
  overflowRouterEnvironmentFrom,
} from '#functions/overflow-router/environment.js';
import { checkEnvironment, FunctionEnvironmentError } from '#infra/constructs/peakline-function.js';
import { loadConfig } from '#infra/config/load.js';

const INSTANCE = 'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';
const RESOURCES = {
  routingTable: 'peakline-dev-routing',
  queueArns: { primary: `${INSTANCE}/queue/q-1`, secondLine: `${INSTANCE}/queue/q-2` },
};

describe('the overflow router’s environment', () => {
  it('reads what the CDK app gives it, the cache time as a number', () => {
    // Prepare
    const dev = loadConfig('dev');

    // Act
    const env = readOverflowRouterEnvironment(overflowRouterEnvironmentFrom(dev, RESOURCES));

    // Assess
    expect(env).toEqual({
      ROUTING_TABLE_NAME: 'peakline-dev-routing',
      ROUTER_CACHE_SECONDS: dev.overflow.routerCacheSeconds,
      QUEUE_ARN_PRIMARY: RESOURCES.queueArns.primary,
      QUEUE_ARN_SECOND_LINE: RESOURCES.queueArns.secondLine,
    });
  });

  it('fails the cold start naming every bad variable and what is wrong with it', () => {
    // Act
    const read = () =>
      readOverflowRouterEnvironment({
        ROUTING_TABLE_NAME: '',
        ROUTER_CACHE_SECONDS: '90',
        QUEUE_ARN_PRIMARY: 'arn:aws:connect:eu-central-1:123456789012:instance/x',
      });

    // Assess
    expect(read).toThrow(
      'Invalid function environment: ROUTING_TABLE_NAME: empty; ROUTER_CACHE_SECONDS: at most 60; ' +
        'QUEUE_ARN_PRIMARY: expected a Connect queue ARN; QUEUE_ARN_SECOND_LINE: missing',
    );
  });

  it.each([
    ['a fraction', '2.5'],
    ['a word', 'five'],
    ['nothing', ''],
    ['a negative number', '-1'],
  ])('refuses %s as the cache time', (_what, value) => {
    // Act
    const read = () =>
      readOverflowRouterEnvironment({
        ...overflowRouterEnvironmentFrom(loadConfig('dev'), RESOURCES),
        ROUTER_CACHE_SECONDS: value,
      });

    // Assess
    expect(read).toThrow(/^Invalid function environment: ROUTER_CACHE_SECONDS: /);
  });

  it('gives the synth-time check the same rules: it passes what the handler reads, and refuses what it refuses', () => {
    // Prepare
    const good = overflowRouterEnvironmentFrom(loadConfig('dev'), RESOURCES);

    // Act
    const bad = () =>
      checkEnvironment('overflow-router', overflowRouterEnvironment, {
        ...good,
        ROUTER_CACHE_SECONDS: '61',
        QUEUE_ARN_SECOND_LINE: undefined as unknown as string,
      });

    // Assess
    expect(() => checkEnvironment('overflow-router', overflowRouterEnvironment, good)).not.toThrow();
    expect(overflowRouterEnvironment.parse(good)).toEqual(readOverflowRouterEnvironment(good));
    expect(bad).toThrow(FunctionEnvironmentError);
    expect(bad).toThrow(
      'Function overflow-router environment: ROUTER_CACHE_SECONDS: at most 60; QUEUE_ARN_SECOND_LINE: missing',
    );
  });
});
