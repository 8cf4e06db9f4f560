import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { COMMAND_ACCEPTED, CommandRejectedData, RejectionCode } from '@backbone/contracts';
import { isFaultOfTheRecord } from '@backbone/database';
import type { Principal } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal, problem } from '@backbone/http';
import { CommandProcessor, ProcessedCommand } from './command-processor';
import { contextOfHeaders, startConsumerSpan, traceHeadersOf } from '@backbone/observability';
import type { OutcomeEvent } from '@backbone/contracts';
import { OutcomeSender } from './outcome-sender';
import { SetAsideCommands } from './set-aside-commands';

const STATUS_OF: Record<RejectionCode, number> = {
  MALFORMED: 400,
  INVALID: 422,
  UNSUPPORTED_TYPE: 422,
  TOO_LARGE: 413,
  UNKNOWN_AGENCY: 422,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_TRANSITION: 409,
  DUPLICATE: 409,
  CONFLICT: 409,
};

/** `POST /v1/commands`: the same path as the command topics, for agencies without Kafka. */
@Controller('v1/commands')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency')
export class CommandsHttpController {
  constructor(
    private readonly processor: CommandProcessor,
    private readonly setAside: SetAsideCommands,
    private readonly outcomes: OutcomeSender,
  ) {}

  /**
   * The command's answer. One that fails on its own (not for a transient fault, which leaves
   * the request as `503`) is set aside and rejected, as on the command topics: never a `500`.
   */
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

  @Post()
  @HttpCode(200)
  async submit(
    @Req() request: Request,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OutcomeEvent> {
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    const span = startConsumerSpan('answer command', contextOfHeaders(request.headers), {
      'http.request.method': 'POST',
      'http.route': '/v1/commands',
    });
    const trace = traceHeadersOf(span);
    let result: ProcessedCommand;
    try {
      result = await this.decide(body, principal.id, trace.traceparent);
      if (result.kind === 'answered') {
        await this.outcomes.send(principal.id, result.outcome, 'http', trace);
      }
    } finally {
      span.end();
    }
    if (result.kind === 'unanswerable') {
      throw problem(400, 'Malformed command', result.reason, { code: 'MALFORMED' });
    }
    const { outcome } = result;
    if (outcome.type === COMMAND_ACCEPTED) return outcome;
    const rejected = outcome.data as CommandRejectedData;
    throw problem(STATUS_OF[rejected.code], 'Command rejected', rejected.reason, {
      code: rejected.code,
      commandId: rejected.commandId,
      ...(rejected.errors ? { errors: rejected.errors } : {}),
      ...(rejected.errorCount ? { errorCount: rejected.errorCount } : {}),
      outcome,
    });
  }
}
