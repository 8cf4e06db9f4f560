// What an agency's Kafka principal may do (CONTRACT §2): write its own command topic, read its own
// outcomes and inbox, in consumer groups named after itself; nothing else.
import {
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';
import type { TopicNames } from '@backbone/contracts';

export const agencyPrincipal = (agencyId: string): string => `User:${agencyId}`;

/**
 * The consumer groups an agency may use: `<agencyId>` itself and any group starting with
 * `<agencyId>.` (after the topic prefix). The dot keeps `redbridge` out of `redbridge-housing`'s
 * groups: agency ids cannot contain one.
 */
export function agencyGroups(
  groupPrefix: string,
  agencyId: string,
): { exact: string; prefix: string } {
  return { exact: `${groupPrefix}${agencyId}`, prefix: `${groupPrefix}${agencyId}.` };
}

/** The names of every resource the backbone grants an agency, for recognising its ACLs. */
export function agencyResourceNames(
  topics: TopicNames,
  groupPrefix: string,
  agencyId: string,
): string[] {
  const groups = agencyGroups(groupPrefix, agencyId);
  return [...topics.forAgency(agencyId), groups.exact, groups.prefix];
}

/** Every ACL of one agency's principal, and no other. */
export function agencyAcls(topics: TopicNames, groupPrefix: string, agencyId: string): AclEntry[] {
  const principal = agencyPrincipal(agencyId);
  const groups = agencyGroups(groupPrefix, agencyId);
  const allow = (
    resourceType: AclResourceTypes,
    resourcePatternType: ResourcePatternTypes,
    resourceName: string,
    operations: AclOperationTypes[],
  ): AclEntry[] =>
    operations.map((operation) => ({
      resourceType,
      resourcePatternType,
      resourceName,
      principal,
      host: '*',
      operation,
      permissionType: AclPermissionTypes.ALLOW,
    }));
  const { TOPIC, GROUP } = AclResourceTypes;
  const { LITERAL, PREFIXED } = ResourcePatternTypes;
  const { READ, WRITE, DESCRIBE } = AclOperationTypes;
  return [
    ...allow(TOPIC, LITERAL, topics.commands(agencyId), [WRITE, DESCRIBE]),
    ...allow(TOPIC, LITERAL, topics.outcomes(agencyId), [READ, DESCRIBE]),
    ...allow(TOPIC, LITERAL, topics.inbox(agencyId), [READ, DESCRIBE]),
    // READ on a group implies DESCRIBE: join, commit and fetch offsets, describe it.
    ...allow(GROUP, LITERAL, groups.exact, [READ]),
    ...allow(GROUP, PREFIXED, groups.prefix, [READ]),
  ];
}
