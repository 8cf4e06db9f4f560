// Directors see how cooperation works between their agencies, over HTTP, from referrals made and
// decided through the public interface: Randers' director sees Randers' flows and nothing of
// Redbridge (and the reverse), small counts never appear as numbers, and no one but a director
// reads them.
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const GP = 'redbridge-gp-team';
const ADULT_CARE = 'redbridge-adult-social-care';
const RANDERS_DIRECTOR = DEMO_API_KEYS['demo-randers-director'];
const REDBRIDGE_DIRECTOR = DEMO_API_KEYS['demo-redbridge-director'];

/** Every count field of a flow as the API answers it. */
const COUNT_FIELDS = [
  'made',
  'acknowledged',
  'accepted',
  'rejected',
  'redirected',
  'cancelled',
  'completed',
  'failed',
  'decidedLate',
  'undecidedOverdue',
  'closedLoop',
];

type Json = Record<string, unknown>;

/** Every shown count in an answer: each must be `"<5"` or at least 5. */
function countsIn(answer: Json): unknown[] {
  const flows = [...(answer.agencyFlows as Json[]), ...(answer.sectorFlows as Json[])];
  const nested = (flow: Json): unknown[] => [
    ...Object.values((flow.reasons as Record<string, Json> | undefined) ?? {}).flatMap(
      (byCode): unknown[] => Object.values(byCode),
    ),
    ...Object.values((flow.outcomes as Json | undefined) ?? {}),
  ];
  return [
    ...flows.flatMap((flow) => COUNT_FIELDS.filter((f) => f in flow).map((f) => flow[f])),
    ...(answer.agencyFlows as Json[]).flatMap(nested),
    ...(answer.redirectChains as Json[]).flatMap((m) => [
      m.redirectedOnce,
      m.redirectedTwiceOrMore,
    ]),
  ];
}

describe('cooperation insights for directors', () => {
  let backbone: BackboneUnderTest;
  /** Before anything was sent, and once three Randers referrals were made and accepted. */
  let beforeAnything: string;
  let midway: string;

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    const send = async (agency: string, command: object) => {
      const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
        method: 'POST',
        body: JSON.stringify(command),
      });
      expect(response.status).toBe(200);
    };
    beforeAnything = new Date().toISOString();
    // Randers: six referrals from the school; social care accepts five and rejects one.
    for (let n = 0; n < 6; n++) {
      if (n === 3) midway = new Date().toISOString();
      const make = makeReferralCommand(SCHOOL, SOCIAL);
      await send(SCHOOL, make);
      const referralId = make.subject;
      await send(
        SOCIAL,
        n < 5
          ? commandFrom(SOCIAL, 'referral.accept.v1', referralId, { referralId })
          : commandFrom(SOCIAL, 'referral.reject.v1', referralId, {
              referralId,
              reason: 'No places this term',
              reasonCode: 'no-capacity',
            }),
      );
    }
    // Redbridge: two referrals from the GP team, not yet decided.
    for (let n = 0; n < 2; n++) {
      const make = makeReferralCommand(GP, ADULT_CARE);
      make.data.category = 'adult-social-care';
      await send(GP, make);
    }
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  const flows = async (key: string, accept = 'application/json') => {
    const response = await backbone.http('/v1/insights/flows', key, { headers: { accept } });
    return { status: response.status, type: response.headers.get('content-type'), response };
  };
  const answerOf = async (key: string): Promise<Json> => {
    const { status, response } = await flows(key);
    expect(status).toBe(200);
    return (await response.json()) as Json;
  };

  it('show Randers’ director the flows between its agencies, small counts hidden', async () => {
    const answer = await eventually(async () => {
      const a = await answerOf(RANDERS_DIRECTOR);
      const [flow] = a.agencyFlows as Json[];
      return flow?.made === 6 && flow.accepted === 5 ? a : undefined;
    }, 'the six Randers referrals counted');
    const [flow] = answer.agencyFlows as Json[];
    expect(answer).toMatchObject({
      director: 'demo-randers-director',
      threshold: 5,
      handoverFlows: [],
    });
    expect(flow).toMatchObject({
      from: { agency: SCHOOL, sector: 'education' },
      to: { agency: SOCIAL },
      made: 6,
      accepted: 5,
      rejected: '<5',
      reasons: { rejected: { 'no-capacity': '<5' } },
      closedLoop: '<5',
    });
    expect(JSON.stringify(answer)).not.toContain('redbridge');
    for (const count of countsIn(answer)) {
      expect(count === '<5' || (typeof count === 'number' && count >= 5)).toBe(true);
    }
  });

  it('show Redbridge’s director nothing of Randers, and its two referrals only as "<5"', async () => {
    const answer = await eventually(async () => {
      const a = await answerOf(REDBRIDGE_DIRECTOR);
      return (a.agencyFlows as Json[]).length ? a : undefined;
    }, 'the Redbridge referrals counted');
    expect(answer.agencyFlows).toEqual([
      expect.objectContaining({ from: expect.objectContaining({ agency: GP }), made: '<5' }),
    ]);
    expect(JSON.stringify(answer)).not.toMatch(/randers|east-jutland/);
    expect(JSON.stringify(answer)).not.toMatch(/"made":[0-4][,}]/);
  });

  it('recount from the store what the director would have seen at an earlier moment', async () => {
    const asOf = async (moment: string) => {
      const response = await backbone.http(
        `/v1/insights/flows?asOf=${encodeURIComponent(moment)}`,
        RANDERS_DIRECTOR,
      );
      expect(response.status).toBe(200);
      return (await response.json()) as Json;
    };
    expect((await asOf(beforeAnything)).agencyFlows).toEqual([]);
    // Three made and accepted by then: shown as "<5", where the live figures say 6 and 5.
    expect((await asOf(midway)).agencyFlows).toEqual([
      expect.objectContaining({ made: '<5', accepted: '<5', rejected: '<5' }),
    ]);
    const live = await answerOf(RANDERS_DIRECTOR);
    const now = await asOf(new Date().toISOString());
    expect({ ...now, asOf: undefined }).toEqual({ ...live, asOf: undefined });
  });

  it('refuse an asOf that names no real moment, or one ahead', async () => {
    for (const moment of ['2026-02-31', 'yesterday', '2999-01-01']) {
      const response = await backbone.http(`/v1/insights/flows?asOf=${moment}`, RANDERS_DIRECTOR);
      expect(response.status).toBe(400);
    }
  });

  it('answer CSV to a director who asks for it', async () => {
    const { status, type, response } = await flows(RANDERS_DIRECTOR, 'text/csv');
    expect(status).toBe(200);
    expect(type).toContain('text/csv');
    const [header, row] = (await response.text()).split('\r\n');
    expect(header.startsWith('month,from_agency,from_sector,to_agency,to_sector,made')).toBe(true);
    expect(row).toContain(`${SCHOOL},education,${SOCIAL}`);
    expect(row).toContain(',6,');
  });

  it('leave out the parts the caller does not ask for, the rest as in the whole answer', async () => {
    const whole = await answerOf(RANDERS_DIRECTOR);
    const response = await backbone.http(
      '/v1/insights/flows?fields=totals,redirectChains',
      RANDERS_DIRECTOR,
    );
    expect(response.status).toBe(200);
    const part = (await response.json()) as Json;
    expect(Object.keys(part).sort()).toEqual(
      [
        'agencies',
        'asOf',
        'director',
        'from',
        'redirectChains',
        'threshold',
        'to',
        'totals',
      ].sort(),
    );
    expect(part.totals).toEqual(whole.totals);
    expect(part.redirectChains).toEqual(whole.redirectChains);
    for (const refused of ['fields=agencyFlows,everything', 'fields=totals&format=csv'])
      expect((await backbone.http(`/v1/insights/flows?${refused}`, RANDERS_DIRECTOR)).status).toBe(
        400,
      );
  });

  it('are for directors only', async () => {
    expect((await flows(DEMO_API_KEYS[SCHOOL])).status).toBe(403);
    expect((await flows(DEMO_API_KEYS['demo-audit-office'])).status).toBe(403);
    expect((await flows(DEMO_API_KEYS['demo-ops-team'])).status).toBe(403);
    expect((await flows('not-a-key')).status).toBe(401);
  });

  it('refuse a month range that is not one', async () => {
    const response = await backbone.http('/v1/insights/flows?from=2026-13', RANDERS_DIRECTOR);
    expect(response.status).toBe(400);
  });
});
