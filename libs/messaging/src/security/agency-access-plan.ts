// Compares the ACLs a cluster has with those the directory's agencies should have, and says what
// to create and what to remove. Pure, so every rule is checked without a broker.
import type { AclEntry, DescribeAclResource } from 'kafkajs';
import { AGENCY_ID_PATTERN, TopicNames } from '@backbone/contracts';
import { agencyAcls, agencyResourceNames } from './agency-acls';

export interface AgencyAccessPlan {
  create: AclEntry[];
  remove: AclEntry[];
  /** Agencies no longer in the directory whose grants are still on the cluster. */
  formerAgencies: string[];
}

export interface AgencyAccessInput {
  topics: TopicNames;
  /** Prefix of group names (the topic prefix): one test run's grants never touch another's. */
  groupPrefix: string;
  agencyIds: string[];
  existing: AclEntry[];
  /** Principals never treated as an agency's, such as the backbone's own. */
  reservedPrincipals: string[];
}

const key = (acl: AclEntry): string =>
  [
    acl.resourceType,
    acl.resourcePatternType,
    acl.resourceName,
    acl.principal,
    acl.host,
    acl.operation,
    acl.permissionType,
  ].join('\u0000');

export const flattenAcls = (resources: DescribeAclResource[]): AclEntry[] =>
  resources.flatMap(({ acls, ...resource }) => acls.map((acl) => ({ ...resource, ...acl })));

/**
 * The backbone owns the ACLs of every directory agency's principal on resources under its prefix
 * (an ACL there that CONTRACT §2 does not grant is removed), and of a former agency's principal on
 * the resources it once granted it (removed, with its credential).
 */
export function planAgencyAccess(input: AgencyAccessInput): AgencyAccessPlan {
  const { topics, groupPrefix, agencyIds, existing } = input;
  const reserved = new Set(input.reservedPrincipals);
  const current = new Set(agencyIds);
  const desired = agencyIds.flatMap((id) => agencyAcls(topics, groupPrefix, id));
  const desiredKeys = new Set(desired.map(key));
  const existingKeys = new Set(existing.map(key));
  const formerAgencies = new Set<string>();

  const owned = (acl: AclEntry): boolean => {
    if (!acl.principal.startsWith('User:') || reserved.has(acl.principal)) return false;
    const id = acl.principal.slice('User:'.length);
    if (current.has(id)) return acl.resourceName.startsWith(groupPrefix);
    if (!AGENCY_ID_PATTERN.test(id)) return false;
    const former = agencyResourceNames(topics, groupPrefix, id).includes(acl.resourceName);
    if (former) formerAgencies.add(id);
    return former;
  };

  return {
    create: desired.filter((acl) => !existingKeys.has(key(acl))),
    remove: existing.filter((acl) => owned(acl) && !desiredKeys.has(key(acl))),
    formerAgencies: [...formerAgencies].sort(),
  };
}
