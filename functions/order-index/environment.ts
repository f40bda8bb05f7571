import * as z from 'zod';

/**
 * What the order index writer reads from `process.env`; checked at synth by PeaklineFunction, and at cold
 * start. The phone-hash key's secret comes as `PHONE_HASH_KEY_SECRET_ARN`, read by `suppressionKeying()`.
 */
export const orderIndexEnvironment = z.object({
  ORDERS_TABLE_NAME: z.string().min(1),
  REJECTED_EVENTS_QUEUE_URL: z.url(),
  /** Days an entry is kept after the order's last change: the SMS retention. */
  ORDER_INDEX_RETENTION_DAYS: z.coerce.number().int().positive(),
  MAX_ORDERS_PER_PHONE: z.coerce.number().int().min(1).max(20),
  CONTACT_CENTRE_TIME_ZONE: z.string().min(1),
});

export type OrderIndexEnvironment = z.output<typeof orderIndexEnvironment>;

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
