// What was asked for: the referral itself as a FHIR R4 ServiceRequest, the Task's focus.
import type { ServiceRequest } from '@medplum/fhirtypes';
import { isTerminal } from '@backbone/domain';
import { SYSTEMS, categoryCoding, concept } from './fhir-systems';
import { consentReference, organizationReference, patientReference } from './references';
import type { ReferralSnapshot } from './referral-snapshot';

type RequestStatus = ServiceRequest['status'];

/** The request stays active while the Task is open; how it ended, once it has. */
function requestStatusOf(snapshot: ReferralSnapshot): RequestStatus {
  if (snapshot.status === 'on-hold') return 'on-hold';
  if (snapshot.status === 'completed') return 'completed';
  return isTerminal(snapshot.status) ? 'revoked' : 'active';
}

export function toServiceRequest(snapshot: ReferralSnapshot): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id: snapshot.referralId,
    meta: { lastUpdated: snapshot.lastUpdated },
    identifier: [{ system: SYSTEMS.referralId, value: snapshot.referralId }],
    status: requestStatusOf(snapshot),
    intent: 'order',
    category: [concept([categoryCoding(snapshot.category)])],
    priority: snapshot.priority,
    subject: patientReference(snapshot.referralId),
    ...(snapshot.dueBy ? { occurrencePeriod: { end: snapshot.dueBy } } : {}),
    authoredOn: snapshot.madeAt,
    requester: organizationReference(snapshot.from),
    performer: [organizationReference(snapshot.to)],
    ...(snapshot.reason !== undefined ? { reasonCode: [concept([], snapshot.reason)] } : {}),
    // The lawful basis the referrer shares the person's data under.
    supportingInfo: [consentReference(snapshot.referralId)],
  };
}
