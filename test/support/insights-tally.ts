// The cooperation insights a director should see, counted here in plain code straight from the
// event store's rows (no read model, no query of the projector's): what the flows API is checked
// against. Definitions follow the README's "Cooperation insights for directors".
import type { Pool } from 'pg';

/** Minutes in a tenth of an hour and of a day: what medians and p90s show in. */
const HOUR_TENTH_MINUTES = 6;
const DAY_TENTH_MINUTES = 144;

interface StoredRow {
  event_type: string;
  stream_id: string;
  data: Record<string, unknown>;
  recorded_at: Date;
}

interface ReferralTally {
  from: string;
  to: string;
  madeAt: number;
  dueBy: number;
  redirectedFrom?: string;
  /** Received, or decided without it. */
  acknowledgedAt?: number;
  decision?: { kind: 'accepted' | 'rejected' | 'redirected'; at: number };
  end?: { status: string; code: string };
}

interface HandoverTally {
  from: string;
  to: string;
  proposedAt: number;
  accepted: boolean;
  declined: boolean;
  cancelled: boolean;
  completedAt?: number;
}

const DECISIONS: Record<string, 'accepted' | 'rejected' | 'redirected'> = {
  'referral.accepted.v1': 'accepted',
  'referral.rejected.v1': 'rejected',
  'referral.redirected.v1': 'redirected',
};
const ENDS: Record<string, string> = {
  'referral.rejected.v1': 'rejected',
  'referral.redirected.v1': 'redirected',
  'referral.completed.v1': 'completed',
  'referral.failed.v1': 'failed',
  'referral.cancelled.v1': 'cancelled',
};

export interface StoreTally {
  referrals: Map<string, ReferralTally>;
  handovers: Map<string, HandoverTally>;
}

/** Every referral's and handover's story, read from the store in its order. */
export async function tallyStore(pool: Pool): Promise<StoreTally> {
  const { rows } = await pool.query<StoredRow>(
    `SELECT event_type, stream_id, data, recorded_at FROM events ORDER BY global_position`,
  );
  const referrals = new Map<string, ReferralTally>();
  const handovers = new Map<string, HandoverTally>();
  for (const { event_type: type, data, recorded_at: recordedAt } of rows) {
    const at = recordedAt.getTime();
    if (type === 'referral.made.v1') {
      referrals.set(data.referralId as string, {
        from: data.from as string,
        to: data.to as string,
        madeAt: at,
        dueBy: Date.parse(data.decisionDueBy as string),
        redirectedFrom: data.redirectedFrom as string | undefined,
      });
      continue;
    }
    if (type.startsWith('referral.')) {
      const referral = referrals.get(data.referralId as string);
      if (!referral) continue;
      if (type === 'referral.received.v1' || DECISIONS[type]) referral.acknowledgedAt ??= at;
      if (DECISIONS[type]) referral.decision ??= { kind: DECISIONS[type], at };
      if (ENDS[type])
        referral.end ??= {
          status: ENDS[type],
          code: (data.outcomeCode ?? data.reasonCode ?? 'uncoded') as string,
        };
      continue;
    }
    const handover = handovers.get(data.handoverId as string);
    if (type === 'case.handover-proposed.v1')
      handovers.set(data.handoverId as string, {
        from: data.from as string,
        to: data.to as string,
        proposedAt: at,
        accepted: false,
        declined: false,
        cancelled: false,
      });
    else if (handover && type === 'case.handover-accepted.v1') handover.accepted = true;
    else if (handover && type === 'case.handover-declined.v1') handover.declined = true;
    else if (handover && type === 'case.handover-cancelled.v1') handover.cancelled = true;
    else if (handover && type === 'case.handover-completed.v1') handover.completedAt = at;
  }
  return { referrals, handovers };
}

/** percentile_cont: linear interpolation between the nearest ranks. */
function percentile(values: number[], fraction: number): number | null {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = fraction * (sorted.length - 1);
  const low = Math.floor(rank);
  return sorted[low] + (sorted[Math.ceil(rank)] - sorted[low]) * (rank - low);
}
// Durations count in whole minutes, half a minute up, and percentiles of them show in whole
// tenths of an hour (6 minutes) or of a day (144 minutes), half up: the resolution the README
// states.
const wholeMinutes = (ms: number) => Math.floor(ms / 60_000 + 0.5);
const inTenths = (minutes: number | null, tenth: number) =>
  minutes === null ? null : Math.floor(minutes / tenth + 0.5) / 10;

type Shown = number | string;
const shown = (count: number, threshold: number): Shown =>
  count >= threshold ? count : `<${threshold}`;
/** Median and p90 of durations in whole minutes, in tenths of `tenth` minutes. */
const spread = (minutes: number[], tenth: number, threshold: number) => ({
  median: minutes.length >= threshold ? inTenths(percentile(minutes, 0.5), tenth) : null,
  p90: minutes.length >= threshold ? inTenths(percentile(minutes, 0.9), tenth) : null,
});
const monthOf = (at: number) => new Date(at).toISOString().slice(0, 7);

function groupBy<T>(items: Iterable<T>, key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** What a director of `agencies` should see at `moment`, keyed by `month|from|to` (or month). */
export function expectedInsights(
  { referrals, handovers }: StoreTally,
  agencies: readonly string[],
  moment: Date,
  threshold: number,
) {
  const inScope = (r: { from: string; to: string }) =>
    agencies.includes(r.from) || agencies.includes(r.to);
  const scoped = [...referrals.entries()].filter(([, r]) => inScope(r));

  const agencyFlows = new Map<string, Record<string, unknown>>();
  for (const [key, group] of groupBy(scoped, ([, r]) => `${monthOf(r.madeAt)}|${r.from}|${r.to}`)) {
    const flows = group.map(([, r]) => r);
    const count = (test: (r: ReferralTally) => boolean) =>
      shown(flows.filter(test).length, threshold);
    const codes = (status: string) => {
      const byCode: Record<string, number> = {};
      for (const r of flows)
        if (r.end?.status === status) byCode[r.end.code] = (byCode[r.end.code] ?? 0) + 1;
      return byCode;
    };
    const reasons: Record<string, Record<string, Shown>> = {};
    for (const status of ['rejected', 'redirected', 'failed', 'cancelled']) {
      const byCode = codes(status);
      if (Object.keys(byCode).length)
        reasons[status] = Object.fromEntries(
          Object.entries(byCode).map(([c, n]) => [c, shown(n, threshold)]),
        );
    }
    const acknowledged = flows.flatMap((r) =>
      r.acknowledgedAt === undefined ? [] : [wholeMinutes(r.acknowledgedAt - r.madeAt)],
    );
    const decided = flows.flatMap((r) =>
      r.decision ? [wholeMinutes(r.decision.at - r.madeAt)] : [],
    );
    agencyFlows.set(key, {
      made: shown(flows.length, threshold),
      acknowledged: shown(acknowledged.length, threshold),
      accepted: count((r) => r.decision?.kind === 'accepted'),
      rejected: count((r) => r.decision?.kind === 'rejected'),
      redirected: count((r) => r.decision?.kind === 'redirected'),
      cancelled: count((r) => r.end?.status === 'cancelled'),
      completed: count((r) => r.end?.status === 'completed'),
      failed: count((r) => r.end?.status === 'failed'),
      decidedLate: count((r) => r.decision !== undefined && r.decision.at > r.dueBy),
      undecidedOverdue: count((r) => !r.decision && !r.end && r.dueBy < moment.getTime()),
      closedLoop: count((r) =>
        ['completed', 'failed', 'rejected', 'redirected'].includes(r.end?.status ?? ''),
      ),
      reasons,
      outcomes: Object.fromEntries(
        Object.entries(codes('completed')).map(([c, n]) => [c, shown(n, threshold)]),
      ),
      hoursToAcknowledge: spread(acknowledged, HOUR_TENTH_MINUTES, threshold),
      hoursToDecide: spread(decided, HOUR_TENTH_MINUTES, threshold),
    });
  }

  // Chains start at a referral nobody redirected to that was itself redirected.
  const next = new Map<string, string[]>();
  for (const [id, r] of referrals)
    if (r.redirectedFrom) next.set(r.redirectedFrom, [...(next.get(r.redirectedFrom) ?? []), id]);
  const depth = (id: string): number =>
    Math.max(0, ...(next.get(id) ?? []).map((n) => 1 + depth(n)));
  const chains = new Map<string, { once: number; twice: number }>();
  for (const [id, r] of scoped) {
    if (r.redirectedFrom || r.decision?.kind !== 'redirected') continue;
    const month = chains.get(monthOf(r.madeAt)) ?? { once: 0, twice: 0 };
    if (depth(id) === 1) month.once++;
    else month.twice++;
    chains.set(monthOf(r.madeAt), month);
  }
  const redirectChains = new Map(
    [...chains].map(([month, { once, twice }]) => [
      month,
      { redirectedOnce: shown(once, threshold), redirectedTwiceOrMore: shown(twice, threshold) },
    ]),
  );

  const handoverFlows = new Map<string, Record<string, unknown>>();
  const scopedHandovers = [...handovers.values()].filter(inScope);
  for (const [key, group] of groupBy(
    scopedHandovers,
    (h) => `${monthOf(h.proposedAt)}|${h.from}|${h.to}`,
  )) {
    const minutes = group.flatMap((h) =>
      h.completedAt === undefined ? [] : [wholeMinutes(h.completedAt - h.proposedAt)],
    );
    handoverFlows.set(key, {
      proposed: shown(group.length, threshold),
      accepted: shown(group.filter((h) => h.accepted).length, threshold),
      declined: shown(group.filter((h) => h.declined).length, threshold),
      cancelled: shown(group.filter((h) => h.cancelled).length, threshold),
      completed: shown(minutes.length, threshold),
      daysToComplete: spread(minutes, DAY_TENTH_MINUTES, threshold),
    });
  }
  return { agencyFlows, redirectChains, handoverFlows };
}
