import {
  identifierKey,
  identifiersOfSeveralSubjects,
  newSubjectId,
  newSubjectIds,
} from './subject-id';

describe('new subject ids', () => {
  const key = identifierKey('test-key', { system: 'dk-cpr', value: '0101125678' });

  it('offers the id a new person has always had first, then others for after erasures', () => {
    const candidates = newSubjectIds(key);
    expect(candidates[0]).toBe(`subj-${key.slice(0, 32)}`);
    expect(candidates[0]).toBe(newSubjectId(key));
    expect(new Set(candidates).size).toBe(candidates.length);
    for (const id of candidates) expect(id).toMatch(/^subj-[0-9a-f]{32}$/);
  });

  it('derives the same candidates for the same person, and others for another', () => {
    expect(newSubjectIds(key)).toEqual(newSubjectIds(key));
    const other = identifierKey('test-key', { system: 'dk-cpr', value: '0202125678' });
    const theirs = new Set(newSubjectIds(other));
    expect(newSubjectIds(key).filter((id) => theirs.has(id))).toEqual([]);
  });
});

describe('identifiers of more than one subject', () => {
  it('are refused as a conflict whose reason names no subject and no identifier', () => {
    const decision = identifiersOfSeveralSubjects();
    expect(decision).toMatchObject({ kind: 'rejected', rejection: { code: 'CONFLICT' } });
    const { reason } = (decision as Extract<typeof decision, { kind: 'rejected' }>).rejection;
    expect(reason).toMatch(/more than one person/);
    expect(reason).not.toMatch(/subj-|[0-9a-f]{16}|\d{6}/);
  });
});
