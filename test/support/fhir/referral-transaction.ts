// A referral as a FHIR client makes one (docs/fhir.md, "Making a referral"): a transaction
// Bundle of a Task, its ServiceRequest, the Patient and the Consent, linked by urn:uuid fullUrls.
import type { Bundle, Consent, Patient, ServiceRequest, Task } from '@medplum/fhirtypes';

const OUR = 'https://referral-backbone.org/fhir';

export interface ReferralTransactionOptions {
  from: string;
  to: string;
  /** The referrer's own identifier of the referral: a repeated create finds the first. */
  identifier?: { system: string; value: string };
  ifNoneExist?: string;
  category?: string;
  priority?: Task['priority'];
  person?: { system: string; value: string };
}

export function referralParts(options: ReferralTransactionOptions): {
  task: Task;
  serviceRequest: ServiceRequest;
  patient: Patient;
  consent: Consent;
} {
  const person = options.person ?? { system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' };
  const task: Task = {
    resourceType: 'Task',
    ...(options.identifier ? { identifier: [options.identifier] } : {}),
    status: 'requested',
    intent: 'order',
    priority: options.priority ?? 'urgent',
    focus: { reference: 'urn:uuid:2b1f0d6e-4c1a-4d4e-9f5e-6a7b8c9d0e1f' },
    for: { reference: 'urn:uuid:3c2e1f7a-5d2b-4e5f-8a6b-7c8d9e0f1a2b' },
    requester: { reference: `Organization/${options.from}` },
    owner: { reference: `Organization/${options.to}` },
  };
  const serviceRequest: ServiceRequest = {
    resourceType: 'ServiceRequest',
    status: 'active',
    intent: 'order',
    category: [
      {
        coding: [
          {
            system: `${OUR}/CodeSystem/referral-category`,
            code: options.category ?? 'child-social-care',
          },
        ],
      },
    ],
    subject: { reference: 'urn:uuid:3c2e1f7a-5d2b-4e5f-8a6b-7c8d9e0f1a2b' },
    occurrencePeriod: { end: '2027-01-15T00:00:00.000Z' },
    requester: { reference: `Organization/${options.from}` },
    performer: [{ reference: `Organization/${options.to}` }],
    reasonCode: [{ text: 'Repeated absence this term and signs of neglect observed by staff.' }],
    supportingInfo: [{ reference: 'urn:uuid:4d3f2a8b-6e3c-4f6a-9b7c-8d9e0f1a2b3c' }],
  };
  const patient: Patient = {
    resourceType: 'Patient',
    identifier: [person],
    name: [{ family: 'Nielsen', given: ['Freja'] }],
    birthDate: '2012-01-01',
  };
  const consent: Consent = {
    resourceType: 'Consent',
    status: 'active',
    scope: {
      coding: [
        { system: 'http://terminology.hl7.org/CodeSystem/consentscope', code: 'patient-privacy' },
      ],
    },
    category: [{ coding: [{ system: `${OUR}/CodeSystem/lawful-basis`, code: 'consent' }] }],
    patient: { reference: 'urn:uuid:3c2e1f7a-5d2b-4e5f-8a6b-7c8d9e0f1a2b' },
    sourceReference: { display: 'school-consent-2026-118' },
    policyRule: { coding: [{ system: `${OUR}/CodeSystem/lawful-basis`, code: 'consent' }] },
  };
  return { task, serviceRequest, patient, consent };
}

export function referralTransaction(options: ReferralTransactionOptions): Bundle {
  const { task, serviceRequest, patient, consent } = referralParts(options);
  return {
    resourceType: 'Bundle',
    type: 'transaction',
    entry: [
      {
        fullUrl: 'urn:uuid:1a0e9c5d-3b0f-4c3d-8e4d-5f6a7b8c9d0e',
        resource: task,
        request: {
          method: 'POST',
          url: 'Task',
          ...(options.ifNoneExist ? { ifNoneExist: options.ifNoneExist } : {}),
        },
      },
      {
        fullUrl: 'urn:uuid:2b1f0d6e-4c1a-4d4e-9f5e-6a7b8c9d0e1f',
        resource: serviceRequest,
        request: { method: 'POST', url: 'ServiceRequest' },
      },
      {
        fullUrl: 'urn:uuid:3c2e1f7a-5d2b-4e5f-8a6b-7c8d9e0f1a2b',
        resource: patient,
        request: { method: 'POST', url: 'Patient' },
      },
      {
        fullUrl: 'urn:uuid:4d3f2a8b-6e3c-4f6a-9b7c-8d9e0f1a2b3c',
        resource: consent,
        request: { method: 'POST', url: 'Consent' },
      },
    ],
  };
}

/** The same referral as one Task with its parts contained (POST /fhir/Task). */
export function taskWithContainedParts(options: ReferralTransactionOptions): Task {
  const { task, serviceRequest, patient, consent } = referralParts(options);
  const patientRef = { reference: '#person' };
  return {
    ...task,
    contained: [
      {
        ...serviceRequest,
        id: 'request',
        subject: patientRef,
        supportingInfo: [{ reference: '#basis' }],
      },
      { ...patient, id: 'person' },
      { ...consent, id: 'basis', patient: patientRef },
    ],
    focus: { reference: '#request' },
    for: patientRef,
  };
}
