/**
 * Test events built from the committed samples in `events/samples` (the same files a shop developer
 * sends with the AWS CLI), cloned per call so no test can leak a change into another.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SQSRecord } from 'aws-lambda';
import { putEvents } from '#local/bus/put-events.js';
import sqsRecordFixture from '#test/fixtures/sqs-record.json' with { type: 'json' };

export interface PutEventsEntry {
  Source: string;
  DetailType: string;
  Detail: string;
  EventBusName?: string;
}

export interface DeliveredEvent {
  version: '0';
  id: string;
  'detail-type': string;
  source: string;
  account: string;
  time: string;
  region: string;
  resources: string[];
  detail: Record<string, unknown>;
}

const samplesDir = new URL('../../events/samples/', import.meta.url);

/** The entries of `events/samples/<name>.json` (or `invalid/<name>.json`). */
export const sampleEntries = (name: string): PutEventsEntry[] =>
  JSON.parse(readFileSync(new URL(`${name}.json`, samplesDir), 'utf8')) as PutEventsEntry[];

/** The bus the samples are put on in tests: any source admitted. */
export const SAMPLE_BUS = {
  name: 'peakline',
  account: '123456789012',
  region: 'eu-central-1',
  admitsSource: () => true,
} as const;

/**
 * A sample entry as EventBridge delivers it to a target, built by the local stack's PutEvents: the
 * envelope, with `detail` as an object, and an id of its own.
 */
export const deliveredSample = (name: string, index = 0): DeliveredEvent => {
  const entry = sampleEntries(name)[index];
  if (!entry) throw new Error(`events/samples/${name}.json has no entry ${index}`);
  const { response, events } = putEvents(
    { Entries: [entry] },
    { bus: SAMPLE_BUS, now: new Date('2026-11-27T18:00:00Z') },
  );
  const [event] = events;
  if (!event)
    throw new Error(`PutEvents refuses events/samples/${name}.json: ${JSON.stringify(response.Entries[0])}`);
  return structuredClone(event) as DeliveredEvent;
};

/** An SQS record carrying `body` as an EventBridge -> SQS target delivers it. */
export const sqsRecord = (body: unknown): SQSRecord => ({
  ...structuredClone(sqsRecordFixture),
  messageId: randomUUID(),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
