import { randomBytes, randomUUID } from 'node:crypto';
import type { EventData, EventMetadata, NewEvent } from '../event-store.port';

/** An event with a fresh id, for tests and benchmarks. */
export const newEvent = (
  type = 'thing.happened.v1',
  data: EventData = { note: 'something happened' },
  metadata: EventMetadata = { actor: 'test' },
): NewEvent => ({ eventId: randomUUID(), type, data, metadata });

/** `count` events numbered in their data (`{ n: 1 }`, `{ n: 2 }`, …). */
export const numberedEvents = (count: number, type = 'thing.counted.v1'): NewEvent[] =>
  Array.from({ length: count }, (_, i) => newEvent(type, { n: i + 1 }));

/** A category no other test uses, so tests sharing one store never see each other's streams. */
export const uniqueCategory = (): string => `t${randomBytes(6).toString('hex')}`;
