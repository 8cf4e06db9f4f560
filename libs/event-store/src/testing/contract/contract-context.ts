import type { EventStore } from '../../event-store.port';

/** A store under test, and how to throw it away afterwards. */
export interface ContractSubject {
  store: EventStore;
  dispose(): Promise<void>;
}

export type EventStoreFactory = () => Promise<ContractSubject>;

/** What each part of the contract gets: the store, once `beforeAll` has made it. */
export interface ContractContext {
  readonly store: EventStore;
}
