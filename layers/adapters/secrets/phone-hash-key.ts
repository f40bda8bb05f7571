/**
 * The secret key of the phone hash: what turns the suppression list's keys from a pseudonym anyone can
 * reverse (hash every number of a country, look each one up) into one only peakline can compute.
 *
 * On AWS it is a Secrets Manager secret the DataStack generates; a function reads it once per cold start
 * (the read is memoised for the life of the execution environment) and never logs it. Locally (the
 * local stack, the tests) a fixed key stands in: it is no secret and protects nothing, it only lets the
 * same code run without an AWS account.
 */
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';

import {
  secretPhoneHashKeyWith,
  type SuppressionKeying,
  suppressionKeyingWith,
} from './phone-hash-keying.js';

// Everything but the SDK's reader lives in phone-hash-keying.ts (the order lookup reads the key without the
// SDK); the names stay importable from here.
export {
  LOCAL_PHONE_HASH_KEY,
  PHONE_HASH_KEY_SECRET_ARN,
  type PhoneHashKey,
  SUPPRESSION_LEGACY_READS_UNTIL,
  type SuppressionKeying,
} from './phone-hash-keying.js';

let client: SecretsManagerClient | undefined;
const getSecretsManagerClient = (): SecretsManagerClient => {
  client ??= new SecretsManagerClient({});
  return client;
};

/**
 * The key held in the Secrets Manager secret `secretArn`, read at the first use and then kept. A failed
 * read is not kept, so the next record retries it rather than the container failing until it is recycled.
 */
export const secretPhoneHashKey = (
  secretArn: string,
  secrets: SecretsManagerClient = getSecretsManagerClient(),
): (() => Promise<Buffer>) =>
  secretPhoneHashKeyWith(
    secretArn,
    async (arn) => (await secrets.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString,
  );

/**
 * The keying from the function's environment, the same in every world: on AWS the secret named by
 * `PHONE_HASH_KEY_SECRET_ARN`; outside Lambda without it, the fixed local key. A Lambda without the
 * variable fails at cold start rather than hashing with a public key.
 */
export const suppressionKeying = (env: NodeJS.ProcessEnv = process.env): SuppressionKeying =>
  suppressionKeyingWith(env, (secretArn) => secretPhoneHashKey(secretArn));
