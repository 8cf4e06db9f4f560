import type { Pool, PoolClient } from 'pg';
import { ChainHead, ChainVerifier, type StreamVerification } from '@backbone/event-store';
import { InterleavedChains, StoredTextLink } from './interleaved-chains';
import {
  COUNT_EVENTS_AND_STREAMS,
  EVENTS_IN_LOG_ORDER,
  EVENTS_OF_STREAM,
  HeadRow,
  STREAMS_WITHOUT_EVENTS,
  STREAM_HEADS,
  ScannedEventRow,
  StreamEventRow,
  chainLinkOf,
} from './store-verification.sql';

export interface BrokenStream extends StreamVerification {
  streamId: string;
}

export interface VerificationProgress {
  /** Events checked so far. */
  events: number;
  /** Events in the store when the verification began (its snapshot). */
  total: number;
  elapsedMs: number;
}

export interface StoreVerificationReport {
  streams: number;
  events: number;
  /** Every stream whose chain does not verify, in stream id order. */
  broken: BrokenStream[];
  elapsedMs: number;
}

export interface StoreVerificationOptions {
  pageSize?: number;
  onProgress?: (progress: VerificationProgress) => void;
}

const DEFAULT_PAGE = 5_000;

/** Rows of one transaction share their time: formatted once for all of them. */
function timeFormatter(): (epochMs: number) => string {
  let last = NaN;
  let text = '';
  return (epochMs) => {
    if (epochMs !== last) [last, text] = [epochMs, new Date(epochMs).toISOString()];
    return text;
  };
}

const toTextLink = (row: ScannedEventRow, recordedAt: string): StoredTextLink => ({
  eventId: row.event_id,
  streamId: row.stream_id,
  streamVersion: row.stream_version,
  type: row.event_type,
  dataText: row.data,
  metadataText: row.metadata,
  recordedAt,
  hash: row.hash,
});

const toHead = (row: HeadRow): ChainHead => ({ version: row.version, lastHash: row.last_hash });

/**
 * Verifies every stream's hash chain. One pass reads the log in the order it was written and
 * follows all chains at once (interleaved-chains.ts); each stream that does not check out there
 * is then verified on its own for the exact verdict `GET /v1/audit/streams/{id}/verify` gives.
 * Everything reads one snapshot (REPEATABLE READ), so appends made meanwhile are neither
 * half-seen nor mistaken for tampering; being read-only it holds no transaction id, so the
 * followers of the global log are not held back while it runs.
 */
export async function verifyWholeStore(
  pool: Pool,
  options: StoreVerificationOptions = {},
): Promise<StoreVerificationReport> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    const report = await verifyInSnapshot(client, options);
    await client.query('COMMIT');
    return report;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

async function verifyInSnapshot(
  client: PoolClient,
  { pageSize = DEFAULT_PAGE, onProgress }: StoreVerificationOptions,
): Promise<StoreVerificationReport> {
  const started = Date.now();
  const counts = await client.query<{ events: number; streams: number }>(COUNT_EVENTS_AND_STREAMS);
  const { events: total, streams: recorded } = counts.rows[0];
  const chains = new InterleavedChains();
  const formatTime = timeFormatter();
  const page = (after: string): Promise<ScannedEventRow[]> =>
    client
      .query<ScannedEventRow>({ ...EVENTS_IN_LOG_ORDER, values: [after, pageSize] })
      .then((result) => result.rows);
  let events = 0;
  let next: Promise<ScannedEventRow[]> | undefined = page('0');
  while (next) {
    const rows: ScannedEventRow[] = await next;
    // Queued on the connection before hashing starts, so that PostgreSQL reads the next page
    // while this one is hashed here: the two sides take turns otherwise.
    const heads = headsOf(client, [
      ...new Set(rows.filter((row) => chains.isNew(row.stream_id)).map((row) => row.stream_id)),
    ]);
    next = rows.length === pageSize ? page(rows[rows.length - 1].global_position) : undefined;
    // Awaited next round; marked handled so that a failure meanwhile is not reported twice.
    next?.catch(() => undefined);
    const headsOfPage = await heads;
    for (const row of rows) {
      chains.add(toTextLink(row, formatTime(row.recorded_at_ms)), headsOfPage.get(row.stream_id));
    }
    events += rows.length;
    onProgress?.({ events, total, elapsedMs: Date.now() - started });
  }

  const broken: BrokenStream[] = [];
  const suspects = chains.suspects();
  const suspectHeads = await headsOf(client, suspects);
  for (const streamId of suspects) {
    const verdict = await verifyOneStream(client, streamId, suspectHeads.get(streamId));
    if (!verdict.valid) broken.push({ streamId, ...verdict });
  }
  const unrecorded = suspects.filter((streamId) => !suspectHeads.has(streamId)).length;
  const { rows: emptied } = await client.query<HeadRow>(STREAMS_WITHOUT_EVENTS);
  for (const record of emptied) {
    broken.push({ streamId: record.stream_id, ...new ChainVerifier().finish(toHead(record)) });
  }
  broken.sort((a, b) => (a.streamId < b.streamId ? -1 : a.streamId > b.streamId ? 1 : 0));
  return { streams: recorded + unrecorded, events, broken, elapsedMs: Date.now() - started };
}

async function headsOf(client: PoolClient, streamIds: string[]): Promise<Map<string, ChainHead>> {
  if (!streamIds.length) return new Map();
  const { rows } = await client.query<HeadRow>({ ...STREAM_HEADS, values: [streamIds] });
  return new Map(rows.map((row) => [row.stream_id, toHead(row)]));
}

async function verifyOneStream(
  client: PoolClient,
  streamId: string,
  head: ChainHead | undefined,
): Promise<StreamVerification> {
  const { rows } = await client.query<StreamEventRow>({ ...EVENTS_OF_STREAM, values: [streamId] });
  const verifier = new ChainVerifier();
  for (const row of rows) verifier.add(chainLinkOf(row));
  return verifier.finish(head);
}
