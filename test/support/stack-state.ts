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
