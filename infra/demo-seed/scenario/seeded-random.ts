// The scenario's only source of chance: one seeded generator (pure-rand's Mersenne Twister), so a
// seed always plans the same year, command ids included.
import { RandomGenerator, unsafeUniformIntDistribution, mersenne } from 'pure-rand';

/** Choices with relative weights: `[['accept', 7], ['reject', 2]]`. */
export type Weighted<T> = readonly (readonly [T, number])[];

const TWO_POW_32 = 2 ** 32;

export class SeededRandom {
  private readonly generator: RandomGenerator;

  constructor(readonly seed: number) {
    this.generator = mersenne(seed);
  }

  /** A float in [0, 1). */
  next(): number {
    return unsafeUniformIntDistribution(0, TWO_POW_32 - 1, this.generator) / TWO_POW_32;
  }

  /** A float in [low, high). */
  between(low: number, high: number): number {
    return low + (high - low) * this.next();
  }

  /** An integer in [low, high], both included. */
  integer(low: number, high: number): number {
    return unsafeUniformIntDistribution(low, high, this.generator);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.integer(0, items.length - 1)];
  }

  weighted<T>(choices: Weighted<T>): T {
    const total = choices.reduce((sum, [, weight]) => sum + weight, 0);
    let left = this.next() * total;
    for (const [choice, weight] of choices) {
      left -= weight;
      if (left < 0) return choice;
    }
    return choices[choices.length - 1][0];
  }

  /** A count with the given mean (Knuth's method: the means here are a few a day). */
  poisson(mean: number): number {
    const limit = Math.exp(-mean);
    let count = 0;
    for (let product = this.next(); product > limit; product *= this.next()) count++;
    return count;
  }

  /** A version 4 UUID made of the generator's bits. */
  uuid(): string {
    const hex = Array.from({ length: 4 }, () =>
      this.integer(0, TWO_POW_32 - 1)
        .toString(16)
        .padStart(8, '0'),
    ).join('');
    const variant = ((parseInt(hex[16], 16) & 0x3) | 0x8).toString(16);
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  }
}
