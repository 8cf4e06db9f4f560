import { Injectable } from '@nestjs/common';
import type { PoolClient } from 'pg';

/** What erasure knows of a person while it runs: enough for others to find their copies. */
export interface ErasedSubject {
  subjectId: string;
  /** The keyed hashes of the identifiers that were linked to them (subject_identifiers). */
  identifierKeys: string[];
  /** Their referral and case streams: those whose first event names them. */
  streamIds: string[];
}

/**
 * A part that keeps copies of personal data outside the event store (the ops console's dead
 * letters) and erases them together with the person's data key.
 */
export interface ErasureStep {
  /** Names the step in the erasure's log line. */
  readonly name: string;
  /** Removes the person's copies in the erasure's transaction; returns how many went. */
  eraseCopies(subject: ErasedSubject, client: PoolClient): Promise<number>;
  /** Told once the erasure committed, with what `eraseCopies` returned (to count it). */
  committed?(count: number): void;
}

/**
 * The steps every erasure runs, registered by the modules that keep copies (a library cannot
 * know the apps that use it): each joins when its module starts.
 */
@Injectable()
export class ErasureSteps {
  private readonly steps: ErasureStep[] = [];

  add(step: ErasureStep): void {
    if (!this.steps.includes(step)) this.steps.push(step);
  }

  all(): readonly ErasureStep[] {
    return this.steps;
  }
}
