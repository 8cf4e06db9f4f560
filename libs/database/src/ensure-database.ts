import { Client } from 'pg';

/** Runs `work` with a connection to the server's `postgres` database, and the named database. */
async function asAdministrator<T>(
  databaseUrl: string,
  work: (admin: Client, name: string, quotedName: string) => Promise<T>,
): Promise<T> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  const admin = new Client({ connectionString: url.toString() });
  await admin.connect();
  try {
    // Identifiers cannot be bound as parameters; quote it the way PostgreSQL does.
    return await work(admin, name, `"${name.replace(/"/g, '""')}"`);
  } finally {
    await admin.end();
  }
}

/** Creates the database named in `databaseUrl` when it does not exist yet. */
export async function ensureDatabase(databaseUrl: string): Promise<void> {
  await asAdministrator(databaseUrl, async (admin, name, quotedName) => {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (rowCount) return;
    await admin.query(`CREATE DATABASE ${quotedName}`).catch((error: { code?: string }) => {
      if (error.code !== '42P04') throw error; // created meanwhile by another process
    });
  });
}

/**
 * Drops the database, once the connections still leaving it have gone. A pool's end() resolves
 * once it has asked its connections to close, not once the server has let them go; forcing the
 * drop at that moment would cut them mid-close, and their pool (already without an error
 * listener) would throw. The name comes from the URL: only for databases the caller made.
 */
export async function dropDatabase(databaseUrl: string): Promise<void> {
  await asAdministrator(databaseUrl, async (admin, name, quotedName) => {
    for (let waited = 0; waited < 5_000; waited += 50) {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS ${quotedName} WITH (FORCE)`);
  });
}
