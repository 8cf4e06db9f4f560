import { Inject, Injectable } from '@nestjs/common';
import { CLOCK, Clock } from '@backbone/config';
import {
  Decision,
  decideCommand,
  identifiersOfSeveralSubjects,
  personNamedBy,
  streamIdOfCommand,
} from '@backbone/domain';
import { SubjectRegistry, SubjectResolver } from '@backbone/data-protection';
import type { CommandExecution } from './command-execution';
import { DomainContext } from './domain-context';

/** A command ready to be decided: the stream it acts on and its decision on that stream's state. */
export interface PreparedDecision {
  streamId: string;
  decide: (state: unknown) => Decision;
}

/**
 * What each command decides (the domain's decideCommand), with everything it needs from outside
 * the domain looked up first: the pseudonymous subject of a person it names, the directory, the
 * time.
 */
@Injectable()
export class CommandDecisions {
  constructor(
    private readonly world: DomainContext,
    private readonly subjects: SubjectRegistry,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The stream the command acts on (and decides against). */
  streamIdOf({ envelope, data }: Pick<CommandExecution, 'envelope' | 'data'>): string {
    return streamIdOfCommand(envelope.type, data);
  }

  /** `subjects`: where a new referral or case finds its person (a batch passes its own). */
  async prepare(
    { envelope, agencyId, data }: CommandExecution,
    subjects: SubjectResolver = this.subjects,
  ): Promise<PreparedDecision> {
    const { type } = envelope;
    const streamId = streamIdOfCommand(type, data);
    const named = personNamedBy(type, data);
    const subjectId = named ? await subjects.resolve(named) : undefined;
    if (subjectId === null) return { streamId, decide: identifiersOfSeveralSubjects };
    const context = { ...this.world.lookups, sender: agencyId, now: this.clock.now(), subjectId };
    return { streamId, decide: (state) => decideCommand(type, data, state, context) };
  }
}
