// What a referral sent as FHIR asks for, as the data of `referral.make.v1` (CONTRACT §4): each
// field read from the element the read side writes it to (docs/fhir.md), so a Task read back
// says what was sent. Values are checked by the command's own validation, not here: this only
// finds them, and names the FHIR element where one is missing or points elsewhere.
import type { MakeReferralV1 } from '@backbone/contracts';
import type { CodeableConcept, Reference } from '@medplum/fhirtypes';
import { FhirError } from '../fhir-error';
import { SYSTEMS } from '../mapping/fhir-systems';
import type { ReferralParts } from './referral-parts';

export type MakeReferralData = Omit<MakeReferralV1, 'referralId'>;

const invalid = (diagnostics: string, expression: string): FhirError =>
  new FhirError(422, diagnostics, expression);

/** The agency an `Organization/<id>` reference names. */
export function agencyOf(reference: Reference | undefined): string | undefined {
  const match = /^Organization\/([^/]+)$/.exec(reference?.reference ?? '');
  return match?.[1];
}

/** The code of a concept's coding in one of our systems (the first such coding). */
export function codeIn(concept: CodeableConcept | undefined, system: string): string | undefined {
  return concept?.coding?.find((coding) => coding.system === system)?.code;
}

function requiredCode(
  concepts: CodeableConcept[] | undefined,
  system: string,
  expression: string,
): string {
  for (const concept of concepts ?? []) {
    const code = codeIn(concept, system);
    if (code !== undefined) return code;
  }
  throw invalid(`${expression} needs a coding in ${system}`, expression);
}

/** The referrer is the caller: a referral cannot be made in another agency's name. */
function checkRequester(
  reference: Reference | undefined,
  caller: string,
  expression: string,
): void {
  if (reference === undefined) return;
  const agency = agencyOf(reference);
  if (agency !== caller) {
    throw new FhirError(
      403,
      `${expression} must be Organization/${caller}: an agency makes referrals in its own name`,
      expression,
    );
  }
}

export function makeReferralOf(parts: ReferralParts, caller: string): MakeReferralData {
  const { task, serviceRequest, patient, consent } = parts;
  checkRequester(task.requester, caller, 'Task.requester');
  checkRequester(serviceRequest.requester, caller, 'ServiceRequest.requester');
  const to = agencyOf(task.owner) ?? agencyOf(serviceRequest.performer?.[0]);
  if (to === undefined) {
    throw invalid('Task.owner must name the receiving agency as Organization/<id>', 'Task.owner');
  }
  const performer = serviceRequest.performer?.[0];
  if (performer !== undefined && agencyOf(performer) !== to) {
    throw invalid('ServiceRequest.performer must be the Task’s owner', 'ServiceRequest.performer');
  }
  const reason = serviceRequest.reasonCode?.[0]?.text;
  if (reason === undefined) {
    throw invalid('ServiceRequest.reasonCode[0].text must say why', 'ServiceRequest.reasonCode');
  }
  const name = patient.name?.[0];
  const basis = requiredCode(
    consent.policyRule ? [consent.policyRule] : consent.category,
    SYSTEMS.lawfulBasis,
    'Consent.policyRule',
  );
  const dueBy = serviceRequest.occurrencePeriod?.end ?? serviceRequest.occurrenceDateTime;
  return {
    to,
    category: requiredCode(
      serviceRequest.category,
      SYSTEMS.category,
      'ServiceRequest.category',
    ) as MakeReferralData['category'],
    // FHIR reads a missing priority as routine; the Task's wins over the request's.
    priority: task.priority ?? serviceRequest.priority ?? 'routine',
    reason,
    subject: {
      identifiers: (patient.identifier ?? []).map(({ system, value }) => ({
        system: system as string,
        value: value as string,
      })),
      ...(name
        ? { name: { given: (name.given ?? []).join(' '), family: name.family as string } }
        : {}),
      ...(patient.birthDate !== undefined ? { birthDate: patient.birthDate } : {}),
    },
    lawfulBasis: {
      basis: basis as MakeReferralData['lawfulBasis']['basis'],
      ...(consent.sourceReference?.display !== undefined
        ? { consentRef: consent.sourceReference.display }
        : {}),
    },
    ...(dueBy !== undefined ? { dueBy } : {}),
  };
}

/** Where each field of a referral command lives in FHIR, for OperationOutcome.issue.expression. */
const FHIR_PATH_OF_FIELD: ReadonlyArray<[RegExp, string]> = [
  [/^to\b/, 'Task.owner'],
  [/^category\b/, 'ServiceRequest.category'],
  [/^priority\b/, 'Task.priority'],
  [/^reason\b/, 'ServiceRequest.reasonCode[0].text'],
  [/^subject\.identifiers\b/, 'Patient.identifier'],
  [/^subject\.name\b/, 'Patient.name'],
  [/^subject\.birthDate\b/, 'Patient.birthDate'],
  [/^subject\b/, 'Patient'],
  [/^lawfulBasis\.consentRef\b/, 'Consent.sourceReference.display'],
  [/^lawfulBasis\b/, 'Consent.policyRule'],
  [/^dueBy\b/, 'ServiceRequest.occurrencePeriod.end'],
];

/** The FHIR element of a `data.…` path of `referral.make.v1`'s validation errors. */
export function fhirPathOfMakeField(path: string): string | undefined {
  const field = path.replace(/^data\./, '');
  return FHIR_PATH_OF_FIELD.find(([pattern]) => pattern.test(field))?.[1];
}
