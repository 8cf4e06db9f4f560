import { Injectable, OnModuleInit } from '@nestjs/common';
import type { PoolClient } from 'pg';
import { ErasedSubject, ErasureStep, ErasureSteps } from '@backbone/data-protection';
import { opsConsoleMetrics } from '../metrics/ops-console-metrics';
import { DeadLetters } from './dead-letters.store';

/**
 * Erasing a person deletes the dead letters' copies tied to them (by an identifier's keyed hash
 * or a referral or case of theirs, see dead-letter-ties), in the erasure's own transaction: the
 * identifier links it removes are what finds them. A copy that names nobody the backbone knows
 * stays until its retention (DeadLetterPurge).
 */
@Injectable()
export class DeadLetterErasure implements ErasureStep, OnModuleInit {
  readonly name = 'dead-letters';

  constructor(
    private readonly steps: ErasureSteps,
    private readonly deadLetters: DeadLetters,
  ) {}

  onModuleInit(): void {
    this.steps.add(this);
  }

  eraseCopies(subject: ErasedSubject, client: PoolClient): Promise<number> {
    return this.deadLetters.eraseTied(subject, client);
  }

  committed(count: number): void {
    if (count) opsConsoleMetrics.deadLettersPurged.inc({ reason: 'erasure' }, count);
  }
}
