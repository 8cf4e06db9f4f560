import { loadConfig } from './backbone-config';

describe('Kafka authentication settings', () => {
  it('default to PLAINTEXT, with documented development-only SASL credentials', () => {
    expect(loadConfig({}).kafkaAuth).toEqual({
      mode: 'none',
      mechanism: 'scram-sha-256',
      username: 'backbone',
      password: 'development-only-backbone-password',
      agencyPasswordKey: 'development-only-kafka-agency-password-key',
      agencyCredentials: 'derived',
      accessCheckMs: 5000,
    });
  });

  it('read KAFKA_AUTH=sasl and the mechanism as Kafka spells it', () => {
    const auth = loadConfig({
      KAFKA_AUTH: 'sasl',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'rb',
      KAFKA_SASL_PASSWORD: 'secret',
      KAFKA_AGENCY_PASSWORD_KEY: 'key',
      KAFKA_AGENCY_CREDENTIALS: 'issued',
      KAFKA_ACCESS_CHECK_MS: '2000',
    }).kafkaAuth;
    expect(auth).toEqual({
      mode: 'sasl',
      mechanism: 'scram-sha-512',
      username: 'rb',
      password: 'secret',
      agencyPasswordKey: 'key',
      agencyCredentials: 'issued',
      accessCheckMs: 2000,
    });
  });

  it('refuse an unknown mode or mechanism', () => {
    expect(() => loadConfig({ KAFKA_AUTH: 'ssl' })).toThrow(/KAFKA_AUTH/);
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'PLAIN' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });

  it('refuse an unknown credential source and an access check out of range', () => {
    expect(() => loadConfig({ KAFKA_AGENCY_CREDENTIALS: 'stored' })).toThrow(
      /KAFKA_AGENCY_CREDENTIALS/,
    );
    for (const value of ['0', '99', '1.5', 'soon', '600001']) {
      expect(() => loadConfig({ KAFKA_ACCESS_CHECK_MS: value })).toThrow(/KAFKA_ACCESS_CHECK_MS/);
    }
  });
});
