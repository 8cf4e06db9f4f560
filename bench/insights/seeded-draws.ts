// Seeded draws for generated data: by weight, from a normal or log-normal spread, UUIDs.
import { SeededRandom } from '@backbone/testing/seeded-random';

/** Draws items by weight (binary search over the running totals). */
export class Weighted<T> {
  private readonly totals: number[] = [];

  constructor(private readonly items: readonly (readonly [T, number])[]) {
    let total = 0;
    for (const [, weight] of items) this.totals.push((total += weight));
  }

  draw(random: SeededRandom): T {
    const target = random.next() * this.totals[this.totals.length - 1];
    let low = 0;
    let high = this.totals.length - 1;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (this.totals[middle] > target) high = middle;
      else low = middle + 1;
    }
    return this.items[low][0];
  }
}

/** A UUID (version 4 layout) from the seeded generator, so that runs load the same rows. */
export function uuid(random: SeededRandom): string {
  const hex = Array.from({ length: 4 }, () =>
    Math.floor(random.next() * 2 ** 32)
      .toString(16)
      .padStart(8, '0'),
  ).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

export const normal = (random: SeededRandom): number =>
  Math.sqrt(-2 * Math.log(1 - random.next())) * Math.cos(2 * Math.PI * random.next());

/** Hours from a log-normal spread with this median; `spread` 1 gives p90 about 3.6 × median. */
export const logNormalHours = (random: SeededRandom, median: number, spread: number): number =>
  median * Math.exp(spread * normal(random));
