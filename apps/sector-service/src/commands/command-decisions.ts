import { Injectable } from '@nestjs/common';
import {
  CaseCommandV1,
  MAKE_REFERRAL_V1,
  MakeReferralV1,
  OPEN_CASE_V1,
  OpenCaseV1,
  REDIRECT_REFERRAL_V1,
  RedirectReferralV1,
  ReferralCommandV1,
} from '@backbone/contracts';
import {
  CaseCommand,
  CaseState,
  Decision,
  ReferralState,
  caseStreamId,
  decideCase,
  decideMakeReferral,
  decideRedirectReferral,
  decideReferralLifecycle,
  identifiersOfSeveralSubjects,
  referralStreamId,
} from '@backbone/domain';
import type { CommandExecution } from '../command-intake/command-execution';
import { SubjectRegistry, SubjectResolver } from '../subjects/subject-registry';
import { DomainContext } from './domain-context';

/** A command ready to be decided: the stream it acts on and its decision on that stream's state. */
export interface PreparedDecision<S = unknown> {
  streamId: string;
  decide: (state: S) => Decision;
}

/**
 * What each command decides, with everything it needs from outside the domain looked up first
 * (the pseudonymous subject of a new referral or case, the directory, the time).
 */
@Injectable()
export class CommandDecisions {
  constructor(
    private readonly world: DomainContext,
    private readonly subjects: SubjectRegistry,
  ) {}

  /** The stream the command acts on (and decides against). */
  streamIdOf({ envelope, data }: Pick<CommandExecution, 'envelope' | 'data'>): string {
    return envelope.type.startsWith('case.')
      ? caseStreamId((data as CaseCommandV1).caseId)
      : referralStreamId((data as ReferralCommandV1).referralId);
  }

  /** `subjects`: where a new referral or case finds its person (a batch passes its own). */
  prepare(
    execution: CommandExecution,
    subjects: SubjectResolver = this.subjects,
  ): Promise<PreparedDecision> {
    const prepared = execution.envelope.type.startsWith('case.')
      ? this.forCase(execution, subjects)
      : this.forReferral(execution, subjects);
    return prepared as Promise<PreparedDecision>;
  }

  async forReferral(
    { envelope, agencyId, data }: CommandExecution,
    subjects: SubjectResolver = this.subjects,
  ): Promise<PreparedDecision<ReferralState>> {
    const command = data as ReferralCommandV1;
    const streamId = this.streamIdOf({ envelope, data });
    const now = new Date();
    if (envelope.type === MAKE_REFERRAL_V1) {
      const make = command as MakeReferralV1;
      const subjectId = await subjects.resolve(make.subject.identifiers);
      if (subjectId === null) return { streamId, decide: identifiersOfSeveralSubjects };
      const context = { ...this.world.referralLookups, from: agencyId, now, subjectId };
      return { streamId, decide: (state) => decideMakeReferral(make, state, context) };
    }
    if (envelope.type === REDIRECT_REFERRAL_V1) {
      const context = { ...this.world.referralLookups, now };
      const redirect = command as RedirectReferralV1;
      return {
        streamId,
        decide: (state) => decideRedirectReferral(redirect, state, agencyId, context),
      };
    }
    return {
      streamId,
      decide: (state) =>
        decideReferralLifecycle(envelope.type, command, state, agencyId, this.world),
    };
  }

  async forCase(
    { envelope, agencyId, data }: CommandExecution,
    subjects: SubjectResolver = this.subjects,
  ): Promise<PreparedDecision<CaseState>> {
    const command = data as CaseCommandV1;
    const subjectId =
      envelope.type === OPEN_CASE_V1
        ? await subjects.resolve((command as OpenCaseV1).subject.identifiers)
        : undefined;
    const streamId = this.streamIdOf({ envelope, data });
    if (subjectId === null) return { streamId, decide: identifiersOfSeveralSubjects };
    const domainCommand = { type: envelope.type, data: command } as CaseCommand;
    const context = {
      sender: agencyId,
      now: new Date(),
      subjectId,
      agencyExists: this.world.agencyExists,
    };
    return {
      streamId,
      decide: (state) => decideCase(domainCommand, state, context),
    };
  }
}
