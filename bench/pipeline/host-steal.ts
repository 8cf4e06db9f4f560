import { readFileSync } from 'node:fs';

/** The machine's CPU time so far, in clock ticks: all of it, and what the hypervisor took. */
export interface CpuTicks {
  total: number;
  steal: number;
}

/** The first line of /proc/stat: user nice system idle iowait irq softirq steal … */
export function parseCpuTicks(procStat: string): CpuTicks {
  const fields = procStat.split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  // guest and guest_nice (the 9th and 10th) are already counted in user and nice.
  const counted = fields.slice(0, 8);
  return { total: counted.reduce((sum, n) => sum + n, 0), steal: counted[7] ?? 0 };
}

export const cpuTicks = (): CpuTicks => parseCpuTicks(readFileSync('/proc/stat', 'utf8'));

/**
 * The share of the machine's CPU the hypervisor kept for others between two readings (steal),
 * in percent: a shared host's noise, which decides a phase's p99 more than any change does.
 */
export function stealBetween(before: CpuTicks, after: CpuTicks): number {
  const total = after.total - before.total;
  return total > 0 ? (100 * (after.steal - before.steal)) / total : 0;
}
