import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  LOCAL_PHONE_HASH_KEY,
  secretPhoneHashKey,
  suppressionKeying,
} from '#adapters/secrets/phone-hash-key.js';

const secrets = mockClient(SecretsManagerClient);
const client = new SecretsManagerClient({ region: 'eu-central-1' });
const SECRET = 'Vt4Rk8Ns1Wb6Yc3Hd5Jf0Gz7Ae2Xu9Mq4Tn8Ks1Pv6Rb3Lw5Hy0Cj7Dgx7Qm2Lp9';
/** A fresh ARN per test: reads are memoised per secret for the life of the process, as in a container. */
let n = 0;
const arn = () => `arn:aws:secretsmanager:eu-central-1:123456789012:secret:phone-hash-key-${n++}`;

beforeEach(() => secrets.reset());

describe('secretPhoneHashKey', () => {
  it('reads the secret once however many times the key is used', async () => {
    // Prepare
    const secretArn = arn();
    secrets.on(GetSecretValueCommand).resolves({ SecretString: SECRET });
    const key = secretPhoneHashKey(secretArn, client);
    const sameSecretElsewhere = secretPhoneHashKey(secretArn, client);

    // Act
    const keys = await Promise.all([key(), key(), sameSecretElsewhere()]);
    keys.push(await key());

    // Assess
    expect(keys.map((k) => k.toString('utf8'))).toEqual([SECRET, SECRET, SECRET, SECRET]);
    expect(secrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: secretArn },
    ]);
  });

  it('retries a failed read at the next use instead of keeping the failure', async () => {
    // Prepare
    const secretArn = arn();
    secrets.on(GetSecretValueCommand).rejectsOnce(new Error('throttled')).resolves({ SecretString: SECRET });
    const key = secretPhoneHashKey(secretArn, client);

    // Act
    const first = key().catch((error: unknown) => error);
    const firstOutcome = await first;
    const second = await key();

    // Assess
    expect(firstOutcome).toBeInstanceOf(Error);
    expect(second.toString('utf8')).toBe(SECRET);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(2);
  });

  it('refuses a secret too short to be the generated key, without quoting it', async () => {
    // Prepare
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'short-key' });

    // Act
    const outcome = await secretPhoneHashKey(arn(), client)().catch((error: unknown) => error);

    // Assess
    expect(String(outcome)).toMatch(/fewer than 32 bytes/);
    expect(String(outcome)).not.toContain('short-key');
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
