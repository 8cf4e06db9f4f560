import type { CommandBatchProcessor, CommandRecord } from './command-batch-processor';
import { CommandGroups } from './command-groups';
import type { ProcessedCommand } from './command-processor';

const record = (agencyId: string, n: number): CommandRecord => ({
  agencyId,
  value: Buffer.from(String(n)),
});
const answerOf = (r: CommandRecord): ProcessedCommand => ({
  kind: 'unanswerable',
  reason: `${r.agencyId}:${String(r.value)}`,
});

/** A processor that records each group it was given and answers when told to. */
function recordingProcessor() {
  const groups: { records: CommandRecord[]; release: () => void; fail: (e: Error) => void }[] = [];
  const processor = {
    process: (records: CommandRecord[]) =>
      new Promise<ProcessedCommand[]>((resolve, reject) => {
        groups.push({ records, release: () => resolve(records.map(answerOf)), fail: reject });
      }),
  };
  return { groups, processor: processor as unknown as CommandBatchProcessor };
}

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe('deciding partitions in groups', () => {
  it('decides batches that arrive together as one group and gives each batch its own answers', async () => {
    const { groups, processor } = recordingProcessor();
    const decider = new CommandGroups(processor);
    const a = decider.decide([record('a', 1), record('a', 2)]);
    const b = decider.decide([record('b', 1)]);
    await turn();
    expect(groups.map((g) => g.records.length)).toEqual([3]);
    groups[0].release();
    expect((await a).map((r) => r.kind === 'unanswerable' && r.reason)).toEqual(['a:1', 'a:2']);
    expect((await b).map((r) => r.kind === 'unanswerable' && r.reason)).toEqual(['b:1']);
  });

  it('keeps two groups in flight and gathers later arrivals into the next', async () => {
    const { groups, processor } = recordingProcessor();
    const decider = new CommandGroups(processor);
    const first = decider.decide([record('a', 1)]);
    await turn();
    const second = decider.decide([record('b', 1)]);
    await turn();
    const waiting = [decider.decide([record('c', 1)]), decider.decide([record('d', 1)])];
    await turn();
    expect(groups).toHaveLength(2); // c and d wait for a group to finish
    groups[0].release();
    await first;
    await turn();
    expect(groups[2].records.map((r) => r.agencyId)).toEqual(['c', 'd']);
    groups[1].release();
    groups[2].release();
    await Promise.all([second, ...waiting]);
  });

  it('fails every batch of a group that fails, and goes on with the next', async () => {
    const { groups, processor } = recordingProcessor();
    const decider = new CommandGroups(processor);
    const a = decider.decide([record('a', 1)]);
    const b = decider.decide([record('b', 1)]);
    await turn();
    groups[0].fail(new Error('database unreachable'));
    await expect(a).rejects.toThrow('database unreachable');
    await expect(b).rejects.toThrow('database unreachable');
    const c = decider.decide([record('c', 1)]);
    await turn();
    groups[1].release();
    expect(await c).toHaveLength(1);
  });

  it('never puts more than 500 records in a group, but always at least one batch', async () => {
    const { groups, processor } = recordingProcessor();
    const decider = new CommandGroups(processor);
    const many = (agency: string, n: number) =>
      Array.from({ length: n }, (_, i) => record(agency, i));
    void decider.decide(many('a', 600));
    void decider.decide(many('b', 100));
    void decider.decide(many('c', 100));
    await turn();
    await turn(); // the second group starts on the next turn
    expect(groups.map((g) => g.records.length)).toEqual([600, 200]);
  });
});
