import { Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { ReferralSummary, ReferralViewsQueries } from '@backbone/projector';

// Awaiting the receiver's decision past the deadline, as the projector's read model has it
// (asked of the projector's queries, the same rule as the query API's `overdue`). No index
// serves this: the answer is cached briefly, so a room full of consoles and a Prometheus scrape
// cost one scan between them.
const LIMIT = 1_000;
const FRESH_MS = 5_000;

export type OverdueReferral = Pick<
  ReferralSummary,
  'referralId' | 'from' | 'status' | 'category' | 'priority' | 'decisionDueBy' | 'madeAt'
>;

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
  private readonly referrals: ReferralViewsQueries;

  constructor(pool: Pool) {
    this.referrals = new ReferralViewsQueries(pool);
  }

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
    const byAgency = new Map<string, AgencyOverdue>();
    for (const referral of await this.referrals.overdue(LIMIT)) {
      const entry = byAgency.get(referral.to) ?? { agency: referral.to, count: 0, referrals: [] };
      entry.count++;
      entry.referrals.push({
        referralId: referral.referralId,
        from: referral.from,
        status: referral.status,
        category: referral.category,
        priority: referral.priority,
        decisionDueBy: referral.decisionDueBy,
        madeAt: referral.madeAt,
      });
      byAgency.set(referral.to, entry);
    }
    // Referrals came oldest first, so agencies are in the order of their oldest overdue one.
    return [...byAgency.values()];
  }
}
