import {
  BackboneConfig,
  KAFKA_AUTH_DEFAULTS,
  kafkaMechanismName,
  kafkaSecurityProtocol,
} from '@backbone/config';
import { agencyKafkaPassword } from '@backbone/messaging';
import type { LocalTlsSetup } from '../kafka/local-tls';

/**
 * What `npm start` says about Kafka security: nothing in PLAINTEXT mode; otherwise the protocol,
 * under TLS the CA agencies trust, under KAFKA_AUTH=tls where the demo certificates are, and
 * under SASL for the demo directory under the development key each agency's Kafka password
 * (public like the demo API keys; with a real key, `npm run kafka:agency-password` tells them).
 */
export function kafkaSecuritySummary(
  config: BackboneConfig,
  agencyIds: string[],
  localTls?: LocalTlsSetup,
): string[] {
  const auth = config.kafkaAuth;
  const tls = config.kafkaTls;
  if (auth.mode === 'none' && !tls.enabled) return [];
  const protocol = kafkaSecurityProtocol(auth.mode === 'sasl', tls);
  const lines: string[] = [];
  if (auth.mode === 'none') {
    lines.push(`Kafka security: ${protocol}, no logins and no ACLs.`);
  } else if (auth.mode === 'tls') {
    lines.push(
      `Kafka security: ${protocol} with client certificates (mutual TLS) and ACLs; an agency's certificate has CN=<agency id>.`,
    );
  } else {
    lines.push(
      `Kafka security: ${protocol} with ${kafkaMechanismName(auth.mechanism)} and ACLs; each agency logs in as its id.`,
    );
  }
  if (tls.enabled) {
    lines.push(`  Brokers' certificates are checked against ${tls.caFile ?? "the system's CAs"}.`);
  }
  if (localTls && auth.mode === 'tls') {
    lines.push(
      `Demo directory: client certificates (<id>.pem, <id>.key) in ${localTls.dir}/agencies`,
    );
  }
  if (auth.mode !== 'sasl') return lines;
  if (auth.agencyCredentials === 'issued') {
    lines.push(
      "  Agencies' Kafka credentials are issued: npm run kafka:agency-credential -- issue <agencyId>",
    );
    return lines;
  }
  const demo =
    !config.directoryFile &&
    auth.agencyPasswordKey === KAFKA_AUTH_DEFAULTS.KAFKA_AGENCY_PASSWORD_KEY;
  if (!demo) {
    lines.push("  An agency's Kafka password: npm run kafka:agency-password -- <agencyId>");
    return lines;
  }
  lines.push('Demo directory: Kafka passwords (sasl.username = the agency id):');
  for (const id of agencyIds) {
    lines.push(`  ${id.padEnd(30)} ${agencyKafkaPassword(auth.agencyPasswordKey, id)}`);
  }
  return lines;
}
