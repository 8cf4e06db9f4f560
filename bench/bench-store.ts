import { randomUUID } from 'node:crypto';

/** What the benchmark asks of each event store, so that both run the very same workloads. */
export interface BenchStore {
  /** Appends to a stream only this writer uses; `version` is its version before the append. */
  append(streamId: string, version: number, events: BenchEvent[]): Promise<void>;
  /**
   * Reads the whole global log from the start, page by page, as a rebuilding follower would.
   * With `checkIds` it also counts distinct event ids (slower: kept out of the timed pass).
   */
  replay(pageSize: number, checkIds: boolean): Promise<ReplayCount>;
  /** Settles the tables (VACUUM ANALYZE) so that replay reads a log as it would be at rest. */
  settle(): Promise<void>;
  close(): Promise<void>;
}

export interface ReplayCount {
  /** Events handed over, duplicates included. */
  events: number;
  /** Distinct event ids among them, when they were checked. */
  unique?: number;
}

export interface BenchEvent {
  eventId: string;
  type: string;
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/** A referral-sized event (about 450 bytes of JSON), the same for both stores. */
export function benchEvent(n: number): BenchEvent {
  return {
    eventId: randomUUID(),
    type: 'referral.made.v1',
    data: {
      referralId: randomUUID(),
      to: 'randers-social',
      category: 'child-social-care',
      priority: n % 5 === 0 ? 'urgent' : 'routine',
      reason: 'Repeated absence this term and signs of neglect observed by staff.',
      subject: { ref: `subject-${n}`, birthYear: 2012 },
      decisionDueBy: '2026-01-10T12:00:00.000Z',
    },
    metadata: {
      causationId: randomUUID(),
      correlationId: randomUUID(),
      actingAgency: 'randers-school',
      actor: 'Mette Jensen, school nurse',
    },
  };
}

export const benchEvents = (count: number): BenchEvent[] =>
  Array.from({ length: count }, (_, i) => benchEvent(i));
