// The load and the end-of-test checks the fault tests share: referral commands sent as agency
// systems send them, and the backbone's promises checked afterwards from the outside.
import { Producer } from 'kafkajs';
import { Pool } from 'pg';
import { TopicNames } from '@backbone/contracts';
import { eventually } from '../eventually';
import { makeReferralCommand } from '../referral-commands';
import { TopicWatcher } from '../topic-watcher';

/** Sender → receiver pairs of the demo directory, with a category the receiver takes. */
const PAIRS: [string, string, string][] = [
  ['randers-school', 'randers-social', 'child-social-care'],
  ['redbridge-gp-team', 'redbridge-adult-social-care', 'adult-social-care'],
];
export const SENDERS = PAIRS.map(([from]) => from);

export interface SentCommand {
  id: string;
  from: string;
}

/**
 * Sends `count` new referrals, `perSend` at a time, retrying each send until the broker takes
 * it (as an agency system would while the broker restarts).
 */
export async function sendReferrals(
  producer: Producer,
  topics: TopicNames,
  count: number,
  { perSend = 20, pauseMs = 0 } = {},
): Promise<SentCommand[]> {
  const sent: SentCommand[] = [];
  for (let start = 0; start < count; start += perSend) {
    const batch = Array.from({ length: Math.min(perSend, count - start) }, (_, i) => {
      const [from, to, category] = PAIRS[(start + i) % PAIRS.length];
      const command = makeReferralCommand(from, to);
      command.data.category = category;
      return { from, command };
    });
    for (;;) {
      try {
        await producer.sendBatch({
          acks: -1,
          topicMessages: SENDERS.map((sender) => ({
            topic: topics.commands(sender),
            messages: batch
              .filter(({ from }) => from === sender)
              .map(({ command }) => ({ key: command.subject, value: JSON.stringify(command) })),
          })).filter((entry) => entry.messages.length),
        });
        break;
      } catch {
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    sent.push(...batch.map(({ from, command }) => ({ id: command.id, from })));
    if (pauseMs) await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  return sent;
}

/** The distinct outcome ids each command got on its sender's outcomes topic. */
function outcomesByCommand(watcher: TopicWatcher, topics: TopicNames): Map<string, Set<string>> {
  const outcomeTopics = new Set(SENDERS.map((sender) => topics.outcomes(sender)));
  const byCommand = new Map<string, Set<string>>();
  for (const record of watcher.records) {
    if (!outcomeTopics.has(record.topic) || !record.json) continue;
    const commandId = String(record.json.causationid);
    const ids = byCommand.get(commandId) ?? new Set<string>();
    ids.add(String(record.json.id));
    byCommand.set(commandId, ids);
  }
  return byCommand;
}

export interface PipelineTally {
  /** Event ids that reached `referrals.events` more than once (a redelivery, harmless). */
  republished: number;
}

/**
 * Waits until every command is answered, every stored event is on `referrals.events` and the
 * read model has caught up; then checks the promises: one outcome per command (a redelivered
 * answer is the same outcome), no event published that is not stored, and read models exactly
 * as the store says.
 */
export async function expectNothingLostNothingForged(
  sent: SentCommand[],
  watcher: TopicWatcher,
  topics: TopicNames,
  pool: Pool,
  timeoutMs = 120_000,
): Promise<PipelineTally> {
  await eventually(
    async () => {
      const answered = outcomesByCommand(watcher, topics);
      return sent.every(({ id }) => answered.has(id)) ? true : undefined;
    },
    `an outcome for each of ${sent.length} commands`,
    timeoutMs,
  );
  const storedIds = async () =>
    (await pool.query<{ event_id: string }>('SELECT event_id FROM events')).rows.map(
      (r) => r.event_id,
    );
  const published = () =>
    watcher.records.filter((r) => r.topic === topics.events).map((r) => String(r.json?.id));
  await eventually(
    async () => {
      const onKafka = new Set(published());
      return (await storedIds()).every((id) => onKafka.has(id)) ? true : undefined;
    },
    'every stored event on referrals.events',
    timeoutMs,
  );
  await eventually(
    async () => {
      const { rows } = await pool.query<{ behind: string }>(`
        SELECT count(*) AS behind FROM streams s
        LEFT JOIN referral_views v ON s.stream_id = 'referral-' || v.referral_id
        WHERE s.category = 'referral' AND (v.referral_id IS NULL OR v.stream_version <> s.version)`);
      return rows[0].behind === '0' ? true : undefined;
    },
    'the read model caught up with the store',
    timeoutMs,
  );

  const answered = outcomesByCommand(watcher, topics);
  const twoOutcomes = sent.filter(({ id }) => (answered.get(id)?.size ?? 0) !== 1);
  expect(twoOutcomes).toEqual([]);
  const accepted = watcher.records.filter(
    (r) => r.json?.type === 'command.accepted' && sent.some(({ id }) => id === r.json?.causationid),
  );
  expect(new Set(accepted.map((r) => r.json?.causationid)).size).toBe(sent.length);
  const stored = new Set(await storedIds());
  const forged = published().filter((id) => !stored.has(id));
  expect(forged).toEqual([]);
  const { rows } = await pool.query<{ made: string; views: string }>(`
    SELECT (SELECT count(*) FROM events WHERE event_type = 'referral.made.v1') AS made,
           (SELECT count(*) FROM referral_views) AS views`);
  expect(Number(rows[0].made)).toBe(sent.length);
  expect(Number(rows[0].views)).toBe(sent.length);
  const ids = published();
  return { republished: ids.length - new Set(ids).size };
}
