// Invariant 5, second half: a read model rebuilt from the event store is the very model live
// processing built from Kafka, row for row, after a seeded random workload of real commands;
// and swapping the rebuilt table in keeps the query API and live projection working.
import { randomUUID } from 'node:crypto';
import { Pool } from 'pg';
import { DEMO_API_KEYS } from '@backbone/directory';
import { READ_MODELS, ReadModel } from '../../apps/projector/src/engine/read-models';
import {
  buildShadowTables,
  rebuildReadModels,
} from '../../apps/projector/src/rebuild/rebuild-read-model';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { projectorCaughtUp } from '../support/projector-caught-up';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';
import { SeededRandom } from '../support/seeded-random';

const SEED = 20251128;
const STEPS = 160;

/** Who may refer what to whom in the demo directory. */
const ROUTES = [
  { from: 'randers-school', to: 'randers-social', category: 'child-social-care' },
  { from: 'randers-school', to: 'randers-social', category: 'safeguarding' },
  { from: 'redbridge-gp-team', to: 'redbridge-adult-social-care', category: 'adult-social-care' },
  { from: 'ilford-jobcentre', to: 'redbridge-debt-advice', category: 'debt-advice' },
  { from: 'redbridge-adult-social-care', to: 'redbridge-gp-team', category: 'mental-health' },
] as const;
const HANDOVER_TARGETS = ['redbridge-housing', 'east-jutland-police', 'redbridge-drug-rehab'];

interface Referral {
  id: string;
  from: string;
  to: string;
  accepted: boolean;
}
interface Case {
  id: string;
  responsible: string;
  handover?: { id: string; to: string };
}

const PRIMARY_KEY: Record<ReadModel['name'], string> = {
  'referral-views': 'referral_id',
  'case-views': 'case_id',
  'referral-facts': 'referral_id',
  'handover-facts': 'handover_id',
};
/** The primary key of each table of sums a model keeps beside its rows. */
const SUMMARY_KEY: Partial<Record<ReadModel['name'], string>> = {
  'referral-facts': 'month, from_agency, to_agency',
  'handover-facts': 'month, from_agency, to_agency',
};

describe('rebuilding read models from the event store', () => {
  let backbone: BackboneUnderTest;
  let pool: Pool;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    pool = new Pool({ connectionString: backbone.config.databaseUrl, max: 4 });
  });
  afterAll(async () => {
    await pool?.end();
    await backbone?.stop();
  });

  const send = async (agency: string, command: object): Promise<number> => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    await response.body?.cancel();
    return response.status;
  };
  const caseOf = (referral: Referral): Promise<string> =>
    eventually(async () => {
      const response = await backbone.http(
        `/v1/referrals/${referral.id}`,
        DEMO_API_KEYS[referral.to],
      );
      const body = (await response.json()) as { caseId?: string };
      return body.caseId;
    }, `the case of referral ${referral.id}`);
  const rowsOf = async (table: string, model: ReadModel['name']) =>
    // Table names come from the closed set of read models, never from input.
    (
      await pool.query<Record<string, unknown>>(
        `SELECT * FROM ${table} ORDER BY ${PRIMARY_KEY[model]}`,
      )
    ).rows;
  const sumsOf = async (table: string, model: ReadModel['name']) =>
    (
      await pool.query<Record<string, unknown>>(
        `SELECT * FROM ${table} ORDER BY ${SUMMARY_KEY[model]}`,
      )
    ).rows;
  /** Each model's live and shadow tables of rows, and of sums where it keeps some. */
  const expectShadowsAsLive = async (models: ReadModel[]) => {
    for (const model of models) {
      expect(await rowsOf(model.shadowTable, model.name)).toEqual(
        await rowsOf(model.table, model.name),
      );
      if (model.summary)
        expect(await sumsOf(model.summary.shadowTable, model.name)).toEqual(
          await sumsOf(model.summary.table, model.name),
        );
    }
  };
  const caughtUp = () =>
    eventually(
      async () =>
        (await projectorCaughtUp(pool, backbone.config.kafkaBrokers, backbone.topics.events))
          ? true
          : undefined,
      'live projection to catch up with the store',
      60_000,
    );

  /** Real commands from a seeded sequence: most valid, some refused (which must change nothing). */
  async function runRandomWorkload(random: SeededRandom): Promise<void> {
    const referrals: Referral[] = [];
    const cases: Case[] = [];
    for (let step = 0; step < STEPS; step++) {
      const roll = random.next();
      if (roll < 0.25 || !referrals.length) {
        const route = random.pick(ROUTES);
        const make = makeReferralCommand(route.from, route.to);
        make.data.category = route.category;
        make.data.priority = random.pick(['urgent', 'routine', 'emergency']);
        if ((await send(route.from, make)) === 200)
          referrals.push({ id: make.subject, from: route.from, to: route.to, accepted: false });
      } else if (roll < 0.75 || !cases.length) {
        const referral = random.pick(referrals);
        const referralId = referral.id;
        const action = random.pick([
          'acknowledge',
          'accept',
          'accept',
          'reject',
          'redirect',
          'start',
          'hold',
          'complete',
          'fail',
          'note',
          'cancel',
        ]);
        const byReceiver = (type: string, data: Record<string, unknown> = {}) =>
          send(referral.to, commandFrom(referral.to, type, referralId, { referralId, ...data }));
        if (action === 'accept') {
          if ((await byReceiver('referral.accept.v1')) === 200) {
            referral.accepted = true;
            cases.push({ id: await caseOf(referral), responsible: referral.to });
          }
        } else if (action === 'redirect') {
          const newReferralId = randomUUID();
          const status = await byReceiver('referral.redirect.v1', {
            to: 'east-jutland-police',
            reason: 'Better placed to act',
            newReferralId,
          });
          if (status === 200)
            referrals.push({
              id: newReferralId,
              from: referral.from,
              to: 'east-jutland-police',
              accepted: false,
            });
        } else if (action === 'cancel') {
          await send(
            referral.from,
            commandFrom(referral.from, 'referral.cancel.v1', referralId, {
              referralId,
              reason: 'No longer needed',
            }),
          );
        } else if (action === 'note') {
          await byReceiver('referral.note.v1', { text: `note ${step}` });
        } else if (action === 'complete') {
          await byReceiver('referral.complete.v1', {
            outcome: 'Support given',
            outcomeCode: 'service-provided',
          });
        } else if (action === 'reject' || action === 'hold' || action === 'fail') {
          await byReceiver(`referral.${action}.v1`, { reason: `reason ${step}` });
        } else {
          await byReceiver(`referral.${action}.v1`);
        }
      } else {
        const open = random.pick(cases);
        const caseId = open.id;
        const handover = open.handover;
        const action = handover
          ? random.pick(['accept', 'accept', 'decline', 'cancel'])
          : random.pick(['propose', 'propose', 'close']);
        if (action === 'propose') {
          const to = random.pick(HANDOVER_TARGETS.filter((t) => t !== open.responsible));
          const handoverId = randomUUID();
          const command = commandFrom(open.responsible, 'case.handover.propose.v1', caseId, {
            caseId,
            handoverId,
            to,
            reason: 'Better placed',
            summary: `step ${step}`,
          });
          if ((await send(open.responsible, command)) === 200)
            open.handover = { id: handoverId, to };
        } else if (action === 'close') {
          await send(
            open.responsible,
            commandFrom(open.responsible, 'case.close.v1', caseId, { caseId, reason: 'Done' }),
          );
        } else if (handover) {
          const sender = action === 'cancel' ? open.responsible : handover.to;
          const data =
            action === 'accept'
              ? { caseId, handoverId: handover.id }
              : { caseId, handoverId: handover.id, reason: `reason ${step}` };
          const status = await send(
            sender,
            commandFrom(sender, `case.handover.${action}.v1`, caseId, data),
          );
          if (status === 200) {
            if (action === 'accept') open.responsible = handover.to;
            open.handover = undefined;
          }
        }
      }
    }
  }

  it('builds, from the store alone, exactly the rows live processing built', async () => {
    await runRandomWorkload(new SeededRandom(SEED));
    await caughtUp();
    const models = Object.values(READ_MODELS);
    await buildShadowTables(pool, models);
    for (const model of models) {
      // The workload proposes a few handovers among many referrals and cases: every model has
      // rows to compare.
      expect((await rowsOf(model.table, model.name)).length).toBeGreaterThan(2);
      if (model.summary)
        expect((await sumsOf(model.summary.table, model.name)).length).toBeGreaterThan(0);
    }
    await expectShadowsAsLive(models);
    // Again in small batches, holding a few rows at a time (rows written out early are read
    // back and folded on), and writing rows while reading (a row that changes after it was
    // written is written again): the same rows each time.
    for (const options of [
      { batchSize: 7, cacheRows: 5 },
      { batchSize: 5, settledWrites: { every: 10, quietFor: 20 } },
    ]) {
      await buildShadowTables(pool, models, options);
      await expectShadowsAsLive(models);
    }
  });

  it('swaps a rebuilt model in while the backbone runs, and live projection goes on into it', async () => {
    const inboxBefore = await (
      await backbone.http(
        '/v1/agencies/randers-social/inbox?limit=200',
        DEMO_API_KEYS['randers-social'],
      )
    ).json();
    const before = await rowsOf('referral_views', 'referral-views');
    await rebuildReadModels(pool, [READ_MODELS['referral-views']]);
    expect(await rowsOf('referral_views', 'referral-views')).toEqual(before);
    const inboxAfter = await (
      await backbone.http(
        '/v1/agencies/randers-social/inbox?limit=200',
        DEMO_API_KEYS['randers-social'],
      )
    ).json();
    expect(inboxAfter).toEqual(inboxBefore);
    const { rows: shadows } = await pool.query(
      "SELECT 1 FROM pg_tables WHERE tablename IN ('referral_views_rebuild', 'referral_views_retired')",
    );
    expect(shadows).toEqual([]);

    const make = makeReferralCommand('randers-school', 'randers-social');
    expect(await send('randers-school', make)).toBe(200);
    await eventually(async () => {
      const response = await backbone.http(
        `/v1/referrals/${make.subject}`,
        DEMO_API_KEYS['randers-social'],
      );
      await response.body?.cancel();
      return response.status === 200 ? true : undefined;
    }, 'the new referral in the swapped-in table');
  });

  it('swaps rebuilt facts in with the flows summed beside them, and live projection goes on summing', async () => {
    await caughtUp();
    const facts = READ_MODELS['referral-facts'];
    const before = await sumsOf('referral_flows', facts.name);
    await rebuildReadModels(pool, [facts]);
    expect(await sumsOf('referral_flows', facts.name)).toEqual(before);
    const { rows: shadows } = await pool.query(
      "SELECT 1 FROM pg_tables WHERE tablename IN ('referral_flows_rebuild', 'referral_flows_retired')",
    );
    expect(shadows).toEqual([]);

    const madeOf = async (month: string): Promise<number> => {
      const { rows } = await pool.query<{ made: number }>(
        `SELECT made FROM referral_flows
         WHERE month = $1 AND from_agency = 'randers-school' AND to_agency = 'randers-social'`,
        [month],
      );
      return rows[0]?.made ?? 0;
    };
    const month = new Date().toISOString().slice(0, 7);
    const made = await madeOf(month);
    const make = makeReferralCommand('randers-school', 'randers-social');
    expect(await send('randers-school', make)).toBe(200);
    await eventually(
      async () => ((await madeOf(month)) > made ? true : undefined),
      'the new referral counted in the swapped-in flows',
    );
  });
});
