import { resolveReplication } from './replication';

describe('topic replication from the cluster size', () => {
  it('keeps three copies, two in sync, on a cluster of three or more', () => {
    expect(resolveReplication({}, 3)).toEqual({ factor: 3, minInsyncReplicas: 2 });
    expect(resolveReplication({}, 5)).toEqual({ factor: 3, minInsyncReplicas: 2 });
  });

  it('keeps one copy per broker on smaller clusters, all but one in sync, never fewer than one', () => {
    expect(resolveReplication({}, 1)).toEqual({ factor: 1, minInsyncReplicas: 1 });
    expect(resolveReplication({}, 2)).toEqual({ factor: 2, minInsyncReplicas: 1 });
  });

  it('takes what is set, and derives the other part from it', () => {
    expect(resolveReplication({ factor: 2 }, 5)).toEqual({ factor: 2, minInsyncReplicas: 1 });
    expect(resolveReplication({ factor: 5, minInsyncReplicas: 3 }, 5)).toEqual({
      factor: 5,
      minInsyncReplicas: 3,
    });
    expect(resolveReplication({ minInsyncReplicas: 3 }, 3)).toEqual({
      factor: 3,
      minInsyncReplicas: 3,
    });
  });

  it('refuses settings the cluster cannot meet', () => {
    expect(() => resolveReplication({ factor: 3 }, 1)).toThrow(/needs at least 3 brokers/);
    expect(() => resolveReplication({ minInsyncReplicas: 4 }, 3)).toThrow(/exceeds/);
  });
});
