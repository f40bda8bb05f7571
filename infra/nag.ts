import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** cdk-nag AwsSolutions rules peakline acknowledges somewhere, each with its reason at the call. */
export type NagRule =
  | 'AwsSolutions-SQS3'
  | 'AwsSolutions-SMG4'
  | 'AwsSolutions-IAM5[Resource::*]'
  // Buckets whose reads are logged elsewhere or not worth logging (access logs of their own).
  | 'AwsSolutions-S1'
  // The public status document's CDN: no geo restriction, no WAF, no access logs, the default certificate.
  | 'AwsSolutions-CFR1'
  | 'AwsSolutions-CFR2'
  | 'AwsSolutions-CFR3'
  | 'AwsSolutions-CFR4'
  // Every resource of one kind under one parent, e.g. the users of one Connect instance (`<instance>/agent/*`).
  | `AwsSolutions-IAM5[Resource::${string}/*]`;

/**
 * Acknowledges one cdk-nag finding on the narrowest construct that causes it, with the reason ops and
 * reviewers will read. Every other finding fails `cdk synth`.
 */
export const acknowledge = (scope: IConstruct, rule: NagRule, reason: string): void => {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::${rule}`, reason });
};
