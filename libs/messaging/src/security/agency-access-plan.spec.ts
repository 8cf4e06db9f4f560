import {
  AclEntry,
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';
import { TopicNames } from '@backbone/contracts';
import { agencyAcls } from './agency-acls';
import { planAgencyAccess } from './agency-access-plan';
import { agencyKafkaPassword } from './agency-password';

const { TOPIC, GROUP } = AclResourceTypes;
const { LITERAL, PREFIXED } = ResourcePatternTypes;
const { READ, WRITE, DESCRIBE } = AclOperationTypes;

/** kafkajs's enums are plain objects at run time, without TypeScript's reverse mapping. */
const nameOf = (values: object, value: number): string =>
  Object.entries(values).find(([, v]) => v === value)?.[0] ?? String(value);

/** An ACL as `<type> <pattern> <name> <operation>`, for readable expectations. */
const describe_ = (acl: AclEntry): string =>
  [
    nameOf(AclResourceTypes, acl.resourceType),
    nameOf(ResourcePatternTypes, acl.resourcePatternType),
    acl.resourceName,
    nameOf(AclOperationTypes, acl.operation),
  ].join(' ');

const acl = (
  principal: string,
  resourceType: AclResourceTypes,
  resourceName: string,
  operation: AclOperationTypes,
  resourcePatternType = LITERAL,
): AclEntry => ({
  principal,
  resourceType,
  resourceName,
  operation,
  resourcePatternType,
  host: '*',
  permissionType: AclPermissionTypes.ALLOW,
});

const topics = new TopicNames('');
const plan = (agencyIds: string[], existing: AclEntry[], prefix = '') =>
  planAgencyAccess({
    topics: new TopicNames(prefix),
    groupPrefix: prefix,
    agencyIds,
    existing,
    reservedPrincipals: ['User:backbone', 'User:ANONYMOUS'],
  });

describe("an agency's Kafka ACLs", () => {
  it('allow exactly: write its command topic, read its outcomes and inbox, its own groups', () => {
    const acls = agencyAcls(topics, '', 'randers-school');
    expect(acls.map(describe_).sort()).toEqual(
      [
        'TOPIC LITERAL referrals.commands.randers-school WRITE',
        'TOPIC LITERAL referrals.commands.randers-school DESCRIBE',
        'TOPIC LITERAL referrals.outcomes.randers-school READ',
        'TOPIC LITERAL referrals.outcomes.randers-school DESCRIBE',
        'TOPIC LITERAL referrals.inbox.randers-school READ',
        'TOPIC LITERAL referrals.inbox.randers-school DESCRIBE',
        'GROUP LITERAL randers-school READ',
        'GROUP PREFIXED randers-school. READ',
      ].sort(),
    );
    for (const entry of acls) {
      expect(entry).toMatchObject({
        principal: 'User:randers-school',
        host: '*',
        permissionType: AclPermissionTypes.ALLOW,
      });
    }
  });

  it('grant nothing on referrals.events, the dead-letter topic or another agency', () => {
    const names = agencyAcls(topics, '', 'redbridge').map((entry) => entry.resourceName);
    expect(names.some((name) => name.includes('events') || name.includes('dead-letter'))).toBe(
      false,
    );
    // The group prefix ends in a dot, which agency ids cannot hold: `redbridge` gets no
    // access to `redbridge-housing`'s groups.
    expect(names).toContain('redbridge.');
    expect('redbridge-housing.inbox'.startsWith('redbridge.')).toBe(false);
  });

  it('carry the topic prefix on topics and groups', () => {
    const names = agencyAcls(new TopicNames('run42.'), 'run42.', 'a1').map((e) => e.resourceName);
    expect(new Set(names)).toEqual(
      new Set([
        'run42.referrals.commands.a1',
        'run42.referrals.outcomes.a1',
        'run42.referrals.inbox.a1',
        'run42.a1',
        'run42.a1.',
      ]),
    );
  });
});

describe('planning agency access', () => {
  it('creates every ACL of a new cluster and removes nothing', () => {
    const result = plan(['a1', 'b2'], []);
    expect(result.create).toHaveLength(16);
    expect(result.remove).toEqual([]);
    expect(result.formerAgencies).toEqual([]);
  });

  it('is idempotent: nothing to do when the cluster already matches', () => {
    const existing = [...agencyAcls(topics, '', 'a1'), ...agencyAcls(topics, '', 'b2')];
    expect(plan(['a1', 'b2'], existing)).toEqual({ create: [], remove: [], formerAgencies: [] });
  });

  it('gives a newly added agency its ACLs and leaves the others alone', () => {
    const result = plan(['a1', 'c3'], agencyAcls(topics, '', 'a1'));
    expect(result.create).toEqual(agencyAcls(topics, '', 'c3'));
    expect(result.remove).toEqual([]);
  });

  it("removes a stray grant beyond the contract, such as an agency's READ on the event log", () => {
    const stray = acl('User:a1', TOPIC, 'referrals.events', READ);
    const otherAgency = acl('User:a1', TOPIC, 'referrals.inbox.b2', READ);
    const result = plan(['a1', 'b2'], [...agencyAcls(topics, '', 'a1'), stray, otherAgency]);
    expect(result.remove).toEqual([stray, otherAgency]);
  });

  it("removes a former agency's grants and names it, so its credential goes too", () => {
    const result = plan(
      ['a1'],
      [...agencyAcls(topics, '', 'a1'), ...agencyAcls(topics, '', 'gone')],
    );
    expect(result.remove).toEqual(agencyAcls(topics, '', 'gone'));
    expect(result.formerAgencies).toEqual(['gone']);
    expect(result.create).toEqual([]);
  });

  it('leaves principals it does not own alone: the backbone, operators, other prefixes', () => {
    const notOurs = [
      acl('User:backbone', TOPIC, 'referrals.commands.backbone', WRITE),
      acl('User:ops-tool', TOPIC, 'referrals.events', READ),
      acl('User:ops-tool', GROUP, 'ops', READ, PREFIXED),
      acl('User:a1', TOPIC, 'other-run.referrals.events', DESCRIBE),
    ];
    const result = plan(
      ['a1'],
      [...agencyAcls(new TopicNames('run.'), 'run.', 'a1'), ...notOurs],
      'run.',
    );
    expect(result).toEqual({ create: [], remove: [], formerAgencies: [] });
  });

  it('ignores grants of non-agency principals on look-alike resources', () => {
    const result = plan(
      [],
      [acl('User:Not_An_Agency', TOPIC, 'referrals.inbox.Not_An_Agency', READ)],
    );
    expect(result).toEqual({ create: [], remove: [], formerAgencies: [] });
  });
});

describe("an agency's Kafka password", () => {
  it('is the same wherever it is derived, and differs per agency and per key', () => {
    const a = agencyKafkaPassword('key-1', 'a1');
    expect(agencyKafkaPassword('key-1', 'a1')).toBe(a);
    expect(agencyKafkaPassword('key-1', 'b2')).not.toBe(a);
    expect(agencyKafkaPassword('key-2', 'a1')).not.toBe(a);
    expect(a).toMatch(/^[A-Za-z0-9_-]{43}$/); // safe in kcat -X and JAAS values
  });
});
