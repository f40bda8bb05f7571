import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  LOCAL_PHONE_HASH_KEY,
  secretPhoneHashKey,
  suppressionKeying,
} from '#adapters/secrets/phone-hash-key.js';
import { secretsManagerJsonClient, secretStringReader } from '#adapters/signed-json/secrets-manager.js';
import { awsError, type FakeAwsJson, fakeAwsJson } from '#test/support/fake-aws-json.js';

const SECRET = 'Vt4Rk8Ns1Wb6Yc3Hd5Jf0Gz7Ae2Xu9Mq4Tn8Ks1Pv6Rb3Lw5Hy0Cj7Dgx7Qm2Lp9';
/** A fresh ARN per test: reads are memoised per secret for the life of the process, as in a container. */
let n = 0;
const arn = () => `arn:aws:secretsmanager:eu-central-1:123456789012:secret:phone-hash-key-${n++}`;

let fake: FakeAwsJson;
beforeAll(async () => {
  fake = await fakeAwsJson();
});
afterAll(() => fake.close());
beforeEach(() => {
  fake.requests.length = 0;
  fake.answer(() => ({ body: { SecretString: SECRET } }));
});
afterEach(() => vi.unstubAllEnvs());

/** GetSecretValue on the fake endpoint. */
const readSecret = () =>
  secretStringReader(
    secretsManagerJsonClient({
      endpoint: fake.url,
      region: 'eu-central-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    }),
  );

describe('secretPhoneHashKey', () => {
  it('reads the secret once however many times the key is used', async () => {
    // Prepare
    const secretArn = arn();
    const reader = readSecret();
    const key = secretPhoneHashKey(secretArn, reader);
    const sameSecretElsewhere = secretPhoneHashKey(secretArn, reader);

    // Act
    const keys = await Promise.all([key(), key(), sameSecretElsewhere()]);
    keys.push(await key());

    // Assess
    expect(keys.map((k) => k.toString('utf8'))).toEqual([SECRET, SECRET, SECRET, SECRET]);
    expect(fake.requests.map((r) => [r.headers['x-amz-target'], r.body])).toEqual([
      ['secretsmanager.GetSecretValue', { SecretId: secretArn }],
    ]);
  });

  it('retries a failed read at the next use instead of keeping the failure', async () => {
    // Prepare: the first read is refused (not a failure another attempt of the same read would pass)
    const secretArn = arn();
    let reads = 0;
    fake.answer(() =>
      ++reads === 1
        ? awsError(400, 'AccessDeniedException', 'not yet allowed')
        : { body: { SecretString: SECRET } },
    );
    const key = secretPhoneHashKey(secretArn, readSecret());

    // Act
    const firstOutcome = await key().catch((error: unknown) => error);
    const second = await key();

    // Assess
    expect(firstOutcome).toMatchObject({ name: 'AccessDeniedException' });
    expect(second.toString('utf8')).toBe(SECRET);
    expect(fake.requests).toHaveLength(2);
  });

  it('refuses a secret too short to be the generated key, without quoting it', async () => {
    // Prepare
    fake.answer(() => ({ body: { SecretString: 'short-key' } }));

    // Act
    const outcome = await secretPhoneHashKey(arn(), readSecret())().catch((error: unknown) => error);

    // Assess
    expect(String(outcome)).toMatch(/fewer than 32 bytes/);
    expect(String(outcome)).not.toContain('short-key');
  });

  it("reads, by default, the Secrets Manager the environment names, signed with the function's credentials", async () => {
    // Prepare: a function's environment (the endpoint variable as the SDK honoured it)
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'AKIDFUNCTION');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_SESSION_TOKEN', 'session');
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', fake.url);
    const secretArn = arn();

    // Act
    const { key } = suppressionKeying({
      AWS_LAMBDA_FUNCTION_NAME: 'peakline-test-order-index',
      PHONE_HASH_KEY_SECRET_ARN: secretArn,
    });
    const value = typeof key === 'function' ? await key() : key;

    // Assess
    expect(value.toString('utf8')).toBe(SECRET);
    const [read] = fake.requests;
    expect(read?.body).toEqual({ SecretId: secretArn });
    expect(read?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(read?.headers['x-amz-security-token']).toBe('session');
    expect(read?.headers.authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDFUNCTION\/\d{8}\/eu-central-1\/secretsmanager\/aws4_request/,
    );
  });
  it('tries a read three times when Secrets Manager fails, as the SDK client did, before giving up', async () => {
    // Prepare: a function's environment; Secrets Manager fails twice, then answers
    vi.stubEnv('AWS_REGION', 'eu-central-1');
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
    vi.stubEnv('AWS_ENDPOINT_URL_SECRETS_MANAGER', fake.url);
    let reads = 0;
    fake.answer(() =>
      ++reads < 3 ? awsError(500, 'InternalServiceError', 'try again') : { body: { SecretString: SECRET } },
    );

    // Act
    const key = await secretPhoneHashKey(arn())();

    // Assess
    expect(key.toString('utf8')).toBe(SECRET);
    expect(fake.requests).toHaveLength(3);
  });
});

describe('suppressionKeying', () => {
  it('uses the fixed local key outside Lambda when no secret is named', () => {
    expect(suppressionKeying({}).key).toBe(LOCAL_PHONE_HASH_KEY);
  });

  it('refuses, in Lambda, to fall back to the public local key', () => {
    expect(() => suppressionKeying({ AWS_LAMBDA_FUNCTION_NAME: 'peakline-prod-order-sms' })).toThrow(
      /PHONE_HASH_KEY_SECRET_ARN is missing/,
    );
  });

  it('reads the secret when one is named, and the legacy window when one is set', () => {
    // Act
    const keying = suppressionKeying({
      AWS_LAMBDA_FUNCTION_NAME: 'peakline-prod-order-sms',
      PHONE_HASH_KEY_SECRET_ARN: arn(),
      SUPPRESSION_LEGACY_READS_UNTIL: '2027-03-01T00:00:00Z',
    });

    // Assess
    expect(typeof keying.key).toBe('function');
    expect(keying.legacyReadsUntil?.toISOString()).toBe('2027-03-01T00:00:00.000Z');
  });

  it('refuses a legacy window that is not a date', () => {
    expect(() => suppressionKeying({ SUPPRESSION_LEGACY_READS_UNTIL: 'soon' })).toThrow(/not a date/);
  });
});
