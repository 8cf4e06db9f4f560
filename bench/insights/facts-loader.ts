// Loads generated fact lines with COPY, one chunk copied while the next is made.
import type { Pool } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** The COPY statements of the two fact tables, in their migrations' column order. */
export const COPY_INTO = {
  referralFacts: `
    COPY referral_facts (referral_id, from_agency, to_agency, category, priority, made_at,
      decision_due_by, acknowledged_at, decided_at, decision, status, ended_at, reason_code,
      outcome_code, redirected_from, stream_version)
    FROM STDIN`,
  handoverFacts: `
    COPY handover_facts (handover_id, case_id, from_agency, to_agency, status, proposed_at,
      accepted_at, declined_at, cancelled_at, completed_at, stream_version)
    FROM STDIN`,
} as const;

async function copyLines(pool: Pool, copy: string, lines: string[]): Promise<void> {
  const client = await pool.connect();
  try {
    await new Promise<void>((resolve, reject) => {
      const stream = client.query(copyFrom(copy));
      stream.on('finish', resolve);
      stream.on('error', reject);
      stream.end(lines.join(''));
    });
  } finally {
    client.release();
  }
}

/** Copies every line with `copy`, `chunkRows` per COPY; returns how many rows. */
export async function loadFacts(
  pool: Pool,
  copy: string,
  lines: Iterable<string>,
  { chunkRows = 50_000, onProgress = (_rows: number) => undefined } = {},
): Promise<number> {
  let chunk: string[] = [];
  let loaded = 0;
  let copying: Promise<void> = Promise.resolve();
  const flush = async (): Promise<void> => {
    await copying;
    copying = copyLines(pool, copy, chunk);
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
