import {
  ConditionalCheckFailedException,
  ProvisionedThroughputExceededException,
} from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { keyedPhoneHash } from '#adapters/dynamodb/suppression-store.js';
import { phoneHash } from '#core/phone.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import { deliveredSample, sqsRecord } from '#test/support/events.js';

const QUEUE_URL = 'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-rejected-events';
const dynamo = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
// Never reset: the key is read once per container, and the count of reads across the file is the proof.
const secrets = mockClient(SecretsManagerClient);
const SECRET_ARN =
  'arn:aws:secretsmanager:eu-central-1:123456789012:secret:peakline-test-phone-hash-key-AbCdEf';
const SECRET = 'x7Qm2Lp9Vt4Rk8Ns1Wb6Yc3Hd5Jf0Gz7Ae2Xu9Mq4Tn8Ks1Pv6Rb3Lw5Hy0Cj7Dg';
const storedKey = (phone: string) => keyedPhoneHash(Buffer.from(SECRET, 'utf8'), phoneHash(phone));

let handler: (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;
let output: string[];

beforeAll(async () => {
  vi.stubEnv('SUPPRESSION_TABLE_NAME', 'peakline-test-suppression');
  vi.stubEnv('REJECTED_EVENTS_QUEUE_URL', QUEUE_URL);
  vi.stubEnv('SUPPRESSION_RETENTION_DAYS', '1095');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-customer-opt-out');
  vi.stubEnv('POWERTOOLS_METRICS_NAMESPACE', 'peakline');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'peakline-test-customer-opt-out');
  vi.stubEnv('PHONE_HASH_KEY_SECRET_ARN', SECRET_ARN);
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
  ({ handler } = await import('#functions/customer-opt-out/handler.js'));
});

beforeEach(() => {
  dynamo.reset();
  sqs.reset();
  output = [];
  // Everything Powertools logs and every EMF blob goes to stdout: that is what CloudWatch would keep.
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
});

afterEach(() => {
  vi.restoreAllMocks();
});

const context = () => structuredClone(lambdaContext) as unknown as Context;

const optOut = (phone: string) => {
  const event = deliveredSample('customer-opted-out');
  (event.detail.customer as { phone: string }).phone = phone;
  event.detail.at = '2026-11-27T19:30:00+01:00';
  return event;
};

describe('customer-opt-out handler', () => {
  it('writes the exact suppression item, keyed by the secret-keyed hash of the phone', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});
    const event = optOut('+48601234567');

    // Act
    const result = await handler({ Records: [sqsRecord(event)] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand).map((c) => c.args[0].input)).toEqual([
      {
        TableName: 'peakline-test-suppression',
        Item: {
          phoneHash: storedKey('+48601234567'),
          channel: 'sms',
          optedOutAt: '2026-11-27T18:30:00.000Z',
          sourceEventId: event.id,
          expiresAt: Date.parse('2026-11-27T18:30:00Z') / 1000 + 1095 * 86_400,
        },
        ConditionExpression: 'attribute_not_exists(phoneHash) OR optedOutAt < :at',
        ExpressionAttributeValues: { ':at': '2026-11-27T18:30:00.000Z' },
      },
    ]);
  });

  it('counts an older opt-out than the stored one as done, not as a failure', async () => {
    // Prepare
    dynamo
      .on(PutCommand)
      .rejects(new ConditionalCheckFailedException({ message: 'newer exists', $metadata: {} }));

    // Act
    const result = await handler({ Records: [sqsRecord(optOut('+48601234567'))] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
  });

  it('sends a malformed event to the rejected-events queue with its reason, and acknowledges it', async () => {
    // Prepare
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const event = optOut('601 234 567');
    const record = sqsRecord(event);

    // Act
    const result = await handler({ Records: [record] }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(0);
    const reason =
      'detail.customer.phone: expected an E.164 phone number such as +48601234567 (got "60* *** *67")';
    expect(sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: QUEUE_URL,
        MessageBody: JSON.stringify({ reason, refusedBy: 'customer-opt-out', event }),
        MessageAttributes: {
          reason: { DataType: 'String', StringValue: reason },
          refusedBy: { DataType: 'String', StringValue: 'customer-opt-out' },
        },
      },
    ]);
  });

  it('returns only a throttled record to the queue, and keeps the others', async () => {
    // Prepare
    dynamo
      .on(PutCommand)
      .resolves({})
      .on(PutCommand, { Item: { phoneHash: storedKey('+48601000002') } }, false)
      .rejects(new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }));
    const records = ['+48601000001', '+48601000002', '+48601000003'].map((p) => sqsRecord(optOut(p)));

    // Act
    const result = await handler({ Records: records }, context());

    // Assess
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: records[1]?.messageId }] });
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(3);
  });

  it('never writes a phone number in clear to the logs', async () => {
    // Prepare
    vi.stubEnv('POWERTOOLS_LOG_LEVEL', 'DEBUG');
    dynamo.on(PutCommand).resolves({});
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const records = [sqsRecord(optOut('+48601234567')), sqsRecord(optOut('601234567'))];

    // Act
    await handler({ Records: records }, context());

    // Assess
    const logs = output.join('');
    expect(logs).toContain('opt-out recorded');
    expect(logs).toContain('+48*****4567');
    expect(logs).not.toMatch(/601234567|601 ?234 ?567/);
  });

  it('reads the phone-hash key from Secrets Manager once, however many invocations follow', async () => {
    // Prepare
    dynamo.on(PutCommand).resolves({});

    // Act: three invocations of the same container (earlier tests in this file invoked it too).
    for (const phone of ['+48601000011', '+48601000012', '+48601000013']) {
      await handler({ Records: [sqsRecord(optOut(phone))] }, context());
    }

    // Assess
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: SECRET_ARN },
    ]);
    expect(dynamo.commandCalls(PutCommand).map((c) => c.args[0].input.Item?.phoneHash)).toEqual(
      ['+48601000011', '+48601000012', '+48601000013'].map(storedKey),
    );
    expect(output.join('')).not.toContain(SECRET);
  });
});
