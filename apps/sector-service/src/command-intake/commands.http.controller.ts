import { Controller, HttpCode, Post, Req, UseGuards } from '@nestjs/common';
import type { Request } from 'express';
import { COMMAND_ACCEPTED, CommandRejectedData } from '@backbone/contracts';
import type { Principal } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal, problem } from '@backbone/http';
import type { OutcomeEvent } from '@backbone/contracts';
import { CommandSubmission } from './command-submission';
import { HTTP_STATUS_OF_REJECTION } from './rejection-http-status';

/** `POST /v1/commands`: the same path as the command topics, for agencies without Kafka. */
@Controller('v1/commands')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency')
export class CommandsHttpController {
  constructor(private readonly submission: CommandSubmission) {}

  @Post()
  @HttpCode(200)
  async submit(
    @Req() request: Request,
    @CurrentPrincipal() principal: Principal,
  ): Promise<OutcomeEvent> {
    const body = Buffer.isBuffer(request.body) ? request.body : undefined;
    const result = await this.submission.submit(body, principal.id, {
      headers: request.headers,
      method: 'POST',
      route: '/v1/commands',
    });
    if (result.kind === 'unanswerable') {
      throw problem(400, 'Malformed command', result.reason, { code: 'MALFORMED' });
    }
    const { outcome } = result;
    if (outcome.type === COMMAND_ACCEPTED) return outcome;
    const rejected = outcome.data as CommandRejectedData;
    throw problem(HTTP_STATUS_OF_REJECTION[rejected.code], 'Command rejected', rejected.reason, {
      code: rejected.code,
      commandId: rejected.commandId,
      ...(rejected.errors ? { errors: rejected.errors } : {}),
      ...(rejected.errorCount ? { errorCount: rejected.errorCount } : {}),
      outcome,
    });
  }
}
