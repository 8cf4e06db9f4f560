// How the backbone authenticates to Kafka (KAFKA_AUTH), with the documented defaults.

export type KafkaAuthMode = 'none' | 'sasl';
export type KafkaSaslMechanism = 'scram-sha-256' | 'scram-sha-512';

export interface KafkaAuthConfig {
  /** `none`: PLAINTEXT, no ACLs (the default). `sasl`: SASL_PLAINTEXT with SCRAM and ACLs. */
  mode: KafkaAuthMode;
  mechanism: KafkaSaslMechanism;
  /** The backbone's own principal (`User:<username>`), a super user of the cluster. */
  username: string;
  password: string;
  /** Key from which every agency's Kafka password is derived (see agencyKafkaPassword). */
  agencyPasswordKey: string;
}

export const KAFKA_AUTH_DEFAULTS = {
  KAFKA_AUTH: 'none',
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
  KAFKA_SASL_USERNAME: 'backbone',
  KAFKA_SASL_PASSWORD: 'development-only-backbone-password',
  KAFKA_AGENCY_PASSWORD_KEY: 'development-only-kafka-agency-password-key',
} as const;

const MODES: readonly KafkaAuthMode[] = ['none', 'sasl'];
const MECHANISMS: readonly KafkaSaslMechanism[] = ['scram-sha-256', 'scram-sha-512'];

export function loadKafkaAuthConfig(env: NodeJS.ProcessEnv): KafkaAuthConfig {
  const read = (name: keyof typeof KAFKA_AUTH_DEFAULTS): string =>
    env[name] || KAFKA_AUTH_DEFAULTS[name];
  const mode = read('KAFKA_AUTH').toLowerCase() as KafkaAuthMode;
  if (!MODES.includes(mode)) {
    throw new Error(`KAFKA_AUTH must be one of ${MODES.join(', ')}, got "${env.KAFKA_AUTH}"`);
  }
  const mechanism = read('KAFKA_SASL_MECHANISM').toLowerCase() as KafkaSaslMechanism;
  if (!MECHANISMS.includes(mechanism)) {
    throw new Error(
      `KAFKA_SASL_MECHANISM must be SCRAM-SHA-256 or SCRAM-SHA-512, got "${env.KAFKA_SASL_MECHANISM}"`,
    );
  }
  return {
    mode,
    mechanism,
    username: read('KAFKA_SASL_USERNAME'),
    password: read('KAFKA_SASL_PASSWORD'),
    agencyPasswordKey: read('KAFKA_AGENCY_PASSWORD_KEY'),
  };
}

/** The mechanism as Kafka spells it (`SCRAM-SHA-256`), for broker configs and tools. */
export const kafkaMechanismName = (mechanism: KafkaSaslMechanism): string =>
  mechanism.toUpperCase();
