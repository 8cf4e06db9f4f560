import { BackboneConfig, KAFKA_AUTH_DEFAULTS, kafkaMechanismName } from '@backbone/config';
import { agencyKafkaPassword } from '@backbone/messaging';

/**
 * What `npm start` says about Kafka security: nothing in PLAINTEXT mode; with KAFKA_AUTH=sasl the
 * mechanism, and for the demo directory under the development key, each agency's Kafka password
 * (public like the demo API keys; with a real key, `npm run kafka:agency-password` tells them).
 */
export function kafkaSecuritySummary(config: BackboneConfig, agencyIds: string[]): string[] {
  const auth = config.kafkaAuth;
  if (auth.mode !== 'sasl') return [];
  const mechanism = kafkaMechanismName(auth.mechanism);
  const lines = [
    `Kafka security: SASL_PLAINTEXT with ${mechanism} and ACLs; each agency logs in as its id.`,
  ];
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
