import type { ConnectContactFlowEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keyedPhoneHash } from '#adapters/dynamodb/suppression-store.js';
import { phoneHash } from '#core/phone.js';
import lambdaContext from '#test/fixtures/lambda-context.json' with { type: 'json' };
import invocation from '#test/fixtures/connect/order-status-invocation.json' with { type: 'json' };
import { TEST_PHONE_HASH_SECRET } from '#test/support/fake-aws-services.js';
import { type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';

const TABLE = 'peakline-test-orders';
const { arn: SECRET_ARN, value: SECRET } = TEST_PHONE_HASH_SECRET;
/** The sample invocation's caller. */
const PHONE = '+48601234567';

type Handler = (event: ConnectContactFlowEvent, context: Context) => Promise<Record<string, string>>;
let handler: Handler;
/** Secrets Manager and DynamoDB on loopback: the function reaches both through AWS_ENDPOINT_URL. */
let aws: FakeAwsJson;
let output: string[];

beforeAll(async () => {
  aws = await fakeAwsJson();
  aws.answer((request) =>
    request.operation === 'GetSecretValue' && request.body.SecretId === SECRET_ARN
      ? { body: { ARN: SECRET_ARN, SecretString: SECRET } }
      : { body: { Items: [], Count: 0 } },
  );
  vi.stubEnv('ORDERS_TABLE_NAME', TABLE);
  vi.stubEnv('ORDER_STATUS_MAX_ORDERS', '5');
  vi.stubEnv('ORDER_LOOKUP_BUDGET_MS', '2500');
  vi.stubEnv(
    'CALLER_SMS_QUEUE_URL',
    'https://sqs.eu-central-1.amazonaws.com/123456789012/peakline-test-deflection-sms',
  );
  vi.stubEnv('CONTACT_CENTRE_TIME_ZONE', 'Europe/Warsaw');
  vi.stubEnv('POWERTOOLS_SERVICE_NAME', 'peakline-order-status');
  vi.stubEnv('PEAKLINE_STAGE', 'test');
  vi.stubEnv('AWS_REGION', 'eu-central-1');
  vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
  vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
  vi.stubEnv('AWS_ENDPOINT_URL', aws.url);
  vi.stubEnv('AWS_LAMBDA_FUNCTION_NAME', 'peakline-test-order-status');
  vi.stubEnv('PHONE_HASH_KEY_SECRET_ARN', SECRET_ARN);
  output = [];
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    output.push(String(chunk));
    return true;
  });
  ({ handler } = (await import('#functions/order-status/handler.js')) as unknown as { handler: Handler });
});

afterAll(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await aws.close();
});

const lookupEvent = (): ConnectContactFlowEvent => {
  const event = structuredClone(invocation) as unknown as ConnectContactFlowEvent;
  (event.Details.Parameters as Record<string, string>).action = 'lookup';
  return event;
};

const operations = (name: string) => aws.requests.filter((r) => r.operation === name);
const jsonLines = () =>
  output
    .join('')
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>);

describe('order-status handler', () => {
  it('reads the phone-hash key while the container starts, so the first caller does not wait for it', async () => {
    // Prepare: the module is loaded (the cold start); no caller has been looked up yet.
    await vi.waitFor(() => expect(operations('GetSecretValue')).toHaveLength(1));

    // Act: the first and the second caller.
    const first = await handler(lookupEvent(), structuredClone(lambdaContext) as unknown as Context);
    const second = await handler(lookupEvent(), structuredClone(lambdaContext) as unknown as Context);

    // Assess: the key was read once for the container, and the index was asked under the keyed phone.
    expect(operations('GetSecretValue')).toHaveLength(1);
    expect([first.found, second.found]).toEqual(['false', 'false']);
    const queries = operations('Query');
    expect(queries).toHaveLength(2);
    expect(queries[0]?.body.TableName).toBe(TABLE);
    expect(queries[0]?.body.ExpressionAttributeValues).toMatchObject({
      ':phoneKey': { S: keyedPhoneHash(Buffer.from(SECRET, 'utf8'), phoneHash(PHONE)) },
    });
  });

  it('counts each lookup in one EMF line, as Powertools did: namespace, service and stage', async () => {
    // Prepare
    output.length = 0;

    // Act
    await handler(lookupEvent(), structuredClone(lambdaContext) as unknown as Context);

    // Assess
    expect(jsonLines()).toEqual([
      {
        _aws: {
          Timestamp: expect.any(Number),
          CloudWatchMetrics: [
            {
              Namespace: 'peakline',
              Dimensions: [['service', 'stage']],
              Metrics: [{ Name: 'OrderStatusNotFound', Unit: 'Count' }],
            },
          ],
        },
        service: 'peakline-order-status',
        stage: 'test',
        OrderStatusNotFound: 1,
      },
    ]);
  });

  it('logs a told caller as Powertools did, with the invocation, and counts OrderStatusTold', async () => {
    // Prepare: the caller has an order in progress, with no link (no SMS offered)
    output.length = 0;
    aws.answer((request) =>
      request.operation === 'Query'
        ? {
            body: {
              Items: [
                {
                  orderId: { S: 'PL-2026-00123' },
                  status: { S: 'PACKED' },
                  changedAt: { S: '2026-11-27T10:00:00.000Z' },
                  language: { S: 'pl' },
                  timeZone: { S: 'Europe/Warsaw' },
                  smsConsent: { BOOL: false },
                  expiresAt: { N: '4102444800' },
                },
              ],
            },
          }
        : { body: {} },
    );
    const context = structuredClone(lambdaContext) as unknown as Context;

    // Act
    const answer = await handler(lookupEvent(), context);

    // Assess
    expect(answer).toMatchObject({ found: 'true', orderId: 'PL-2026-00123', status: 'PACKED' });
    const [log, emf] = jsonLines();
    expect(log).toEqual({
      level: 'INFO',
      message: 'order status told',
      timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      service: 'peakline-order-status',
      cold_start: false,
      function_name: context.functionName,
      function_memory_size: 256,
      function_arn: context.invokedFunctionArn,
      function_request_id: context.awsRequestId,
      contactId: (invocation as { Details: { ContactData: { ContactId: string } } }).Details.ContactData
        .ContactId,
      status: 'PACKED',
      linkOffered: 'false',
    });
    expect(emf).toMatchObject({ service: 'peakline-order-status', stage: 'test', OrderStatusTold: 1 });
    expect(output.join('')).not.toContain(PHONE);
  });
});
