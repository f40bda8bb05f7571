/**
 * The real function code, wired to the local stack's adapters: the same consumers the Lambda handlers
 * wire to AWS, here given DynamoDB Local, the local dead letters, the virtual clock and a log file.
 * Each entry says which rule of `events/rules.ts` feeds its buffer, as the PipelineStack does.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { SQSRecord } from 'aws-lambda';
import type { TableName } from '#adapters/dynamodb/tables.js';
import { DynamoSuppressionStore } from '#adapters/dynamodb/suppression-store.js';
import type { Clock, DeadLetterSink } from '#core/ports.js';
import type { RuleName } from '#events/rules.js';
import { createOptOutConsumer } from '#functions/customer-opt-out/consumer.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

export interface LocalWiring {
  readonly config: PeaklineConfig;
  readonly documentClient: DynamoDBDocumentClient;
  readonly tableNames: Readonly<Record<TableName, string>>;
  readonly deadLetters: DeadLetterSink;
  readonly clock: Clock;
  /** A function's log line; phone numbers in it are already masked by the function. */
  readonly log: (fn: string, message: string, fields: Record<string, unknown>) => void;
  readonly count: (fn: string, metric: string) => void;
}

export interface LocalBufferedFunction {
  readonly name: string;
  /** The rule whose target is this function's buffer. */
  readonly rule: RuleName;
  readonly consume: (records: SQSRecord[]) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
}

/**
 * Runs a record handler over a batch with Powertools' BatchProcessor, as the Lambda handler does, so a
 * record that throws comes back as a batch item failure here exactly as it would on AWS.
 */
const asBatchConsumer =
  (recordHandler: (record: SQSRecord) => Promise<void>) =>
  async (records: SQSRecord[]): Promise<{ batchItemFailures: { itemIdentifier: string }[] }> => {
    const processor = new BatchProcessor(EventType.SQS);
    try {
      return await processPartialResponse({ Records: records }, recordHandler, processor);
    } catch (error) {
      // Powertools throws when every record failed; SQS then redelivers the whole batch.
      if (error instanceof Error && error.name === 'FullBatchFailureError') {
        return { batchItemFailures: records.map((r) => ({ itemIdentifier: r.messageId })) };
      }
      throw error;
    }
  };

export const bufferedFunctions = (wiring: LocalWiring): LocalBufferedFunction[] => [
  {
    name: 'customer-opt-out',
    rule: 'customerOptOut',
    consume: asBatchConsumer(
      createOptOutConsumer({
        store: new DynamoSuppressionStore(wiring.documentClient, wiring.tableNames.suppression),
        deadLetters: wiring.deadLetters,
        retentionDays: wiring.config.data.suppressionRetentionDays,
        log: (message, fields) => wiring.log('customer-opt-out', message, fields),
        count: (metric) => wiring.count('customer-opt-out', metric),
      }),
    ),
  },
];
