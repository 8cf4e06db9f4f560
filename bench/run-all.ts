// `npm run bench [-- --quick]`: every benchmark that needs no extra setup, one after the other,
// each in its own process with the same arguments: the pipeline, the projection rebuild, then
// the audit API, the insights' flows query, then webhook latency.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Each benchmark, with the Node.js flags it needs (as its own npm script gives them). */
const BENCHES: [string, string[]][] = [
  ['pipeline/pipeline.bench.js', []],
  ['projections/rebuild.bench.js', []],
  // Collects what loading left in its heap before the audit API starts (see the benchmark).
  ['audit/audit.bench.js', ['--expose-gc']],
  ['insights/flows.bench.js', []],
  ['webhooks/webhook-latency.bench.js', []],
];

for (const [bench, nodeFlags] of BENCHES) {
  process.stderr.write(`[bench] === ${bench} ===\n`);
  const { status } = spawnSync(
    process.execPath,
    [...nodeFlags, join(__dirname, bench), ...process.argv.slice(2)],
    {
      stdio: 'inherit',
    },
  );
  if (status !== 0) {
    process.stderr.write(`[bench] ${bench} failed (exit ${status})\n`);
    process.exit(status ?? 1);
  }
}
