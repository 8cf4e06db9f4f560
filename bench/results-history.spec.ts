import { historyFileName } from './results-history';

describe('results history', () => {
  it("files a run under the UTC month its report's heading shows", () => {
    expect(historyFileName(new Date('2026-11-30T23:59:59.999Z'))).toBe('RESULTS-2026-11.md');
    expect(historyFileName(new Date('2026-12-01T00:00:00.000Z'))).toBe('RESULTS-2026-12.md');
  });
});
