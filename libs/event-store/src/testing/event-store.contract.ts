// The behaviour every EventStore adapter must show, as a jest suite that takes a factory:
//   eventStoreContract('PostgreSQL', async () => ({ store, dispose }));
// Tests share one store and keep apart by using streams of a category of their own.
import { afterAll, beforeAll, describe } from '@jest/globals';
import type { EventStore } from '../event-store.port';
import { atomicAppendContract } from './contract/atomic-append.contract';
import { badInputContract } from './contract/bad-input.contract';
import type {
  ContractContext,
  ContractSubject,
  EventStoreFactory,
} from './contract/contract-context';
import { expectedVersionContract } from './contract/expected-version.contract';
import { idempotencyContract } from './contract/idempotency.contract';
import { readAllContract } from './contract/read-all.contract';
import { readStreamContract } from './contract/read-stream.contract';
import { streamMetadataContract } from './contract/stream-metadata.contract';
import { subscribeContract } from './contract/subscribe.contract';
import { verifyContract } from './contract/verify.contract';

export type { ContractSubject, EventStoreFactory } from './contract/contract-context';

export function eventStoreContract(adapter: string, createStore: EventStoreFactory): void {
  describe(`${adapter} meets the EventStore contract`, () => {
    let subject: ContractSubject | undefined;
    const ctx: ContractContext = {
      get store(): EventStore {
        if (!subject) throw new Error('the store is made in beforeAll');
        return subject.store;
      },
    };
    beforeAll(async () => {
      subject = await createStore();
    });
    afterAll(async () => {
      await subject?.dispose();
    });

    expectedVersionContract(ctx);
    atomicAppendContract(ctx);
    idempotencyContract(ctx);
    badInputContract(ctx);
    readStreamContract(ctx);
    readAllContract(ctx);
    subscribeContract(ctx);
    streamMetadataContract(ctx);
    verifyContract(ctx);
  });
}
