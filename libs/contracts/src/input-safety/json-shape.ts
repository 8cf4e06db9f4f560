// Limits on the shape of a parsed JSON document, checked before any library walks it:
// class-transformer and class-validator recurse (thousands of levels overflow the stack) and
// treat some key names as their own (`constructor` makes class-transformer throw), and
// PostgreSQL refuses NUL and lone surrogates. The walk here is iterative, so it cannot overflow.
import type { FieldError } from '../field-error';
import { isStorableText, storableText } from './storable-text';

export const JSON_SHAPE_LIMITS = {
  /** Levels of nesting: a command's deepest field (data.subject.identifiers[i].value) is 5. */
  depth: 16,
  /** Keys of one object: the widest contract object has 12. */
  keysPerObject: 64,
  /** Items of one array: the longest contract array (identifiers) takes 20. */
  arrayItems: 256,
  /** Every value in the document together. */
  values: 4_096,
} as const;

/** Keys that name parts of JavaScript's object model; no contract field is called so. */
export const RESERVED_KEYS: ReadonlySet<string> = new Set([
  '__proto__',
  'constructor',
  'prototype',
]);

/** The most problems reported for one document: the first few say enough to fix it. */
const MAX_PROBLEMS = 20;

interface Pending {
  value: unknown;
  path: string;
  depth: number;
}

/** One step of a path, readable and storable however hostile the key was. */
function pathOf(parent: string, key: string | number): string {
  const step = typeof key === 'number' ? String(key) : storableText(key, 64);
  return parent ? `${parent}.${step}` : step;
}

/**
 * The ways the document breaks the limits, each with the path of the field concerned (empty:
 * the document itself). An empty list means every library may walk it safely.
 */
export function inspectJsonShape(document: unknown, root = ''): FieldError[] {
  const problems: FieldError[] = [];
  const report = (path: string, message: string): boolean => {
    problems.push({ path, message });
    return problems.length >= MAX_PROBLEMS;
  };
  const pending: Pending[] = [{ value: document, path: root, depth: 0 }];
  let values = 0;
  while (pending.length) {
    const { value, path, depth } = pending.pop() as Pending;
    if (++values > JSON_SHAPE_LIMITS.values) {
      report(root, `holds more than ${JSON_SHAPE_LIMITS.values} values`);
      break;
    }
    if (typeof value === 'string') {
      if (!isStorableText(value) && report(path, 'must be valid Unicode text without NUL (U+0000)'))
        break;
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= JSON_SHAPE_LIMITS.depth) {
      if (report(path, `is nested more than ${JSON_SHAPE_LIMITS.depth} levels deep`)) break;
      continue;
    }
    if (Array.isArray(value)) {
      if (value.length > JSON_SHAPE_LIMITS.arrayItems) {
        if (report(path, `has more than ${JSON_SHAPE_LIMITS.arrayItems} items`)) break;
        continue;
      }
      for (let i = value.length - 1; i >= 0; i--) {
        pending.push({ value: value[i], path: pathOf(path, i), depth: depth + 1 });
      }
      continue;
    }
    const keys = Object.keys(value);
    if (keys.length > JSON_SHAPE_LIMITS.keysPerObject) {
      if (report(path, `has more than ${JSON_SHAPE_LIMITS.keysPerObject} properties`)) break;
      continue;
    }
    let full = false;
    for (const key of keys) {
      const at = pathOf(path, key);
      if (!isStorableText(key)) {
        full = report(at, 'property names must be valid Unicode text without NUL (U+0000)');
      } else if (RESERVED_KEYS.has(key)) {
        full = report(at, `"${key}" is not a property of any contract type`);
      }
      if (full) break;
    }
    if (full) break;
    for (let i = keys.length - 1; i >= 0; i--) {
      const key = keys[i];
      const child = (value as Record<string, unknown>)[key];
      pending.push({ value: child, path: pathOf(path, key), depth: depth + 1 });
    }
  }
  return problems;
}
