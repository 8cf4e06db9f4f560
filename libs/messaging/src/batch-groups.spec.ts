import { BatchGroups } from './batch-groups';

/** Work that records each group it was given and finishes when told to. */
function recordingWork() {
  const groups: { items: string[]; finish: () => void; fail: (e: Error) => void }[] = [];
  const work = (items: string[]) =>
    new Promise<string[]>((resolve, reject) => {
      groups.push({
        items,
        finish: () => resolve(items.map((item) => `done ${item}`)),
        fail: reject,
      });
    });
  return { groups, work };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));
const OPTIONS = { inFlight: 2, maxSize: 500 };

describe('batches worked on in groups', () => {
  it('works on batches handed over together as one group, and gives each its own results', async () => {
    const { groups, work } = recordingWork();
    const grouped = new BatchGroups(work, OPTIONS);
    const a = grouped.submit(['a1', 'a2']);
    const b = grouped.submit(['b1']);
    await turn();
    expect(groups.map((g) => g.items)).toEqual([['a1', 'a2', 'b1']]);
    groups[0].finish();
    expect(await a).toEqual(['done a1', 'done a2']);
    expect(await b).toEqual(['done b1']);
  });

  it('keeps two groups in flight and gathers later batches into the next', async () => {
    const { groups, work } = recordingWork();
    const grouped = new BatchGroups(work, OPTIONS);
    const first = grouped.submit(['a']);
    await turn();
    const second = grouped.submit(['b']);
    await turn();
    const waiting = [grouped.submit(['c']), grouped.submit(['d'])];
    await turn();
    expect(groups).toHaveLength(2); // c and d wait for a group to finish
    groups[0].finish();
    await first;
    await turn();
    expect(groups[2].items).toEqual(['c', 'd']);
    groups[1].finish();
    groups[2].finish();
    expect(await Promise.all([second, ...waiting])).toEqual([['done b'], ['done c'], ['done d']]);
  });

  it('fails every batch of a group that fails, and goes on with the next', async () => {
    const { groups, work } = recordingWork();
    const grouped = new BatchGroups(work, OPTIONS);
    const a = grouped.submit(['a']);
    const b = grouped.submit(['b']);
    await turn();
    groups[0].fail(new Error('database unreachable'));
    await expect(a).rejects.toThrow('database unreachable');
    await expect(b).rejects.toThrow('database unreachable');
    const c = grouped.submit(['c']);
    await turn();
    groups[1].finish();
    expect(await c).toEqual(['done c']);
  });

  it('never puts more than maxSize units in a group, but always at least one batch', async () => {
    const { groups, work } = recordingWork();
    const grouped = new BatchGroups(work, { ...OPTIONS, sizeOf: (item: string) => item.length });
    void grouped.submit(['x'.repeat(600)]);
    void grouped.submit(['y'.repeat(100)]);
    void grouped.submit(['z'.repeat(100)]);
    await turn();
    await turn(); // the second group starts on the next turn
    expect(groups.map((g) => g.items.map((item) => item.length))).toEqual([[600], [100, 100]]);
  });
});
