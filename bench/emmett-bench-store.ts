import { Pool } from 'pg';
import type { BenchEvent, BenchStore, ReplayCount } from './bench-store';

// Emmett is used only here. Its packages ship CommonJS builds, but importing them installs
// dumbo's process-wide pg type parsers (int8 → BigInt, its own JSON parsing): that is why each
// store runs in a process of its own (bench-worker.ts).
type EmmettPostgres = typeof import('@event-driven-io/emmett-postgresql');
type EmmettStore = ReturnType<EmmettPostgres['getPostgreSQLEventStore']>;
type Dumbo = ReturnType<(typeof import('@event-driven-io/dumbo'))['dumbo']>;

/** Emmett 0.42's PostgreSQL store (`@event-driven-io/emmett-postgresql`), on its own database. */
export class EmmettBenchStore implements BenchStore {
  private constructor(
    private readonly emmett: EmmettPostgres,
    private readonly pool: Pool,
    private readonly store: EmmettStore,
    private readonly reader: Dumbo,
  ) {}

  static async open(databaseUrl: string, connections: number): Promise<EmmettBenchStore> {
    const emmett = await import('@event-driven-io/emmett-postgresql');
    const { dumbo } = await import('@event-driven-io/dumbo');
    const pool = new Pool({ connectionString: databaseUrl, max: connections });
    const store = emmett.getPostgreSQLEventStore(databaseUrl, { connectionOptions: { pool } });
    await store.schema.migrate();
    return new EmmettBenchStore(emmett, pool, store, dumbo({ connectionString: databaseUrl }));
  }

  async append(streamId: string, version: number, events: BenchEvent[]): Promise<void> {
    await this.store.appendToStream(
      streamId,
      events.map(({ type, data, metadata }) => ({ type, data, metadata })),
      { expectedStreamVersion: BigInt(version) },
    );
  }

  /** Pages the way Emmett's own consumers do: `after` the last global position seen. */
  async replay(pageSize: number, checkIds: boolean): Promise<ReplayCount> {
    const ids = new Set<string>();
    let events = 0;
    let after = 0n;
    for (;;) {
      const batch = await this.emmett.readMessagesBatch(this.reader.execute, {
        after,
        batchSize: pageSize,
      });
      if (batch.messages.length === 0) return checkIds ? { events, unique: ids.size } : { events };
      if (checkIds)
        for (const message of batch.messages) ids.add(String(message.metadata.messageId));
      events += batch.messages.length;
      after = batch.currentGlobalPosition;
    }
  }

  async settle(): Promise<void> {
    await this.pool.query('VACUUM ANALYZE');
  }

  async close(): Promise<void> {
    await this.reader.close();
    await this.store.close();
    await this.pool.end().catch(() => undefined);
  }
}
