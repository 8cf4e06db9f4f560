import { runCheckExport } from './check-export-command';

// `npm run audit:check-export -- <bundle.json> [--public-key …]`: offline; needs no backbone.
try {
  process.exitCode = runCheckExport(process.argv.slice(2), {
    out: process.stdout,
    err: process.stderr,
  });
} catch (error) {
  process.stderr.write(`audit:check-export failed: ${String(error)}\n`);
  process.exitCode = 1;
}
