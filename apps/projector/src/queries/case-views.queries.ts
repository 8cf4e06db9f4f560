import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

export interface CaseSummary {
  caseId: string;
  responsible: string;
  status: string;
  openedAt: string;
  lastChangedAt: string;
  fromReferralId?: string;
  /** The handover in flight: `out` when this agency hands the case over, `in` when it receives it. */
  pendingHandover?: {
    handoverId: string;
    direction: 'in' | 'out';
    to: string;
    status: string;
    effectiveAt?: string;
  };
}

const SELECT_CASES = `
  SELECT case_id, responsible, status, opened_at, last_changed_at, from_referral_id,
         handover_id, handover_to, handover_status, handover_effective_at
  FROM case_views
  WHERE (responsible = $1 OR handover_to = $1) AND ($2::text IS NULL OR status = $2)
  ORDER BY opened_at DESC, case_id DESC
  LIMIT 500`;

interface Row {
  case_id: string;
  responsible: string;
  status: string;
  opened_at: Date;
  last_changed_at: Date;
  from_referral_id: string | null;
  handover_id: string | null;
  handover_to: string | null;
  handover_status: string | null;
  handover_effective_at: Date | null;
}

@Injectable()
export class CaseViewsQueries {
  constructor(private readonly pool: Pool) {}

  /** Cases the agency is responsible for, and cases being handed over to it. */
  async casesOf(agencyId: string, status: string | undefined): Promise<CaseSummary[]> {
    const { rows } = await this.pool.query<Row>(SELECT_CASES, [agencyId, status ?? null]);
    return rows.map((row) => ({
      caseId: row.case_id,
      responsible: row.responsible,
      status: row.status,
      openedAt: row.opened_at.toISOString(),
      lastChangedAt: row.last_changed_at.toISOString(),
      ...(row.from_referral_id ? { fromReferralId: row.from_referral_id } : {}),
      ...(row.handover_id && row.handover_to && row.handover_status
        ? {
            pendingHandover: {
              handoverId: row.handover_id,
              direction: row.handover_to === agencyId ? ('in' as const) : ('out' as const),
              to: row.handover_to,
              status: row.handover_status,
              ...(row.handover_effective_at
                ? { effectiveAt: row.handover_effective_at.toISOString() }
                : {}),
            },
          }
        : {}),
    }));
  }
}
