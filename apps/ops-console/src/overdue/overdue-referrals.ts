import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';

// Awaiting the receiver's decision past the deadline, as the projector's read model has it (the
// same rule as the query API's `overdue`). No index serves this: the answer is cached briefly,
// so a room full of consoles and a Prometheus scrape cost one scan between them.
const OVERDUE = `
  SELECT referral_id, from_agency, to_agency, status, category, priority, decision_due_by, made_at
  FROM referral_views
  WHERE status IN ('requested', 'received') AND decision_due_by < now()
  ORDER BY decision_due_by, referral_id
  LIMIT $1`;

const LIMIT = 1_000;
const FRESH_MS = 5_000;

export interface OverdueReferral {
  referralId: string;
  from: string;
  status: string;
  category: string;
  priority: string;
  decisionDueBy: string;
  madeAt: string;
}

export interface AgencyOverdue {
  /** The receiving agency, whose decision is late. */
  agency: string;
  count: number;
  /** Oldest deadline first. */
  referrals: OverdueReferral[];
}

/** Overdue referrals per receiving agency; the agency with the oldest one first. */
@Injectable()
export class OverdueReferrals {
  private cached?: { at: number; value: Promise<AgencyOverdue[]> };

  constructor(private readonly pool: Pool) {}

  byAgency(): Promise<AgencyOverdue[]> {
    const now = Date.now();
    if (!this.cached || now - this.cached.at > FRESH_MS) {
      const value = this.query();
      this.cached = { at: now, value };
      value.catch(() => (this.cached = undefined));
    }
    return this.cached.value;
  }

  private async query(): Promise<AgencyOverdue[]> {
    const { rows } = await this.pool.query<{
      referral_id: string;
      from_agency: string;
      to_agency: string;
      status: string;
      category: string;
      priority: string;
      decision_due_by: Date;
      made_at: Date;
    }>(OVERDUE, [LIMIT]);
    const byAgency = new Map<string, AgencyOverdue>();
    for (const row of rows) {
      const entry = byAgency.get(row.to_agency) ?? {
        agency: row.to_agency,
        count: 0,
        referrals: [],
      };
      entry.count++;
      entry.referrals.push({
        referralId: row.referral_id,
        from: row.from_agency,
        status: row.status,
        category: row.category,
        priority: row.priority,
        decisionDueBy: row.decision_due_by.toISOString(),
        madeAt: row.made_at.toISOString(),
      });
      byAgency.set(row.to_agency, entry);
    }
    // Rows came oldest first, so agencies are in the order of their oldest overdue referral.
    return [...byAgency.values()];
  }
}
