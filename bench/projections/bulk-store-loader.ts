// Loads generated commits into a fresh event store with COPY: the very rows the store's append
// function would have written (canonical JSON text, stream versions, the SHA-256 hash chain,
// one transaction id per loaded chunk) at a fraction of the time a million appends take.
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { GENESIS_HASH, canonicalJson, chainHash } from '@backbone/event-store';
import type { Commit } from './referral-histories';

const COPY_EVENTS = `
  COPY events (event_id, stream_id, stream_version, event_type, data, metadata, recorded_at, hash)
  FROM STDIN`;
const COPY_STREAMS = `
  COPY streams (stream_id, category, version, last_hash, created_at, updated_at) FROM STDIN`;

/** COPY text format: backslashes doubled; JSON text holds no raw tab or newline. */
const text = (value: string): string => value.replace(/\\/g, '\\\\');
const bytea = (hash: Buffer): string => `\\\\x${hash.toString('hex')}`;

interface StreamHead {
  version: number;
  hash: Buffer;
  createdAt: string;
  updatedAt: string;
}

async function copyRows(pool: Pool, sql: string, lines: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(sql));
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(lines.join(''));
    });
  } finally {
    client.release();
  }
}

/**
 * Stores every commit, `chunkEvents` events per COPY (each its own transaction, as appends by
 * many commands would be); returns how many events were stored.
 */
export async function loadCommits(
  pool: Pool,
  commits: Iterable<Commit>,
  { chunkEvents = 20_000, onProgress = (_events: number) => undefined } = {},
): Promise<number> {
  const heads = new Map<string, StreamHead>();
  let lines: string[] = [];
  let stored = 0;
  // One chunk is copied while the next is generated: PostgreSQL and this process both work.
  let copying: Promise<void> = Promise.resolve();
  for (const { recordedAt, appends } of commits) {
    for (const { streamId, events } of appends) {
      const head = heads.get(streamId) ?? {
        version: 0,
        hash: GENESIS_HASH,
        createdAt: recordedAt,
        updatedAt: recordedAt,
      };
      for (const event of events) {
        const streamVersion = head.version + 1;
        const hash = chainHash(head.hash, { ...event, streamId, streamVersion, recordedAt });
        lines.push(
          `${event.eventId}\t${streamId}\t${streamVersion}\t${event.type}\t` +
            `${text(canonicalJson(event.data))}\t${text(canonicalJson(event.metadata))}\t` +
            `${recordedAt}\t${bytea(hash)}\n`,
        );
        head.version = streamVersion;
        head.hash = hash;
      }
      head.updatedAt = recordedAt;
      heads.set(streamId, head);
      stored += events.length;
    }
    if (lines.length >= chunkEvents) {
      await copying;
      copying = copyRows(pool, COPY_EVENTS, lines);
      lines = [];
      onProgress(stored);
    }
  }
  await copying;
  if (lines.length) await copyRows(pool, COPY_EVENTS, lines);
  onProgress(stored);
  const streams = [...heads].map(
    ([id, head]) =>
      `${id}\t${id.split('-', 1)[0]}\t${head.version}\t${bytea(head.hash)}\t` +
      `${head.createdAt}\t${head.updatedAt}\n`,
  );
  for (let i = 0; i < streams.length; i += 50_000)
    await copyRows(pool, COPY_STREAMS, streams.slice(i, i + 50_000));
  return stored;
}
