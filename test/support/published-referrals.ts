// Records as the publisher puts them on `referrals.events`, for tests of the projector that
// feed its topic directly.
import { randomUUID } from 'node:crypto';
import { Kafka, logLevel } from 'kafkajs';

/** A `referral.made.v1` event of the referral `referralId`, as a CloudEvent record value. */
export const referralMade = (referralId: string) => ({
  specversion: '1.0',
  id: randomUUID(),
  source: 'backbone/event-store',
  type: 'referral.made.v1',
  time: new Date('2025-01-01T10:00:00Z').toISOString(),
  subject: referralId,
  data: {
    referralId,
    from: 'randers-school',
    to: 'randers-social',
    category: 'child-social-care',
    priority: 'urgent',
    decisionDueBy: '2025-01-02T10:00:00Z',
  },
  streamversion: 1,
});

/** Publishes a referral.made for each id (new ones when only a count is given); returns the ids. */
export async function publishReferralsMade(
  brokers: string[],
  topic: string,
  count: number,
  ids: string[] = Array.from({ length: count }, randomUUID),
): Promise<string[]> {
  const producer = new Kafka({ brokers, logLevel: logLevel.NOTHING }).producer();
  await producer.connect();
  try {
    await producer.send({
      topic,
      messages: ids.map((id) => ({
        key: `referral-${id}`,
        value: JSON.stringify(referralMade(id)),
      })),
    });
  } finally {
    await producer.disconnect();
  }
  return ids;
}
