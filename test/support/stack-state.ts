import { Client } from 'pg';

export const TEMPLATE_DATABASE_ENV = 'TEST_TEMPLATE_DATABASE';

/** What global setup started, for global teardown (both run in jest's parent process). */
export const stackState: { stopKafka?: () => Promise<void>; templateUrl?: string } = ((
  globalThis as {
    __backboneStack?: { stopKafka?: () => Promise<void>; templateUrl?: string };
  }
).__backboneStack ??= {});

export function databaseUrlFor(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

function maintenanceUrl(databaseUrl: string): string {
  return databaseUrlFor(databaseUrl, 'postgres');
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.slice(1));
  const admin = new Client({ connectionString: maintenanceUrl(databaseUrl) });
  await admin.connect();
  try {
    // A pool's end() resolves once it has asked its connections to close, not once the server
    // has let them go; forcing the drop at that moment would cut them mid-close, and their
    // pool (already without an error listener) would throw. So let them leave first.
    for (let waited = 0; waited < 5_000; waited += 50) {
      const { rows } = await admin.query<{ n: number }>(
        'SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
      if (rows[0].n === 0) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export async function cloneDatabase(templateUrl: string, name: string): Promise<string> {
  const template = decodeURIComponent(new URL(templateUrl).pathname.slice(1));
  const admin = new Client({ connectionString: maintenanceUrl(templateUrl) });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  } finally {
    await admin.end();
  }
  return databaseUrlFor(templateUrl, name);
}
