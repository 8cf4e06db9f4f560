// Whose fault a failure is decides what a consumer does with the record in hand:
// - transient (the database or broker is down, busy, restarting): wait and try the same again;
// - systemic (the schema, a privilege or the broker's settings are wrong): every record would
//   fail alike, so quarantining or rejecting record after record would be wrong: retry, visibly,
//   until an operator mends it;
// - the record's own (a value PostgreSQL refuses, a record Kafka refuses, a shape the code did
//   not foresee): trying again fails the same way for ever, so the record is isolated (answered,
//   dead-lettered or quarantined) and the stage goes on. Pure: no I/O.

/** SQLSTATE classes that say nothing about the statement: connection (08), insufficient
 * resources (53), operator intervention (57: shutdown, cancel), system error (58). */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58']);
/** Serialization failure, deadlock, lock not available: the same work may pass next time. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01', '55P03']);
/** Node's socket errors for a peer that is down, unreachable or slow. */
const TRANSIENT_SYSTEM_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNABORTED',
]);
/** node-postgres' own messages (no code) for a pool or connection that gave up. */
const TRANSIENT_PG_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection timeout/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /query read timeout/i,
];
/**
 * SQLSTATE classes that say the schema or the server is wrong, not the record: invalid
 * authorization (28), syntax or access rule (42: a missing table or column, no privilege),
 * invalid catalog or schema name (3D, 3F), object not in prerequisite state (55), internal (XX).
 */
const SYSTEMIC_SQLSTATE_CLASSES = new Set(['28', '42', '3D', '3F', '55', 'XX']);
/** Kafka's refusals of the record itself, not of the moment or of the client. */
const KAFKA_RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
]);
/** How far down `cause` / `originalError` chains are followed (a wrapped fault is still one). */
const MAX_CAUSE_DEPTH = 5;

interface FaultFields {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  type?: unknown;
  retriable?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

/** The error and what it wraps (kafkajs: `originalError`; others: `cause`, AggregateError). */
function faultsIn(error: unknown, depth = 0): FaultFields[] {
  if (typeof error !== 'object' || error === null || depth > MAX_CAUSE_DEPTH) return [];
  const fault = error as FaultFields;
  const inner = error instanceof AggregateError ? (error.errors as unknown[]) : [];
  return [
    fault,
    ...inner.flatMap((e) => faultsIn(e, depth + 1)),
    ...faultsIn(fault.originalError ?? fault.cause, depth + 1),
  ];
}

const sqlState = ({ code }: FaultFields): string | undefined =>
  typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;

const isKafkaError = ({ name }: FaultFields): boolean =>
  typeof name === 'string' && name.startsWith('KafkaJS');

const isKafkaRecordRefusal = ({ type }: FaultFields): boolean =>
  typeof type === 'string' && KAFKA_RECORD_REFUSALS.has(type);

function isTransientOne(fault: FaultFields): boolean {
  const state = sqlState(fault);
  if (state)
    return TRANSIENT_SQLSTATES.has(state) || TRANSIENT_SQLSTATE_CLASSES.has(state.slice(0, 2));
  const { code, name, message, retriable } = fault;
  if (typeof code === 'string' && TRANSIENT_SYSTEM_CODES.has(code)) return true;
  if (name === 'AbortError') return true;
  // kafkajs marks each of its errors retriable or not.
  if (isKafkaError(fault) && retriable === true) return true;
  return typeof message === 'string' && TRANSIENT_PG_MESSAGES.some((p) => p.test(message));
}

/**
 * True for a fault that may pass by itself: PostgreSQL unreachable, restarting, out of
 * connections or resources, a serialization failure or deadlock; a socket refused, reset or
 * timed out; a pool timeout; a kafkajs error marked retriable (also when kafkajs gave up
 * retrying it). Anything else is not transient: trying the same work again fails the same way.
 */
export function isTransientFault(error: unknown): boolean {
  const faults = faultsIn(error);
  if (faults.some(isKafkaRecordRefusal)) return false;
  return faults.some(isTransientOne);
}

/**
 * True for a fault that is not transient but is not the record's either: every record would
 * fail the same way (a migration not run, a privilege or an ACL revoked, a broker refusing the
 * client). A consumer must not isolate record after record for it.
 */
export function isSystemicFault(error: unknown): boolean {
  const faults = faultsIn(error);
  if (faults.some(isKafkaRecordRefusal)) return false;
  return faults.some((fault) => {
    const state = sqlState(fault);
    if (state) return SYSTEMIC_SQLSTATE_CLASSES.has(state.slice(0, 2));
    return isKafkaError(fault);
  });
}

/** The failure is the record's own: isolate the record, and go on with the others. */
export const isFaultOfTheRecord = (error: unknown): boolean =>
  !isTransientFault(error) && !isSystemicFault(error);
