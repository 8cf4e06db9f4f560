import { Injectable } from '@nestjs/common';
import { PersonalDataSealer, SubjectErasedError } from '@backbone/data-protection';
import type { Rejection } from '@backbone/domain';
import type { StreamAppend } from './append-plan';
import { shapeOfStream } from './aggregate-shapes';

/** Seals the personal fields of planned appends before they reach the store. */
@Injectable()
export class AppendSealing {
  constructor(private readonly sealer: PersonalDataSealer) {}

  /** The appends, sealed; none when they bring personal data about an erased subject. */
  async seal(appends: StreamAppend[]): Promise<StreamAppend[] | undefined> {
    try {
      return await Promise.all(
        appends.map(async (append) => ({
          ...append,
          events: await this.sealer.seal(append.events, append.subjectId),
        })),
      );
    } catch (error) {
      if (error instanceof SubjectErasedError) return undefined;
      throw error;
    }
  }
}

/** Why a command bringing new personal data about an erased subject is refused. */
export function erasedSubjectRejection(streamId: string, state: unknown): Rejection {
  const shape = shapeOfStream(streamId);
  const subjectId = shape.subjectOf(state);
  return {
    code: 'INVALID_TRANSITION',
    reason: `the personal data of this ${shape.name}'s subject${subjectId ? ` (${subjectId})` : ''} was erased: it takes no new personal data`,
  };
}
