import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import { isFaultOfTheRecord } from '@backbone/database';
import { contextOfHeaders, startConsumerSpan, traceHeadersOf } from '@backbone/observability';
import { CommandProcessor, ProcessedCommand } from './command-processor';
import { OutcomeSender } from './outcome-sender';
import { SetAsideCommands } from './set-aside-commands';

/**
 * One command that came over HTTP, from `POST /v1/commands` or the FHIR façade, answered as the
 * command topics answer theirs: decided by the one command path, its outcome put on the agency's
 * outcomes topic as well as returned. One that fails on its own (not for a transient fault,
 * which propagates and leaves the request as `503`) is set aside and rejected: never a `500`.
 */
@Injectable()
export class CommandSubmission {
  constructor(
    private readonly processor: CommandProcessor,
    private readonly setAside: SetAsideCommands,
    private readonly outcomes: OutcomeSender,
  ) {}

  async submit(
    body: Buffer | undefined,
    agencyId: string,
    request: { headers: IncomingHttpHeaders; method: string; route: string },
  ): Promise<ProcessedCommand> {
    const span = startConsumerSpan('answer command', contextOfHeaders(request.headers), {
      'http.request.method': request.method,
      'http.route': request.route,
    });
    const trace = traceHeadersOf(span);
    try {
      const result = await this.decide(body, agencyId, trace.traceparent);
      if (result.kind === 'answered') {
        await this.outcomes.send(agencyId, result.outcome, 'http', trace);
      }
      return result;
    } finally {
      span.end();
    }
  }

  private async decide(
    body: Buffer | undefined,
    agencyId: string,
    traceparent: string | undefined,
  ): Promise<ProcessedCommand> {
    try {
      return await this.processor.process(body, agencyId, traceparent);
    } catch (error) {
      if (!isFaultOfTheRecord(error)) throw error;
      return this.setAside.answer({ value: body, agencyId }, error);
    }
  }
}
