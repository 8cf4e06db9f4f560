import type { ProjectedEvent } from './projected-event';

/** A read-model row: column name to value (text, number or null). */
export type ProjectionRow = Record<string, unknown>;

/** The PostgreSQL type of a read-model column, as rows are written in bulk. */
export type ColumnType = 'uuid' | 'text' | 'timestamptz' | 'integer';

/**
 * A read model as a pure fold: which events change it, which row each event concerns, and the
 * row after the event. Live processing and rebuilds both fold through `foldEvents`, so they
 * cannot build different rows from the same events; only where the rows come from and go to
 * differs (the live table per Kafka batch, the shadow table in bulk).
 */
export interface RowProjection<R extends ProjectionRow> {
  /** The primary key column; its value is what `keyOf` returns. */
  key: keyof R & string;
  /** Every column of the table, in the order rows are written. */
  columns: readonly (readonly [keyof R & string, ColumnType])[];
  /** The event types that can change a row; others are passed over unread. */
  eventTypes: readonly string[];
  keyOf(event: ProjectedEvent): string;
  /** The row after `event`: the same object when the event changes nothing. */
  evolve(row: R | undefined, event: ProjectedEvent): R | undefined;
  /** A table of sums over the rows, kept by the statement that writes them (see RowSummary). */
  summary?: RowSummary;
}

/**
 * A table of sums over a projection's rows (referral_flows: referral_facts per month and pair of
 * agencies), kept exact by the very statement that writes the rows: it adds what the rows as
 * written count and takes away what the rows they replaced counted, whatever order rows change
 * in, and whichever path writes them (live batches, culprit isolation, re-applied quarantined
 * events, a rebuild's catch-up, an as-of refold). A rebuild, whose bulk writes pass no such
 * statement, fills it afresh once the rows are written.
 */
export interface RowSummary {
  /** The summary table kept beside a table of the rows (live, a rebuild's shadow, an as-of copy). */
  tableBeside(rowTable: string): string;
  /**
   * The end of the rows' upsert (rowTableSql), after the relations `written` (the rows as written)
   * and `replaced` (those of them that existed, as they were), both with the projection's
   * columns: one statement that adds their difference to `summaryTable`, in key order. Other
   * rows may be read from `rowTable` as they stood before the statement.
   */
  addChanges(rowTable: string, summaryTable: string): string;
  /** A statement that fills an empty `summaryTable` from every row of `rowTable`. */
  fill(rowTable: string, summaryTable: string): string;
}

/** The key of the row an event concerns, as PostgreSQL prints a uuid (lower case). */
export const rowKey = <R extends ProjectionRow>(
  projection: RowProjection<R>,
  event: ProjectedEvent,
): string => projection.keyOf(event).toLowerCase();

interface RowSlot<R> {
  row: R | undefined;
  changed: boolean;
  /** The row is in the table already (read from it, or written to it). */
  stored: boolean;
  /** When an event last concerned the row, counted in events folded into the set. */
  touched: number;
}

/**
 * The rows a fold works on, by key: each one as it stands (or known not to exist), and which
 * changed. One map lookup per event: a rebuild folds a million events through a few hundred
 * thousand rows, where lookups, not the fold itself, take the time.
 */
export class RowSet<R extends ProjectionRow> {
  private readonly slots = new Map<string, RowSlot<R>>();
  private changed: RowSlot<R>[] = [];
  /** Events folded so far. */
  private clock = 0;

  get size(): number {
    return this.slots.size;
  }

  has(key: string): boolean {
    return this.slots.has(key);
  }

  /** A row as the table holds it (`undefined`: the table has none). */
  putStored(key: string, row: R | undefined): void {
    this.slots.set(key, { row, changed: false, stored: row !== undefined, touched: this.clock });
  }

  /** The row an event concerns, for the fold to replace. */
  slot(key: string): RowSlot<R> {
    let slot = this.slots.get(key);
    if (!slot) {
      slot = { row: undefined, changed: false, stored: false, touched: 0 };
      this.slots.set(key, slot);
    }
    slot.touched = ++this.clock;
    return slot;
  }

  markChanged(slot: RowSlot<R>): void {
    if (slot.changed) return;
    slot.changed = true;
    this.changed.push(slot);
  }

  /** The rows changed since the last call, split by whether the table holds them already. */
  takeChanged(): { fresh: R[]; stored: R[] } {
    const fresh: R[] = [];
    const stored: R[] = [];
    for (const slot of this.changed) {
      if (!slot.changed) continue; // taken already, by takeSettled
      slot.changed = false;
      if (!slot.row) continue;
      (slot.stored ? stored : fresh).push(slot.row);
      slot.stored = true;
    }
    this.changed = [];
    return { fresh, stored };
  }

  /**
   * New rows no event has concerned for the last `quietFor` events, now counted as written: a
   * rebuild writes them while it reads on. Should one change after all, it is written again.
   */
  takeSettled(quietFor: number): R[] {
    const settled: R[] = [];
    for (const slot of this.slots.values()) {
      if (slot.stored || !slot.row || this.clock - slot.touched < quietFor) continue;
      settled.push(slot.row);
      slot.stored = true;
      slot.changed = false;
    }
    return settled;
  }

  clear(): void {
    this.slots.clear();
    this.changed = [];
  }
}

/**
 * Folds events, in log order, into `rows`: every row the events concern must be in it already
 * (as read from the table), or be known not to exist, or be new to it.
 */
export function foldEvents<R extends ProjectionRow>(
  projection: RowProjection<R>,
  rows: RowSet<R>,
  events: Iterable<ProjectedEvent>,
): void {
  for (const event of events) {
    const slot = rows.slot(rowKey(projection, event));
    const after = projection.evolve(slot.row, event);
    if (after !== slot.row) {
      slot.row = after;
      rows.markChanged(slot);
    }
  }
}
