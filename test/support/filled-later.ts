/**
 * A handle a spec can hold from the start while a beforeAll fills it later: reading it earlier
 * (at collection time, or from a hook registered before the one filling it) is a mistake in the
 * spec, and fails saying so rather than with an undefined deep inside the code under test.
 */
export function filledLater<T extends object>(
  what: string,
): { handle: T; fill: (value: T) => void } {
  let value: T | undefined;
  const handle = new Proxy({} as T, {
    get: (_, key) => {
      if (value === undefined) throw new Error(`${what} read before the beforeAll that makes it`);
      return Reflect.get(value, key);
    },
  });
  return { handle, fill: (filled) => void (value = filled) };
}
