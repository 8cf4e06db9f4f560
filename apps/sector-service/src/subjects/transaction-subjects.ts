import type { PoolClient } from 'pg';
import { newSubjectId } from '@backbone/domain';
import type { Identifier, SubjectRegistry, SubjectResolver } from '@backbone/data-protection';

interface Asked {
  keys: string[];
  answer: (subjectId: string | null) => void;
  fail: (error: unknown) => void;
}

/**
 * Resolves the subjects of a batch of commands that commit in one transaction, with the same
 * answers as SubjectRegistry.resolve would give them one after another: every question asked in
 * the same turn of the event loop is answered from one read, in the order asked, and the new
 * links are written by `store` in the batch's transaction instead of a commit each. One answer
 * differs: a new person always gets the first of their candidate ids. If that subject was erased,
 * the batch's sealing refuses it and the command is decided one by one, where `resolve` skips
 * erased ids: a rare case, not worth a read on every batch.
 */
export class TransactionSubjects implements SubjectResolver {
  private asked: Asked[] = [];
  /** Subject of each identifier key, stored or drafted by this batch. */
  private readonly links = new Map<string, string>();
  private readonly drafted = new Map<string, string>();

  constructor(private readonly registry: SubjectRegistry) {}

  resolve(identifiers: Identifier[]): Promise<string | null> {
    const keys = this.registry.keysOf(identifiers);
    return new Promise((answer, fail) => {
      if (!this.asked.length) queueMicrotask(() => void this.answerAsked());
      this.asked.push({ keys, answer, fail });
    });
  }

  /** Writes the new links; false if another transaction linked one of these identifiers first. */
  store(client: PoolClient): Promise<boolean> {
    return this.registry.storeLinks(this.drafted, client);
  }

  private async answerAsked(): Promise<void> {
    const asked = this.asked;
    this.asked = [];
    try {
      const unknown = asked.flatMap(({ keys }) => keys).filter((key) => !this.links.has(key));
      for (const [key, subjectId] of await this.registry.linksOf(unknown)) {
        this.links.set(key, subjectId);
      }
    } catch (error) {
      for (const question of asked) question.fail(error);
      return;
    }
    for (const { keys, answer } of asked) answer(this.subjectFor(keys));
  }

  /**
   * The subject the keys are linked to (else a new one), with the others linked to it; null,
   * and nothing linked, when they are linked to more than one subject.
   */
  private subjectFor(keys: string[]): string | null {
    const linkedTo = new Set(keys.flatMap((key) => this.links.get(key) ?? []));
    if (linkedTo.size > 1) return null;
    const subjectId = [...linkedTo][0] ?? newSubjectId(keys[0]);
    for (const key of keys) {
      if (this.links.has(key)) continue;
      this.links.set(key, subjectId);
      this.drafted.set(key, subjectId);
    }
    return subjectId;
  }
}
