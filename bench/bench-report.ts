import { cpus, totalmem } from 'node:os';
import { Client } from 'pg';
import type { AppendFigures } from './bench-workloads';
import type { StoreFigures, StoreName } from './bench-worker';

const SETTINGS = `
  SELECT current_setting('server_version') AS version, current_setting('fsync') AS fsync,
         current_setting('synchronous_commit') AS synchronous_commit,
         current_setting('shared_buffers') AS shared_buffers`;

/** One line about where the figures were measured. */
export async function describeMachine(databaseUrl: string): Promise<string> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<Record<string, string>>(SETTINGS);
    const pg = rows[0];
    const cpu = cpus();
    return (
      `${cpu.length} cores (${cpu[0]?.model.trim()}), ${Math.round(totalmem() / 2 ** 30)} GiB, ` +
      `Node ${process.version}, PostgreSQL ${pg.version} (fsync ${pg.fsync}, ` +
      `synchronous_commit ${pg.synchronous_commit}, shared_buffers ${pg.shared_buffers}), ` +
      `client and server on the same machine`
    );
  } finally {
    await client.end();
  }
}

const perSecond = (count: number, seconds: number): number => Math.round(count / seconds);

const faster =
  <T extends { seconds: number }>(count: (f: T) => number) =>
  (a: T, b: T): T =>
    count(a) / a.seconds >= count(b) / b.seconds ? a : b;

/** Each workload's best round: on a shared machine the best is the least disturbed. */
export function bestOf(runs: StoreFigures[]): StoreFigures {
  const appends = faster<AppendFigures>((f) => f.appends);
  return runs.reduce((best, run) => ({
    appendOne: appends(best.appendOne, run.appendOne),
    appendSixteen: appends(best.appendSixteen, run.appendSixteen),
    batchesSixteen: appends(best.batchesSixteen, run.batchesSixteen),
    replay: faster<StoreFigures['replay']>((f) => f.events)(best.replay, run.replay),
  }));
}
const thousands = (n: number): string => n.toLocaleString('en-US');
const ratio = (ours: number, theirs: number): string =>
  theirs > 0 ? `${(ours / theirs).toFixed(2)}×` : 'n/a';

function appendRow(what: string, backbone: AppendFigures, emmett: AppendFigures): string {
  const ours = perSecond(backbone.appends, backbone.seconds);
  const theirs = perSecond(emmett.appends, emmett.seconds);
  const events =
    backbone.events === backbone.appends
      ? ''
      : ` (${thousands(perSecond(backbone.events, backbone.seconds))} / ${thousands(
          perSecond(emmett.events, emmett.seconds),
        )} events/s)`;
  return `| ${what} | ${thousands(ours)} | ${thousands(theirs)} | ${ratio(ours, theirs)}${events} |`;
}

/** The figures as a Markdown section, dated. */
export function resultsTable(
  figures: Record<StoreName, StoreFigures>,
  run: { seconds: number; pageSize: number; rounds: number; machine: string },
): string {
  const { backbone, emmett } = figures;
  const replayed = (f: StoreFigures) => perSecond(f.replay.events, f.replay.seconds);
  const replayNote = ({ replay }: StoreFigures): string =>
    `${thousands(replay.unique)} distinct of ${thousands(replay.expected)} stored ` +
    `(${thousands(replay.expected - replay.unique)} missed), ` +
    `${thousands(replay.checked - replay.unique)} delivered twice`;
  return [
    `## ${new Date().toISOString()}`,
    '',
    `Machine: ${run.machine}.`,
    '',
    `Each append workload ran ${run.seconds} s; writers append to streams of their own with the`,
    `exact expected version; 16 connections per store; each store in its own database and`,
    `process. Best of ${run.rounds} rounds (alternating which store went first).`,
    '',
    '| workload | backbone /s | Emmett 0.42 /s | backbone ÷ Emmett |',
    '|---|---:|---:|---:|',
    appendRow('single-event appends, 1 writer', backbone.appendOne, emmett.appendOne),
    appendRow('single-event appends, 16 writers', backbone.appendSixteen, emmett.appendSixteen),
    appendRow('10-event appends, 16 writers', backbone.batchesSixteen, emmett.batchesSixteen),
    `| full replay, events/s (pages of ${run.pageSize}) | ${thousands(replayed(backbone))} | ${thousands(
      replayed(emmett),
    )} | ${ratio(replayed(backbone), replayed(emmett))} |`,
    '',
    `Replay: backbone ${replayNote(backbone)}; Emmett ${replayNote(emmett)}.`,
  ].join('\n');
}
