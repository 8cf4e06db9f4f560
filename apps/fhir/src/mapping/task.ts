// A referral's workflow as a FHIR R4 Task, the way BSeR and Gravity SDOH referrals carry it:
// the Task points at the ServiceRequest (focus) and the Patient (for), moves through Task.status,
// gives reasons in statusReason and the result in output.
import type { Annotation, CodeableConcept, Period, Task, TaskOutput } from '@medplum/fhirtypes';
import { SYSTEMS, concept, outcomeCoding, reasonCoding } from './fhir-systems';
import {
  organizationReference,
  patientReference,
  serviceRequestReference,
  taskReference,
} from './references';
import type { CodedText, ReferralSnapshot } from './referral-snapshot';
import { TASK_STATUS_OF } from './task-status';

/** What every referral Task asks of its owner, as BSeR and Gravity code it: fulfil the focus. */
const FULFILL = {
  system: 'http://hl7.org/fhir/CodeSystem/task-code',
  code: 'fulfill',
  display: 'Fulfill the focal request',
};

/** Shown where a note's text was erased with its subject's data. */
const ERASED_TEXT = '[erased]';

function statusReasonOf(reason: CodedText | undefined): CodeableConcept | undefined {
  if (!reason || (reason.code === undefined && reason.text === undefined)) return undefined;
  return concept(reason.code ? [reasonCoding(reason.code)] : [], reason.text);
}

function executionPeriodOf(snapshot: ReferralSnapshot): Period | undefined {
  if (!snapshot.acceptedAt && !snapshot.endedAt) return undefined;
  return {
    ...(snapshot.acceptedAt ? { start: snapshot.acceptedAt } : {}),
    ...(snapshot.endedAt ? { end: snapshot.endedAt } : {}),
  };
}

function outputsOf(snapshot: ReferralSnapshot): TaskOutput[] {
  const outputs: TaskOutput[] = [];
  if (snapshot.outcome?.code) {
    outputs.push({
      type: concept([{ system: SYSTEMS.outputType, code: 'outcome', display: 'Outcome' }]),
      valueCodeableConcept: concept([outcomeCoding(snapshot.outcome.code)], snapshot.outcome.text),
    });
  }
  if (snapshot.redirectedTo) {
    outputs.push({
      type: concept([
        { system: SYSTEMS.outputType, code: 'redirected-to', display: 'Redirected to' },
      ]),
      valueReference: taskReference(snapshot.redirectedTo.referralId),
    });
  }
  return outputs;
}

const noteOf = (note: ReferralSnapshot['notes'][number]): Annotation => ({
  authorReference: organizationReference(note.by),
  time: note.at,
  text: note.text ?? ERASED_TEXT,
});

/** The referral as a Task, at the version the snapshot stands at. */
export function toTask(snapshot: ReferralSnapshot): Task {
  const statusReason = statusReasonOf(snapshot.statusReason);
  const executionPeriod = executionPeriodOf(snapshot);
  const output = outputsOf(snapshot);
  return {
    resourceType: 'Task',
    id: snapshot.referralId,
    meta: { versionId: String(snapshot.version), lastUpdated: snapshot.lastUpdated },
    identifier: [{ system: SYSTEMS.referralId, value: snapshot.referralId }],
    status: TASK_STATUS_OF[snapshot.status],
    ...(statusReason ? { statusReason } : {}),
    businessStatus: concept([{ system: SYSTEMS.referralStatus, code: snapshot.status }]),
    intent: 'order',
    priority: snapshot.priority,
    code: concept([FULFILL]),
    focus: serviceRequestReference(snapshot.referralId),
    for: patientReference(snapshot.referralId),
    ...(executionPeriod ? { executionPeriod } : {}),
    authoredOn: snapshot.madeAt,
    lastModified: snapshot.lastUpdated,
    requester: organizationReference(snapshot.from),
    owner: organizationReference(snapshot.to),
    // The receiver's decision deadline: the Task must be accepted, rejected or redirected by then.
    restriction: { period: { end: snapshot.decisionDueBy } },
    ...(snapshot.notes.length ? { note: snapshot.notes.map(noteOf) } : {}),
    ...(output.length ? { output } : {}),
  };
}
