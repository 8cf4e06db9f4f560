// Upcasters of the published language: each turns an old version of an event's data into the
// next version, applied on read by the event store (old events are never rewritten: the hash
// chain covers them as stored). No event type has a second version yet; when one does, its
// step goes here, e.g. `{ name: 'referral.made', fromVersion: 1, upcast: (data) => ({ ...data, … }) }`.

export interface ContractUpcaster {
  /** The event type without its version suffix, e.g. `referral.made`. */
  name: string;
  fromVersion: number;
  upcast: (data: Record<string, unknown>) => Record<string, unknown>;
}

export const CONTRACT_UPCASTERS: readonly ContractUpcaster[] = [];
