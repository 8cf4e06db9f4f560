// Events per second by type over the last minutes, counted as the live tail sees them.

export const THROUGHPUT_WINDOW_SECONDS = 600;

export interface ThroughputSeries {
  /** Epoch second of the first point; one point per second after it. */
  from: number;
  seconds: number;
  byType: Record<string, number[]>;
}

/** A ring of per-second counts; seconds older than the window are forgotten as time moves. */
export class ThroughputCounter {
  private readonly counts = new Map<number, Map<string, number>>();

  constructor(private readonly now: () => number = Date.now) {}

  count(type: string): void {
    const second = Math.floor(this.now() / 1000);
    const bucket = this.counts.get(second) ?? new Map<string, number>();
    bucket.set(type, (bucket.get(type) ?? 0) + 1);
    this.counts.set(second, bucket);
    this.forgetBefore(second - THROUGHPUT_WINDOW_SECONDS);
  }

  /** The last `seconds` whole seconds (the current one, still filling, left out). */
  series(seconds: number): ThroughputSeries {
    const span = Math.max(1, Math.min(seconds, THROUGHPUT_WINDOW_SECONDS));
    const from = Math.floor(this.now() / 1000) - span;
    const byType: Record<string, number[]> = {};
    for (let i = 0; i < span; i++) {
      for (const [type, n] of this.counts.get(from + i) ?? []) {
        (byType[type] ??= new Array<number>(span).fill(0))[i] = n;
      }
    }
    return { from, seconds: span, byType };
  }

  private forgetBefore(second: number): void {
    for (const key of this.counts.keys()) if (key < second) this.counts.delete(key);
  }
}
