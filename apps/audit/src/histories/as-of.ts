import { problem } from '@backbone/http';

/** A point in time an auditor asks about. */
export interface AsOf {
  /** As the auditor gave it. */
  text: string;
  epochMs: number;
}

const RFC_3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** `asOf` from a query string: absent, or an RFC 3339 date-time with its offset. */
export function parseAsOf(raw: unknown): AsOf | undefined {
  if (raw === undefined || raw === '') return undefined;
  const epochMs = typeof raw === 'string' && RFC_3339.test(raw) ? Date.parse(raw) : NaN;
  if (!Number.isFinite(epochMs)) {
    throw problem(
      400,
      'Bad Request',
      'asOf must be an RFC 3339 date-time, e.g. 2025-03-01T12:00:00Z',
    );
  }
  return { text: raw as string, epochMs };
}

/**
 * The events as they stood at `asOf`: of each stream, the events recorded up to that instant
 * (inclusive), stopping at the first one recorded later, so every stream is cut to a prefix and
 * replays to a state it really had. `events` must hold each stream's events in version order.
 */
export function asTheyStoodAt<E extends { streamId: string; recordedAt: string }>(
  events: E[],
  asOf: AsOf | undefined,
): E[] {
  if (!asOf) return events;
  const cut = new Set<string>();
  return events.filter((event) => {
    if (cut.has(event.streamId)) return false;
    if (Date.parse(event.recordedAt) <= asOf.epochMs) return true;
    cut.add(event.streamId);
    return false;
  });
}
