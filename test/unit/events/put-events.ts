/**
 * What EventBridge does between `aws events put-events --entries file://...` and a target: it checks the
 * entry, parses Detail and wraps it in the envelope targets receive. The samples are written for the
 * CLI, so the tests replay this step to check them the way peakline will actually see them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';
import { putEvents } from '#local/bus/put-events.js';
import { SAMPLE_BUS } from '#test/support/events.js';

export const SAMPLES_DIR = join(import.meta.dirname, '../../../events/samples');
export const INVALID_SAMPLES_DIR = join(SAMPLES_DIR, 'invalid');

/** PutEvents accepts at most 10 entries per call, so a sample file that holds more cannot be sent. */
export const MAX_ENTRIES_PER_CALL = 10;

export const putEventsEntrySchema = z.strictObject({
  Source: z.string().min(1),
  DetailType: z.string().min(1),
  // The API takes the detail as JSON text, not as an object; the CLI passes it through unchanged.
  Detail: z.string(),
  EventBusName: z.string().min(1),
});
export type PutEventsEntry = z.infer<typeof putEventsEntrySchema>;

export const putEventsFileSchema = z.array(putEventsEntrySchema).min(1).max(MAX_ENTRIES_PER_CALL);

export const listSampleFiles = (dir: string): string[] =>
  readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort();

export const readSampleFile = (dir: string, name: string): unknown =>
  JSON.parse(readFileSync(join(dir, name), 'utf8'));

export const readEntries = (dir: string, name: string): PutEventsEntry[] =>
  putEventsFileSchema.parse(readSampleFile(dir, name));

export type Delivery = { ok: true; event: Record<string, unknown> } | { ok: false; reason: string };

/**
 * The event EventBridge would deliver for `entry`, or why PutEvents would refuse it: the local stack's
 * own PutEvents, so the samples are checked by the code that answers the shop locally.
 */
export const deliver = (entry: PutEventsEntry, index = 0): Delivery => {
  const { response, events } = putEvents(
    { Entries: [entry] },
    {
      bus: SAMPLE_BUS,
      now: new Date('2025-11-28T21:58:11Z'),
      newId: () => `6f1c7a52-3b0e-4c1d-9e8a-${String(index).padStart(12, '0')}`,
    },
  );
  const [event] = events;
  if (event) return { ok: true, event: { ...event } };
  const result = response.Entries[0];
  const detail = result && 'ErrorCode' in result ? `${result.ErrorCode}: ${result.ErrorMessage}` : 'refused';
  return { ok: false, reason: `Detail: not valid JSON text, PutEvents answers ${detail}` };
};
