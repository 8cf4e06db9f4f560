import { Injectable } from '@nestjs/common';
import {
  PersonalDataSealer,
  SealingKeySource,
  SubjectErasedError,
  TransactionKeys,
} from '@backbone/data-protection';
import type { Rejection } from '@backbone/domain';
import type { StreamAppend } from './append-plan';
import { shapeOfStream } from './aggregate-shapes';

/** Seals the personal fields of planned appends before they reach the store. */
@Injectable()
export class AppendSealing {
  constructor(private readonly sealer: PersonalDataSealer) {}

  /**
   * The appends, sealed; none when they bring personal data about an erased subject. `keys`:
   * where the subjects' keys come from (by default made and committed at once if missing).
   */
  async seal(
    appends: StreamAppend[],
    keys?: SealingKeySource,
  ): Promise<StreamAppend[] | undefined> {
    try {
      return await Promise.all(
        appends.map(async (append) => ({
          ...append,
          events: await this.sealer.seal(append.events, append.streamId, append.subjectId, keys),
        })),
      );
    } catch (error) {
      if (error instanceof SubjectErasedError) return undefined;
      throw error;
    }
  }

  /** Keys that are stored in, and cached after, the caller's own transaction. */
  keysForTransaction(): TransactionKeys {
    return this.sealer.keysForTransaction();
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
