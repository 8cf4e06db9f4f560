// Loads generated `referral_facts` lines with COPY, one chunk copied while the next is made.
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

const COPY_FACTS = `
  COPY referral_facts (referral_id, from_agency, to_agency, category, priority, made_at,
    decision_due_by, acknowledged_at, decided_at, decision, status, ended_at, reason_code,
    outcome_code, redirected_from, stream_version)
  FROM STDIN`;

async function copyLines(pool: Pool, lines: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(COPY_FACTS));
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(lines.join(''));
    });
  } finally {
    client.release();
  }
}

/** Copies every line into `referral_facts`, `chunkRows` per COPY; returns how many rows. */
export async function loadFacts(
  pool: Pool,
  lines: Iterable<string>,
  { chunkRows = 50_000, onProgress = (_rows: number) => undefined } = {},
): Promise<number> {
  let chunk: string[] = [];
  let loaded = 0;
  let copying: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    await copying;
    copying = copyLines(pool, chunk);
    loaded += chunk.length;
    chunk = [];
    onProgress(loaded);
  };
  for (const line of lines) {
    chunk.push(line);
    if (chunk.length >= chunkRows) await flush();
  }
  if (chunk.length) await flush();
  await copying;
  return loaded;
}
