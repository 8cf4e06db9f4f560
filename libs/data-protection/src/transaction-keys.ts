import type { PoolClient } from 'pg';
import {
  DraftedKey,
  SealingKeySource,
  SubjectErasedError,
  SubjectKey,
  SubjectKeys,
} from './subject-keys';

/**
 * The data keys one transaction seals with. Keys already stored are read together, in one
 * query; subjects without one get a drafted key that is stored in the same transaction as the
 * data sealed with it (`store`), and cached only once that has committed (`committed`). So a
 * batch of new people costs one write in the batch's own commit, not one commit each, and no
 * rollback can leave a cached key that was never stored.
 */
export class TransactionKeys implements SealingKeySource {
  private readonly found = new Map<string, SubjectKey>();
  private readonly drafted = new Map<string, DraftedKey>();

  constructor(private readonly keys: SubjectKeys) {}

  /** Reads or drafts the keys of these subjects. Throws SubjectErasedError for an erased one. */
  async load(subjectIds: Iterable<string>): Promise<void> {
    const wanted = [...new Set(subjectIds)].filter((id) => !this.has(id));
    if (!wanted.length) return;
    const stored = await this.keys.storedForSealing(wanted);
    for (const subjectId of wanted) {
      const key = stored.get(subjectId);
      if (key === 'erased') throw new SubjectErasedError(subjectId);
      if (key) this.found.set(subjectId, key);
      else this.drafted.set(subjectId, this.keys.draft(subjectId));
    }
  }

  async forSealing(subjectId: string): Promise<SubjectKey> {
    if (!this.has(subjectId)) await this.load([subjectId]);
    return (this.found.get(subjectId) ?? this.drafted.get(subjectId)) as SubjectKey;
  }

  /** Stores the drafted keys; false if another transaction gave one of the subjects a key first. */
  store(client: PoolClient): Promise<boolean> {
    return this.keys.storeDrafted([...this.drafted.values()], client);
  }

  /** After the transaction has committed: the drafted keys are stored, so cache them. */
  committed(): void {
    this.keys.remember([...this.drafted.values()]);
  }

  private has(subjectId: string): boolean {
    return this.found.has(subjectId) || this.drafted.has(subjectId);
  }
}
