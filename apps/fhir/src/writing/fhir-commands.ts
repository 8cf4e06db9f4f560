import { Injectable } from '@nestjs/common';
import type { IncomingHttpHeaders } from 'node:http';
import {
  COMMAND_ACCEPTED,
  type CommandAcceptedData,
  type CommandRejectedData,
} from '@backbone/contracts';
import { CommandSubmission, HTTP_STATUS_OF_REJECTION } from '@backbone/sector-service';
import { FhirError } from '../fhir-error';

/** One command the façade sends in the caller's name, and how to name its fields in FHIR. */
export interface FhirCommand {
  commandId: string;
  agencyId: string;
  type: string;
  referralId: string;
  data: Record<string, unknown>;
  /** The FHIR element a `data.…` path of a validation error stands for. */
  fhirPathOf: (path: string) => string | undefined;
}

/**
 * Sends commands built from FHIR resources down the one command path (CommandSubmission, as
 * `POST /v1/commands` does): same validation, decision, command log and outcomes topic. A
 * rejection comes back as the OperationOutcome of its code, with the FHIR elements at fault.
 */
@Injectable()
export class FhirCommands {
  constructor(private readonly submission: CommandSubmission) {}

  /** The stream version the accepted command left the referral at. */
  async send(
    command: FhirCommand,
    request: { headers: IncomingHttpHeaders; method: string; route: string },
  ): Promise<number> {
    const envelope = {
      specversion: '1.0',
      id: command.commandId,
      source: `agency/${command.agencyId}`,
      type: command.type,
      time: new Date().toISOString(),
      subject: command.referralId,
      datacontenttype: 'application/json',
      data: { referralId: command.referralId, ...command.data },
    };
    const result = await this.submission.submit(
      Buffer.from(JSON.stringify(envelope)),
      command.agencyId,
      request,
    );
    if (result.kind === 'unanswerable') throw new FhirError(400, result.reason);
    const { outcome } = result;
    if (outcome.type === COMMAND_ACCEPTED) {
      return (outcome.data as CommandAcceptedData).streamVersion;
    }
    const rejected = outcome.data as CommandRejectedData;
    const errors = rejected.errors ?? [];
    const expressions = [
      ...new Set(errors.map((error) => command.fhirPathOf(error.path)).filter(isString)),
    ];
    const detail = errors.map((error) => `${error.path}: ${error.message}`).join('; ');
    throw new FhirError(
      HTTP_STATUS_OF_REJECTION[rejected.code],
      `${rejected.code}: ${rejected.reason}${detail ? ` (${detail})` : ''}`,
      expressions,
    );
  }
}

const isString = (value: string | undefined): value is string => value !== undefined;
