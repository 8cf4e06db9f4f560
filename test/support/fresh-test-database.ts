// A test file's own migrated database with a pool on it, in one call: the beforeAll that clones
// it and the afterAll that closes what holds connections to it and drops it.
import { Pool } from 'pg';
import { filledLater } from './filled-later';
import { TestDatabase, createTestDatabase } from './test-stack';

export interface FreshTestDatabase {
  /** For what opens connections of its own (an application, a second pool, a client). */
  readonly url: string;
  readonly pool: Pool;
  /**
   * Has afterAll run `close` before the pool ends and the database is dropped, last registered
   * first: afterAll hooks run in the order they were registered, so a spec's own would come
   * only after the drop.
   */
  closeBeforeDrop: (close: () => Promise<void>) => void;
}

export interface FreshTestDatabaseOptions<T> {
  /** The pool's size; pg's default (10) when unset. */
  maxConnections?: number;
  /** What the tests use, built over the database once it exists; its fields join the handle. */
  over?: (database: FreshTestDatabase) => T | Promise<T>;
}

/** Registers this file's database set-up and tear-down; the handle is filled before the tests run. */
export function freshTestDatabase<T extends object = Record<never, never>>(
  options: FreshTestDatabaseOptions<T> = {},
): FreshTestDatabase & T {
  const { handle, fill } = filledLater<FreshTestDatabase & T>('the fresh test database');
  const closers: (() => Promise<void>)[] = [];
  let database: TestDatabase | undefined;
  let pool: Pool | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    pool = new Pool({ connectionString: database.url, max: options.maxConnections });
    const base: FreshTestDatabase = {
      url: database.url,
      pool,
      closeBeforeDrop: (close) => void closers.push(close),
    };
    const built = options.over ? await options.over(base) : undefined;
    fill(Object.assign(base, built));
  });
  afterAll(async () => {
    try {
      for (const close of closers.reverse()) await close();
    } finally {
      await pool?.end();
      await database?.drop();
    }
  });
  return handle;
}
