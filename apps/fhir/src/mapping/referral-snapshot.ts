// A referral as FHIR shows it, folded from the events of its stream with their personal fields
// already opened for a party: one fold serves the current Task and every version of its history.
import {
  REFERRAL_ACCEPTED_V1,
  REFERRAL_COMPLETED_V1,
  REFERRAL_MADE_V1,
  REFERRAL_NOTED_V1,
  REFERRAL_REDIRECTED_V1,
  type LawfulBasis,
  type PersonSubject,
  type ReferralAcceptedV1,
  type ReferralCategory,
  type ReferralCompletedV1,
  type ReferralMadeV1,
  type ReferralNotedV1,
  type ReferralPriority,
  type ReferralRedirectedV1,
} from '@backbone/contracts';
import { ReferralStatus, isTerminal, referralStatusAfter } from '@backbone/domain';

/** One opened event of a referral's stream, as much of it as the mapping reads. */
export interface ReferralEvent {
  type: string;
  data: Record<string, unknown>;
  streamVersion: number;
  recordedAt: string;
}

/** A reason or outcome: its code where one was given, its text where it can still be read. */
export interface CodedText {
  code?: string;
  text?: string;
}

export interface ReferralNote {
  by: string;
  at: string;
  text?: string;
}

export interface ReferralSnapshot {
  referralId: string;
  from: string;
  to: string;
  status: ReferralStatus;
  category: ReferralCategory;
  priority: ReferralPriority;
  /** undefined when the subject's data was erased (or its ciphertext does not open). */
  reason?: string;
  subject?: PersonSubject;
  /** The person's data was erased: their key is destroyed and their fields read `[erased]`. */
  subjectErased: boolean;
  lawfulBasis: LawfulBasis;
  decisionDueBy: string;
  dueBy?: string;
  madeAt: string;
  /** The stream version and time of the last event folded: the FHIR version and lastUpdated. */
  version: number;
  lastUpdated: string;
  acceptedAt?: string;
  endedAt?: string;
  statusReason?: CodedText;
  outcome?: CodedText;
  notes: ReferralNote[];
  redirectedFrom?: string;
  redirectedTo?: { agency: string; referralId: string };
  caseId?: string;
}

/** What the data-protection layer puts in place of a field it cannot open. */
const WITHHELD = new Set(['[erased]', '[unreadable]']);

/** A personal text field as a party may read it; undefined when erased or unreadable. */
function readable(value: unknown): string | undefined {
  return typeof value === 'string' && !WITHHELD.has(value) ? value : undefined;
}

const isErased = (value: unknown): boolean => value === '[erased]';

function subjectOf(value: unknown): PersonSubject | undefined {
  return typeof value === 'object' && value !== null ? (value as PersonSubject) : undefined;
}

function fromMade(event: ReferralEvent): ReferralSnapshot {
  const made = event.data as unknown as ReferralMadeV1;
  return {
    referralId: made.referralId,
    from: made.from,
    to: made.to,
    status: 'requested',
    category: made.category,
    priority: made.priority,
    reason: readable(made.reason),
    subject: subjectOf(made.subject),
    subjectErased: isErased(made.subject) || isErased(made.reason),
    lawfulBasis: made.lawfulBasis,
    decisionDueBy: made.decisionDueBy,
    ...(made.dueBy ? { dueBy: made.dueBy } : {}),
    madeAt: event.recordedAt,
    version: event.streamVersion,
    lastUpdated: event.recordedAt,
    notes: [],
    ...(made.redirectedFrom ? { redirectedFrom: made.redirectedFrom } : {}),
  };
}

/** Why the referral stands where it is, for the events that give a reason. */
function reasonOf(event: ReferralEvent): CodedText | undefined {
  const { reason, reasonCode } = event.data;
  if (reason === undefined && reasonCode === undefined) return undefined;
  const text = readable(reason);
  return {
    ...(typeof reasonCode === 'string' ? { code: reasonCode } : {}),
    ...(text !== undefined ? { text } : {}),
  };
}

/** The snapshot after one more event; events of other kinds only advance its version. */
function evolve(snapshot: ReferralSnapshot, event: ReferralEvent): ReferralSnapshot {
  const next: ReferralSnapshot = {
    ...snapshot,
    version: event.streamVersion,
    lastUpdated: event.recordedAt,
    subjectErased: snapshot.subjectErased || Object.values(event.data).some(isErased),
  };
  if (event.type === REFERRAL_NOTED_V1) {
    const noted = event.data as unknown as ReferralNotedV1;
    const text = readable(noted.text);
    next.notes = [
      ...snapshot.notes,
      { by: noted.by, at: event.recordedAt, ...(text !== undefined ? { text } : {}) },
    ];
    return next;
  }
  const status = referralStatusAfter(event.type);
  if (!status) return next;
  next.status = status;
  const reason = reasonOf(event);
  if (reason) next.statusReason = reason;
  else delete next.statusReason;
  if (event.type === REFERRAL_ACCEPTED_V1) {
    next.acceptedAt = event.recordedAt;
    next.caseId = (event.data as unknown as ReferralAcceptedV1).caseId;
  }
  if (event.type === REFERRAL_COMPLETED_V1) {
    const completed = event.data as unknown as ReferralCompletedV1;
    const text = readable(completed.outcome);
    next.outcome = { code: completed.outcomeCode, ...(text !== undefined ? { text } : {}) };
  }
  if (event.type === REFERRAL_REDIRECTED_V1) {
    const redirected = event.data as unknown as ReferralRedirectedV1;
    next.redirectedTo = { agency: redirected.to, referralId: redirected.newReferralId };
  }
  if (isTerminal(status)) next.endedAt = event.recordedAt;
  return next;
}

/**
 * The referral after each of its events, oldest first: entry i is version i + 1. Empty when the
 * stream does not begin with the referral being made.
 */
export function referralVersions(events: readonly ReferralEvent[]): ReferralSnapshot[] {
  const [first, ...rest] = events;
  if (!first || first.type !== REFERRAL_MADE_V1) return [];
  const versions = [fromMade(first)];
  for (const event of rest) versions.push(evolve(versions[versions.length - 1], event));
  return versions;
}
