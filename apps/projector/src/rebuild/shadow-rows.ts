import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { ProjectedEvent } from '../engine/projected-event';
import type { ReadModel } from '../engine/read-models';
import { ProjectionRow, RowSet, foldEvents, rowKey } from '../engine/row-projection';
import { copyLine, rowTableSql, upsertValues } from '../engine/row-table.sql';

/** Rows written per COPY message chunk. */
const LINES_PER_WRITE = 5_000;
/** When rows are written while the log is still being read (see ShadowRows). */
export interface SettledWrites {
  /** How often, in events folded, settled rows are written. */
  every: number;
  /** A row no event concerned for this many events is taken as settled (it may still change). */
  quietFor: number;
}

export const DEFAULT_SETTLED_WRITES: SettledWrites = { every: 100_000, quietFor: 50_000 };

/**
 * A read model's rows while a rebuild folds the log into its shadow table, written in bulk with
 * COPY. Rows that have settled (no event for a while) are written in the background while the
 * log is still read, by PostgreSQL's otherwise idle second core; one that changes after all is
 * written again (an upsert) at the end, with the rest. All rows stay in memory until then, or
 * until more than `limit` are held: then every row is written and let go, and a row an event
 * concerns later is read back from the shadow table first, so memory stays bounded and every
 * event still folds into the row as it stands.
 */
export class ShadowRows {
  private readonly rows = new RowSet<ProjectionRow>();
  private spilled = false;
  /** Writes running in the background, in order; and the first that failed. */
  private writing: Promise<void> = Promise.resolve();
  private failure?: Error;
  private sinceWrite = 0;
  private readonly types: ReadonlySet<string>;
  rowsWritten = 0;

  constructor(
    private readonly pool: Pool,
    private readonly model: ReadModel,
    private readonly limit: number,
    private readonly settledWrites: SettledWrites = DEFAULT_SETTLED_WRITES,
  ) {
    this.types = new Set(model.projection.eventTypes);
  }

  /** Folds a batch of the log (in log order); returns how many of its events this model takes. */
  async fold(events: readonly ProjectedEvent[]): Promise<number> {
    const { projection } = this.model;
    const relevant = events.filter((event) => this.types.has(event.type));
    if (this.failure) throw this.failure;
    if (this.spilled) await this.readBack(relevant);
    foldEvents(projection, this.rows, relevant);
    this.sinceWrite += relevant.length;
    if (this.rows.size > this.limit) await this.flush();
    else if (this.sinceWrite >= this.settledWrites.every) {
      this.sinceWrite = 0;
      const settled = this.rows.takeSettled(this.settledWrites.quietFor);
      // Rows are never changed in place (a fold makes a new one), so these stay as they are.
      if (settled.length)
        this.writing = this.writing
          .then(() => this.copyIn(settled))
          .catch((error: unknown) => {
            this.failure ??= error instanceof Error ? error : new Error(String(error));
          });
    }
    return relevant.length;
  }

  /** Writes every changed row to the shadow table and lets go of all rows held. */
  async flush(): Promise<void> {
    await this.writing;
    if (this.failure) throw this.failure;
    const { projection, shadowTable } = this.model;
    const { fresh, stored: updated } = this.rows.takeChanged();
    if (updated.length)
      await this.pool.query({
        ...rowTableSql(projection, shadowTable).upsert,
        values: upsertValues(projection, updated),
      });
    if (fresh.length) await this.copyIn(fresh);
    this.spilled ||= this.rows.size > 0;
    this.rows.clear();
  }

  private async readBack(events: readonly ProjectedEvent[]): Promise<void> {
    const { projection, shadowTable } = this.model;
    const missing = [
      ...new Set(events.map((e) => rowKey(projection, e)).filter((k) => !this.rows.has(k))),
    ];
    if (!missing.length) return;
    const { rows } = await this.pool.query<ProjectionRow>({
      ...rowTableSql(projection, shadowTable).selectForUpdate,
      values: [missing],
    });
    for (const key of missing) this.rows.putStored(key, undefined);
    for (const row of rows) this.rows.putStored(String(row[projection.key]), row);
  }

  private async copyIn(rows: ProjectionRow[]): Promise<void> {
    this.rowsWritten += rows.length;
    const { projection, shadowTable } = this.model;
    const client = await this.pool.connect();
    try {
      await new Promise<void>((resolve, reject) => {
        const stream = client.query(copyFrom(rowTableSql(projection, shadowTable).copyIn));
        stream.on('finish', resolve);
        stream.on('error', reject);
        const writeFrom = (start: number): void => {
          for (let i = start; i < rows.length; i += LINES_PER_WRITE) {
            let chunk = '';
            for (const row of rows.slice(i, i + LINES_PER_WRITE))
              chunk += copyLine(projection, row);
            if (!stream.write(chunk)) {
              stream.once('drain', () => writeFrom(i + LINES_PER_WRITE));
              return;
            }
          }
          stream.end();
        };
        writeFrom(0);
      });
    } finally {
      client.release();
    }
  }
}
