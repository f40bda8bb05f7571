import * as z from 'zod';
import { FACTS_RETENTION_DAYS } from '#core/reporting/facts.js';

/** What the handler reads from `process.env`; checked at synth by PeaklineFunction, and at cold start. */
export const factRecorderEnvironment = z.object({
  FACTS_TABLE_NAME: z.string().min(1),
  REJECTED_EVENTS_QUEUE_URL: z.url(),
  /** The shop's event source: only its OrderPlaced is an order. */
  SHOP_SOURCE: z.string().min(1),
  FACTS_RETENTION_DAYS: z.coerce.number().int().min(30).max(3650).default(FACTS_RETENTION_DAYS),
});
