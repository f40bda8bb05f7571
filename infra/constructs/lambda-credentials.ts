/**
 * The AWS SDK's credential chain as a Lambda function needs it: the environment only. The Lambda runtime
 * always puts the function role's credentials in AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
 * AWS_SESSION_TOKEN, so the default chain's other links (SSO, ini files, credential_process, web
 * identity, container and instance metadata) are never reached there, yet the bundle carries them and the
 * STS and SSO clients behind them (@aws-sdk/nested-clients). BUNDLING aliases
 * `@aws-sdk/credential-provider-node` to this module in every function bundle (the CDK app's and the
 * benchmark's alike); tests and the local stack run the unbundled sources with the full chain.
 *
 * Same exports as @aws-sdk/credential-provider-node: its clients import `defaultProvider`.
 */
import { fromEnv } from '@aws-sdk/credential-provider-env';

type Init = Parameters<typeof fromEnv>[0];

export const defaultProvider = (init: Init = {}) => fromEnv(init);

/** As the SDK's: credentials with an expiry may need a refresh (those from the environment have none). */
export const credentialsWillNeedRefresh = (credentials?: { readonly expiration?: Date }): boolean =>
  credentials?.expiration !== undefined;

/** As the SDK's: within five minutes of their expiry, credentials count as expired. */
export const credentialsTreatedAsExpired = (credentials?: { readonly expiration?: Date }): boolean =>
  credentials?.expiration !== undefined && credentials.expiration.getTime() - Date.now() < 300_000;
