import { zodSchemaOf } from '#adapters/environment/zod-schema.js';
import { orderIndexFields } from './environment-fields.js';

export type { OrderIndexEnvironment } from './environment-fields.js';

/**
 * What the order index writer reads from `process.env`, as the zod schema PeaklineFunction checks at synth;
 * the handler checks the very same fields by hand at cold start (environment-fields.ts).
 */
export const orderIndexEnvironment = zodSchemaOf(orderIndexFields);

export interface OrderIndexResources {
  readonly ordersTable: string;
  readonly rejectedEventsQueueUrl: string;
}

/** The function's environment from the stage's settings: the CDK app and the local stack both use it. */
export const orderIndexEnvironmentFrom = (
  config: {
    readonly sms: { readonly retentionDays: number };
    readonly orderStatus: { readonly maxOrdersPerPhone: number };
    readonly connect: { readonly timeZone: string };
  },
  resources: OrderIndexResources,
): Record<string, string> => ({
  ORDERS_TABLE_NAME: resources.ordersTable,
  REJECTED_EVENTS_QUEUE_URL: resources.rejectedEventsQueueUrl,
  ORDER_INDEX_RETENTION_DAYS: String(config.sms.retentionDays),
  MAX_ORDERS_PER_PHONE: String(config.orderStatus.maxOrdersPerPhone),
  CONTACT_CENTRE_TIME_ZONE: config.connect.timeZone,
});
