// Deterministic JSON (object keys sorted, no whitespace): the bytes the hash chain covers must
// not depend on the key order PostgreSQL's jsonb happens to return.
//
// Stricter than JSON.stringify on purpose: whatever it accepts must read back from jsonb as the
// same value, or a stream's hash chain would no longer verify. So values JSON.stringify would
// silently change (NaN → null, a Map → {}, a function → dropped) are refused, not stored.

/** The value cannot be stored as JSON without losing or changing something. */
export class NotSerialisableError extends TypeError {
  constructor(
    readonly path: string,
    problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'NotSerialisableError';
  }
}

interface WithToJson {
  toJSON(): unknown;
}

const hasToJson = (value: object): value is WithToJson =>
  typeof (value as Partial<WithToJson>).toJSON === 'function';

function canonical(value: unknown, path: string, ancestors: Set<object>): string {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      if (!Number.isFinite(value)) throw new NotSerialisableError(path, `is ${value}, not JSON`);
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      // bigint, symbol, function, undefined: JSON has no such value.
      throw new NotSerialisableError(path, `is a ${typeof value}, which JSON cannot hold`);
  }
  if (value === null) return 'null';
  if (ancestors.has(value)) throw new NotSerialisableError(path, 'refers back to itself (a cycle)');
  if (hasToJson(value)) return canonical(value.toJSON(), path, ancestors);
  if (value instanceof Map || value instanceof Set) {
    throw new NotSerialisableError(path, `is a ${value.constructor.name}, which JSON would empty`);
  }
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      return `[${value.map((item, i) => canonical(item, `${path}[${i}]`, ancestors)).join(',')}]`;
    }
    const record = value as Record<string, unknown>;
    const entries = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map(
        (key) => `${JSON.stringify(key)}:${canonical(record[key], `${path}.${key}`, ancestors)}`,
      );
    return `{${entries.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}

/** Canonical JSON text of `value`; throws NotSerialisableError naming the offending path. */
export function canonicalJson(value: unknown): string {
  return canonical(value, '$', new Set());
}
