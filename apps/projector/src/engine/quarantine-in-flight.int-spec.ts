// The quarantine while the projector is busy: records keep arriving on three partitions, in
// groups that span partitions and overlap their commits, and one record in the middle cannot
// be applied. Every other record is applied exactly once, the bad one is quarantined once, and
// every partition's offset ends past its last record.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';
import { register } from 'prom-client';
import { eventually } from '@backbone/testing/eventually';
import { referralMade } from '@backbone/testing/published-referrals';
import { projectorTestBed } from '@backbone/testing/projector-test-bed';

const SENDS = 6;
const PER_SEND = 50;

describe('quarantine while records keep arriving on several partitions', () => {
  const bed = projectorTestBed('quarantine-in-flight', { eventPartitions: 3 });

  it('applies every other record once and quarantines the bad one once', async () => {
    const consumer = bed.newConsumer();
    await consumer.onApplicationBootstrap();
    const producer = new Kafka({
      brokers: bed.settings.kafkaBrokers,
      logLevel: logLevel.NOTHING,
    }).producer();
    await producer.connect();
    const valid: string[] = [];
    const hostile = referralMade(randomUUID());
    hostile.data.decisionDueBy = '2099-01-01T00:00:00+20:00';
    try {
      for (let send = 0; send < SENDS; send++) {
        const events = Array.from({ length: PER_SEND }, () => referralMade(randomUUID()));
        valid.push(...events.map((e) => e.subject));
        if (send === SENDS / 2) events.splice(PER_SEND / 2, 0, hostile);
        await producer.send({
          topic: bed.topics.events,
          messages: events.map((e) => ({ key: `referral-${e.subject}`, value: JSON.stringify(e) })),
        });
        await new Promise((r) => setTimeout(r, 50));
      }
      const sent = SENDS * PER_SEND + 1;
      await eventually(async () => {
        const { rows } = await bed.pool.query<{ n: string }>(
          'SELECT coalesce(sum(next_offset), 0)::text AS n FROM projector_offsets WHERE topic = $1',
          [bed.topics.events],
        );
        return Number(rows[0].n) === sent ? true : undefined;
      }, `every partition past its last record (${sent} in all)`);
    } finally {
      await producer.disconnect();
      await consumer.onApplicationShutdown();
    }
    const { rows: views } = await bed.pool.query<{ referral_id: string }>(
      'SELECT referral_id FROM referral_views',
    );
    expect(views.map((v) => v.referral_id).sort()).toEqual([...valid].sort());
    const { rows: quarantined } = await bed.pool.query(
      "SELECT event_id, attempts FROM quarantined_events WHERE consumer = 'projector'",
    );
    expect(quarantined).toEqual([{ event_id: hostile.id, attempts: 1 }]);
    // Counted once each: no record applied twice, whether in its group or taken apart.
    const applied = register.getSingleMetric('projector_events_applied_total');
    const values = applied ? (await applied.get()).values : [];
    expect(values.find((v) => v.labels.model === 'referral-views')?.value).toBe(valid.length);
  });
});
