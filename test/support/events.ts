/**
 * Test events built from the committed samples in `events/samples` (the same files a shop developer
 * sends with the AWS CLI), cloned per call so no test can leak a change into another.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { SQSRecord } from 'aws-lambda';
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

/** A sample entry as EventBridge delivers it to a target: the envelope, with `detail` as an object. */
export const deliveredSample = (name: string, index = 0): DeliveredEvent => {
  const entry = sampleEntries(name)[index];
  if (!entry) throw new Error(`events/samples/${name}.json has no entry ${index}`);
  return {
    version: '0',
    id: randomUUID(),
    'detail-type': entry.DetailType,
    source: entry.Source,
    account: '123456789012',
    time: '2026-11-27T18:00:00Z',
    region: 'eu-central-1',
    resources: [],
    detail: JSON.parse(entry.Detail) as Record<string, unknown>,
  };
};

/** An SQS record carrying `body` as an EventBridge -> SQS target delivers it. */
export const sqsRecord = (body: unknown): SQSRecord => ({
  ...structuredClone(sqsRecordFixture),
  messageId: randomUUID(),
  body: typeof body === 'string' ? body : JSON.stringify(body),
});
