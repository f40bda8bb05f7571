import * as z from 'zod';

/** What the handler reads from `process.env`; checked at synth by PeaklineFunction, and at cold start. */
export const optOutEnvironment = z.object({
  SUPPRESSION_TABLE_NAME: z.string().min(1),
  REJECTED_EVENTS_QUEUE_URL: z.url(),
  SUPPRESSION_RETENTION_DAYS: z.coerce.number().int().positive(),
});
