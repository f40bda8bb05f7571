import { AwsJsonClient, type ServiceClientOptions } from './aws-json-client.js';

export type SecretsManagerOptions = ServiceClientOptions;

/** Secrets Manager's JSON protocol on the signed request, for a function that carries no SDK. */
export const secretsManagerJsonClient = (options: SecretsManagerOptions = {}): AwsJsonClient =>
  new AwsJsonClient({
    service: { serviceId: 'Secrets Manager', endpointPrefix: 'secretsmanager' },
    signingName: 'secretsmanager',
    targetPrefix: 'secretsmanager',
    jsonVersion: '1.1',
    // The SDK's default: three attempts (the read happens once per container, at its start).
    maxAttempts: 3,
    connectionTimeoutMs: 1_000,
    attemptTimeoutMs: 3_000,
    ...options,
  });

/** A secret's string (undefined for a binary secret), read with GetSecretValue on `client`. */
export const secretStringReader =
  (client: AwsJsonClient) =>
  async (secretId: string): Promise<string | undefined> => {
    const answer = await client.call<{ SecretString?: unknown }>('GetSecretValue', { SecretId: secretId });
    return typeof answer.SecretString === 'string' ? answer.SecretString : undefined;
  };
