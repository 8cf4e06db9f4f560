import type { Clock } from '@backbone/config';

/**
 * The demo seeder's clock: it stands where the seeder puts it while a command is decided and
 * recorded, and only moves forward, so the seeded events' recorded times never go backwards
 * against their positions in the store (auditors' as-of reads rely on that).
 */
export class SeedClock implements Clock {
  private current: number;

  constructor(start: Date) {
    this.current = start.getTime();
  }

  now(): Date {
    return new Date(this.current);
  }

  /** Moves to `at`, or stays where it is if `at` has passed. */
  moveTo(at: Date): void {
    this.current = Math.max(this.current, at.getTime());
  }
}
