/**
 * Invoked by the inbound contact flow before the menu and the queue (issue 15), with
 * `Details.Parameters.action`: `lookup` (the caller's order and what to tell them) or `send-link` (the
 * caller pressed 1: the tracking link goes to the caller-SMS queue). Answers Connect a flat map of strings
 * and never throws (see `answerOrderStatus`): fail open, the caller reaches the queue as before.
 *
 * The caller waits in silence for the lookup, so its clients are built once with short timeouts and few
 * tries: a slow index costs the caller the announcement, never their place in the queue. They are not the
 * SDK's: every call here (the index's Query, the queue's SendMessage, the phone-hash key's GetSecretValue) is
 * one signed JSON request (#adapters/signed-json), and the lines are written by hand (json-lines.ts), which
 * took the function's cold start from 160 to 51 ms of CPU over a bare node (bench/levers.ts).
 */
import type { ConnectContactFlowEvent, Context } from 'aws-lambda';
import { LeanDynamoDb } from '#adapters/dynamodb/lean-dynamodb.js';
import { invocationFields, jsonLines } from '#adapters/logging/json-lines.js';
import { secretPhoneHashKeyWith, suppressionKeyingWith } from '#adapters/secrets/phone-hash-keying.js';
import { secretsManagerJsonClient, secretStringReader } from '#adapters/signed-json/secrets-manager.js';
import { systemClock } from '#core/ports.js';
import { answerOrderStatus } from './answer.js';
import { readOrderStatusEnvironment } from './environment-fields.js';
import { callerSqsClient } from '#adapters/signed-json/sqs.js';
import { enqueueOn, orderStatusPorts } from './wiring.js';

// Checked by hand, not with zod: 3-10 ms less cold start (#adapters/environment/fields.ts).
const env = readOrderStatusEnvironment();
// Log lines and counts as Powertools wrote them, without its Logger, Metrics and middy (json-lines.ts).
const lines = jsonLines('peakline-order-status');
// Two tries, each cut short: the whole lookup has ORDER_LOOKUP_BUDGET_MS (by default 2.5 s). The signed
// request, not the SDK's clients (DynamoDB, SQS): the caller waits through the cold start (bench/levers.ts).
const reads = new LeanDynamoDb({ maxAttempts: 2, connectionTimeoutMs: 500, attemptTimeoutMs: 1_000 });
const sqs = callerSqsClient();
// The phone-hash key through Secrets Manager's JSON protocol on the same signed request: no SDK at all.
const readSecret = secretStringReader(secretsManagerJsonClient());
const { key } = suppressionKeyingWith(process.env, (secretArn) =>
  secretPhoneHashKeyWith(secretArn, readSecret),
);
// The first caller after a cold start would otherwise wait for Secrets Manager inside the lookup's budget:
// the read starts while the container initialises. A failed read is not kept (the first lookup reads again,
// and fails open if it must), so nothing is lost by not waiting for it here.
if (typeof key === 'function') key().catch(() => undefined);
const ports = orderStatusPorts(env, {
  clock: systemClock,
  reads,
  key,
  enqueue: enqueueOn(sqs, env.CALLER_SMS_QUEUE_URL),
});
const fieldsOf = invocationFields();

export const handler = async (event: ConnectContactFlowEvent, context?: Context) => {
  // What Powertools' injectLambdaContext put on every line.
  const invocation = fieldsOf(context);
  const counts = new Map<string, number>();
  try {
    return await answerOrderStatus(event, ports, {
      log: (message, fields) => lines.log('INFO', message, { ...invocation, ...fields }),
      count: (metric, value = 1) => counts.set(metric, (counts.get(metric) ?? 0) + value),
    });
  } finally {
    // One EMF line an invocation, as logMetrics flushed them.
    lines.counts(counts);
  }
};
