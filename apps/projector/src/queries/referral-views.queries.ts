import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

export interface ReferralSummary {
  referralId: string;
  from: string;
  to: string;
  status: string;
  category: string;
  priority: string;
  decisionDueBy: string;
  overdue: boolean;
  madeAt: string;
  lastChangedAt: string;
}

const SELECT_INBOX = `
  SELECT referral_id, from_agency, to_agency, status, category, priority, decision_due_by,
         made_at, last_changed_at,
         (status IN ('requested', 'received') AND decision_due_by < now()) AS overdue
  FROM referral_views
  WHERE to_agency = $1 AND ($2::text IS NULL OR status = $2)
  ORDER BY made_at DESC, referral_id DESC
  LIMIT $3`;

interface Row {
  referral_id: string;
  from_agency: string;
  to_agency: string;
  status: string;
  category: string;
  priority: string;
  decision_due_by: Date;
  made_at: Date;
  last_changed_at: Date;
  overdue: boolean;
}

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
});

@Injectable()
export class ReferralViewsQueries {
  constructor(private readonly pool: Pool) {}

  async inbox(
    agencyId: string,
    status: string | undefined,
    limit: number,
  ): Promise<ReferralSummary[]> {
    const { rows } = await this.pool.query<Row>(SELECT_INBOX, [agencyId, status ?? null, limit]);
    return rows.map(toSummary);
  }
}
