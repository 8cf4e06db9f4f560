/** How far a rebuild has got, as reported after each page of the store. */
export interface RebuildProgress {
  model: string;
  /** Events read from the store so far (applied, or passed over as not this model's). */
  done: number;
  /** Events in the store when the rebuild started; more may arrive while it runs. */
  total: number;
  elapsedMs: number;
}

const seconds = (s: number): string =>
  s >= 3600
    ? `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${String(Math.floor(s % 60)).padStart(2, '0')}s`
      : `${s.toFixed(0)}s`;

/** One line: a bar, events done of total, rate and time left, e.g. for stderr. */
export function formatProgress({ model, done, total, elapsedMs }: RebuildProgress): string {
  const fraction = total > 0 ? Math.min(1, done / total) : 1;
  const width = 24;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (done * 1000) / elapsedMs : 0;
  const eta = rate > 0 ? Math.max(0, total - done) / rate : 0;
  return (
    `${model} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
    `${done}/${total} events ${(fraction * 100).toFixed(1)}% ` +
    `${Math.round(rate)} events/s ETA ${seconds(eta)}`
  );
}
