import { Injectable } from '@nestjs/common';
import type { NewEvent } from '@backbone/event-store';
import {
  EventParts,
  copiedKeyIdsOf,
  holdsPlaintext,
  keepCopiesAsStored,
  needsSealing,
  openEvent,
  sealEvent,
  sealedSlotsOf,
} from './event-sealing';
import { SealingKeySource, SubjectErasedError, SubjectKey, SubjectKeys } from './subject-keys';
import { TransactionKeys } from './transaction-keys';

/** Seals the personal fields of events before they are appended. */
@Injectable()
export class PersonalDataSealer {
  constructor(private readonly keys: SubjectKeys) {}

  /**
   * The events, bound for `streamId`, with every personal field sealed for its event under the
   * subject's data key. Throws SubjectErasedError when the subject was erased and the events
   * bring new personal data; stored values they only copy are then kept as stored (unreadable
   * without the destroyed key wherever they are).
   */
  async seal(
    events: NewEvent[],
    streamId: string,
    subjectId: string | undefined,
    keys: SealingKeySource = this.keys,
  ): Promise<NewEvent[]> {
    if (!events.some(needsSealing)) return events;
    if (!subjectId) {
      const types = events.map((event) => event.type).join(', ');
      throw new Error(`events (${types}) carry personal data but no subject to seal it for`);
    }
    let sealing: SubjectKey;
    try {
      sealing = await keys.forSealing(subjectId);
    } catch (error) {
      if (!(error instanceof SubjectErasedError) || events.some(holdsPlaintext)) throw error;
      return events.map(keepCopiesAsStored);
    }
    const copiedKeyIds = events.flatMap(copiedKeyIdsOf).filter((id) => id !== sealing.keyId);
    const opening = copiedKeyIds.length ? await this.keys.forOpening(copiedKeyIds) : new Map();
    return events.map((event) => sealEvent(event, streamId, sealing, opening));
  }

  /** Keys for sealing inside one transaction, new ones stored with it (see TransactionKeys). */
  keysForTransaction(): TransactionKeys {
    return new TransactionKeys(this.keys);
  }
}

export interface OpenedEvents<E> {
  events: E[];
  /** Fields whose ciphertext failed authentication, as `<eventId>: data.<field>`. */
  unreadable: string[];
}

/** Opens the personal fields of stored events for those entitled to read them. */
@Injectable()
export class PersonalDataOpener {
  constructor(private readonly keys: SubjectKeys) {}

  /** Each sealed value opens only in the stream, event and field it was sealed for. */
  async open<E extends EventParts & { streamId: string; eventId: string }>(
    events: E[],
  ): Promise<OpenedEvents<E>> {
    const slots = events.map(sealedSlotsOf);
    const keys = await this.keys.forOpening(
      slots.flatMap((ofEvent) => ofEvent.map(({ sealed }) => sealed.keyId)),
    );
    const unreadable: string[] = [];
    const opened = events.map((event, i) => {
      const result = openEvent(event, keys, slots[i]);
      for (const field of result.unreadable) unreadable.push(`${event.eventId}: ${field}`);
      return result.event;
    });
    return { events: opened, unreadable };
  }
}
