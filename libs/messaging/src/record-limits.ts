// How large a record each backbone topic must take (its `max.message.bytes`), from the largest
// record the backbone can write to it; and how a dead-letter copy is cut to fit.
import { MAX_ENVELOPE_BYTES } from '@backbone/contracts';
import { MAX_EVENT_BYTES } from '@backbone/event-store';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * An upper bound on one event record as the publisher writes it. The store refuses an event
 * whose data and metadata take more than MAX_EVENT_BYTES (its personal fields already sealed:
 * `pd1.<key id>.` + base64url(nonce ‖ ciphertext ‖ tag), 4/3 of the plaintext and about 80
 * bytes more a field), and has done since its first version. The record is that data, the
 * envelope attributes taken from the metadata, the fixed attributes (id, type, time, subject,
 * positions: a few hundred bytes; the store's names, the stream id among them, are at most 255
 * characters), the key (the stream id again) and headers (ids, type, trace context): 8 KiB
 * covers those many times over. Inbox copies hold the same event opened, smaller than sealed.
 */
export const EVENT_RECORD_BOUND_BYTES = MAX_EVENT_BYTES + 8 * KiB;

/**
 * An upper bound on one outcome record: the answer to a command of at most MAX_ENVELOPE_BYTES,
 * which may echo parts of it (a rejection names the fields it refuses), so twice the command
 * bounds it once its error list is capped.
 */
export const OUTCOME_RECORD_BOUND_BYTES = 2 * MAX_ENVELOPE_BYTES + 16 * KiB;

/**
 * `max.message.bytes` of every topic the backbone itself writes (events, inboxes, outcomes):
 * several times EVENT_RECORD_BOUND_BYTES and OUTCOME_RECORD_BOUND_BYTES, so that no event the
 * store holds can be refused by Kafka (DESIGN invariant 2), even if the store's limit grows.
 */
export const BACKBONE_TOPIC_MAX_MESSAGE_BYTES = 4 * MiB;
// A topic's `max.message.bytes` overrides the broker's `message.max.bytes`, and replication
// fetches a batch larger than `replica.fetch.max.bytes` whole (KIP-74): no broker setting needs
// raising for these limits (topic-admin.int-spec proves it on a broker with default settings).

/**
 * Command topics take records well over the contract's 256 KiB limit, so that an oversized
 * command reaches the backbone and is answered TOO_LARGE instead of being refused by the broker
 * with no answer.
 */
export const COMMAND_TOPIC_MAX_MESSAGE_BYTES = 4 * MiB + 64 * KiB;

/** The dead-letter topic takes whatever the command topics took, with its own headers. */
export const DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES = 5 * MiB;

/**
 * The most bytes of a raw record's value a dead letter carries: the topic's limit less room for
 * the key (a command topic's key is small, but the limit must hold whatever it is), the
 * `dlq-*` headers and the record batch's overhead.
 */
export const DEAD_LETTER_VALUE_MAX_BYTES = DEAD_LETTER_TOPIC_MAX_MESSAGE_BYTES - 256 * KiB;

/**
 * A dead letter's value cut to fit its topic: `truncated` says it was cut (the copy then keeps
 * the first DEAD_LETTER_VALUE_MAX_BYTES bytes, enough to see what was sent and by whom).
 */
export function fitDeadLetterValue(value: Buffer): { value: Buffer; truncated: boolean } {
  if (value.length <= DEAD_LETTER_VALUE_MAX_BYTES) return { value, truncated: false };
  return { value: value.subarray(0, DEAD_LETTER_VALUE_MAX_BYTES), truncated: true };
}

/**
 * What the producers put in one partition's record batch of one request: well under a broker's
 * default `message.max.bytes` (1 MiB), so that batching never needs more than the broker's
 * default even on a topic whose limit was not raised; only a record larger than this by itself
 * needs the topic's raised limit, and it is sent alone.
 */
export const PRODUCE_BATCH_BUDGET_BYTES = 896 * KiB;

/** What one produce request carries in all, far under a broker's `socket.request.max.bytes`. */
export const PRODUCE_REQUEST_BUDGET_BYTES = 16 * MiB;
