// A record of the dead-letter topic as a row PostgreSQL will take, whatever it holds. Anyone who
// reaches the broker can write to that topic (while KAFKA_AUTH=none): a header's bytes are not
// trusted to be UTF-8 without NUL, a source to be a real place on a real topic, a timestamp to
// be a date PostgreSQL can store. What is not usable is left out, or cleaned and cut, never
// allowed to fail the insert (which would stop the copier on that record for good).
import type { IHeaders, KafkaMessage } from 'kafkajs';
import { derivedUuid } from '@backbone/domain';
import { DeadLetterPreview, PreviewContext, maskedPreview } from './dead-letter-preview';
import type { NewDeadLetter } from './dead-letters.store';

/** The headers the sector service puts on a dead letter (its command consumer). */
export const DEAD_LETTER_HEADERS = {
  reason: 'dlq-reason',
  sourceTopic: 'dlq-source-topic',
  sourcePartition: 'dlq-source-partition',
  sourceOffset: 'dlq-source-offset',
} as const;

/** The most characters of a reason kept: the sector service's reasons are one line. */
export const MAX_REASON_CHARS = 2000;
/** NUL, and a surrogate that is not half of a pair. */
const NOT_STORABLE =
  // eslint-disable-next-line no-control-regex -- NUL is what it is for
  /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const NO_REASON = 'unknown (no dlq-reason header)';
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;
const MAX_INT4 = 2_147_483_647;
const MAX_INT8 = 9_223_372_036_854_775_807n;
/** PostgreSQL's timestamptz reaches year 294276; JavaScript's Date year 275760. */
const MAX_TIME_MS = 8.64e15;

/** A dead letter's id: the same record on the dead-letter topic always gets the same one. */
export const deadLetterIdOf = (topic: string, partition: number, offset: string): string =>
  derivedUuid('dead-letter', `${topic}:${partition}:${offset}`);

/**
 * Text PostgreSQL's `text` and `jsonb` take: no NUL, no lone surrogate (each becomes U+FFFD),
 * at most `max` characters.
 */
export function storableText(text: string, max: number): string {
  const cut = text.length > max ? `${text.slice(0, max)}… (cut from ${text.length} chars)` : text;
  return cut.replace(NOT_STORABLE, '\uFFFD');
}

const header = (headers: IHeaders | undefined, name: string): string | undefined => {
  const value = headers?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? undefined : first.toString();
};

function sourceOf(headers: IHeaders | undefined): NewDeadLetter['source'] {
  const topic = header(headers, DEAD_LETTER_HEADERS.sourceTopic);
  const partition = header(headers, DEAD_LETTER_HEADERS.sourcePartition);
  const offset = header(headers, DEAD_LETTER_HEADERS.sourceOffset);
  if (topic === undefined || partition === undefined || offset === undefined) return undefined;
  if (!TOPIC_NAME.test(topic) || !/^[0-9]{1,10}$/.test(partition) || !/^[0-9]{1,19}$/.test(offset))
    return undefined;
  if (Number(partition) > MAX_INT4 || BigInt(offset) > MAX_INT8) return undefined;
  return { topic, partition: Number(partition), offset };
}

/** When the record was written, or `now` when its timestamp is no date PostgreSQL stores. */
function timeOf(timestamp: string, now: Date): Date {
  const ms = /^[0-9]{1,16}$/.test(timestamp) ? Number(timestamp) : NaN;
  return ms <= MAX_TIME_MS ? new Date(ms) : now;
}

/** The masked preview; a value it cannot take apart shows only its size. */
function previewOf(value: Buffer | null, context: PreviewContext): DeadLetterPreview {
  try {
    return maskedPreview(value, context);
  } catch {
    return { format: 'not-json', bytes: value?.length ?? 0 };
  }
}

/** The row for one record of the dead-letter topic. */
export function deadLetterOf(
  topic: string,
  partition: number,
  message: KafkaMessage,
  context: PreviewContext,
  now = new Date(),
): NewDeadLetter {
  const source = sourceOf(message.headers);
  const reason = header(message.headers, DEAD_LETTER_HEADERS.reason);
  return {
    deadLetterId: deadLetterIdOf(topic, partition, message.offset),
    topic,
    partition,
    offset: message.offset,
    ...(source ? { source } : {}),
    reason: reason === undefined ? NO_REASON : storableText(reason, MAX_REASON_CHARS),
    key: message.key,
    value: message.value,
    preview: previewOf(message.value, context),
    deadLetteredAt: timeOf(message.timestamp, now),
  };
}

/**
 * The least of a record that is still worth keeping, for when its full row was refused: where it
 * is, its bytes (bytea takes any) and why the rest is missing.
 */
export function bareDeadLetterOf(
  topic: string,
  partition: number,
  message: KafkaMessage,
  why: string,
  now = new Date(),
): NewDeadLetter {
  return {
    deadLetterId: deadLetterIdOf(topic, partition, message.offset),
    topic,
    partition,
    offset: message.offset,
    reason: storableText(`could not be copied in full (${why})`, MAX_REASON_CHARS),
    key: message.key,
    value: message.value,
    preview: { format: 'not-json', bytes: message.value?.length ?? 0 },
    deadLetteredAt: now,
  };
}
