import { runAuditCommand } from './audit-command';

// `npm run audit -- history <referralId> [--as-of …] --purpose …`: see audit-command.ts.
runAuditCommand(process.argv.slice(2), process.env, { out: process.stdout, err: process.stderr })
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    process.stderr.write(`audit failed: ${String(error)}\n`);
    process.exitCode = 1;
  });
