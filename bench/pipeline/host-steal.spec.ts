import { parseCpuTicks, stealBetween } from './host-steal';

describe('host steal', () => {
  const line = (steal: number, idle: number) =>
    `cpu  100 0 50 ${idle} 10 0 5 ${steal} 7 0\ncpu0 1 2 3 4 5 6 7 8 9 10\n`;

  it('reads the whole machine line of /proc/stat, leaving out the guest times counted in user', () => {
    expect(parseCpuTicks(line(20, 800))).toEqual({ total: 985, steal: 20 });
  });

  it('gives the share of the CPU the hypervisor took between two readings', () => {
    expect(stealBetween(parseCpuTicks(line(20, 800)), parseCpuTicks(line(70, 1250)))).toBe(10);
  });

  it('gives 0 when no time passed', () => {
    const same = parseCpuTicks(line(20, 800));
    expect(stealBetween(same, same)).toBe(0);
  });
});
