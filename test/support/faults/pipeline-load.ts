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
/** Every agency of the load, senders and receivers: whose inboxes the checks read. */
export const PARTIES = PAIRS.flatMap(([from, to]) => [from, to]);

export interface SentCommand {
  id: string;
  from: string;
}

/**
 * Sends `count` new referrals, `perSend` at a time, retrying each send until the broker takes
 * it (as an agency system would while the broker restarts), for at most `retryForMs` per send:
 * past that it throws, so that a test whose backbone never recovers fails instead of hanging.
 */
export async function sendReferrals(
  producer: Producer,
  topics: TopicNames,
  count: number,
  {
    perSend = 20,
    pauseMs = 0,
    onSent,
    retryForMs = 180_000,
  }: {
    perSend?: number;
    pauseMs?: number;
    onSent?: (batch: SentCommand[]) => void;
    retryForMs?: number;
  } = {},
): Promise<SentCommand[]> {
  const sent: SentCommand[] = [];
  for (let start = 0; start < count; start += perSend) {
    const batch = Array.from({ length: Math.min(perSend, count - start) }, (_, i) => {
      const [from, to, category] = PAIRS[(start + i) % PAIRS.length];
      const command = makeReferralCommand(from, to);
      command.data.category = category;
      return { from, command };
    });
    const givingUpAt = Date.now() + retryForMs;
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
      } catch (error) {
        if (Date.now() > givingUpAt)
          throw new Error(`no send taken for ${retryForMs} ms: ${String(error)}`);
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
    }
    const taken = batch.map(({ from, command }) => ({ id: command.id, from }));
    sent.push(...taken);
    onSent?.(taken);
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

/**
 * Every stored event is on the inbox of each of its parties (the publisher's routing), and
 * nothing is on an inbox that is not stored. Returns how many inbox copies were checked.
 */
export async function expectInboxesComplete(
  watcher: TopicWatcher,
  topics: TopicNames,
  pool: Pool,
  timeoutMs = 120_000,
): Promise<number> {
  const { rows } = await pool.query<{ event_id: string; parties: unknown }>(
    `SELECT event_id, metadata->'parties' AS parties FROM events`,
  );
  const wanted = rows.flatMap(({ event_id, parties }) =>
    (Array.isArray(parties) ? parties : []).map(
      (party) => `${topics.inbox(String(party))} ${event_id}`,
    ),
  );
  const inboxTopics = new Set(PARTIES.map((party) => topics.inbox(party)));
  const onInboxes = () =>
    new Set(
      watcher.records
        .filter((r) => inboxTopics.has(r.topic))
        .map((r) => `${r.topic} ${String(r.json?.id)}`),
    );
  await eventually(
    async () => (wanted.every((copy) => onInboxes().has(copy)) ? true : undefined),
    `${wanted.length} inbox copies of the stored events`,
    timeoutMs,
  );
  const stored = new Set(rows.map((r) => r.event_id));
  const strays = [...onInboxes()].filter((copy) => !stored.has(copy.split(' ')[1]));
  expect(strays).toEqual([]);
  return wanted.length;
}

/** What agencies saw of an outage: the outcomes' broker append times around it. */
export interface OutageFigures {
  /** The longest time between two consecutive outcomes while commands were being sent. */
  longestGapMs: number;
  /** When that gap began, relative to the fault (negative: before it). */
  gapStartsMs: number;
  /** Commands whose outcome was appended between the fault and its end (each counted once). */
  answeredDuringOutage: number;
  outcomes: number;
}

export function outageFigures(
  watcher: TopicWatcher,
  topics: TopicNames,
  sent: SentCommand[],
  faultAt: number,
  faultEnd: number,
): OutageFigures {
  const outcomeTopics = new Set(SENDERS.map((sender) => topics.outcomes(sender)));
  const ids = new Set(sent.map(({ id }) => id));
  const outcomes = watcher.records.filter(
    (r) => outcomeTopics.has(r.topic) && ids.has(String(r.json?.causationid)),
  );
  const times = outcomes.map((r) => r.timestamp).sort((a, b) => a - b);
  let longestGapMs = 0;
  let gapStart = times[0] ?? faultAt;
  for (let i = 1; i < times.length; i++) {
    if (times[i] - times[i - 1] > longestGapMs) {
      longestGapMs = times[i] - times[i - 1];
      gapStart = times[i - 1];
    }
  }
  return {
    longestGapMs,
    gapStartsMs: gapStart - faultAt,
    answeredDuringOutage: new Set(
      outcomes
        .filter((r) => r.timestamp >= faultAt && r.timestamp <= faultEnd)
        .map((r) => String(r.json?.causationid)),
    ).size,
    outcomes: times.length,
  };
}
