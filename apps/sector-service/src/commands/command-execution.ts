import type { EventStamp } from './append-plan';
import type { CommandEnvelope } from '@backbone/contracts';
import type { AnsweredCommand } from '@backbone/contracts';

/** A command that passed every check of its envelope and data, on its way to its handler. */
export class CommandExecution<TData extends object = object> {
  constructor(
    readonly envelope: CommandEnvelope,
    readonly data: TData,
    /** The agency in whose name the command was sent (its topic or its API key). */
    readonly agencyId: string,
    readonly fingerprint: Buffer,
    /** The W3C trace context of the span answering the command, carried on to its events. */
    readonly traceparent?: string,
  ) {}

  /** Who and what caused the events the command records. */
  get stamp(): EventStamp {
    const { envelope } = this;
    return {
      causationId: envelope.id,
      correlationId: envelope.correlationid ?? envelope.id,
      actingAgency: this.agencyId,
      actor: envelope.actor,
      traceparent: this.traceparent,
    };
  }

  get answering(): AnsweredCommand {
    return {
      commandId: this.envelope.id,
      subject: this.envelope.subject,
      correlationId: this.envelope.correlationid,
      actor: this.envelope.actor,
    };
  }
}
