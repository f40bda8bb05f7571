/**
 * The secret key of the phone hash: what turns the suppression list's keys from a pseudonym anyone can
 * reverse (hash every number of a country, look each one up) into one only peakline can compute.
 *
 * On AWS it is a Secrets Manager secret the DataStack generates; a function reads it once per cold start
 * (the read is memoised for the life of the execution environment) and never logs it. Locally (the
 * local stack, the tests) a fixed key stands in: it is no secret and protects nothing, it only lets the
 * same code run without an AWS account.
 */
import { type AwsJsonClient, standardRetryDelayMs } from '#adapters/signed-json/aws-json-client.js';
import { secretsManagerJsonClient, secretStringReader } from '#adapters/signed-json/secrets-manager.js';
import {
  type SecretReader,
  secretPhoneHashKeyWith,
  type SuppressionKeying,
  suppressionKeyingWith,
} from './phone-hash-keying.js';

// The keying itself lives in phone-hash-keying.ts (the order lookup binds it to a reader of its own, with a
// caller's short tries); the names stay importable from here.
export {
  LOCAL_PHONE_HASH_KEY,
  PHONE_HASH_KEY_SECRET_ARN,
  type PhoneHashKey,
  type SecretReader,
  SUPPRESSION_LEGACY_READS_UNTIL,
  type SuppressionKeying,
} from './phone-hash-keying.js';

let client: AwsJsonClient | undefined;

/**
 * GetSecretValue as one signed JSON request, not the SDK's Secrets Manager client (25-30 ms of load at
 * every cold start of each function that reads the key). The client is built at the first read, once
 * per execution environment, with the SDK client's patience: three attempts, the standard jittered backoff
 * between them (a record waits for the key; no caller does).
 */
export const readSecretString: SecretReader = (secretArn) => {
  client ??= secretsManagerJsonClient({ retryDelayMs: standardRetryDelayMs });
  return secretStringReader(client)(secretArn);
};

/**
 * The key held in the Secrets Manager secret `secretArn`, read at the first use and then kept. A failed
 * read is not kept, so the next record retries it rather than the container failing until it is recycled.
 */
export const secretPhoneHashKey = (
  secretArn: string,
  readSecret: SecretReader = readSecretString,
): (() => Promise<Buffer>) => secretPhoneHashKeyWith(secretArn, readSecret);

/**
 * The keying from the function's environment, the same in every world: on AWS the secret named by
 * `PHONE_HASH_KEY_SECRET_ARN`; outside Lambda without it, the fixed local key. A Lambda without the
 * variable fails at cold start rather than hashing with a public key.
 */
export const suppressionKeying = (env: NodeJS.ProcessEnv = process.env): SuppressionKeying =>
  suppressionKeyingWith(env, (secretArn) => secretPhoneHashKey(secretArn));
