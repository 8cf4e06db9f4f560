import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  Kafka,
  ResourcePatternTypes,
} from 'kafkajs';
import type { BackboneConfig } from '@backbone/config';
import { TopicNames } from '@backbone/contracts';
import { agencyPrincipal } from './agency-acls';
import { flattenAcls, planAgencyAccess } from './agency-access-plan';
import { kafkaTlsOptions } from '../kafka-client';
import { agencyKafkaPassword } from './agency-password';
import { alterScramUsers } from './scram-user-admin';

export interface AgencyAccessReport {
  agencies: number;
  aclsCreated: number;
  aclsRemoved: number;
  /** Agencies gone from the directory whose credential and grants were removed. */
  removedAgencies: string[];
  /** Agency ids refused because they would be the backbone's own (super user) principal. */
  refused: string[];
}

/**
 * Gives every agency exactly its CONTRACT §2 ACLs for `User:<agencyId>` and, under SASL, its SCRAM
 * user (password from agencyKafkaPassword); takes both away from agencies no longer in the
 * directory.
 * Idempotent: run it at start and after every directory change. `kafka` must be logged in as the
 * backbone's super user.
 */
export async function provisionAgencyAccess(
  kafka: Kafka,
  config: BackboneConfig,
  agencyIds: string[],
): Promise<AgencyAccessReport> {
  const auth = config.kafkaAuth;
  const refused = agencyIds.filter((id) => id === auth.username);
  const agencies = agencyIds.filter((id) => id !== auth.username).sort();
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    const plan = planAgencyAccess({
      topics: new TopicNames(config.topicPrefix),
      groupPrefix: config.topicPrefix,
      agencyIds: agencies,
      existing: flattenAcls(resources),
      reservedPrincipals: [agencyPrincipal(auth.username), 'User:ANONYMOUS'],
    });
    // Credentials first: should a later step fail, the former agencies' ACLs still mark them
    // for the next attempt. Under KAFKA_AUTH=tls an agency's credential is its certificate,
    // issued (and revoked) by the operator's CA, not by the backbone.
    if (auth.mode === 'sasl') {
      await alterScramUsers(
        {
          brokers: config.kafkaBrokers,
          mechanism: auth.mechanism,
          username: auth.username,
          password: auth.password,
          tls: kafkaTlsOptions(config.kafkaTls),
        },
        {
          upsert: agencies.map((id) => ({
            name: id,
            password: agencyKafkaPassword(auth.agencyPasswordKey, id),
          })),
          remove: plan.formerAgencies,
        },
      );
    }
    if (plan.create.length) await admin.createAcls({ acl: plan.create });
    if (plan.remove.length) await admin.deleteAcls({ filters: plan.remove });
    return {
      agencies: agencies.length,
      aclsCreated: plan.create.length,
      aclsRemoved: plan.remove.length,
      removedAgencies: plan.formerAgencies,
      refused,
    };
  } finally {
    await admin.disconnect();
  }
}
