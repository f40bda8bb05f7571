import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { ConnectContactFlowEvent, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { keyedPhoneHash } from '#adapters/dynamodb/suppression-store.js';
import { phoneHash } from '#core/phone.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import invocation from '#test/fixtures/connect/order-status-invocation.json' with { type: 'json' };

const TABLE = 'peakline-test-orders';
const SECRET_ARN =
  'arn:aws:secretsmanager:eu-central-1:123456789012:secret:peakline-test-phone-hash-key-AbCdEf';
const SECRET = 'x7Qm2Lp9Vt4Rk8Ns1Wb6Yc3Hd5Jf0Gz7Ae2Xu9Mq4Tn8Ks1Pv6Rb3Lw5Hy0Cj7Dg';
/** The sample invocation's caller. */
const PHONE = '+48601234567';
const dynamo = mockClient(DynamoDBDocumentClient);
const secrets = mockClient(SecretsManagerClient);

type Handler = (event: ConnectContactFlowEvent, context: Context) => Promise<Record<string, string>>;
let handler: Handler;

beforeAll(async () => {
  vi.stubEnv('ORDERS_TABLE_NAME', TABLE);
  vi.stubEnv('ORDER_STATUS_MAX_ORDERS', '5');
  vi.stubEnv('ORDER_LOOKUP_BUDGET_MS', '2500');
  vi.stubEnv(
    'CALLER_SMS_QUEUE_URL',
    'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-deflection-sms',
  );
  vi.stubEnv('CONTACT_CENTRE_TIME_ZONE', 'Europe/Warsaw');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-order-status');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'peakline-test-order-status');
  vi.stubEnv('PHONE_HASH_KEY_SECRET_ARN', SECRET_ARN);
  secrets.on(GetSecretValueCommand, { SecretId: SECRET_ARN }).resolves({ SecretString: SECRET });
  vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ({ handler } = (await import('#functions/order-status/handler.js')) as unknown as { handler: Handler });
});

const lookupEvent = (): ConnectContactFlowEvent => {
  const event = structuredClone(invocation) as unknown as ConnectContactFlowEvent;
  (event.Details.Parameters as Record<string, string>).action = 'lookup';
  return event;
};

describe('order-status handler', () => {
  it('reads the phone-hash key while the container starts, so the first caller does not wait for it', async () => {
    // Prepare: the module is loaded (the cold start); no caller has been looked up yet.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    dynamo.on(QueryCommand).resolves({ Items: [] });

    // Act: the first and the second caller.
    const first = await handler(lookupEvent(), structuredClone(lambdaContext) as unknown as Context);
    const second = await handler(lookupEvent(), structuredClone(lambdaContext) as unknown as Context);

    // Assess: the key was read once for the container, and the index was asked under the keyed phone.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
    expect([first.found, second.found]).toEqual(['false', 'false']);
    const queries = dynamo.commandCalls(QueryCommand);
    expect(queries).toHaveLength(2);
    expect(queries[0]?.args[0].input.TableName).toBe(TABLE);
    expect(queries[0]?.args[0].input.ExpressionAttributeValues).toMatchObject({
      ':phoneKey': keyedPhoneHash(Buffer.from(SECRET, 'utf8'), phoneHash(PHONE)),
    });
  });
});
