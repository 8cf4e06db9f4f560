// What a changed Task means (PUT of the whole Task, or a JSON Patch applied to it): the one
// lifecycle command of CONTRACT §4 its new status stands for, with the reason or outcome read
// from where the read side writes them (statusReason, output). Whether the move is allowed in
// the referral's status, and by whom, is the domain's to decide, as for any command.
import {
  ACCEPT_REFERRAL_V1,
  ACKNOWLEDGE_REFERRAL_V1,
  CANCEL_REFERRAL_V1,
  COMPLETE_REFERRAL_V1,
  FAIL_REFERRAL_V1,
  HOLD_REFERRAL_V1,
  NOTE_REFERRAL_V1,
  REDIRECT_REFERRAL_V1,
  REJECT_REFERRAL_V1,
  START_REFERRAL_V1,
} from '@backbone/contracts';
import { isDeepStrictEqual } from 'node:util';
import type { ReferralStatus } from '@backbone/domain';
import type { Annotation, CodeableConcept, Task, TaskOutput } from '@medplum/fhirtypes';
import { FhirError } from '../fhir-error';
import { SYSTEMS } from '../mapping/fhir-systems';
import type { ReferralSnapshot } from '../mapping/referral-snapshot';
import { toTask } from '../mapping/task';
import { TASK_STATUS_OF } from '../mapping/task-status';
import { agencyOf, codeIn } from './make-referral-of';

/** A lifecycle command to send, its data without `referralId`; none when nothing changed. */
export type TaskChange =
  { kind: 'command'; type: string; data: Record<string, unknown> } | { kind: 'unchanged' };

/** The command each referral status is reached by (CONTRACT §4). */
export const COMMAND_REACHING: Readonly<Partial<Record<ReferralStatus, string>>> = {
  received: ACKNOWLEDGE_REFERRAL_V1,
  accepted: ACCEPT_REFERRAL_V1,
  rejected: REJECT_REFERRAL_V1,
  redirected: REDIRECT_REFERRAL_V1,
  'in-progress': START_REFERRAL_V1,
  'on-hold': HOLD_REFERRAL_V1,
  completed: COMPLETE_REFERRAL_V1,
  failed: FAIL_REFERRAL_V1,
  cancelled: CANCEL_REFERRAL_V1,
};

/** The elements a client changes; every other one is the referral's and stays as it is. */
const FIXED_ELEMENTS = [
  'identifier',
  'intent',
  'priority',
  'code',
  'focus',
  'for',
  'authoredOn',
  'requester',
  'owner',
  'restriction',
] as const;

const invalid = (diagnostics: string, expression: string): FhirError =>
  new FhirError(422, diagnostics, expression);

/** The referral status a Task's status and business status stand for. */
function targetStatus(current: Task, desired: Task): ReferralStatus {
  const status = desired.status as string | undefined;
  if (typeof status !== 'string') throw invalid('Task.status is required', 'Task.status');
  const currentBusiness = codeIn(current.businessStatus, SYSTEMS.referralStatus);
  const business = codeIn(desired.businessStatus, SYSTEMS.referralStatus);
  // A business status left as it was says nothing: the client moved Task.status alone.
  if (business !== undefined && business !== currentBusiness) {
    if (TASK_STATUS_OF[business as ReferralStatus] !== status) {
      throw invalid(
        `businessStatus ${business} is not a Task with status ${status}`,
        'Task.businessStatus',
      );
    }
    return business as ReferralStatus;
  }
  if (status === current.status) return currentBusiness as ReferralStatus;
  const direct = Object.keys(TASK_STATUS_OF).find(
    (referral) => referral === status && TASK_STATUS_OF[referral as ReferralStatus] === status,
  );
  if (!direct) {
    throw invalid(`no referral moves to Task.status ${status}`, 'Task.status');
  }
  return direct as ReferralStatus;
}

/** A concept the client set anew (not the one the Task already had), if any. */
function changed(before: CodeableConcept | undefined, after: CodeableConcept | undefined) {
  return after !== undefined && !isDeepStrictEqual(before, after) ? after : undefined;
}

function reasonData(current: Task, desired: Task, coded: boolean): Record<string, unknown> {
  const reason = changed(current.statusReason, desired.statusReason);
  const code = codeIn(reason, SYSTEMS.reasonCode);
  return {
    ...(reason?.text !== undefined ? { reason: reason.text } : {}),
    ...(coded && code !== undefined ? { reasonCode: code } : {}),
  };
}

const isOutputOfType = (output: TaskOutput, code: string): boolean =>
  codeIn(output.type, SYSTEMS.outputType) === code;

function outcomeData(current: Task, desired: Task): Record<string, unknown> {
  const before = (current.output ?? []).find((output) => isOutputOfType(output, 'outcome'));
  const after = (desired.output ?? []).find((output) => isOutputOfType(output, 'outcome'));
  const outcome = changed(before?.valueCodeableConcept, after?.valueCodeableConcept);
  const code = codeIn(outcome, SYSTEMS.outcomeCode);
  return {
    ...(outcome?.text !== undefined ? { outcome: outcome.text } : {}),
    ...(code !== undefined ? { outcomeCode: code } : {}),
  };
}

/** One note appended at the end, nothing else of `note` touched: `referral.note.v1`. */
function appendedNote(current: Task, desired: Task): Annotation | undefined {
  const before = current.note ?? [];
  const after = desired.note ?? [];
  if (isDeepStrictEqual(before, after)) return undefined;
  if (after.length !== before.length + 1 || !isDeepStrictEqual(after.slice(0, -1), before)) {
    throw invalid('notes are only added, one at a time, at the end', 'Task.note');
  }
  return after[after.length - 1];
}

/**
 * The command a client's new version of the Task stands for. `newReferralId` is the id a
 * redirect's new referral takes (chosen by the caller of this, so a retry can repeat it).
 */
export function taskChangeOf(
  snapshot: ReferralSnapshot,
  desired: Task,
  newReferralId: () => string,
): TaskChange {
  const current = toTask(snapshot);
  const target = targetStatus(current, desired);
  const redirecting = target === 'redirected' && snapshot.status !== 'redirected';
  for (const element of FIXED_ELEMENTS) {
    if (element === 'owner' && redirecting) continue;
    if (desired[element] !== undefined && !isDeepStrictEqual(desired[element], current[element])) {
      throw invalid(`Task.${element} is the referral's and cannot be changed`, `Task.${element}`);
    }
  }
  if (target === snapshot.status) {
    const note = appendedNote(current, desired);
    if (note) return { kind: 'command', type: NOTE_REFERRAL_V1, data: { text: note.text } };
    if (
      changed(current.statusReason, desired.statusReason) ||
      !isDeepStrictEqual(current.output ?? [], desired.output ?? [])
    ) {
      throw invalid('statusReason and output change only with Task.status', 'Task.status');
    }
    return { kind: 'unchanged' };
  }
  const type = COMMAND_REACHING[target];
  if (!type) throw invalid(`no command moves a referral back to ${target}`, 'Task.status');
  if (desired.note !== undefined && !isDeepStrictEqual(desired.note, current.note)) {
    throw invalid('a note is added on its own, not with a change of status', 'Task.note');
  }
  switch (target) {
    case 'rejected':
    case 'failed':
    case 'cancelled':
      return { kind: 'command', type, data: reasonData(current, desired, true) };
    case 'on-hold':
      return { kind: 'command', type, data: reasonData(current, desired, false) };
    case 'completed':
      return { kind: 'command', type, data: outcomeData(current, desired) };
    case 'redirected': {
      const to = agencyOf(desired.owner);
      if (to === undefined || to === snapshot.to) {
        throw invalid('a redirect names the new receiver in Task.owner', 'Task.owner');
      }
      return {
        kind: 'command',
        type,
        data: { to, ...reasonData(current, desired, true), newReferralId: newReferralId() },
      };
    }
    default:
      return { kind: 'command', type, data: {} };
  }
}

/** Where each field of a lifecycle command lives in a Task, for issue.expression. */
export function fhirPathOfChangeField(path: string): string | undefined {
  const field = path.replace(/^data\./, '');
  if (/^reasonCode\b/.test(field)) return 'Task.statusReason.coding';
  if (/^reason\b/.test(field)) return 'Task.statusReason.text';
  if (/^outcomeCode\b/.test(field)) return 'Task.output.valueCodeableConcept.coding';
  if (/^outcome\b/.test(field)) return 'Task.output.valueCodeableConcept.text';
  if (/^to\b/.test(field)) return 'Task.owner';
  if (/^text\b/.test(field)) return 'Task.note.text';
  return undefined;
}
