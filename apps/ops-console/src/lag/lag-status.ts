// Judging a consumer group's partition from a window of offset samples, in the spirit of
// Burrow's evaluation rules (github.com/linkedin/Burrow/wiki/Consumer-Lag-Evaluation-Rules),
// with the group's live members standing in for Burrow's commit timestamps (Kafka's admin API
// does not give those):
//
//   STOP   no committed offset while there are records to consume, or lag and no live member:
//          nobody is committing.
//   OK     the lag was zero at some point in the window: the consumer keeps catching up.
//   STALL  live members, lag, and the committed offset has not moved across the window.
//   WARN   the committed offset moves, but the lag grew or held between every pair of samples.
//   OK     anything else: lagging, but catching up.

export type LagStatus = 'OK' | 'WARN' | 'STALL' | 'STOP';

/** One look at a partition: the group's committed offset (-1: none) and the partition's end. */
export interface OffsetSample {
  /** Epoch milliseconds. */
  at: number;
  committed: number;
  end: number;
}

/** How many of the latest samples the status is judged on. */
export const STATUS_WINDOW = 10;

export const lagOf = (sample: OffsetSample): number =>
  Math.max(0, sample.end - Math.max(sample.committed, 0));

export function partitionStatus(samples: OffsetSample[], liveMembers: number): LagStatus {
  const window = samples.slice(-STATUS_WINDOW);
  const latest = window[window.length - 1];
  if (!latest) return 'OK';
  if (latest.committed < 0) return latest.end > 0 ? 'STOP' : 'OK';
  if (window.some((sample) => lagOf(sample) === 0)) return 'OK';
  if (liveMembers === 0) return 'STOP';
  if (window.length < 2) return 'OK';
  if (window[0].committed === latest.committed) return 'STALL';
  const pairs = window.slice(1).map((sample, i) => [window[i], sample] as const);
  if (pairs.every(([before, after]) => lagOf(after) >= lagOf(before))) return 'WARN';
  return 'OK';
}

/** The worst of several statuses, for a group as a whole. */
export function worstStatus(statuses: LagStatus[]): LagStatus {
  const order: LagStatus[] = ['OK', 'WARN', 'STALL', 'STOP'];
  return statuses.reduce<LagStatus>(
    (worst, status) => (order.indexOf(status) > order.indexOf(worst) ? status : worst),
    'OK',
  );
}

export interface LagSeconds {
  seconds: number;
  /** The record waiting was written before the first sample: `seconds` is a lower bound. */
  atLeast: boolean;
}

/**
 * How long ago the first record the group has not consumed was written, read off the history
 * of the partition's end offset (as kafka-lag-exporter does): the record at the committed
 * offset appeared between the last sample whose end was at or below it and the next one, and
 * its time is interpolated between the two.
 */
export function lagSeconds(samples: OffsetSample[], now: number): LagSeconds {
  const latest = samples[samples.length - 1];
  if (!latest || lagOf(latest) === 0) return { seconds: 0, atLeast: false };
  const waiting = Math.max(latest.committed, 0);
  const firstWith = samples.findIndex((sample) => sample.end > waiting);
  if (firstWith <= 0) {
    return { seconds: Math.max(0, (now - samples[0].at) / 1000), atLeast: true };
  }
  const before = samples[firstWith - 1];
  const after = samples[firstWith];
  const share = (waiting - before.end + 1) / (after.end - before.end);
  const writtenAt = before.at + share * (after.at - before.at);
  return { seconds: Math.max(0, (now - writtenAt) / 1000), atLeast: false };
}
