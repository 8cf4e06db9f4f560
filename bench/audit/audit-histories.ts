// The histories the audit benchmark reads: a long-running referral of 200 events and one person
// with 50 referrals, each accepted into a case that is then handed over. Appended through the
// real store (hash chain by the append function) with personal fields sealed under the person's
// own data key, so reading them costs what it costs in production: decryption included.
import { randomUUID } from 'node:crypto';
import { PersonalDataSealer } from '@backbone/data-protection';
import { caseStreamId, referralStreamId } from '@backbone/domain';
import type { EventData, NewEvent, PostgresEventStore } from '@backbone/event-store';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';

const subjectData = {
  identifiers: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
  name: { given: 'Freja', family: 'Nielsen' },
  birthDate: '2012-01-01',
};

/** One command's events, stamped as the sector service stamps them. */
function stamped(
  subjectId: string,
  actingAgency: string,
  parties: string[],
  events: { type: string; data: EventData }[],
): NewEvent[] {
  const commandId = randomUUID();
  return events.map(({ type, data }) => ({
    eventId: randomUUID(),
    type,
    data,
    metadata: {
      source: 'backbone/sector-service',
      causationId: commandId,
      correlationId: commandId,
      actingAgency,
      parties,
      subjectId,
      actor: `Case worker at ${actingAgency}`,
    },
  }));
}

const made = (referralId: string, subjectId: string, from: string, to: string) => ({
  type: 'referral.made.v1',
  data: {
    referralId,
    from,
    to,
    category: 'safeguarding',
    priority: 'urgent',
    reason: 'Repeated absence this term and signs of neglect observed by staff.',
    subjectId,
    subject: subjectData,
    lawfulBasis: { basis: 'public-task' },
    decisionDueBy: new Date(Date.now() + 86_400_000).toISOString(),
  },
});

export class AuditHistoryWriter {
  constructor(
    private readonly store: PostgresEventStore,
    private readonly sealer: PersonalDataSealer,
  ) {}

  private async append(streamId: string, expected: number, subjectId: string, events: NewEvent[]) {
    await this.store.appendToStream(
      streamId,
      expected === 0 ? 'no-stream' : expected,
      await this.sealer.seal(events, streamId, subjectId),
    );
  }

  /** A referral made, then worked on with notes until it holds `events` events. */
  async longReferral(subjectId: string, events: number): Promise<string> {
    const referralId = randomUUID();
    const streamId = referralStreamId(referralId);
    const parties = [SCHOOL, SOCIAL];
    await this.append(
      streamId,
      0,
      subjectId,
      stamped(subjectId, SCHOOL, parties, [made(referralId, subjectId, SCHOOL, SOCIAL)]),
    );
    for (let version = 1; version < events; version++) {
      const by = version % 2 ? SOCIAL : SCHOOL;
      const note = {
        type: 'referral.noted.v1',
        data: { referralId, by, text: `Update ${version}: spoke with the family; visit booked.` },
      };
      await this.append(streamId, version, subjectId, stamped(subjectId, by, parties, [note]));
    }
    return referralId;
  }

  /** `count` referrals about one person, each accepted into a case handed over to another agency. */
  async personWithReferrals(subjectId: string, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const referralId = randomUUID();
      const caseId = randomUUID();
      const handoverId = randomUUID();
      const referral = referralStreamId(referralId);
      const kase = caseStreamId(caseId);
      const parties = [SCHOOL, SOCIAL];
      const step = (by: string, type: string, data: EventData = {}) =>
        stamped(subjectId, by, parties, [{ type, data: { referralId, ...data } }]);
      await this.append(
        referral,
        0,
        subjectId,
        stamped(subjectId, SCHOOL, parties, [made(referralId, subjectId, SCHOOL, SOCIAL)]),
      );
      await this.append(referral, 1, subjectId, step(SOCIAL, 'referral.received.v1'));
      await this.append(
        referral,
        2,
        subjectId,
        step(SOCIAL, 'referral.accepted.v1', { caseId, assignee: 'Social worker Bo' }),
      );
      const opened = {
        caseId,
        responsible: SOCIAL,
        subjectId,
        subject: subjectData,
        lawfulBasis: { basis: 'public-task' },
        fromReferralId: referralId,
      };
      await this.append(
        kase,
        0,
        subjectId,
        stamped(subjectId, SOCIAL, [SOCIAL], [{ type: 'case.opened.v1', data: opened }]),
      );
      await this.append(referral, 3, subjectId, step(SOCIAL, 'referral.started.v1'));
      await this.append(
        referral,
        4,
        subjectId,
        step(SOCIAL, 'referral.noted.v1', { by: SOCIAL, text: 'Home visit done.' }),
      );
      await this.append(
        referral,
        5,
        subjectId,
        step(SOCIAL, 'referral.completed.v1', {
          outcome: 'Support plan agreed',
          outcomeCode: 'service-provided',
        }),
      );
      const handover = (type: string, data: EventData) => ({
        type,
        data: { caseId, handoverId, ...data },
      });
      const both = [SOCIAL, POLICE];
      const proposed = {
        from: SOCIAL,
        to: POLICE,
        reason: 'Youth-justice matter',
        summary: 'Known to police',
      };
      await this.append(
        kase,
        1,
        subjectId,
        stamped(subjectId, SOCIAL, both, [handover('case.handover-proposed.v1', proposed)]),
      );
      // Accepting without an effective time completes the handover in the same command.
      await this.append(
        kase,
        2,
        subjectId,
        stamped(subjectId, POLICE, both, [
          handover('case.handover-accepted.v1', { effectiveAt: new Date().toISOString() }),
          handover('case.handover-completed.v1', { from: SOCIAL, to: POLICE }),
        ]),
      );
    }
  }
}
