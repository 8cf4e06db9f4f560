// First look at a command's bytes: enough to know whom to answer, then whether it is an envelope.
import {
  COMMAND_DATA_CLASSES,
  commandSubjectField,
  CommandEnvelope,
  FieldError,
  MAX_ENVELOPE_BYTES,
  RejectionCode,
  agencyOfSource,
  inspectJsonShape,
  validateAgainst,
} from '@backbone/contracts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Larger input is not even parsed: no id can be recovered from it, so it cannot be answered. */
const MAX_PARSED_BYTES = 16 * MAX_ENVELOPE_BYTES;
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The text of the bytes, and whether they were valid UTF-8 (else with U+FFFD substitutes). */
function decodeText(raw: Buffer | string): { text: string; validUtf8: boolean } {
  if (typeof raw === 'string') return { text: raw, validUtf8: true };
  try {
    return { text: STRICT_UTF8.decode(raw), validUtf8: true };
  } catch {
    return { text: raw.toString('utf8'), validUtf8: false };
  }
}

export type ParsedCommand =
  /** Nothing identifies the command: it can only go to the dead-letter topic. */
  | { kind: 'unanswerable'; reason: string }
  /** The command has an id but is refused before any business rule is consulted. */
  | {
      kind: 'refused';
      commandId: string;
      subject: string;
      code: RejectionCode;
      reason: string;
      errors?: FieldError[];
      content: unknown;
    }
  | { kind: 'envelope'; envelope: CommandEnvelope; data: object; sourceAgency: string };

function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function parseCommand(raw: Buffer | string | undefined | null): ParsedCommand {
  if (raw === undefined || raw === null || raw.length === 0) {
    return { kind: 'unanswerable', reason: 'empty message' };
  }
  const bytes = typeof raw === 'string' ? Buffer.byteLength(raw) : raw.length;
  if (bytes > MAX_PARSED_BYTES) {
    return {
      kind: 'unanswerable',
      reason: `message of ${bytes} bytes is far over the ${MAX_ENVELOPE_BYTES}-byte limit`,
    };
  }
  const { text, validUtf8 } = decodeText(raw);
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    // Not the parser's message: it quotes the input, which may be personal data.
    return { kind: 'unanswerable', reason: 'not JSON' };
  }
  const record = asRecord(document);
  const commandId = record?.id;
  if (!record || typeof commandId !== 'string' || !UUID.test(commandId)) {
    return {
      kind: 'unanswerable',
      reason: 'no command id: the message has no UUID "id" attribute',
    };
  }
  const subject = typeof record.subject === 'string' ? record.subject : '';
  const refuse = (code: RejectionCode, reason: string, errors?: FieldError[]): ParsedCommand => ({
    kind: 'refused',
    commandId,
    subject,
    code,
    reason,
    errors,
    content: document,
  });
  if (bytes > MAX_ENVELOPE_BYTES) {
    return refuse('TOO_LARGE', `command is ${bytes} bytes; the limit is ${MAX_ENVELOPE_BYTES}`);
  }
  if (!validUtf8) return refuse('MALFORMED', 'the command is not valid UTF-8');
  // Before any library walks it: too deep, too wide, reserved key names, unstorable text.
  const unsafe = inspectJsonShape(record);
  if (unsafe.length) {
    return refuse('INVALID', 'the command holds values the backbone cannot accept', unsafe);
  }
  const { value: envelope, errors } = validateAgainst(CommandEnvelope, record);
  if (!envelope) return refuse('MALFORMED', 'not a valid CloudEvents command envelope', errors);
  const dataClass = COMMAND_DATA_CLASSES[envelope.type];
  if (!dataClass)
    return refuse('UNSUPPORTED_TYPE', `command type "${envelope.type}" is not supported`);
  const data = validateAgainst(dataClass, record.data);
  if (!data.value) {
    const errors = data.errors.map((e) => ({ ...e, path: e.path ? `data.${e.path}` : 'data' }));
    return refuse('INVALID', `the ${envelope.type} data is not valid`, errors);
  }
  const subjectField = commandSubjectField(envelope.type);
  const named = (record.data as Record<string, unknown>)[subjectField];
  if (named !== envelope.subject) {
    return refuse('INVALID', `subject must equal data.${subjectField}`, [
      { path: 'subject', message: `must equal data.${subjectField}` },
    ]);
  }
  return {
    kind: 'envelope',
    envelope,
    data: data.value,
    sourceAgency: agencyOfSource(envelope.source),
  };
}
