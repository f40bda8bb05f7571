import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  AwsJsonClient,
  AwsServiceError,
  credentialsFromEnvironment,
  serviceEndpoint,
} from '#adapters/signed-json/aws-json-client.js';
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';

const DYNAMODB = { serviceId: 'DynamoDB', endpointPrefix: 'dynamodb' };
const CREDENTIALS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret', sessionToken: 'session-token' };

let fake: FakeAwsJson;
let client: AwsJsonClient;

const clientOn = (options: Partial<ConstructorParameters<typeof AwsJsonClient>[0]> = {}) =>
  new AwsJsonClient({
    service: DYNAMODB,
    signingName: 'dynamodb',
    targetPrefix: 'DynamoDB_20120810',
    jsonVersion: '1.0',
    region: 'eu-central-1',
    endpoint: fake.url,
    credentials: CREDENTIALS,
    ...options,
  });

beforeEach(async () => {
  fake = await fakeAwsJson();
  client = clientOn();
});

afterEach(async () => {
  client.destroy();
  await fake.close();
});

describe('AwsJsonClient', () => {
  it('posts the input as JSON with the operation as X-Amz-Target, signed for the service and region', async () => {
    // Prepare
    fake.answer(() => ({ body: { Item: { pk: { S: 'queue#primary' } } } }));

    // Act
    const answer = await client.call('GetItem', {
      TableName: 'routing',
      Key: { pk: { S: 'queue#primary' } },
    });

    // Assess
    expect(answer).toEqual({ Item: { pk: { S: 'queue#primary' } } });
    const [request] = fake.requests;
    expect(request?.operation).toBe('GetItem');
    expect(request?.headers['x-amz-target']).toBe('DynamoDB_20120810.GetItem');
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.0');
    expect(request?.body).toEqual({ TableName: 'routing', Key: { pk: { S: 'queue#primary' } } });
    expect(request?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-central-1\/dynamodb\/aws4_request, SignedHeaders=[a-z0-9;-]*x-amz-target[a-z0-9;-]*, Signature=[0-9a-f]{64}$/,
    );
    expect(request?.headers['x-amz-security-token']).toBe('session-token');
  });

  it('turns an error answer into an Error named by its code, with the service message', async () => {
    // Prepare
    fake.answer(() => awsError(400, 'ResourceNotFoundException', 'Requested resource not found'));

    // Act
    const failure = await client.call('GetItem', { TableName: 'gone' }).catch((error: unknown) => error);

    // Assess: a refused request is not tried again
    expect(failure).toBeInstanceOf(AwsServiceError);
    expect(failure).toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'Requested resource not found',
      statusCode: 400,
      retryable: false,
      requestId: 'fake-1',
    });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ['a 500', awsError(500, 'InternalServerError', 'Internal server error')],
    ['throttling', awsError(400, 'ProvisionedThroughputExceededException', 'slow down')],
  ])('tries %s once more, and answers the second attempt', async (_what, failure) => {
    // Prepare
    fake.answer((request) => (fake.requests.indexOf(request) === 0 ? failure : { body: { Count: 0 } }));

    // Act
    const answer = await client.call('Query', { TableName: 'orders' });

    // Assess
    expect(answer).toEqual({ Count: 0 });
    expect(fake.requests).toHaveLength(2);
  });

  it('gives up after its attempts, with the last error', async () => {
    // Prepare
    fake.answer(() => awsError(500, 'InternalServerError', 'Internal server error'));
    client = clientOn({ maxAttempts: 3 });

    // Act
    const failure = await client.call('GetItem', {}).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'InternalServerError', statusCode: 500, retryable: true });
    expect(fake.requests).toHaveLength(3);
  });

  it('abandons an attempt that gets no answer in its time, and tries again', async () => {
    // Prepare: the first request hangs, the second is answered
    fake.answer((request) => (fake.requests.indexOf(request) === 0 ? 'hang' : { body: { Item: {} } }));
    client = clientOn({ attemptTimeoutMs: 200 });

    // Act
    const answer = await client.call('GetItem', {});

    // Assess
    expect(answer).toEqual({ Item: {} });
    expect(fake.requests).toHaveLength(2);
  });

  it('says which operation timed out after its last attempt', async () => {
    // Prepare
    fake.answer(() => 'hang');
    client = clientOn({ attemptTimeoutMs: 100, maxAttempts: 2 });

    // Act
    const failure = await client.call('GetItem', {}).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'TimeoutError', message: 'GetItem: no answer within 100 ms' });
    expect(fake.requests).toHaveLength(2);
  });

  it('refuses a success whose body is no JSON object, without trying again', async () => {
    // Prepare: the body is the JSON text "not an object"
    fake.answer(() => ({ body: 'not an object' }));

    // Act
    const failure = await client.call('GetItem', {}).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ name: 'SerializationError', retryable: false });
    expect(fake.requests).toHaveLength(1);
  });

  it.each([
    ['a refusal (400): nothing was done', 400, 'client'],
    ['a service error (500): it may have acted', 500, 'server'],
  ] as const)('says whose fault %s, as the SDK’s exceptions do', async (_case, status, fault) => {
    // Prepare
    fake.answer(() => awsError(status, 'SomeError', 'as answered'));
    client = clientOn({ maxAttempts: 1 });

    // Act
    const failure = await client.call('GetItem', {}).catch((error: unknown) => error);

    // Assess
    expect(failure).toMatchObject({ $fault: fault, $metadata: { httpStatusCode: status } });
  });

  it('counts an unreadable success and a missing answer as the service’s fault: it may have acted', async () => {
    // Prepare
    fake.answer(() => ({ body: 'not an object' }));
    const hanging = clientOn({ attemptTimeoutMs: 100, maxAttempts: 1 });

    // Act
    const unreadable = await client.call('PutItem', {}).catch((error: unknown) => error);
    fake.answer(() => 'hang');
    const unanswered = await hanging.call('PutItem', {}).catch((error: unknown) => error);
    hanging.destroy();

    // Assess
    expect(unreadable).toMatchObject({ name: 'SerializationError', $fault: 'server' });
    expect(unanswered).toMatchObject({ name: 'TimeoutError', $fault: 'server', $metadata: {} });
  });

  it('fails a call, not its construction, when the environment has no region or credentials', async () => {
    // Prepare
    const bare = new AwsJsonClient({
      service: DYNAMODB,
      signingName: 'dynamodb',
      targetPrefix: 'DynamoDB_20120810',
      jsonVersion: '1.0',
      endpoint: fake.url,
      env: {},
    });
    const noCredentials = clientOn({ credentials: undefined, env: {} });

    // Act
    const withoutRegion = await bare.call('GetItem', {}).catch((error: unknown) => error);
    const withoutCredentials = await noCredentials.call('GetItem', {}).catch((error: unknown) => error);
    bare.destroy();
    noCredentials.destroy();

    // Assess
    expect(withoutRegion).toMatchObject({ name: 'RegionMissing' });
    expect(withoutCredentials).toMatchObject({ name: 'CredentialsMissing' });
    expect(fake.requests).toHaveLength(0);
  });
});

describe('serviceEndpoint', () => {
  it.each([
    [
      'the service’s own variable first',
      { AWS_ENDPOINT_URL_DYNAMODB: 'http://a:8000', AWS_ENDPOINT_URL: 'http://b:1' },
      'http://a:8000/',
    ],
    ['then the global one', { AWS_ENDPOINT_URL: 'http://b:1' }, 'http://b:1/'],
    ['else the regional endpoint', {}, 'https://dynamodb.eu-central-1.amazonaws.com/'],
    [
      'neither when told to ignore them',
      { AWS_ENDPOINT_URL: 'http://b:1', AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true' },
      'https://dynamodb.eu-central-1.amazonaws.com/',
    ],
  ])('%s', (_what, env, expected) => {
    // Act
    const endpoint = serviceEndpoint(DYNAMODB, 'eu-central-1', env);

    // Assess
    expect(endpoint.href).toBe(expected);
  });

  it('names a service with a space as the SDK does', () => {
    // Act
    const endpoint = serviceEndpoint(
      { serviceId: 'Secrets Manager', endpointPrefix: 'secretsmanager' },
      'eu-central-1',
      {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:4566',
      },
    );

    // Assess
    expect(endpoint.href).toBe('http://127.0.0.1:4566/');
  });
});

describe('credentialsFromEnvironment', () => {
  it('reads the session Lambda gives the function', () => {
    // Act
    const credentials = credentialsFromEnvironment({
      AWS_ACCESS_KEY_ID: 'ASIA1',
      AWS_SECRET_ACCESS_KEY: 's',
      AWS_SESSION_TOKEN: 't',
    });

    // Assess
    expect(credentials).toEqual({ accessKeyId: 'ASIA1', secretAccessKey: 's', sessionToken: 't' });
  });
});
