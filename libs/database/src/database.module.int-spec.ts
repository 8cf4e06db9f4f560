// The process's two pools: the main one, and the small one whose connections pipeline.
import { Test } from '@nestjs/testing';
import { Pool, QueryConfig } from 'pg';
import { ConfigModule } from '@backbone/config';
import { TestDatabase, createTestDatabase, testConfig } from '@backbone/testing/test-stack';
import { DatabaseModule, PIPELINED_POOL } from './database.module';
import { inPipelinedTransaction } from './transaction';

describe('DatabaseModule', () => {
  let database: TestDatabase;
  let close: () => Promise<void>;
  let pool: Pool;
  let pipelined: Pool;

  beforeAll(async () => {
    database = await createTestDatabase();
    const app = await Test.createTestingModule({
      imports: [ConfigModule.forRoot(testConfig(database.url)), DatabaseModule],
    }).compile();
    await app.init();
    pool = app.get(Pool);
    pipelined = app.get(PIPELINED_POOL);
    close = () => app.close();
  });
  afterAll(async () => {
    await close();
    await database.drop();
  });

  // node-postgres refuses a portal kept open across round trips on a pipelining connection only
  // (reading `rows` at a time; its typings do not list the option).
  const readInSteps = (target: Pool) =>
    target.query({ text: 'SELECT 1 AS one', rows: 1 } as QueryConfig);

  it('gives a pipelining pool beside the main one', async () => {
    await expect(readInSteps(pool)).resolves.toMatchObject({ rows: [{ one: 1 }] });
    await expect(readInSteps(pipelined)).rejects.toThrow(/pipeline mode/);
  });

  it('connects with JIT compilation off, in both pools', async () => {
    for (const target of [pool, pipelined]) {
      const { rows } = await target.query<{ jit: string }>('SHOW jit');
      expect(rows[0].jit).toBe('off');
    }
  });

  it('rolls back a pipelined transaction whole when one of its statements fails', async () => {
    await pool.query('CREATE TABLE pipelined_writes (n int PRIMARY KEY)');
    const attempt = inPipelinedTransaction(pipelined, async (client) => {
      const sent = await Promise.allSettled([
        client.query('INSERT INTO pipelined_writes VALUES (1)'),
        client.query('INSERT INTO pipelined_writes VALUES (1)'),
        client.query('INSERT INTO pipelined_writes VALUES (2)'),
      ]);
      expect(sent.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected']);
      throw (sent[1] as PromiseRejectedResult).reason;
    });
    await expect(attempt).rejects.toThrow(/duplicate key/);
    expect((await pool.query('SELECT count(*)::int AS n FROM pipelined_writes')).rows[0].n).toBe(0);
    // The connection is back in the pool, usable.
    await inPipelinedTransaction(pipelined, (client) =>
      client.query('INSERT INTO pipelined_writes VALUES (3)'),
    );
    expect((await pool.query('SELECT n FROM pipelined_writes')).rows).toEqual([{ n: 3 }]);
  });
});
