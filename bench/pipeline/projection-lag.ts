// Projection lag as the backbone itself measures it: its `projector_event_lag_seconds`
// histogram (time from an event being recorded in the store to its read-model change
// committing), scraped from /metrics before and after a phase; the difference is that phase.
import { DEMO_API_KEYS } from '@backbone/directory';

/** Cumulative counts by upper bound (seconds), as Prometheus histograms expose them. */
export type Buckets = Map<number, number>;

/** The whole lag (store → read model), or the part after the publisher produced to Kafka. */
export type LagMetric = 'projector_event_lag_seconds' | 'projector_consume_lag_seconds';

export async function scrapeLagBuckets(
  baseUrl: string,
  metric: LagMetric = 'projector_event_lag_seconds',
): Promise<Buckets> {
  const response = await fetch(`${baseUrl}/metrics`, {
    headers: { authorization: `Bearer ${DEMO_API_KEYS['demo-ops-team']}` },
  });
  if (!response.ok) throw new Error(`GET /metrics answered ${response.status}`);
  const buckets: Buckets = new Map();
  for (const line of (await response.text()).split('\n')) {
    if (!line.startsWith(`${metric}_bucket`)) continue;
    const match = /le="([^"]+)"\}\s+(\S+)/.exec(line);
    if (!match) continue;
    const bound = match[1] === '+Inf' ? Infinity : Number(match[1]);
    buckets.set(bound, (buckets.get(bound) ?? 0) + Number(match[2]));
  }
  return buckets;
}

export interface LagSummary {
  events: number;
  /** Milliseconds, interpolated within the histogram's buckets. */
  p50: number;
  p99: number;
}

/** Percentile of the observations made between two scrapes, interpolated linearly in its bucket. */
export function lagBetween(before: Buckets, after: Buckets): LagSummary {
  const bounds = [...after.keys()].sort((a, b) => a - b);
  const cumulative = bounds.map((bound) => (after.get(bound) ?? 0) - (before.get(bound) ?? 0));
  const events = cumulative[cumulative.length - 1] ?? 0;
  const at = (p: number): number => {
    if (!events) return NaN;
    const rank = (p / 100) * events;
    const i = cumulative.findIndex((count) => count >= rank);
    const upper = bounds[i];
    const lower = i > 0 ? bounds[i - 1] : 0;
    if (upper === Infinity) return lower * 1000; // beyond the last bound: at least that
    const below = i > 0 ? cumulative[i - 1] : 0;
    const inBucket = cumulative[i] - below;
    const share = inBucket > 0 ? (rank - below) / inBucket : 1;
    return (lower + share * (upper - lower)) * 1000;
  };
  return { events, p50: at(50), p99: at(99) };
}

/** The whole lag and its part after the publisher's produce, over one phase. */
export interface PhaseLag {
  whole: LagSummary;
  afterProduce: LagSummary;
}

/**
 * Scrapes both lag histograms now; the function returned scrapes them again and gives what was
 * observed in between (call it once the phase's events are all applied).
 */
export async function startLagPhase(baseUrl: string): Promise<() => Promise<PhaseLag>> {
  const wholeBefore = await scrapeLagBuckets(baseUrl);
  const consumeBefore = await scrapeLagBuckets(baseUrl, 'projector_consume_lag_seconds');
  return async () => ({
    whole: lagBetween(wholeBefore, await scrapeLagBuckets(baseUrl)),
    afterProduce: lagBetween(
      consumeBefore,
      await scrapeLagBuckets(baseUrl, 'projector_consume_lag_seconds'),
    ),
  });
}
