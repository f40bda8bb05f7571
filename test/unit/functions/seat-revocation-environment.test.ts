import { describe, expect, it } from 'vitest';
import { seatRevocationEnvironment } from '#functions/seat-sweeper/environment.js';
import { readSeatRevocationEnvironment } from '#functions/seat-sweeper/environment-fields.js';

const valid = {
  SEATS_TABLE_NAME: 'peakline-dev-seats',
  SEATS_REVOKED_RETENTION_DAYS: '30',
  EVENT_BUS_NAME: 'peakline',
  CONNECT_INSTANCE_ID: '5f0c7c4e-9d3a-4b7e-8f51-3c2a1d0e9b77',
  CONNECT_CALLS_PER_SECOND: '0.5',
  CONNECT_IDENTITY_MANAGEMENT: 'SAML',
  CONNECT_MANAGED_USER_TAG: 'dev',
};

describe('the seat revocation environment, checked by hand at cold start', () => {
  it('reads the values the CDK app sets, numbers as numbers', () => {
    // Prepare, Act
    const env = readSeatRevocationEnvironment(valid);

    // Assess
    expect(env).toEqual({ ...valid, SEATS_REVOKED_RETENTION_DAYS: 30, CONNECT_CALLS_PER_SECOND: 0.5 });
  });

  it('names every bad variable in one error', () => {
    // Prepare
    const { EVENT_BUS_NAME: _missing, ...rest } = valid;
    const bad = { ...rest, CONNECT_CALLS_PER_SECOND: '0', CONNECT_IDENTITY_MANAGEMENT: 'LDAP' };

    // Act, Assess
    expect(() => readSeatRevocationEnvironment(bad)).toThrow(
      'Invalid function environment: EVENT_BUS_NAME: missing; CONNECT_CALLS_PER_SECOND: expected a number above 0; CONNECT_IDENTITY_MANAGEMENT: expected one of CONNECT_MANAGED, SAML, EXISTING_DIRECTORY',
    );
  });

  it('gives synth the same verdicts through the zod schema', () => {
    // Prepare
    const bad = { ...valid, SEATS_REVOKED_RETENTION_DAYS: '0' };

    // Act
    const good = seatRevocationEnvironment.safeParse(valid);
    const refused = seatRevocationEnvironment.safeParse(bad);

    // Assess
    expect(good.success && good.data).toEqual(readSeatRevocationEnvironment(valid));
    expect(refused.success).toBe(false);
  });
});
