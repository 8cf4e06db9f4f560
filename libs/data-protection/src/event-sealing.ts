// Sealing and opening the personal fields of one event: the classified fields of its `data`
// (by event type, from the contracts) and the `actor` in its metadata.
import { PERSONAL_ENVELOPE_FIELDS, personalEventFields } from '@backbone/contracts';
import type { EventData, EventMetadata } from '@backbone/event-store';
import { AuthenticationFailedError } from './aes-gcm';
import { KeyForOpening } from './subject-keys';
import { ERASED, UNREADABLE, isSealed, openValue, parseSealed, sealValue } from './sealed-value';

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

/** The data keys an event's sealed fields need. */
export const keyIdsOf = (event: EventParts): string[] =>
  personalSlots(event)
    .map(({ value }) => value)
    .flatMap((value) => parseSealed(value)?.keyId ?? []);

export interface OpenedEvent<E> {
  event: E;
  /** Fields whose ciphertext failed authentication: they read as `[unreadable]`. */
  unreadable: string[];
}

/** The event with its personal fields in plaintext, or `[erased]` where the key is destroyed. */
export function openEvent<E extends EventParts>(
  event: E,
  keys: ReadonlyMap<string, KeyForOpening>,
): OpenedEvent<E> {
  const unreadable: string[] = [];
  const opened = withSlots(event, ({ part, field, value }) => {
    const sealed = parseSealed(value);
    if (!sealed) return value;
    const found = keys.get(sealed.keyId) ?? { state: 'unknown' };
    if (found.state === 'erased') return ERASED;
    try {
      if (found.state === 'present') return openValue(sealed, found.key, field);
    } catch (error) {
      if (!(error instanceof AuthenticationFailedError)) throw error;
    }
    unreadable.push(`${part}.${field}`);
    return UNREADABLE;
  });
  return { event: opened, unreadable };
}
