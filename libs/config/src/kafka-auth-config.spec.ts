import { loadConfig } from './backbone-config';

describe('Kafka authentication settings', () => {
  it('default to PLAINTEXT, with documented development-only SASL credentials', () => {
    expect(loadConfig({}).kafkaAuth).toEqual({
      mode: 'none',
      mechanism: 'scram-sha-256',
      username: 'backbone',
      password: 'development-only-backbone-password',
      agencyPasswordKey: 'development-only-kafka-agency-password-key',
    });
  });

  it('read KAFKA_AUTH=sasl and the mechanism as Kafka spells it', () => {
    const auth = loadConfig({
      KAFKA_AUTH: 'sasl',
      KAFKA_SASL_MECHANISM: 'SCRAM-SHA-512',
      KAFKA_SASL_USERNAME: 'rb',
      KAFKA_SASL_PASSWORD: 'secret',
      KAFKA_AGENCY_PASSWORD_KEY: 'key',
    }).kafkaAuth;
    expect(auth).toEqual({
      mode: 'sasl',
      mechanism: 'scram-sha-512',
      username: 'rb',
      password: 'secret',
      agencyPasswordKey: 'key',
    });
  });

  it('refuse an unknown mode or mechanism', () => {
    expect(() => loadConfig({ KAFKA_AUTH: 'ssl' })).toThrow(/KAFKA_AUTH/);
    expect(() => loadConfig({ KAFKA_SASL_MECHANISM: 'PLAIN' })).toThrow(/KAFKA_SASL_MECHANISM/);
  });
});
