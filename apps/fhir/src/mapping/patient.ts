// The person a referral is about, as the referrer gave them to the receiver: the identifiers,
// name and birth date of that referral, and nothing the backbone knows from elsewhere.
import type { Patient } from '@medplum/fhirtypes';
import type { ReferralSnapshot } from './referral-snapshot';

/** undefined when the person's data was erased (or does not open): there is nothing to show. */
export function toPatient(snapshot: ReferralSnapshot): Patient | undefined {
  const { subject } = snapshot;
  if (snapshot.subjectErased || !subject) return undefined;
  return {
    resourceType: 'Patient',
    id: snapshot.referralId,
    meta: { lastUpdated: snapshot.madeAt },
    identifier: subject.identifiers.map(({ system, value }) => ({ system, value })),
    ...(subject.name
      ? { name: [{ family: subject.name.family, given: [subject.name.given] }] }
      : {}),
    ...(subject.birthDate ? { birthDate: subject.birthDate } : {}),
  };
}
