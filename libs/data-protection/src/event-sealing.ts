// Sealing and opening the personal fields of one event: the classified fields of its `data`
// (by event type, from the contracts) and the `actor` in its metadata.
import { PERSONAL_ENVELOPE_FIELDS, personalEventFields } from '@backbone/contracts';
import type { EventData, EventMetadata } from '@backbone/event-store';
import { AuthenticationFailedError } from './aes-gcm';
import { KeyForOpening } from './subject-keys';
import {
  ERASED,
  SealedParts,
  UNREADABLE,
  isSealed,
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

/** Whether the event holds personal data not yet sealed (values copied from a stored event are). */
export const needsSealing = (event: EventParts): boolean =>
  personalSlots(event).some(({ value }) => !isSealed(value));

function withSlots<E extends EventParts>(event: E, replace: (slot: PersonalSlot) => unknown): E {
  const data = { ...event.data };
  const metadata = { ...event.metadata };
  for (const slot of personalSlots(event)) {
    (slot.part === 'data' ? data : metadata)[slot.field] = replace(slot);
  }
  return { ...event, data, metadata };
}

export function sealEvent<E extends EventParts>(event: E, keyId: string, key: Buffer): E {
  return withSlots(event, ({ field, value }) =>
    isSealed(value) ? value : sealValue(keyId, key, field, value),
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
export function openEvent<E extends EventParts>(
  event: E,
  keys: ReadonlyMap<string, KeyForOpening>,
  slots: SealedSlot[] = sealedSlotsOf(event),
): OpenedEvent<E> {
  if (!slots.length) return { event, unreadable: [] };
  const unreadable: string[] = [];
  const data = { ...event.data };
  const metadata = { ...event.metadata };
  for (const { part, field, sealed } of slots) {
    (part === 'data' ? data : metadata)[field] = openSlot(sealed, field, keys, () =>
      unreadable.push(`${part}.${field}`),
    );
  }
  return { event: { ...event, data, metadata }, unreadable };
}

function openSlot(
  sealed: SealedParts,
  field: string,
  keys: ReadonlyMap<string, KeyForOpening>,
  onUnreadable: () => void,
): unknown {
  const found = keys.get(sealed.keyId) ?? { state: 'unknown' };
  if (found.state === 'erased') return ERASED;
  try {
    if (found.state === 'present') return openValue(sealed, found.key, field);
  } catch (error) {
    if (!(error instanceof AuthenticationFailedError)) throw error;
  }
  onUnreadable();
  return UNREADABLE;
}
