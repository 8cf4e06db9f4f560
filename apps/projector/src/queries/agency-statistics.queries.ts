import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

export interface AgencyStatistics {
  agencyId: string;
  /** Referrals to the agency, by current status. */
  inboxByStatus: Record<string, number>;
  /** Referrals from the agency, by current status (the closed loop). */
  outboxByStatus: Record<string, number>;
  /** Median time from a referral's arrival to the agency's decision, over its decided referrals. */
  medianSecondsToDecision: number | null;
  decided: number;
}

const BY_STATUS = (side: 'to_agency' | 'from_agency') =>
  `SELECT status, count(*)::int AS n FROM referral_views WHERE ${side} = $1 GROUP BY status`;
const INBOX_BY_STATUS = BY_STATUS('to_agency');
const OUTBOX_BY_STATUS = BY_STATUS('from_agency');
const TIME_TO_DECISION = `
  SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM decided_at - made_at)) AS median,
         count(*)::int AS decided
  FROM referral_views WHERE to_agency = $1 AND decided_at IS NOT NULL`;

/** Counts per status and time to decision, per agency: for the agency and the ops console. */
@Injectable()
export class AgencyStatisticsQueries {
  constructor(private readonly pool: Pool) {}

  async of(agencyId: string): Promise<AgencyStatistics> {
    const count = async (sql: string) => {
      const { rows } = await this.pool.query<{ status: string; n: number }>(sql, [agencyId]);
      return Object.fromEntries(rows.map((row) => [row.status, row.n]));
    };
    const [inboxByStatus, outboxByStatus, decision] = await Promise.all([
      count(INBOX_BY_STATUS),
      count(OUTBOX_BY_STATUS),
      this.pool.query<{ median: number | null; decided: number }>(TIME_TO_DECISION, [agencyId]),
    ]);
    const { median, decided } = decision.rows[0];
    return {
      agencyId,
      inboxByStatus,
      outboxByStatus,
      medianSecondsToDecision: median === null ? null : Number(median),
      decided,
    };
  }
}
