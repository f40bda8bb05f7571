import { describe, expect, it } from 'vitest';
import {
  credentialsTreatedAsExpired,
  credentialsWillNeedRefresh,
  defaultProvider,
} from '#infra/constructs/lambda-credentials.js';

/** The credential chain every function bundle gets instead of the SDK's default one (see bundling.ts). */
describe('the Lambda credential provider', () => {
  const withEnv = async <T>(env: Record<string, string | undefined>, act: () => Promise<T>): Promise<T> => {
    const saved = Object.fromEntries(Object.keys(env).map((key) => [key, process.env[key]]));
    Object.assign(process.env, env);
    for (const [key, value] of Object.entries(env)) if (value === undefined) delete process.env[key];
    try {
      return await act();
    } finally {
      for (const [key, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
  };

  it('hands the credentials Lambda puts in the environment, session token included', async () => {
    // Act
    const credentials = await withEnv(
      { AWS_ACCESS_KEY_ID: 'ASIAEXAMPLE', AWS_SECRET_ACCESS_KEY: 'secret', AWS_SESSION_TOKEN: 'token' },
      () => defaultProvider()(),
    );

    // Assess
    expect(credentials).toMatchObject({
      accessKeyId: 'ASIAEXAMPLE',
      secretAccessKey: 'secret',
      sessionToken: 'token',
    });
  });

  it('fails plainly without them, rather than looking anywhere else', async () => {
    await expect(
      withEnv(
        { AWS_ACCESS_KEY_ID: undefined, AWS_SECRET_ACCESS_KEY: undefined, AWS_PROFILE: 'someone' },
        () => defaultProvider()(),
      ),
    ).rejects.toThrow(/environment variable credentials/);
  });

  it('treats credentials within five minutes of their expiry as expired, as the SDK does', () => {
    // Prepare
    const now = Date.now();

    // Act and assess
    expect(credentialsTreatedAsExpired({ expiration: new Date(now + 60_000) })).toBe(true);
    expect(credentialsTreatedAsExpired({ expiration: new Date(now + 3_600_000) })).toBe(false);
    expect(credentialsTreatedAsExpired({})).toBe(false);
    expect(credentialsWillNeedRefresh({ expiration: new Date(now) })).toBe(true);
    expect(credentialsWillNeedRefresh({})).toBe(false);
  });
});
