import { plainToInstance } from 'class-transformer';
import { ValidationError, validateSync } from 'class-validator';

export interface FieldError {
  path: string;
  message: string;
}

/** Flattens class-validator's tree into `path: message` pairs an agency developer can act on. */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

/** Validates a plain object against a contract class; unknown properties are errors. */
export function validateAgainst<T extends object>(
  cls: new () => T,
  plain: unknown,
): { value: T; errors: [] } | { value?: undefined; errors: FieldError[] } {
  if (typeof plain !== 'object' || plain === null || Array.isArray(plain)) {
    return { errors: [{ path: '', message: 'must be a JSON object' }] };
  }
  const value = plainToInstance(cls, plain);
  const errors = flatten(
    validateSync(value, { whitelist: true, forbidNonWhitelisted: true, forbidUnknownValues: true }),
  );
  return errors.length ? { errors } : { value, errors: [] };
}
