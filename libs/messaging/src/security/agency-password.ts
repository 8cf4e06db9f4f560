import { createHmac } from 'node:crypto';

/**
 * An agency's Kafka (SCRAM) password: a keyed hash of its id under KAFKA_AGENCY_PASSWORD_KEY.
 * Every backbone instance derives the same one without a per-agency secret store, a new agency
 * has one the moment it is in the directory, and changing the key rotates them all. The operator
 * hands each agency its own (`npm run kafka:agency-password -- <agencyId>`); knowing one
 * password says nothing about another's, nor about the key.
 */
export function agencyKafkaPassword(key: string, agencyId: string): string {
  return createHmac('sha256', key).update(`kafka-password:${agencyId}`).digest('base64url');
}
