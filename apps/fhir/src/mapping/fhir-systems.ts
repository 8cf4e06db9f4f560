// The URIs our codes and identifiers go by in FHIR. Our own value sets (the contract's, served
// with labels at GET /v1/codes) are published under one base; FHIR's own systems where one fits.
import { VALUE_SETS, type CodedValue } from '@backbone/contracts';
import type { CodeableConcept, Coding } from '@medplum/fhirtypes';

const OUR_BASE = 'https://referral-backbone.org/fhir';

export const SYSTEMS = {
  referralStatus: `${OUR_BASE}/CodeSystem/referral-status`,
  category: `${OUR_BASE}/CodeSystem/referral-category`,
  reasonCode: `${OUR_BASE}/CodeSystem/reason-code`,
  outcomeCode: `${OUR_BASE}/CodeSystem/outcome-code`,
  outputType: `${OUR_BASE}/CodeSystem/task-output-type`,
  lawfulBasis: `${OUR_BASE}/CodeSystem/lawful-basis`,
  agencyId: `${OUR_BASE}/NamingSystem/agency-id`,
  sector: `${OUR_BASE}/CodeSystem/sector`,
  referralId: `${OUR_BASE}/NamingSystem/referral-id`,
  dataAbsentReason: 'http://hl7.org/fhir/StructureDefinition/data-absent-reason',
} as const;

/** The English label of a contract code, as GET /v1/codes gives it. */
function labelOf(set: CodedValue[], code: string): string | undefined {
  return set.find((value) => value.code === code)?.labels.en;
}

const coding = (system: string, code: string, display: string | undefined): Coding => ({
  system,
  code,
  ...(display ? { display } : {}),
});

export const categoryCoding = (code: string): Coding =>
  coding(SYSTEMS.category, code, labelOf(VALUE_SETS.categories, code));

export const reasonCoding = (code: string): Coding =>
  coding(SYSTEMS.reasonCode, code, labelOf(VALUE_SETS.reasonCodes, code));

export const outcomeCoding = (code: string): Coding =>
  coding(SYSTEMS.outcomeCode, code, labelOf(VALUE_SETS.outcomeCodes, code));

export const lawfulBasisCoding = (code: string): Coding =>
  coding(SYSTEMS.lawfulBasis, code, labelOf(VALUE_SETS.lawfulBases, code));

/** A concept of one coding, with free text beside it where there is any. */
export const concept = (codings: Coding[], text?: string): CodeableConcept => ({
  ...(codings.length ? { coding: codings } : {}),
  ...(text !== undefined ? { text } : {}),
});
