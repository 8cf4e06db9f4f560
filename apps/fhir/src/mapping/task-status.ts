// Our referral statuses as FHIR Task.status (CONTRACT §4). Two have no Task.status of their own
// in the referral guides: `received` (the Gravity SDOH Task status value set leaves out
// `received` and `ready`) goes out as `requested`, `redirected` as `rejected`; the exact status
// always travels in Task.businessStatus, coded in our referral-status system.
import { REFERRAL_STATUSES, type ReferralStatus } from '@backbone/domain';
import type { Task } from '@medplum/fhirtypes';

export type TaskStatus = Task['status'];

export const TASK_STATUS_OF: Readonly<Record<ReferralStatus, TaskStatus>> = {
  requested: 'requested',
  received: 'requested',
  accepted: 'accepted',
  'in-progress': 'in-progress',
  'on-hold': 'on-hold',
  completed: 'completed',
  rejected: 'rejected',
  cancelled: 'cancelled',
  failed: 'failed',
  redirected: 'rejected',
};

/** The Task statuses a referral can show, each with the referral statuses it stands for. */
export function referralStatusesShownAs(taskStatus: string): ReferralStatus[] {
  return REFERRAL_STATUSES.filter((status) => TASK_STATUS_OF[status] === taskStatus);
}

/** Every Task.status our Tasks take, for the CapabilityStatement and for checking searches. */
export const TASK_STATUSES_IN_USE: readonly TaskStatus[] = [
  ...new Set(Object.values(TASK_STATUS_OF)),
];
