import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import {
  AppendListener,
  EVENT_STORE,
  EventStore,
  LogPosition,
  ReadAllPage,
} from '@backbone/event-store';
import { problem } from '@backbone/http';

/** How long one look may sleep before it reads again even without a wake-up: an older
 * transaction that held events back announces nothing when it ends. */
const RELOOK_MS = 1000;
/** Waiting requests at once, per agency and per process: each holds a socket and a timer. */
const MAX_WAITING_PER_AGENCY = 4;
const MAX_WAITING = 200;
/** Events of the log one read looks at, the agency's and others'. */
const LOOK_AT_MOST = 2000;

const samePosition = (a: LogPosition, b: LogPosition): boolean =>
  a.transactionId === b.transactionId && a.globalPosition === b.globalPosition;

/**
 * An agency's inbox as a feed over the store's global log: the events that name it among their
 * parties, in log order, after a position. The log is read below the oldest running transaction
 * (the publisher's own order), so a late commit is never passed by and every event comes once
 * across cursors. A read that finds nothing may wait for the next append (long polling).
 */
@Injectable()
export class InboxFeed implements OnApplicationShutdown {
  private readonly waiting = new Map<string, number>();
  private readonly stopping = new AbortController();

  constructor(@Inject(EVENT_STORE) private readonly store: EventStore) {}

  async changesAfter(
    agencyId: string,
    after: LogPosition,
    limit: number,
    waitMs: number,
    gone?: AbortSignal,
  ): Promise<ReadAllPage> {
    // Each read looks at a bounded stretch of the log and moves past the others' events in it,
    // so one request costs the same however far behind the cursor is (a few reads apart).
    const read = (from: LogPosition) =>
      this.store.readPartyAfter(agencyId, from, limit, LOOK_AT_MOST);
    const first = await read(after);
    if (first.events.length || waitMs <= 0) return first;
    return this.whileWaiting(agencyId, async () => {
      const deadline = Date.now() + waitMs;
      const signal = gone ? AbortSignal.any([gone, this.stopping.signal]) : this.stopping.signal;
      const listener: AppendListener = await this.store.listenForAppends();
      let from = first.nextPosition;
      try {
        for (;;) {
          // Noted before the read, so an append committed while it runs still wakes the wait.
          const seen = listener.generation;
          const page = await read(from);
          if (page.events.length || signal.aborted || Date.now() >= deadline) return page;
          const lookedFurther = !samePosition(page.nextPosition, from);
          from = page.nextPosition;
          // A look that moved on may have stopped short of the log's end: read on at once.
          if (lookedFurther) continue;
          await listener.waitBeyond(seen, Math.min(deadline - Date.now(), RELOOK_MS), signal);
        }
      } finally {
        await listener.close();
      }
    });
  }

  onApplicationShutdown(): void {
    this.stopping.abort();
  }

  private async whileWaiting<T>(agencyId: string, wait: () => Promise<T>): Promise<T> {
    const mine = this.waiting.get(agencyId) ?? 0;
    const all = [...this.waiting.values()].reduce((sum, n) => sum + n, 0);
    if (mine >= MAX_WAITING_PER_AGENCY || all >= MAX_WAITING) {
      throw problem(
        429,
        'Too Many Requests',
        `at most ${MAX_WAITING_PER_AGENCY} waiting requests per agency; ask again without wait, or later`,
        { code: 'RATE_LIMITED', retryAfterSeconds: 1 },
      );
    }
    this.waiting.set(agencyId, mine + 1);
    try {
      return await wait();
    } finally {
      const left = (this.waiting.get(agencyId) ?? 1) - 1;
      if (left) this.waiting.set(agencyId, left);
      else this.waiting.delete(agencyId);
    }
  }
}
