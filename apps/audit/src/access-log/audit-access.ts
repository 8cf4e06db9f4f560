import { randomUUID } from 'node:crypto';
import type { AuditAccessedV1, AuditOperation } from '@backbone/contracts';

/** Appends the access record; given by the interceptor (access-recorder.ts does the work). */
export type RecordAccess = (access: AuditAccess, data: AuditAccessedV1) => Promise<void>;

/**
 * One audit request's access record in the making. The handler says what it reads and, once
 * it has found what it will disclose, `disclosing` starts the record at once, so personal data
 * is opened only while its access is already being written (and the write overlaps that work);
 * the interceptor then waits for the record before anything is answered, or writes it itself,
 * with the error's status, when the handler disclosed nothing. Exactly one record either way.
 * The event id is chosen up front so that an answer can name its own record (a bundle does).
 */
export class AuditAccess {
  readonly eventId = randomUUID();
  private resource?: string;
  private asOf?: string;
  private recording?: Promise<void>;

  constructor(
    readonly auditor: string,
    readonly purpose: string,
    readonly operation: AuditOperation,
    private readonly fallbackResource: string,
    private readonly record: RecordAccess,
  ) {}

  /** What is being asked for: a stream id, or an identifier as its keyed hash. */
  reading(resource: string, asOf?: string): void {
    this.resource = resource;
    this.asOf = asOf;
  }

  /**
   * The answer will disclose `events` stored events about these people: recorded now, with
   * status 200. Resolves once the record's write is under way, so that the work that follows
   * (opening personal fields: CPU-bound, synchronous) overlaps its commit instead of holding
   * the write back. Should the answer still fail after this, the record stands: an access log
   * may say too much, never too little.
   */
  disclosing(events: number, subjectIds: Iterable<string | undefined>): Promise<void> {
    if (this.recording) throw new Error('an access is recorded once');
    this.recording = this.record(this, this.toEventData(200, events, subjectIds));
    // Awaited by `settle`; marked handled so that its failure is reported there only.
    this.recording.catch(() => undefined);
    // One turn of the event loop: the append takes its connection and sends its statement.
    return new Promise((resolve) => setImmediate(resolve));
  }

  /** Waits for the record `disclosing` started, or writes it with `status` and nothing disclosed. */
  settle(status: number): Promise<void> {
    this.recording ??= this.record(this, this.toEventData(status, 0, []));
    return this.recording;
  }

  private toEventData(
    status: number,
    events: number,
    subjectIds: Iterable<string | undefined>,
  ): AuditAccessedV1 {
    const people = [...new Set(subjectIds)].filter((id): id is string => !!id).sort();
    return {
      auditor: this.auditor,
      operation: this.operation,
      resource: this.resource ?? this.fallbackResource,
      ...(this.asOf ? { asOf: this.asOf } : {}),
      purpose: this.purpose,
      status,
      subjectIds: people,
      events,
    };
  }
}
