import { NotSerialisableError, canonicalJson } from './canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe(
      '{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever order the keys were written in', () => {
    expect(canonicalJson({ x: 1, y: { p: true, q: 'q' } })).toBe(
      canonicalJson({ y: { q: 'q', p: true }, x: 1 }),
    );
  });

  it('drops undefined object values, as JSON.stringify does', () => {
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  it('uses toJSON, so a Date becomes its ISO text', () => {
    expect(canonicalJson({ at: new Date('2026-01-02T03:04:05.678Z') })).toBe(
      '{"at":"2026-01-02T03:04:05.678Z"}',
    );
  });

  it('accepts the same object twice when it is not its own ancestor', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: [shared] })).toBe('{"a":{"k":1},"b":[{"k":1}]}');
  });

  it.each([
    ['a BigInt', { total: 1n }, '$.total is a bigint'],
    ['NaN', { r: NaN }, '$.r is NaN'],
    ['Infinity', { r: [1, Infinity] }, '$.r[1] is Infinity'],
    ['a function', { f: () => 0 }, '$.f is a function'],
    ['a symbol', { s: Symbol('s') }, '$.s is a symbol'],
    ['undefined in an array', { list: [undefined] }, '$.list[0] is a undefined'],
    ['a Map', { m: new Map() }, '$.m is a Map'],
    ['a Set', { s: new Set([1]) }, '$.s is a Set'],
  ])('refuses %s, naming where it is', (_what, value, message) => {
    expect(() => canonicalJson(value)).toThrow(NotSerialisableError);
    expect(() => canonicalJson(value)).toThrow(message);
  });

  it('refuses a cycle instead of recursing forever', () => {
    const node: Record<string, unknown> = { name: 'a' };
    node.children = [{ parent: node }];
    expect(() => canonicalJson(node)).toThrow('$.children[0].parent refers back to itself');
  });
});
