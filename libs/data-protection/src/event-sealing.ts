// Sealing and opening the personal fields of one event: the classified fields of its `data`
// (by event type, from the contracts) and the `actor` in its metadata.
import { PERSONAL_ENVELOPE_FIELDS, personalEventFields } from '@backbone/contracts';
import type { EventData, EventMetadata } from '@backbone/event-store';
import { AuthenticationFailedError } from './aes-gcm';
import type { KeyForOpening, SubjectKey } from './subject-keys';
import {
  ERASED,
  SealedBinding,
  SealedParts,
  StoredSealedValue,
  UNREADABLE,
  isSealed,
  keyIdOf,
  openValue,
  parseSealed,
  sealValue,
} from './sealed-value';

export interface EventParts {
  type: string;
  data: EventData;
  metadata: EventMetadata;
}

interface PersonalSlot {
  part: 'data' | 'metadata';
  field: string;
  value: unknown;
}

function personalSlots(event: EventParts): PersonalSlot[] {
  const slots: PersonalSlot[] = [];
  for (const field of personalEventFields(event.type)) {
    if (event.data[field] !== undefined)
      slots.push({ part: 'data', field, value: event.data[field] });
  }
  for (const field of PERSONAL_ENVELOPE_FIELDS) {
    if (event.metadata[field] !== undefined) {
      slots.push({ part: 'metadata', field, value: event.metadata[field] });
    }
  }
  return slots;
}

/**
 * Whether the event holds personal data to seal. Every personal value is sealed for the event it
 * goes in: plaintext, however it looks, and stored values a decision copied (sealed again).
 */
export const needsSealing = (event: EventParts): boolean => personalSlots(event).length > 0;

/** Whether the event brings personal data of its own, not only values copied from the store. */
export const holdsPlaintext = (event: EventParts): boolean =>
  personalSlots(event).some(({ value }) => !(value instanceof StoredSealedValue));

/** The data keys that the stored values copied into the event were sealed with. */
export const copiedKeyIdsOf = (event: EventParts): string[] =>
  personalSlots(event).flatMap(({ value }) =>
    value instanceof StoredSealedValue ? [keyIdOf(value.sealed)] : [],
  );

function withSlots<E extends EventParts>(event: E, replace: (slot: PersonalSlot) => unknown): E {
  const data = { ...event.data };
  const metadata = { ...event.metadata };
  for (const slot of personalSlots(event)) {
    (slot.part === 'data' ? data : metadata)[slot.field] = replace(slot);
  }
  return { ...event, data, metadata };
}

/**
 * The event with every personal field sealed for it (`streamId`, its `eventId`, the field) under
 * the subject's key. A stored value a decision copied is opened where it was stored and sealed
 * again; one that does not open there (its key destroyed, or altered) is kept as it was, so it
 * reads here as it reads there. `opening`: the keys those copies were sealed with.
 */
export function sealEvent<E extends EventParts & { eventId: string }>(
  event: E,
  streamId: string,
  sealing: SubjectKey,
  opening: ReadonlyMap<string, KeyForOpening> = new Map(),
): E {
  return withSlots(event, ({ field, value }) => {
    const at = { streamId, eventId: event.eventId, field };
    if (!(value instanceof StoredSealedValue)) {
      return sealValue(sealing.keyId, sealing.key, at, value);
    }
    const keyId = keyIdOf(value.sealed);
    const found: KeyForOpening =
      keyId === sealing.keyId
        ? { state: 'present', key: sealing.key }
        : (opening.get(keyId) ?? { state: 'unknown' });
    if (found.state !== 'present') return value.sealed;
    try {
      const opened = openValue(value.sealed, found.key, value.storedAt);
      return sealValue(sealing.keyId, sealing.key, at, opened);
    } catch (error) {
      if (!(error instanceof AuthenticationFailedError)) throw error;
      return value.sealed;
    }
  });
}

/** The event with the stored values copied into it kept as stored (no key to seal them with). */
export const keepCopiesAsStored = <E extends EventParts>(event: E): E =>
  withSlots(event, ({ value }) => (value instanceof StoredSealedValue ? value.sealed : value));

/**
 * A stored event as decisions see it: its sealed personal values marked as read from the store
 * (StoredSealedValue), so that sealing can tell a copied value from an agency's plaintext.
 */
export function markStoredSealed<E extends EventParts & { streamId: string; eventId: string }>(
  event: E,
): E {
  if (!sealedSlotsOf(event).length) return event;
  return withSlots(event, ({ field, value }) =>
    isSealed(value)
      ? new StoredSealedValue(value, { streamId: event.streamId, eventId: event.eventId, field })
      : value,
  );
}

/** A personal field holding a sealed value, taken apart once for both finding and opening it. */
export interface SealedSlot {
  part: 'data' | 'metadata';
  field: string;
  sealed: SealedParts;
}

/** The event's personal fields that hold sealed values. */
export function sealedSlotsOf(event: EventParts): SealedSlot[] {
  const slots: SealedSlot[] = [];
  for (const { part, field, value } of personalSlots(event)) {
    const sealed = parseSealed(value);
    if (sealed) slots.push({ part, field, sealed });
  }
  return slots;
}

/** The data keys an event's sealed fields need. */
export const keyIdsOf = (event: EventParts): string[] =>
  sealedSlotsOf(event).map(({ sealed }) => sealed.keyId);

export interface OpenedEvent<E> {
  event: E;
  /** Fields whose ciphertext failed authentication: they read as `[unreadable]`. */
  unreadable: string[];
}

/**
 * The event with its personal fields in plaintext, or `[erased]` where the key is destroyed.
 * `slots` saves taking the sealed values apart again when the caller already has them.
 */
export function openEvent<E extends EventParts & { streamId: string; eventId: string }>(
  event: E,
  keys: ReadonlyMap<string, KeyForOpening>,
  slots: SealedSlot[] = sealedSlotsOf(event),
): OpenedEvent<E> {
  if (!slots.length) return { event, unreadable: [] };
  const unreadable: string[] = [];
  const data = { ...event.data };
  const metadata = { ...event.metadata };
  for (const { part, field, sealed } of slots) {
    const at = { streamId: event.streamId, eventId: event.eventId, field };
    (part === 'data' ? data : metadata)[field] = openSlot(sealed, at, keys, () =>
      unreadable.push(`${part}.${field}`),
    );
  }
  return { event: { ...event, data, metadata }, unreadable };
}

function openSlot(
  sealed: SealedParts,
  at: SealedBinding,
  keys: ReadonlyMap<string, KeyForOpening>,
  onUnreadable: () => void,
): unknown {
  const found = keys.get(sealed.keyId) ?? { state: 'unknown' };
  if (found.state === 'erased') return ERASED;
  try {
    if (found.state === 'present') return openValue(sealed, found.key, at);
  } catch (error) {
    if (!(error instanceof AuthenticationFailedError)) throw error;
  }
  onUnreadable();
  return UNREADABLE;
}
