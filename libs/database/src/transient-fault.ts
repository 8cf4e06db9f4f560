// Whether a failure is the infrastructure's (retry: it will pass) or the record's (retrying the
// same record fails the same way for ever, so it must be set aside). Consumers retry the first
// kind in place and isolate the record on the second; guessing "transient" for a fault of the
// record stalls its partition, so only faults known to pass count as transient.

/** SQLSTATE classes of faults that pass: connection, rollback (serialization, deadlock),
 * resources, operator intervention (shutdown, cancel, timeout), system errors; and of faults a
 * deployment fixes (missing objects or rights, e.g. before a migration), not the record. */
const TRANSIENT_SQLSTATE_CLASSES = new Set(['08', '28', '3D', '3F', '40', '42', '53', '57', '58']);
/** Single SQLSTATEs of the same kind in other classes: lock not available, object in use. */
const TRANSIENT_SQLSTATES = new Set(['55P03', '55006', '55000']);
const TRANSIENT_NODE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);
/** node-postgres reports lost connections and pool states by message only. */
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /timeout exceeded when trying to connect/i,
  /not queryable/i,
  /after calling end on the pool/i,
  /connection .*(closed|ended)/i,
];
/** Kafka refusals of the record itself, not of the moment. */
const RECORD_REFUSALS = new Set([
  'MESSAGE_TOO_LARGE',
  'RECORD_LIST_TOO_LARGE',
  'INVALID_RECORD',
  'CORRUPT_MESSAGE',
  'INVALID_REQUIRED_ACKS',
]);

interface FaultLike {
  name?: unknown;
  code?: unknown;
  type?: unknown;
  message?: unknown;
  cause?: unknown;
  originalError?: unknown;
}

function causes(error: unknown): FaultLike[] {
  const chain: FaultLike[] = [];
  let current = error;
  while (typeof current === 'object' && current !== null && chain.length < 8) {
    const fault = current as FaultLike;
    chain.push(fault);
    current = fault.originalError ?? fault.cause;
  }
  return chain;
}

function isKafkaRecordRefusal(fault: FaultLike): boolean {
  return typeof fault.type === 'string' && RECORD_REFUSALS.has(fault.type);
}

function isTransientOne(fault: FaultLike): boolean {
  const { name, code, message } = fault;
  if (name === 'AbortError') return true;
  if (typeof code === 'string') {
    if (/^[0-9A-Z]{5}$/.test(code)) {
      return TRANSIENT_SQLSTATES.has(code) || TRANSIENT_SQLSTATE_CLASSES.has(code.slice(0, 2));
    }
    if (TRANSIENT_NODE_CODES.has(code)) return true;
  }
  if (typeof name === 'string' && name.startsWith('KafkaJS')) return !isKafkaRecordRefusal(fault);
  return typeof message === 'string' && TRANSIENT_MESSAGES.some((m) => m.test(message));
}

/**
 * True when the failure is the database's or the broker's, and trying again later will pass;
 * false when it comes from what is being processed (a value PostgreSQL refuses, a record Kafka
 * refuses, a TypeError on a shape nobody foresaw), and trying again will fail the same way.
 */
export function isTransientFault(error: unknown): boolean {
  const chain = causes(error);
  if (chain.some(isKafkaRecordRefusal)) return false;
  return chain.some(isTransientOne);
}
