import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import {
  ERASE_SUBJECT_V1,
  EraseSubjectV1,
  OPERATOR_COMMAND_DATA_CLASSES,
  OperatorCommandEnvelope,
  OutcomeEvent,
  acceptedOutcome,
  operatorOfSource,
  validateAgainst,
} from '@backbone/contracts';
import { SubjectErasure } from '@backbone/data-protection';
import type { Principal } from '@backbone/directory';
import { AllowedPrincipals, ApiKeyGuard, CurrentPrincipal, problem } from '@backbone/http';

const STATUS_OF = { NOT_FOUND: 404, INVALID_TRANSITION: 409, DUPLICATE: 409 } as const;

/**
 * `POST /v1/operator/commands`: commands only operators may give, in the same envelope as
 * agency commands. Each is recorded as an event naming the operator.
 */
@Controller('v1/operator/commands')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('operator')
export class OperatorCommandsHttpController {
  constructor(private readonly erasure: SubjectErasure) {}

  @Post()
  @HttpCode(200)
  async submit(
    @Body() body: unknown,
    @CurrentPrincipal() operator: Principal,
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
    // One operator command type so far; `dead-letter.redrive.v1` joins it with the ops console.
    if (command.type !== ERASE_SUBJECT_V1) throw new Error(`no handler for ${command.type}`);
    const { subjectId } = data.value as EraseSubjectV1;
    const result = await this.erasure.erase({
      subjectId,
      operatorId: operator.id,
      commandId: command.id,
      correlationId: command.id,
    });
    if (result.kind === 'rejected') {
      throw problem(STATUS_OF[result.code], 'Command rejected', result.reason, {
        code: result.code,
        commandId: command.id,
      });
    }
    const answered = { commandId: command.id, subject: command.subject, answeredBy: 'ops-console' };
    return acceptedOutcome(answered, [result.eventId], result.streamVersion);
  }
}
