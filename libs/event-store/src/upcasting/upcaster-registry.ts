import type { EventData, StoredEvent } from '../event-store.port';

/** Turns the data of one version of an event type into the data of the next version. */
export type Upcast = (data: EventData, event: StoredEvent) => EventData;

/** One version step of an event type, as a list of upcasters gives it (CONTRACT_UPCASTERS). */
export interface UpcastStep {
  /** The event type without its version suffix, e.g. `referral.made`. */
  name: string;
  fromVersion: number;
  upcast: Upcast;
}

/** `referral.made.v2` → { name: 'referral.made', version: 2 }; unversioned types → undefined. */
export function parseEventType(type: string): { name: string; version: number } | undefined {
  const match = /^(.+)\.v([1-9]\d*)$/.exec(type);
  return match ? { name: match[1], version: Number(match[2]) } : undefined;
}

/**
 * Old event shapes are never rewritten in the store (the hash chain covers them as stored);
 * they are turned into the current shape on read, one version step at a time, so a v1 event
 * passes through v1→v2 and then v2→v3 when both are registered.
 */
export class UpcasterRegistry {
  private readonly steps = new Map<string, Upcast>();

  /** Registers the step from `name.v<fromVersion>` to `name.v<fromVersion + 1>`. */
  register(name: string, fromVersion: number, upcast: Upcast): this {
    if (!Number.isInteger(fromVersion) || fromVersion < 1) {
      throw new RangeError(`an upcaster starts from version 1 or later, not ${fromVersion}`);
    }
    const key = `${name}.v${fromVersion}`;
    if (this.steps.has(key)) throw new Error(`an upcaster from ${key} is already registered`);
    this.steps.set(key, upcast);
    return this;
  }

  /** Registers every step of a list, e.g. the contracts' CONTRACT_UPCASTERS. */
  registerAll(steps: Iterable<UpcastStep>): this {
    for (const { name, fromVersion, upcast } of steps) this.register(name, fromVersion, upcast);
    return this;
  }

  get isEmpty(): boolean {
    return this.steps.size === 0;
  }

  /** The event in its current shape; the same object when no upcaster applies. */
  upcast(event: StoredEvent): StoredEvent {
    let step = this.steps.get(event.type);
    if (!step) return event;
    let current = event;
    while (step) {
      const { name, version } = parseEventType(current.type) as { name: string; version: number };
      current = { ...current, type: `${name}.v${version + 1}`, data: step(current.data, current) };
      step = this.steps.get(current.type);
    }
    return { ...current, storedType: event.type };
  }
}
