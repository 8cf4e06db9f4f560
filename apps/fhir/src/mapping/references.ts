// How our resources point at each other: ids are ours (CONTRACT §8: Task ids are referral ids).
import type {
  Consent,
  Organization,
  Patient,
  Reference,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';

export const organizationReference = (agencyId: string): Reference<Organization> => ({
  reference: `Organization/${agencyId}`,
});

/** The ServiceRequest, Patient and Consent of a referral share the referral's id. */
export const serviceRequestReference = (referralId: string): Reference<ServiceRequest> => ({
  reference: `ServiceRequest/${referralId}`,
});

export const patientReference = (referralId: string): Reference<Patient> => ({
  reference: `Patient/${referralId}`,
});

export const consentReference = (referralId: string): Reference<Consent> => ({
  reference: `Consent/${referralId}`,
});

export const taskReference = (referralId: string): Reference<Task> => ({
  reference: `Task/${referralId}`,
});
