/**
 * The Lambda handler of a function behind an SQS buffer, the same for every one of them: the records one at a
 * time in delivery order (an OrderPlaced right behind its CartAbandoned cancels what it just scheduled; records
 * sharing Connect's API rate do not race for it), each failure reported as a batch item failure, also when the
 * whole batch fails (SQS brings the records back either way, and the DLQ takes a record that keeps failing),
 * with the logger's Lambda context and the metrics flushed after each invocation.
 */
import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import type { Logger } from '@aws-lambda-powertools/logger';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import middy from '@middy/core';
import type { Context, SQSEvent, SQSRecord } from 'aws-lambda';

export const sqsConsumerHandler = (
  consume: (record: SQSRecord) => Promise<void>,
  observability: { readonly logger: Logger; readonly metrics: Metrics },
) => {
  const processor = new BatchProcessor(EventType.SQS);
  return middy((event: SQSEvent, context: Context) =>
    processPartialResponse(event, consume, processor, {
      context,
      processInParallel: false,
      throwOnFullBatchFailure: false,
    }),
  )
    .use(injectLambdaContext(observability.logger, { resetKeys: true }))
    .use(logMetrics(observability.metrics));
};
