// Offered load for the pipeline benchmarks: commands at a steady rate or as fast as they are
// taken, and a look at the read model to tell when every command's referral is in it.
import { Client } from 'pg';
import { AgencyLoad } from './agency-load';
import { LatencySummary, summarise } from './latency';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function readModelRows(databaseUrl: string): Promise<number> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM referral_views',
    );
    return rows[0].n;
  } finally {
    await client.end();
  }
}

/** Sends `rate` commands a second for `seconds`; the command → outcome latencies once answered. */
export async function paced(
  load: AgencyLoad,
  rate: number,
  seconds: number,
): Promise<LatencySummary> {
  const since = performance.now();
  const tickMs = 20;
  let owed = 0;
  while (performance.now() - since < seconds * 1000) {
    owed += (rate * tickMs) / 1000;
    const now = Math.floor(owed);
    if (now > 0) {
      owed -= now;
      await load.send(now);
    }
    await sleep(tickMs);
  }
  await load.drained(120_000);
  return summarise(load.latenciesSince(since));
}

/** Sends `count` commands as fast as the backbone takes them: the seconds until all answered. */
export async function saturate(
  load: AgencyLoad,
  count: number,
  options: { sentTwiceEvery?: number } = {},
): Promise<number> {
  const t0 = performance.now();
  for (let sent = 0; sent < count; sent += 500)
    await load.send(Math.min(500, count - sent), options);
  await load.drained(300_000);
  return (performance.now() - t0) / 1000;
}

/** Waits until the read model has a row for every command sent (each makes a referral). */
export async function readModelCaughtUp(databaseUrl: string, load: AgencyLoad): Promise<void> {
  const deadline = Date.now() + 60_000;
  while ((await readModelRows(databaseUrl)) < load.sentAt.size) {
    if (Date.now() > deadline) throw new Error('the read model did not catch up in 60 s');
    await sleep(20);
  }
}
