import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import type { ReferralViewRow } from '../models/referral-views/referral-view.row';
import { PagePosition, encodePageToken } from './page-token';

export interface ReferralSummary {
  referralId: string;
  from: string;
  to: string;
  status: string;
  category: string;
  priority: string;
  decisionDueBy: string;
  /** The receiver has not decided and the deadline has passed. */
  overdue: boolean;
  madeAt: string;
  lastChangedAt: string;
  /** The receiver's case, once accepted. */
  caseId?: string;
  /** The referral this one was redirected from. */
  redirectedFrom?: string;
}

export interface Page<T> {
  items: T[];
  /** Pass as `page` for the next page; absent on the last one. */
  nextPage?: string;
}

/** The receiver has not decided and the deadline has passed: one rule for every query. */
const OVERDUE = `status IN ('requested', 'received') AND decision_due_by < now()`;

const COLUMNS = `
  referral_id, from_agency, to_agency, status, category, priority, decision_due_by, made_at,
  last_changed_at, case_id, redirected_from, (${OVERDUE}) AS overdue`;

// One query per list, by its own index; the side (to_agency or from_agency) is fixed SQL.
const LIST = (side: 'to_agency' | 'from_agency') => `
  SELECT ${COLUMNS} FROM referral_views
  WHERE ${side} = $1 AND ($2::text IS NULL OR status = $2)
    AND ($3::timestamptz IS NULL OR (made_at, referral_id) < ($3, $4::uuid))
  ORDER BY made_at DESC, referral_id DESC
  LIMIT $5`;
const SELECT_INBOX = LIST('to_agency');
const SELECT_OUTBOX = LIST('from_agency');
const SELECT_ONE = `SELECT ${COLUMNS} FROM referral_views WHERE referral_id = $1`;
// Across all agencies, oldest deadline first. No index serves it: callers ask now and then and
// keep the answer a while (the ops console).
const SELECT_OVERDUE = `
  SELECT ${COLUMNS} FROM referral_views
  WHERE ${OVERDUE}
  ORDER BY decision_due_by, referral_id
  LIMIT $1`;

type Row = Omit<ReferralViewRow<Date>, 'stream_version' | 'decided_at'> & { overdue: boolean };

const toSummary = (row: Row): ReferralSummary => ({
  referralId: row.referral_id,
  from: row.from_agency,
  to: row.to_agency,
  status: row.status,
  category: row.category,
  priority: row.priority,
  decisionDueBy: row.decision_due_by.toISOString(),
  overdue: row.overdue,
  madeAt: row.made_at.toISOString(),
  lastChangedAt: row.last_changed_at.toISOString(),
  ...(row.case_id ? { caseId: row.case_id } : {}),
  ...(row.redirected_from ? { redirectedFrom: row.redirected_from } : {}),
});

@Injectable()
export class ReferralViewsQueries {
  constructor(private readonly pool: Pool) {}

  inbox(
    agencyId: string,
    status: string | undefined,
    after: PagePosition | undefined,
    size: number,
  ) {
    return this.list(SELECT_INBOX, agencyId, status, after, size);
  }

  outbox(
    agencyId: string,
    status: string | undefined,
    after: PagePosition | undefined,
    size: number,
  ) {
    return this.list(SELECT_OUTBOX, agencyId, status, after, size);
  }

  async one(referralId: string): Promise<ReferralSummary | undefined> {
    const { rows } = await this.pool.query<Row>(SELECT_ONE, [referralId]);
    return rows[0] && toSummary(rows[0]);
  }

  /** Referrals awaiting their receiver's decision past the deadline, oldest deadline first. */
  async overdue(limit: number): Promise<ReferralSummary[]> {
    const { rows } = await this.pool.query<Row>(SELECT_OVERDUE, [limit]);
    return rows.map(toSummary);
  }

  private async list(
    sql: string,
    agencyId: string,
    status: string | undefined,
    after: PagePosition | undefined,
    size: number,
  ): Promise<Page<ReferralSummary>> {
    // One row more than the page tells whether another page follows.
    const { rows } = await this.pool.query<Row>(sql, [
      agencyId,
      status ?? null,
      after?.at ?? null,
      after?.id ?? null,
      size + 1,
    ]);
    const items = rows.slice(0, size).map(toSummary);
    const last = items[items.length - 1];
    return rows.length > size && last
      ? { items, nextPage: encodePageToken({ at: last.madeAt, id: last.referralId }) }
      : { items };
  }
}
