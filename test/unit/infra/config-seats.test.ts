import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '#infra/config/load.js';

const INSTANCE_ARN =
  'arn:aws:connect:eu-central-1:123456789012:instance/11111111-2222-3333-4444-555555555555';

describe('stage configuration: Connect identity, API rate and seats', () => {
  it('defaults to a Connect-managed instance at 2 API calls a second, a sweep a minute and 400 days kept', () => {
    // Act
    const config = parseConfig('x', {});

    // Assess
    expect(config.connect).toMatchObject({ identityManagement: 'CONNECT_MANAGED', apiCallsPerSecond: 2 });
    expect(config.seats).toEqual({ sweepEveryMinutes: 1, revokedRetentionDays: 400 });
  });

  it('takes SAML for an existing instance', () => {
    // Act
    const config = parseConfig('x', { connect: { instanceArn: INSTANCE_ARN, identityManagement: 'SAML' } });

    // Assess
    expect(config.connect.identityManagement).toBe('SAML');
  });

  it.each([
    [
      { connect: { identityManagement: 'SAML' } },
      'connect.identityManagement: SAML and EXISTING_DIRECTORY are only for an existing instance (set instanceArn)',
    ],
    [
      { connect: { identityManagement: 'EXISTING_DIRECTORY' } },
      'connect.identityManagement: SAML and EXISTING_DIRECTORY are only for an existing instance',
    ],
    [{ connect: { instanceArn: INSTANCE_ARN, identityManagement: 'LDAP' } }, 'connect.identityManagement:'],
    [{ connect: { apiCallsPerSecond: 0 } }, 'connect.apiCallsPerSecond:'],
    [{ connect: { apiCallsPerSecond: 51 } }, 'connect.apiCallsPerSecond:'],
    [{ seats: { sweepEveryMinutes: 0 } }, 'seats.sweepEveryMinutes:'],
    [{ seats: { sweepEveryMinutes: 6 } }, 'seats.sweepEveryMinutes:'],
    [{ seats: { sweepEveryMinutes: 1.5 } }, 'seats.sweepEveryMinutes:'],
    [{ seats: { revokedRetentionDays: 29 } }, 'seats.revokedRetentionDays:'],
    [{ seats: { revokedRetentionDays: 3651 } }, 'seats.revokedRetentionDays:'],
    [{ seats: { sweepEvery: 2 } }, 'seats.sweepEvery: unknown setting'],
  ])('refuses %j, naming the key', (settings, message) => {
    // Act
    const parse = () => parseConfig('prod', settings);

    // Assess
    expect(parse).toThrow(ConfigError);
    expect(parse).toThrow(message);
  });
});
