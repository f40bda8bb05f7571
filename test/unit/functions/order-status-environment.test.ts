import { describe, expect, it } from 'vitest';
import { deflectionEnvironmentFrom, trackingEnvironmentFrom } from '#functions/deflection-sms/environment.js';
import { orderStatusEnvironment, orderStatusEnvironmentFrom } from '#functions/order-status/environment.js';
import { loadConfig } from '#infra/config/load.js';

const dev = loadConfig('dev');
const resources = {
  ordersTable: 'peakline-dev-orders',
  callerSmsQueueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-dev-deflection-sms',
};

describe('the order-status function’s environment', () => {
  it('gives the lookup a budget half a second under the flow’s timeout, and passes its own check', () => {
    // Act
    const env = orderStatusEnvironment.parse(
      orderStatusEnvironmentFrom(
        { ...dev, orderStatus: { ...dev.orderStatus, lookupTimeoutSeconds: 3 } },
        resources,
      ),
    );

    // Assess
    expect(env).toEqual({
      ORDERS_TABLE_NAME: 'peakline-dev-orders',
      ORDER_STATUS_MAX_ORDERS: dev.orderStatus.maxOrdersPerPhone,
      ORDER_LOOKUP_BUDGET_MS: 2_500,
      CALLER_SMS_QUEUE_URL: resources.callerSmsQueueUrl,
      CONTACT_CENTRE_TIME_ZONE: dev.connect.timeZone,
    });
  });

  it('keeps half a second even at the shortest timeout', () => {
    // Act
    const env = orderStatusEnvironmentFrom(
      { ...dev, orderStatus: { ...dev.orderStatus, lookupTimeoutSeconds: 1 } },
      resources,
    );

    // Assess
    expect(env.ORDER_LOOKUP_BUDGET_MS).toBe('500');
  });
});

describe('the caller-SMS sender’s environment per kind', () => {
  it('has no deflection page without overflow.requestUrl, and no order index with order status off', () => {
    // Act
    const deflection = deflectionEnvironmentFrom({});
    const tracking = trackingEnvironmentFrom({ enabled: false, maxOrdersPerPhone: 5 }, resources);

    // Assess
    expect([deflection, tracking]).toEqual([{}, {}]);
  });

  it('names the order index when order status is on', () => {
    // Act
    const tracking = trackingEnvironmentFrom({ enabled: true, maxOrdersPerPhone: 7 }, resources);

    // Assess
    expect(tracking).toEqual({ ORDERS_TABLE_NAME: 'peakline-dev-orders', ORDER_STATUS_MAX_ORDERS: '7' });
  });
});
