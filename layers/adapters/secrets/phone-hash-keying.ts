/**
 * The phone-hash key's keying, with the secret read through a reader passed in. phone-hash-key.ts binds it
 * to a Secrets Manager client on the signed JSON request with the SDK's three attempts, for every function
 * behind a queue; the order lookup, which a caller waits on through its cold start, binds it to one of its
 * own (#adapters/signed-json/secrets-manager.ts).
 */

/** The function environment variable that names the secret (its ARN). */
export const PHONE_HASH_KEY_SECRET_ARN = 'PHONE_HASH_KEY_SECRET_ARN';
/**
 * Optional ISO-8601 date: until then the suppression store also honours entries written before the key
 * existed (keyed by the plain digest). See `DynamoSuppressionStore`.
 */
export const SUPPRESSION_LEGACY_READS_UNTIL = 'SUPPRESSION_LEGACY_READS_UNTIL';

/** The local stack's and the tests' key. Public on purpose: it guards nothing and must never reach AWS. */
export const LOCAL_PHONE_HASH_KEY: Buffer = Buffer.from(
  'peakline-local-phone-hash-key (not a secret)',
  'utf8',
);

/** Shorter than this, the secret is not one peakline generated (64 characters); refuse it. */
const MIN_KEY_BYTES = 32;

/** A key, or a loader of it (called per use; the loader memoises). */
export type PhoneHashKey = Buffer | (() => Promise<Buffer>);

/** The secret's string (SecretString) by its ARN. */
export type SecretReader = (secretArn: string) => Promise<string | undefined>;

/** One read per secret per execution environment, shared by every store the function builds. */
const reads = new Map<string, Promise<Buffer>>();

const decode = (secretArn: string, value: string | undefined): Buffer => {
  const key = Buffer.from(value ?? '', 'utf8');
  if (key.length < MIN_KEY_BYTES) {
    // The ARN is no secret; the value is never put into an error or a log line.
    throw new Error(`The phone-hash key ${secretArn} holds fewer than ${MIN_KEY_BYTES} bytes`);
  }
  return key;
};

/**
 * The key held in the Secrets Manager secret `secretArn`, read with `readSecret` at the first use and then
 * kept. A failed read is not kept, so the next record retries it rather than the container failing until
 * it is recycled.
 */
export const secretPhoneHashKeyWith =
  (secretArn: string, readSecret: SecretReader): (() => Promise<Buffer>) =>
  () => {
    let read = reads.get(secretArn);
    if (read === undefined) {
      read = readSecret(secretArn).then((value) => decode(secretArn, value));
      reads.set(secretArn, read);
      read.catch(() => reads.delete(secretArn));
    }
    return read;
  };

/** How a suppression store keys its entries: the key, and how long it still honours unkeyed ones. */
export interface SuppressionKeying {
  readonly key: PhoneHashKey;
  readonly legacyReadsUntil?: Date;
}

/**
 * The keying from the function's environment, the same in every world: on AWS the secret named by
 * `PHONE_HASH_KEY_SECRET_ARN` (read with `secretKey(secretArn)`); outside Lambda without it, the fixed
 * local key. A Lambda without the variable fails at cold start rather than hashing with a public key.
 */
export const suppressionKeyingWith = (
  env: NodeJS.ProcessEnv,
  secretKey: (secretArn: string) => () => Promise<Buffer>,
): SuppressionKeying => {
  const secretArn = env[PHONE_HASH_KEY_SECRET_ARN];
  const legacy = env[SUPPRESSION_LEGACY_READS_UNTIL];
  let legacyReadsUntil: Date | undefined;
  if (legacy !== undefined && legacy !== '') {
    legacyReadsUntil = new Date(legacy);
    if (Number.isNaN(legacyReadsUntil.getTime())) {
      throw new Error(`${SUPPRESSION_LEGACY_READS_UNTIL} is not a date: ${legacy}`);
    }
  }
  const legacyPart = legacyReadsUntil === undefined ? {} : { legacyReadsUntil };
  if (secretArn !== undefined && secretArn !== '') {
    return { key: secretKey(secretArn), ...legacyPart };
  }
  if (env.AWS_LAMBDA_FUNCTION_NAME !== undefined) {
    throw new Error(`${PHONE_HASH_KEY_SECRET_ARN} is missing: refusing to hash phones with the local key`);
  }
  return { key: LOCAL_PHONE_HASH_KEY, ...legacyPart };
};
