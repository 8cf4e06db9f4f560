/**
 * Waits `ms`, or less when `signal` aborts meanwhile; removes its listener either way, so a
 * loop that sleeps on one long-lived signal does not pile listeners onto it.
 */
export function sleepUnlessAborted(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
  });
}
