// The lawful basis a referrer shares a person's data under (GDPR art. 6), as a FHIR R4 Consent:
// not always the person's consent, so the basis is the Consent's policy rule.
import type { Consent } from '@medplum/fhirtypes';
import { concept, lawfulBasisCoding } from './fhir-systems';
import { organizationReference, patientReference } from './references';
import type { ReferralSnapshot } from './referral-snapshot';

const PATIENT_PRIVACY = {
  system: 'http://terminology.hl7.org/CodeSystem/consentscope',
  code: 'patient-privacy',
  display: 'Privacy Consent',
};

export function toConsent(snapshot: ReferralSnapshot): Consent {
  const { basis, consentRef } = snapshot.lawfulBasis;
  return {
    resourceType: 'Consent',
    id: snapshot.referralId,
    meta: { lastUpdated: snapshot.madeAt },
    status: 'active',
    scope: concept([PATIENT_PRIVACY]),
    category: [concept([lawfulBasisCoding(basis)])],
    patient: patientReference(snapshot.referralId),
    dateTime: snapshot.madeAt,
    organization: [organizationReference(snapshot.from)],
    // Where the person's own consent is recorded at the referrer, as the referrer named it.
    ...(consentRef ? { sourceReference: { display: consentRef } } : {}),
    policyRule: concept([lawfulBasisCoding(basis)]),
  };
}
