// How large a record each backbone topic must take (its `max.message.bytes`), from the largest
// record the backbone can write to it; and how a dead-letter copy is cut to fit.
import { MAX_ENVELOPE_BYTES } from '@backbone/contracts';

const KiB = 1024;
const MiB = 1024 * KiB;

/**
 * An upper bound on one event record, as the publisher writes it. An event comes from a command
 * of at most MAX_ENVELOPE_BYTES; its personal fields are sealed, each as
 * `pd1.<36-char key id>.` + base64url(12-byte nonce ‖ ciphertext ‖ 16-byte tag), so the sealed
 * part grows by 4/3 plus about 80 bytes a field; re-serialising can write some values out
 * longer (a number `1e9` as `1000000000`). Twice the command, plus the envelope's own attributes
 * and the record's key and headers, bounds it with room to spare (the spec checks it against a
 * sealed worst case). Inbox copies hold the same event opened, which is smaller.
 */
export const EVENT_RECORD_BOUND_BYTES = 2 * MAX_ENVELOPE_BYTES + 16 * KiB;

/**
 * `max.message.bytes` of every topic the backbone itself writes (events, inboxes, outcomes):
 * several times EVENT_RECORD_BOUND_BYTES, so that no event the store holds can be refused by
 * Kafka (DESIGN invariant 2), whatever a future event type adds.
 */
export const BACKBONE_TOPIC_MAX_MESSAGE_BYTES = 4 * MiB;

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
