// A referral as a FHIR client sends it: a Task whose focus is a ServiceRequest, for a Patient,
// under a Consent (the lawful basis), found either in a transaction Bundle or contained in the
// Task. This module finds the four and checks how they point at each other; nothing more.
import type {
  BundleEntry,
  Consent,
  Patient,
  Reference,
  Resource,
  ServiceRequest,
  Task,
} from '@medplum/fhirtypes';
import { FhirError } from '../fhir-error';

export interface ReferralParts {
  task: Task;
  serviceRequest: ServiceRequest;
  patient: Patient;
  consent: Consent;
}

/** The resource types a referral is made of, and the only ones a create may carry. */
const PART_TYPES = ['Task', 'ServiceRequest', 'Patient', 'Consent'] as const;
type PartType = (typeof PART_TYPES)[number];

const invalid = (diagnostics: string, expression: string): FhirError =>
  new FhirError(422, diagnostics, expression);

function isResource(value: unknown): value is Resource {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    typeof (value as { resourceType?: unknown }).resourceType === 'string'
  );
}

/** Resolves a Reference among the given resources, by their key (a fullUrl, `Type/id` or `#id`). */
function resolve<T extends Resource>(
  reference: Reference | undefined,
  byKey: ReadonlyMap<string, Resource>,
  type: T['resourceType'],
  expression: string,
): T {
  const key = reference?.reference;
  if (typeof key !== 'string') {
    throw invalid(`${expression} must reference the ${type} sent with it`, expression);
  }
  const found = byKey.get(key);
  if (!found || found.resourceType !== type) {
    throw invalid(`${expression} (${key}) names no ${type} sent with it`, expression);
  }
  return found as T;
}

/** Checks the four are wired as a referral: Task → ServiceRequest → Patient, Consent → Patient. */
function partsFrom(task: Task, byKey: ReadonlyMap<string, Resource>): ReferralParts {
  const serviceRequest = resolve<ServiceRequest>(task.focus, byKey, 'ServiceRequest', 'Task.focus');
  const patient = resolve<Patient>(task.for, byKey, 'Patient', 'Task.for');
  if (
    resolve<Patient>(serviceRequest.subject, byKey, 'Patient', 'ServiceRequest.subject') !== patient
  ) {
    throw invalid('ServiceRequest.subject must be the Task’s Patient', 'ServiceRequest.subject');
  }
  const consents = [...new Set(byKey.values())].filter(
    (resource): resource is Consent => resource.resourceType === 'Consent',
  );
  if (consents.length !== 1) {
    throw invalid('one Consent must give the lawful basis the data is shared under', 'Consent');
  }
  const [consent] = consents;
  if (
    consent.patient &&
    resolve<Patient>(consent.patient, byKey, 'Patient', 'Consent.patient') !== patient
  ) {
    throw invalid('Consent.patient must be the Task’s Patient', 'Consent.patient');
  }
  return { task, serviceRequest, patient, consent };
}

/** `POST /fhir/Task`: the ServiceRequest, Patient and Consent contained in the Task. */
export function partsOfTask(body: unknown): ReferralParts {
  if (!isResource(body) || body.resourceType !== 'Task') {
    throw new FhirError(400, 'the body must be a FHIR Task', 'Task');
  }
  const { contained = [], ...task } = body;
  const byKey = new Map<string, Resource>();
  contained.forEach((resource, index) => {
    const expression = `Task.contained[${index}]`;
    if (!isResource(resource) || !PART_TYPES.includes(resource.resourceType as PartType)) {
      throw invalid('only a ServiceRequest, Patient and Consent may be contained', expression);
    }
    if (typeof resource.id !== 'string')
      throw invalid('a contained resource needs an id', `${expression}.id`);
    byKey.set(`#${resource.id}`, resource);
  });
  return partsFrom(task, byKey);
}

/** One entry of the transaction, as the response must answer it (same order). */
export interface TransactionEntry {
  type: PartType;
  ifNoneExist?: string;
}

/**
 * `POST /fhir` with a transaction Bundle: one Task, ServiceRequest, Patient and Consent, each
 * `POST`ed to its type, referencing each other by fullUrl (`urn:uuid:…`) or `Type/id`.
 */
export function partsOfTransaction(body: unknown): {
  parts: ReferralParts;
  entries: TransactionEntry[];
} {
  if (!isResource(body) || body.resourceType !== 'Bundle') {
    throw new FhirError(400, 'the body must be a FHIR Bundle', 'Bundle');
  }
  const bundle = body;
  if (bundle.type !== 'transaction') {
    throw invalid('only a transaction Bundle is accepted here', 'Bundle.type');
  }
  const entries: TransactionEntry[] = [];
  const byKey = new Map<string, Resource>();
  let task: Task | undefined;
  (bundle.entry ?? []).forEach((entry: BundleEntry, index) => {
    const expression = `Bundle.entry[${index}]`;
    const { resource, request, fullUrl } = entry;
    if (!isResource(resource) || !PART_TYPES.includes(resource.resourceType as PartType)) {
      throw invalid(
        'a referral is a Task, a ServiceRequest, a Patient and a Consent; nothing else',
        `${expression}.resource`,
      );
    }
    const type = resource.resourceType as PartType;
    if (request?.method !== 'POST' || request.url !== type) {
      throw invalid(`each entry is created: request POST ${type}`, `${expression}.request`);
    }
    if (entries.some((earlier) => earlier.type === type)) {
      throw invalid(`one ${type} per referral`, `${expression}.resource`);
    }
    if (request.ifNoneExist !== undefined && type !== 'Task') {
      throw invalid(
        'only the Task may be created conditionally',
        `${expression}.request.ifNoneExist`,
      );
    }
    entries.push({
      type,
      ...(request.ifNoneExist !== undefined ? { ifNoneExist: request.ifNoneExist } : {}),
    });
    if (fullUrl) byKey.set(fullUrl, resource);
    if (resource.id) byKey.set(`${type}/${resource.id}`, resource);
    if (type === 'Task') task = resource as Task;
  });
  if (!task) throw invalid('the transaction holds no Task', 'Bundle.entry');
  return { parts: partsFrom(task, byKey), entries };
}
