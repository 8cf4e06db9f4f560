import { Body, Controller, HttpCode, Post, Res, UseGuards } from '@nestjs/common';
import type { Response } from 'express';
import {
  ERASE_SUBJECT_V1,
  EraseSubjectV1,
  OPERATOR_COMMAND_DATA_CLASSES,
  OperatorCommandEnvelope,
  OutcomeEvent,
  REDRIVE_DEAD_LETTERS_V1,
  RedriveDeadLettersV1,
  acceptedOutcome,
  operatorOfSource,
  validateAgainst,
} from '@backbone/contracts';
import { SubjectErasure } from '@backbone/data-protection';
import type { Principal } from '@backbone/directory';
import { CurrentPrincipal, problem, SessionAuthGuard } from '@backbone/http';
import { DeadLetterRedrive } from '../dead-letters/dead-letter-redrive';

const STATUS_OF = { NOT_FOUND: 404, INVALID_TRANSITION: 409, DUPLICATE: 409 } as const;

type Accepted = { kind: 'accepted'; eventIds: string[]; streamVersion: number };
type Rejected = { kind: 'rejected'; code: keyof typeof STATUS_OF; reason: string };

/**
 * `POST /v1/operator/commands`: commands only operators may give, in the same envelope as
 * agency commands, by operator key or from a console session. Each is recorded as an event
 * naming the operator.
 */
@Controller('v1/operator/commands')
@UseGuards(SessionAuthGuard)
export class OperatorCommandsHttpController {
  constructor(
    private readonly erasure: SubjectErasure,
    private readonly redrive: DeadLetterRedrive,
  ) {}

  @Post()
  @HttpCode(200)
  async submit(
    @Body() body: unknown,
    @CurrentPrincipal() operator: Principal,
    @Res({ passthrough: true }) response: Response,
  ): Promise<OutcomeEvent> {
    const envelope = validateAgainst(OperatorCommandEnvelope, body);
    if (!envelope.value) {
      throw problem(400, 'Malformed command', 'not an operator command envelope', {
        code: 'MALFORMED',
        errors: envelope.errors,
      });
    }
    const command = envelope.value;
    if (operatorOfSource(command.source) !== operator.id) {
      throw problem(403, 'Command rejected', `your key belongs to operator/${operator.id}`, {
        code: 'FORBIDDEN',
      });
    }
    const dataClass = OPERATOR_COMMAND_DATA_CLASSES[command.type];
    if (!dataClass) {
      throw problem(422, 'Command rejected', `${command.type} is not an operator command`, {
        code: 'UNSUPPORTED_TYPE',
      });
    }
    const data = validateAgainst(dataClass, command.data);
    if (!data.value) {
      throw problem(422, 'Command rejected', 'the command data is invalid', {
        code: 'INVALID',
        errors: data.errors,
      });
    }
    const order = { operatorId: operator.id, commandId: command.id, correlationId: command.id };
    let result: Accepted | Rejected;
    if (command.type === ERASE_SUBJECT_V1) {
      const { subjectId } = data.value as EraseSubjectV1;
      const erased = await this.erasure.erase({ subjectId, ...order });
      result =
        erased.kind === 'erased'
          ? { kind: 'accepted', eventIds: [erased.eventId], streamVersion: erased.streamVersion }
          : erased;
    } else if (command.type === REDRIVE_DEAD_LETTERS_V1) {
      const { deadLetterIds } = data.value as RedriveDeadLettersV1;
      const redriven = await this.redrive.redrive({ deadLetterIds, ...order });
      if (redriven.kind === 'rate-limited') {
        response.setHeader('Retry-After', String(redriven.retryAfterSeconds));
        throw problem(429, 'Too many re-drives', redriven.reason, {
          code: 'RATE_LIMITED',
          commandId: command.id,
        });
      }
      result =
        redriven.kind === 'redriven'
          ? { kind: 'accepted', eventIds: redriven.eventIds, streamVersion: redriven.streamVersion }
          : redriven;
    } else {
      throw new Error(`no handler for ${command.type}`);
    }
    if (result.kind === 'rejected') {
      throw problem(STATUS_OF[result.code], 'Command rejected', result.reason, {
        code: result.code,
        commandId: command.id,
      });
    }
    const answered = { commandId: command.id, subject: command.subject, answeredBy: 'ops-console' };
    return acceptedOutcome(answered, result.eventIds, result.streamVersion);
  }
}
