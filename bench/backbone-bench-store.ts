import { Pool } from 'pg';
import { LogPosition, PostgresEventStore, START_OF_LOG } from '@backbone/event-store';
import type { BenchEvent, BenchStore, ReplayCount } from './bench-store';

/** The backbone's own PostgreSQL store, used the way the sector service and publisher use it. */
export class BackboneBenchStore implements BenchStore {
  private readonly pool: Pool;
  private readonly store: PostgresEventStore;

  constructor(databaseUrl: string, connections: number) {
    this.pool = new Pool({ connectionString: databaseUrl, max: connections });
    this.store = new PostgresEventStore(this.pool);
  }

  async append(streamId: string, version: number, events: BenchEvent[]): Promise<void> {
    await this.store.appendToStream(streamId, version, events);
  }

  async replay(pageSize: number, checkIds: boolean): Promise<ReplayCount> {
    const ids = new Set<string>();
    let events = 0;
    let fromPosition: LogPosition = START_OF_LOG;
    for (;;) {
      const page = await this.store.readAll({ fromPosition, limit: pageSize });
      if (page.events.length === 0) return checkIds ? { events, unique: ids.size } : { events };
      if (checkIds) for (const event of page.events) ids.add(event.eventId);
      events += page.events.length;
      fromPosition = page.nextPosition;
    }
  }

  async settle(): Promise<void> {
    await this.pool.query('VACUUM ANALYZE');
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
