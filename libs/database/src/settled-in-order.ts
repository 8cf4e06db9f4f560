/**
 * Waits for statements sent together over a pipelining connection (see PIPELINED_POOL), then
 * gives their results, or throws the first failure in the order they were sent: in a
 * transaction, the statements behind a failed one fail only because it is aborted.
 */
export async function settledInOrder<T extends readonly unknown[]>(statements: {
  [K in keyof T]: Promise<T[K]>;
}): Promise<T> {
  const settled = await Promise.allSettled(statements);
  for (const result of settled) if (result.status === 'rejected') throw result.reason;
  return settled.map((result) => (result as PromiseFulfilledResult<unknown>).value) as unknown as T;
}
