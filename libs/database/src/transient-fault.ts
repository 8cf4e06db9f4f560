// Whether an error is a passing fault of the infrastructure (worth waiting for and trying the
// same work again) rather than something about the work itself (which fails the same way every
// time, and must be isolated: answered, dead-lettered or quarantined). Pure: no I/O.

/** SQLSTATE classes of PostgreSQL that say nothing about the statement: connection (08),
 * insufficient resources (53), operator intervention (57: shutdown, cancel), system error (58). */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '53', '57', '58']);
/** serialization_failure, deadlock_detected: the same transaction may well commit next time. */
const TRANSIENT_SQLSTATES = new Set(['40001', '40P01']);
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
/** How far down `cause` chains are followed (a wrapped fault is still a fault). */
const MAX_CAUSE_DEPTH = 5;

function isTransientOne(error: object): boolean {
  const { code, name, message, retriable } = error as {
    code?: unknown;
    name?: unknown;
    message?: unknown;
    retriable?: unknown;
  };
  if (typeof code === 'string') {
    if (TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SYSTEM_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code) && TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2))) return true;
  }
  // kafkajs marks each of its errors retriable or not.
  if (typeof name === 'string' && name.startsWith('KafkaJS') && retriable === true) return true;
  if (typeof message === 'string' && TRANSIENT_PG_MESSAGES.some((pattern) => pattern.test(message)))
    return true;
  return false;
}

/**
 * True for a fault that may pass by itself: PostgreSQL unreachable, restarting, out of
 * connections or resources, a serialization failure or deadlock; a socket refused, reset or
 * timed out; a pool timeout; a kafkajs error marked retriable. Anything else (a value refused,
 * a bug, bad data) is not transient: trying the same work again fails the same way.
 */
export function isTransientFault(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth <= MAX_CAUSE_DEPTH; depth++) {
    if (typeof current !== 'object' || current === null) return false;
    if (isTransientOne(current)) return true;
    if (current instanceof AggregateError && current.errors.some((e) => isTransientFault(e)))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * SQLSTATE classes that say the schema or the server is wrong, not the record: syntax or
 * access rule (42: a missing table or column, no privilege), invalid catalog or schema name
 * (3D, 3F), object not in prerequisite state (55), internal error (XX).
 */
const SYSTEMIC_SQLSTATE_CLASSES = new Set(['42', '3D', '3F', '55', 'XX']);

/**
 * True for a fault that is not transient but is not the record's either: every record would
 * fail the same way (a migration not run, a privilege revoked). A consumer must not quarantine
 * record after record for it: it retries, visibly, until an operator mends the cause.
 */
export function isSystemicFault(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const { code } = error as { code?: unknown };
  return (
    typeof code === 'string' &&
    /^[0-9A-Z]{5}$/.test(code) &&
    SYSTEMIC_SQLSTATE_CLASSES.has(code.slice(0, 2))
  );
}
