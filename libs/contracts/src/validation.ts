import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';
import type { FieldError } from './field-error';
import { inspectJsonShape } from './input-safety/json-shape';

export type { FieldError } from './field-error';

/** Flattens class-validator's tree into `path: message` pairs an agency developer can act on. */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/**
 * Validates a plain object against a contract class; unknown properties are errors. The
 * document's shape is checked first (inspectJsonShape), so that the libraries below only ever
 * walk what they can: nothing an agency sends makes this throw.
 */
export function validateAgainst<T extends object>(
  cls: new () => T,
  plain: unknown,
): { value: T; errors: [] } | { value?: undefined; errors: FieldError[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { errors: [{ path: '', message: 'must be a JSON object' }] };
  }
  const unsafe = inspectJsonShape(plain);
  if (unsafe.length) return { errors: unsafe };
  let errors: FieldError[];
  let value: T;
  try {
    value = plainToInstance(cls, plain);
    errors = flatten(
      validateSync(value, {
        whitelist: true,
        forbidNonWhitelisted: true,
        forbidUnknownValues: true,
      }),
    );
  } catch {
    // A shape the checks above did not foresee: refused, never a crash.
    return { errors: [{ path: '', message: `could not be read as ${cls.name}` }] };
  }
  return errors.length ? { errors } : { value, errors: [] };
}
