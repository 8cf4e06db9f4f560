// Two sector-service instances on one database race conflicting commands on one referral:
// exactly one wins; the other is re-decided against the winner's state, never applied blindly.
import { PostgresEventStore } from '@backbone/event-store';
import { commandFrom, makeReferralCommand } from '@backbone/testing/referral-commands';
import { startCommandHandling } from '@backbone/testing/command-handling-app';
import { TestDatabase, createTestDatabase } from '@backbone/testing/test-stack';
import { CommandProcessor } from './command-processor';

describe('two instances racing on one referral', () => {
  let database: TestDatabase;
  const instances: {
    processor: CommandProcessor;
    store: PostgresEventStore;
    close: () => Promise<void>;
  }[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    for (let i = 0; i < 2; i++) {
      const app = await startCommandHandling(database.url);
      instances.push({
        processor: app.get(CommandProcessor),
        store: app.get(PostgresEventStore),
        close: () => app.close(),
      });
    }
  });
  afterAll(async () => {
    for (const instance of instances) await instance.close();
    await database?.drop();
  });

  const send = async (instance: number, agency: string, command: object) => {
    const result = await instances[instance].processor.process(
      Buffer.from(JSON.stringify(command)),
      agency,
    );
    if (result.kind !== 'answered') throw new Error(result.reason);
    return result.outcome;
  };

  it('lets exactly one of accept and reject win, every time', async () => {
    for (let round = 0; round < 10; round++) {
      const make = makeReferralCommand('randers-school', 'randers-social');
      const referralId = make.subject;
      expect((await send(0, 'randers-school', make)).type).toBe('command.accepted');
      const accept = commandFrom('randers-social', 'referral.accept.v1', referralId, {
        referralId,
      });
      const reject = commandFrom('randers-social', 'referral.reject.v1', referralId, {
        referralId,
        reason: 'No capacity',
      });
      const [accepted, rejected] = await Promise.all([
        send(0, 'randers-social', accept),
        send(1, 'randers-social', reject),
      ]);
      const winners = [accepted, rejected].filter((o) => o.type === 'command.accepted');
      expect(winners).toHaveLength(1);
      const loser = [accepted, rejected].find((o) => o.type === 'command.rejected');
      expect(loser?.data).toMatchObject({ code: 'INVALID_TRANSITION' });
      const history = await instances[1].store.readStream(`referral-${referralId}`);
      expect(history.map((e) => e.type).filter((t) => t !== 'referral.made.v1')).toHaveLength(1);
      // Replaying the losing command changes nothing and gives the same answer.
      const replay = await send(1, 'randers-social', accepted === loser ? accept : reject);
      expect(replay).toEqual(loser);
      expect(await instances[0].store.readStream(`referral-${referralId}`)).toHaveLength(
        history.length,
      );
    }
  });
});
