/**
 * What EventBridge does between `aws events put-events --entries file://...` and a target: it checks the
 * entry, parses Detail and wraps it in the envelope targets receive. The samples are written for the
 * CLI, so the tests replay this step to check them the way peakline will actually see them.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as z from 'zod';

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

/** Builds the event EventBridge would deliver for `entry`, or says why PutEvents would refuse it. */
export const deliver = (entry: PutEventsEntry, index = 0): Delivery => {
  let detail: unknown;
  try {
    detail = JSON.parse(entry.Detail);
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `Detail: not valid JSON text, PutEvents answers MalformedDetail (${cause})` };
  }
  return {
    ok: true,
    event: {
      version: '0',
      id: `6f1c7a52-3b0e-4c1d-9e8a-${String(index).padStart(12, '0')}`,
      'detail-type': entry.DetailType,
      source: entry.Source,
      account: '123456789012',
      time: '2025-11-28T21:58:11Z',
      region: 'eu-central-1',
      resources: [],
      detail,
    },
  };
};
