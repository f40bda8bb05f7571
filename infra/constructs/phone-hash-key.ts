import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { Function as LambdaFunction, type IFunction } from 'aws-cdk-lib/aws-lambda';
import {
  PHONE_HASH_KEY_SECRET_ARN,
  SUPPRESSION_LEGACY_READS_UNTIL,
} from '#adapters/secrets/phone-hash-key.js';
import type { PeaklineConfig } from '#infra/config/schema.js';

/**
 * Lets a function that builds a suppression store key phones with the secret: the secret's ARN in its
 * environment (read once per cold start by `suppressionKeying`), GetSecretValue on that one secret and
 * nothing else (not DescribeSecret, not the other secrets), and the legacy window when the stage has one.
 * The secret is encrypted with the account's AWS-managed Secrets Manager key, whose use through Secrets
 * Manager needs no grant of its own.
 */
export const readsPhoneHashKey = (
  fn: IFunction,
  secret: ISecret,
  config: PeaklineConfig,
  /**
   * `suppression: false` for a function that keys phones for another store (the order index, issue 15):
   * that store was keyed from its first item, so the suppression list's legacy window means nothing to it.
   */
  options: { readonly suppression?: boolean } = {},
): void => {
  // Only a function this app builds has an environment to set; an imported one could not read the key.
  if (!(fn instanceof LambdaFunction)) throw new Error(`${fn.node.path}: not a function this stack builds`);
  fn.addEnvironment(PHONE_HASH_KEY_SECRET_ARN, secret.secretArn);
  const until = config.data.legacySuppressionReadsUntil;
  if (until !== undefined && options.suppression !== false) {
    fn.addEnvironment(SUPPRESSION_LEGACY_READS_UNTIL, `${until}T00:00:00Z`);
  }
  fn.addToRolePolicy(
    new PolicyStatement({ actions: ['secretsmanager:GetSecretValue'], resources: [secret.secretArn] }),
  );
};
