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
import { alterScramUsers, scramUsersWithCredential } from './scram-user-admin';

export interface AgencyAccessReport {
  agencies: number;
  aclsCreated: number;
  aclsRemoved: number;
  /** Agencies gone from the directory whose credential and grants were removed. */
  removedAgencies: string[];
  /** Agency ids refused because they would be the backbone's own (super user) principal. */
  refused: string[];
  /** With issued credentials: directory agencies that hold none, so have no ACLs either. */
  withoutCredential: string[];
}

/**
 * Gives every agency exactly its CONTRACT §2 ACLs for `User:<agencyId>` and, under SASL with
 * derived credentials, its SCRAM user (password from agencyKafkaPassword); takes both away from
 * agencies no longer in the directory. With issued credentials the broker's SCRAM users say who
 * may connect: only directory agencies holding one get ACLs, so revoking a credential (by
 * `kafka:agency-credential -- revoke` or any other tool) takes the agency's ACLs at the next run,
 * which also stops clients that logged in before. Issued credentials are never created here.
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
  const inDirectory = agencyIds.filter((id) => id !== auth.username).sort();
  const login = {
    brokers: config.kafkaBrokers,
    mechanism: auth.mechanism,
    username: auth.username,
    password: auth.password,
    tls: kafkaTlsOptions(config.kafkaTls),
  };
  const issued = auth.mode === 'sasl' && auth.agencyCredentials === 'issued';
  const holders = issued ? await scramUsersWithCredential(login) : undefined;
  const agencies = holders ? inDirectory.filter((id) => holders.has(id)) : inDirectory;
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
      const stillListed = new Set(inDirectory);
      await alterScramUsers(login, {
        upsert: issued
          ? []
          : agencies.map((id) => ({
              name: id,
              password: agencyKafkaPassword(auth.agencyPasswordKey, id),
            })),
        // An issued credential is removed only with its agency: one issued a moment ago to an
        // agency still listed must not be taken for a revoked one.
        remove: issued
          ? plan.formerAgencies.filter((id) => !stillListed.has(id))
          : plan.formerAgencies,
      });
    }
    if (plan.create.length) await admin.createAcls({ acl: plan.create });
    if (plan.remove.length) await admin.deleteAcls({ filters: plan.remove });
    return {
      agencies: agencies.length,
      aclsCreated: plan.create.length,
      aclsRemoved: plan.remove.length,
      removedAgencies: plan.formerAgencies,
      refused,
      withoutCredential: holders ? inDirectory.filter((id) => !holders.has(id)) : [],
    };
  } finally {
    await admin.disconnect();
  }
}
