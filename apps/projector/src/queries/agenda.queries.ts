import { Injectable } from '@nestjs/common';
import { Pool, QueryResultRow } from 'pg';

// The directors' agenda (issue 24, item 5): cases that need a decision across agencies, each
// listed by the ids the involved agencies open in their own views, the agencies, codes and
// times, and nothing about the person. An item is the director's when any agency it involves is
// in the director's scope (`$1`). Every list is oldest first and cut at `$3` items.

export interface AgendaQuery {
  /** The director's scope. */
  agencies: readonly string[];
  /** Handovers waiting longer than this many days are listed. */
  handoverDays: number;
  /** At most this many items of each kind. */
  limit: number;
  /** The moment deadlines and waiting times are judged at. */
  now: Date;
}

/** A referral redirected twice or more whose last referral nobody kept (yet). */
export interface RedirectChainItem {
  rootReferralId: string;
  latestReferralId: string;
  /** The referrer, then each receiver in the order the referral reached them. */
  agencies: string[];
  redirects: number;
  /** The last referral's status: `requested`, `received` (undecided) or `rejected`. */
  latestStatus: string;
  /** When the first referral of the chain was made. */
  since: string;
  days: number;
}

/** A referral still awaiting the receiver's decision past its decision deadline. */
export interface OverdueDecisionItem {
  referralId: string;
  from: string;
  to: string;
  status: string;
  dueBy: string;
  daysOverdue: number;
}

/** A handover proposed (or accepted, not yet completed) longer ago than the days asked for. */
export interface WaitingHandoverItem {
  caseId: string;
  from: string;
  to: string;
  status: string;
  proposedAt: string;
  daysWaiting: number;
}

/** A case closed after a handover was declined, with no handover completed since. */
export interface ClosedAfterDeclineItem {
  caseId: string;
  closedBy: string;
  declinedBy: string;
  declinedAt: string;
  closedAt: string;
  daysSinceClosed: number;
}

export interface AgendaItems {
  redirectChains: RedirectChainItem[];
  overdueDecisions: OverdueDecisionItem[];
  waitingHandovers: WaitingHandoverItem[];
  closedAfterDecline: ClosedAfterDeclineItem[];
}

export type AgendaKind = keyof AgendaItems;

export interface Agenda {
  items: AgendaItems;
  /** Per kind: true when more items were due than the limit, and the oldest were kept. */
  cut: Record<AgendaKind, boolean>;
}

const days = (since: string) =>
  `floor(extract(epoch FROM $2::timestamptz - ${since}) / 86400)::int`;

// Walks up from each last referral of a chain (one nobody redirected further: still undecided,
// or rejected) to the referral that started it. The depth bound only guards against a cycle
// that the store cannot hold.
const REDIRECT_CHAINS = `
  WITH RECURSIVE up AS (
    SELECT referral_id AS latest, status AS latest_status, referral_id, redirected_from,
           from_agency, to_agency, made_at, 0 AS depth
    FROM referral_facts
    WHERE redirected_from IS NOT NULL AND status IN ('requested', 'received', 'rejected')
    UNION ALL
    SELECT up.latest, up.latest_status, f.referral_id, f.redirected_from,
           f.from_agency, f.to_agency, f.made_at, up.depth + 1
    FROM up JOIN referral_facts f ON f.referral_id = up.redirected_from
    WHERE up.depth < 1000
  ), chains AS (
    SELECT latest, latest_status, max(depth)::int AS redirects,
           (array_agg(referral_id ORDER BY depth DESC))[1] AS root,
           (array_agg(from_agency ORDER BY depth DESC))[1] AS referrer,
           array_agg(to_agency ORDER BY depth DESC) AS receivers,
           min(made_at) AS since
    FROM up GROUP BY latest, latest_status
  )
  SELECT root, latest, latest_status, redirects, referrer, receivers, since, ${days('since')} AS days
  FROM chains
  WHERE redirects >= 2 AND (referrer = ANY($1::text[]) OR receivers && $1::text[])
  ORDER BY since, latest
  LIMIT $3`;

const OVERDUE_DECISIONS = `
  SELECT referral_id, from_agency, to_agency, status, decision_due_by,
         ${days('decision_due_by')} AS days
  FROM referral_facts
  WHERE status IN ('requested', 'received') AND decision_due_by < $2::timestamptz
    AND (from_agency = ANY($1::text[]) OR to_agency = ANY($1::text[]))
  ORDER BY decision_due_by, referral_id
  LIMIT $3`;

// Responsibility moves only when a handover completes: until then the responsible agency is the
// one handing over.
const WAITING_HANDOVERS = `
  SELECT case_id, responsible, handover_to, handover_status, handover_proposed_at,
         ${days('handover_proposed_at')} AS days
  FROM case_views
  WHERE handover_status IS NOT NULL AND status = 'open'
    AND handover_proposed_at < $2::timestamptz - make_interval(days => $4::int)
    AND (responsible = ANY($1::text[]) OR handover_to = ANY($1::text[]))
  ORDER BY handover_proposed_at, case_id
  LIMIT $3`;

const CLOSED_AFTER_DECLINE = `
  SELECT case_id, responsible, declined_by, declined_at, closed_at, ${days('closed_at')} AS days
  FROM case_views
  WHERE declined_by IS NOT NULL AND status = 'closed' AND closed_at IS NOT NULL
    AND (responsible = ANY($1::text[]) OR declined_by = ANY($1::text[]))
  ORDER BY closed_at, case_id
  LIMIT $3`;

interface ChainRow {
  root: string;
  latest: string;
  latest_status: string;
  redirects: number;
  referrer: string;
  receivers: string[];
  since: Date;
  days: number;
}
interface OverdueRow {
  referral_id: string;
  from_agency: string;
  to_agency: string;
  status: string;
  decision_due_by: Date;
  days: number;
}
interface HandoverRow {
  case_id: string;
  responsible: string;
  handover_to: string;
  handover_status: string;
  handover_proposed_at: Date;
  days: number;
}
interface ClosedRow {
  case_id: string;
  responsible: string;
  declined_by: string;
  declined_at: Date;
  closed_at: Date;
  days: number;
}

/** The directors' agenda from `referral_facts` and `case_views`, scoped to a director. */
@Injectable()
export class AgendaQueries {
  constructor(private readonly pool: Pool) {}

  async agenda(query: AgendaQuery): Promise<Agenda> {
    const ask = async <R extends QueryResultRow>(text: string, extra: unknown[] = []) =>
      // One more than the limit: whether the list was cut.
      (
        await this.pool.query<R>(text, [
          query.agencies,
          query.now.toISOString(),
          query.limit + 1,
          ...extra,
        ])
      ).rows;
    const [chains, overdue, handovers, closed] = await Promise.all([
      ask<ChainRow>(REDIRECT_CHAINS),
      ask<OverdueRow>(OVERDUE_DECISIONS),
      ask<HandoverRow>(WAITING_HANDOVERS, [query.handoverDays]),
      ask<ClosedRow>(CLOSED_AFTER_DECLINE),
    ]);
    const kept = <T>(rows: T[]): T[] => rows.slice(0, query.limit);
    return {
      items: {
        redirectChains: kept(chains).map((row) => ({
          rootReferralId: row.root,
          latestReferralId: row.latest,
          agencies: [row.referrer, ...row.receivers],
          redirects: row.redirects,
          latestStatus: row.latest_status,
          since: row.since.toISOString(),
          days: row.days,
        })),
        overdueDecisions: kept(overdue).map((row) => ({
          referralId: row.referral_id,
          from: row.from_agency,
          to: row.to_agency,
          status: row.status,
          dueBy: row.decision_due_by.toISOString(),
          daysOverdue: row.days,
        })),
        waitingHandovers: kept(handovers).map((row) => ({
          caseId: row.case_id,
          from: row.responsible,
          to: row.handover_to,
          status: row.handover_status,
          proposedAt: row.handover_proposed_at.toISOString(),
          daysWaiting: row.days,
        })),
        closedAfterDecline: kept(closed).map((row) => ({
          caseId: row.case_id,
          closedBy: row.responsible,
          declinedBy: row.declined_by,
          declinedAt: row.declined_at.toISOString(),
          closedAt: row.closed_at.toISOString(),
          daysSinceClosed: row.days,
        })),
      },
      cut: {
        redirectChains: chains.length > query.limit,
        overdueDecisions: overdue.length > query.limit,
        waitingHandovers: handovers.length > query.limit,
        closedAfterDecline: closed.length > query.limit,
      },
    };
  }
}
