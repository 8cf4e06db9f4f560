// How the backbone authenticates to Kafka (KAFKA_AUTH), with the documented defaults.
import type { KafkaTlsConfig } from './kafka-tls-config';

export type KafkaAuthMode = 'none' | 'sasl' | 'tls';
export type KafkaSaslMechanism = 'scram-sha-256' | 'scram-sha-512';
/**
 * Where agencies' SCRAM credentials come from. `derived`: from the agency id and
 * KAFKA_AGENCY_PASSWORD_KEY, created by the backbone (development). `issued`: each one made at
 * random by the operator (`npm run kafka:agency-credential -- issue <id>`), kept only by the
 * broker, revocable one agency at a time.
 */
export type KafkaAgencyCredentials = 'derived' | 'issued';

export interface KafkaAuthConfig {
  /**
   * `none`: no login, no ACLs (the default). `sasl`: SCRAM logins and ACLs. `tls`: the client
   * certificate is the login (mutual TLS, principal `User:<its CN>`) and ACLs. Over TLS or not:
   * KAFKA_TLS (`tls` needs it on).
   */
  mode: KafkaAuthMode;
  mechanism: KafkaSaslMechanism;
  /**
   * The backbone's own principal (`User:<username>`), a super user of the cluster: KAFKA_SASL_USERNAME,
   * or under `tls` the common name of its client certificate.
   */
  username: string;
  password: string;
  /** Key from which every agency's Kafka password is derived (see agencyKafkaPassword). */
  agencyPasswordKey: string;
  agencyCredentials: KafkaAgencyCredentials;
  /**
   * With issued credentials, how often the backbone checks which agencies hold one, and takes
   * the ACLs of those that no longer do (a revoked credential loses its access within this).
   */
  accessCheckMs: number;
}

export const KAFKA_AUTH_DEFAULTS = {
  KAFKA_AUTH: 'none',
  KAFKA_SASL_MECHANISM: 'SCRAM-SHA-256',
  KAFKA_SASL_USERNAME: 'backbone',
  KAFKA_SASL_PASSWORD: 'development-only-backbone-password',
  KAFKA_AGENCY_PASSWORD_KEY: 'development-only-kafka-agency-password-key',
  KAFKA_AGENCY_CREDENTIALS: 'derived',
  KAFKA_ACCESS_CHECK_MS: '5000',
} as const;

const MODES: readonly KafkaAuthMode[] = ['none', 'sasl', 'tls'];
const MECHANISMS: readonly KafkaSaslMechanism[] = ['scram-sha-256', 'scram-sha-512'];
const CREDENTIAL_SOURCES: readonly KafkaAgencyCredentials[] = ['derived', 'issued'];

export function loadKafkaAuthConfig(env: NodeJS.ProcessEnv, tls: KafkaTlsConfig): KafkaAuthConfig {
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
  if (mode === 'tls' && !(tls.enabled && tls.certFile)) {
    throw new Error(
      'KAFKA_AUTH=tls logs in with a client certificate: set KAFKA_TLS=on, KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE',
    );
  }
  if (mode === 'tls' && !tls.certCommonName) {
    throw new Error(
      `KAFKA_AUTH=tls takes the backbone's principal from the CN of KAFKA_TLS_CERT_FILE, and ${tls.certFile} has no single CN`,
    );
  }
  const agencyCredentials = read(
    'KAFKA_AGENCY_CREDENTIALS',
  ).toLowerCase() as KafkaAgencyCredentials;
  if (!CREDENTIAL_SOURCES.includes(agencyCredentials)) {
    throw new Error(
      `KAFKA_AGENCY_CREDENTIALS must be derived or issued, got "${env.KAFKA_AGENCY_CREDENTIALS}"`,
    );
  }
  const accessCheckMs = Number(read('KAFKA_ACCESS_CHECK_MS'));
  if (!Number.isInteger(accessCheckMs) || accessCheckMs < 100 || accessCheckMs > 600_000) {
    throw new Error(
      `KAFKA_ACCESS_CHECK_MS must be a whole number of milliseconds from 100 to 600000, got "${env.KAFKA_ACCESS_CHECK_MS}"`,
    );
  }
  return {
    mode,
    mechanism,
    username: mode === 'tls' ? (tls.certCommonName as string) : read('KAFKA_SASL_USERNAME'),
    password: read('KAFKA_SASL_PASSWORD'),
    agencyPasswordKey: read('KAFKA_AGENCY_PASSWORD_KEY'),
    agencyCredentials,
    accessCheckMs,
  };
}

/** The mechanism as Kafka spells it (`SCRAM-SHA-256`), for broker configs and tools. */
export const kafkaMechanismName = (mechanism: KafkaSaslMechanism): string =>
  mechanism.toUpperCase();
