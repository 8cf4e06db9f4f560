// The raw ceilings the pipeline is compared with, measured on the same machine in the same run.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { Pool } from 'pg';

/** kafkajs produce (acks=all, idempotent, batches of `batch`) → consumer group, messages/s. */
export async function kafkaCeiling(
  brokers: string[],
  count: number,
  value: string,
  batch: number,
): Promise<number> {
  const kafka = new Kafka({ brokers, clientId: 'bench-ceiling', logLevel: logLevel.NOTHING });
  const topic = `bench-ceiling-${randomUUID()}`;
  const admin = kafka.admin();
  await admin.connect();
  await admin.createTopics({ topics: [{ topic, numPartitions: 3 }], waitForLeaders: true });
  await admin.disconnect();
  const consumer = kafka.consumer({ groupId: `bench-${randomUUID()}`, maxWaitTimeInMs: 100 });
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let received = 0;
  const done = new Promise<void>((resolve) => {
    void consumer.run({
      eachBatch: async ({ batch: fetched }) => {
        received += fetched.messages.length;
        if (received >= count) resolve();
      },
    });
  });
  const producer = kafka.producer({ idempotent: true, maxInFlightRequests: 1 });
  await producer.connect();
  await new Promise((r) => setTimeout(r, 1_000)); // let the group settle before timing
  const started = performance.now();
  for (let sent = 0; sent < count; sent += batch) {
    const messages = Array.from({ length: Math.min(batch, count - sent) }, (_, i) => ({
      key: String(sent + i),
      value,
    }));
    await producer.send({ topic, acks: -1, messages });
  }
  await done;
  const seconds = (performance.now() - started) / 1000;
  await producer.disconnect();
  await consumer.disconnect();
  return count / seconds;
}

/** Single-row INSERT transactions per second from `clients` concurrent connections. */
export async function postgresCeiling(
  databaseUrl: string,
  clients: number,
  seconds: number,
): Promise<number> {
  const pool = new Pool({ connectionString: databaseUrl, max: clients });
  await pool.query(
    'CREATE TABLE IF NOT EXISTS bench_ceiling (id bigserial PRIMARY KEY, body jsonb NOT NULL)',
  );
  const deadline = performance.now() + seconds * 1000;
  let inserts = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (performance.now() < deadline) {
        await pool.query({
          name: 'bench-insert',
          text: 'INSERT INTO bench_ceiling (body) VALUES ($1)',
          values: ['{"a":1}'],
        });
        inserts++;
      }
    }),
  );
  const rate = inserts / ((performance.now() - started) / 1000);
  await pool.query('DROP TABLE bench_ceiling');
  await pool.end();
  return rate;
}
