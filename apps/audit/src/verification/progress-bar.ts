import type { VerificationProgress } from './store-verification';

const duration = (seconds: number): string =>
  seconds >= 3600
    ? `${Math.floor(seconds / 3600)}h${String(Math.floor((seconds % 3600) / 60)).padStart(2, '0')}m`
    : seconds >= 60
      ? `${Math.floor(seconds / 60)}m${String(Math.floor(seconds % 60)).padStart(2, '0')}s`
      : `${Math.round(seconds)}s`;

/** One line: a bar, events checked of the snapshot's total, the rate and the time left. */
export function formatVerificationProgress(
  { events, total, elapsedMs }: VerificationProgress,
  width = 30,
): string {
  const fraction = total > 0 ? Math.min(1, events / total) : 1;
  const filled = Math.round(fraction * width);
  const rate = elapsedMs > 0 ? (events * 1000) / elapsedMs : 0;
  const left = rate > 0 ? Math.max(0, total - events) / rate : 0;
  return (
    `verifying [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
    `${events.toLocaleString('en-US')}/${total.toLocaleString('en-US')} events ` +
    `${(fraction * 100).toFixed(1)}% ${Math.round(rate).toLocaleString('en-US')} events/s ` +
    `ETA ${duration(left)}`
  );
}
