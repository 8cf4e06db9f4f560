import { Pool } from 'pg';
import { loadConfig } from '@backbone/config';
import { runVerifyCommand } from './verify-command';

// `npm run audit:verify [-- --json]`: whole-store hash-chain verification against DATABASE_URL.
async function main(): Promise<void> {
  const pool = new Pool({ connectionString: loadConfig().databaseUrl, max: 2 });
  try {
    process.exitCode = await runVerifyCommand(process.argv.slice(2), pool, {
      out: process.stdout,
      err: process.stderr,
    });
  } finally {
    await pool.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`audit:verify failed: ${String(error)}\n`);
  process.exit(2);
});
