import type { PoolClient } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { LogPosition, StoredEvent, UpcasterRegistry } from '@backbone/event-store';
import type { ProjectedEvent } from '../engine/projected-event';

// Reads the store's global log in bulk for a rebuild: one COPY … TO STDOUT streams every event
// of the wanted types after a position, in the follow order of the event store's own readAll
// (transaction id, then position, below the oldest running transaction, so no late commit is
// passed by). A paged SELECT spends most of a replay building row objects in node-postgres;
// COPY's text lines split into a few strings each, and an event's data is parsed only when a
// projection reads it. Only the columns projections read are sent.
//
// COPY takes no bound parameters, so the position and types are handed over as settings of
// the caller's transaction, read once each by uncorrelated subqueries. Not knowing how much of
// the log they select, the planner would sort the whole log (spilling to disk) before sending
// the first row; the follow-order index hands rows out in order at once, and the reader works
// on them while PostgreSQL reads on. JIT compiling costs more than it saves on this query.
const SET_PARAMETERS = `
  SELECT set_config('enable_sort', 'off', true), set_config('jit', 'off', true),
         set_config('projector.rebuild_after_tx', $1, true),
         set_config('projector.rebuild_after_position', $2, true),
         set_config('projector.rebuild_types', array_to_string($3::text[], ','), true)`;

const COPY_LOG = `
  COPY (
    SELECT e.transaction_id, e.global_position, e.stream_id, e.stream_version, e.event_type,
           e.data, to_char(e.recorded_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
    FROM events e
    WHERE (e.transaction_id, e.global_position) >
            ((SELECT current_setting('projector.rebuild_after_tx')::xid8),
             (SELECT current_setting('projector.rebuild_after_position')::bigint))
      AND e.transaction_id < pg_snapshot_xmin(pg_current_snapshot())
      AND e.event_type = ANY ((SELECT string_to_array(current_setting('projector.rebuild_types'), ','))::text[])
    ORDER BY e.transaction_id, e.global_position
  ) TO STDOUT`;

const NEWLINE = 0x0a;
const BACKSLASH = '\\';
const COPY_ESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
};

/** A field of COPY's text format as the text it stands for. */
export function unescapeCopyText(field: string): string {
  if (!field.includes(BACKSLASH)) return field;
  return field.replace(/\\(.)/g, (_, c: string) => COPY_ESCAPES[c] ?? c);
}

/**
 * A copy of `text` that holds no reference to a larger string. V8 cuts substrings as views of
 * their parent; rows keep an event's time long after its batch, and a view would keep the
 * whole chunk of the log it was cut from alive with it. (Ids rows keep come from parsed data.)
 */
const detached = (text: string): string => (text + ' ').slice(0, -1);

/** An event as a rebuild reads it from the store; `data` is parsed on first use. */
export class LoggedEvent implements ProjectedEvent {
  private parsed?: unknown;

  constructor(
    public type: string,
    readonly subject: string,
    readonly time: string,
    readonly streamversion: number,
    private dataText: string | undefined,
    /** Its place in the global log (a decimal string), to name it when it is quarantined. */
    readonly globalPosition = '0',
  ) {}

  get data(): unknown {
    if (this.dataText !== undefined) {
      this.parsed = JSON.parse(unescapeCopyText(this.dataText));
      this.dataText = undefined;
    }
    return this.parsed;
  }

  /** Turns an old stored version into the current one, as the store's reads do. */
  upcastWith(upcasters: UpcasterRegistry, streamId: string, position: LogPosition): void {
    const stored: StoredEvent = {
      eventId: '',
      streamId,
      streamVersion: this.streamversion,
      globalPosition: position.globalPosition,
      transactionId: position.transactionId,
      type: this.type,
      data: this.data as StoredEvent['data'],
      metadata: {},
      recordedAt: this.time,
      hash: '',
    };
    const current = upcasters.upcast(stored);
    if (current === stored) return;
    this.type = current.type;
    this.parsed = current.data;
  }
}

export interface LogBatch {
  events: LoggedEvent[];
  /** The position of the batch's last event: where to read on from. */
  last: LogPosition;
}

export interface CopyLogOptions {
  /** Stored event types to read (those an upcaster turns into a wanted type included). */
  storedTypes: readonly string[];
  /** Events per batch handed to the caller. */
  batchSize: number;
  upcasters?: UpcasterRegistry;
  /** Stored types that have an upcaster, when `upcasters` is given. */
  upcastTypes?: ReadonlySet<string>;
  /** Global positions of events to pass over: those quarantined (see rebuild-read-model). */
  skip?: ReadonlySet<string>;
}

const positionAt = (text: string, start: number, t1: number, t2: number): LogPosition => ({
  transactionId: text.slice(start, t1),
  globalPosition: text.slice(t1 + 1, t2),
});

/**
 * Reads every line of `text` (complete lines of COPY's text format) into `events`; returns the
 * last line's position.
 */
function readLines(text: string, events: LoggedEvent[], options: CopyLogOptions): LogPosition {
  let start = 0;
  let last = [0, 0, 0];
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    // transaction id, position, stream id, stream version, type, data, recorded at
    const t1 = text.indexOf('\t', start);
    const t2 = text.indexOf('\t', t1 + 1);
    const t3 = text.indexOf('\t', t2 + 1);
    const t4 = text.indexOf('\t', t3 + 1);
    const t5 = text.indexOf('\t', t4 + 1);
    const t6 = text.indexOf('\t', t5 + 1);
    last = [start, t1, t2];
    const globalPosition = text.slice(t1 + 1, t2);
    if (options.skip?.has(globalPosition)) {
      start = end + 1;
      continue;
    }
    // The subject is the stream id after its category (as subjectOfStream has it).
    const dash = text.indexOf('-', t2 + 1);
    let version = 0;
    for (let i = t3 + 1; i < t4; i++) version = version * 10 + text.charCodeAt(i) - 48;
    const event = new LoggedEvent(
      unescapeCopyText(text.slice(t4 + 1, t5)),
      unescapeCopyText(text.slice(dash < 0 || dash > t3 ? t2 + 1 : dash + 1, t3)),
      detached(text.slice(t6 + 1, end)),
      version,
      text.slice(t5 + 1, t6),
      globalPosition,
    );
    if (options.upcasters && options.upcastTypes?.has(event.type)) {
      const streamId = unescapeCopyText(text.slice(t2 + 1, t3));
      event.upcastWith(options.upcasters, streamId, positionAt(text, start, t1, t2));
    }
    events.push(event);
    start = end + 1;
  }
  return positionAt(text, last[0], last[1], last[2]);
}

/**
 * Every event of `storedTypes` after `after`, in batches of about `batchSize`. Runs in the
 * caller's transaction on `client`, which it holds until the last batch was taken.
 */
export async function* copyLogAfter(
  client: PoolClient,
  after: LogPosition,
  options: CopyLogOptions,
): AsyncGenerator<LogBatch> {
  await client.query(SET_PARAMETERS, [
    after.transactionId,
    after.globalPosition,
    options.storedTypes,
  ]);
  const stream = client.query(copyTo(COPY_LOG));
  let events: LoggedEvent[] = [];
  let last = after;
  let tail: Buffer | undefined;
  for await (const received of stream as AsyncIterable<Buffer>) {
    // Whole lines only: a line cut at the end of a chunk waits for the rest of it.
    const chunk = tail ? Buffer.concat([tail, received]) : received;
    const end = chunk.lastIndexOf(NEWLINE);
    tail = end + 1 < chunk.length ? chunk.subarray(end + 1) : undefined;
    if (end < 0) continue;
    last = readLines(chunk.toString('utf8', 0, end), events, options);
    if (events.length >= options.batchSize) {
      yield { events, last };
      events = [];
    }
  }
  if (events.length) yield { events, last };
}
