// The FHIR R4 write side as a FHIR-speaking agency system uses it, through a generic FHIR
// client (fhir-kit-client): a referral made by a transaction Bundle, found by the receiver,
// accepted and completed by JSON Patch with If-Match, the outcome read by the referrer — and
// the same referral on Kafka and in the CloudEvents API, its history one version per event,
// stale versions refused, other agencies kept out, and every resource judged by both judges.
import Client from 'fhir-kit-client';
import type { Bundle, OperationOutcome, Resource, Task } from '@medplum/fhirtypes';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { fhirJudgesComplaints } from '../support/fhir/fhir-judges';
import { referralTransaction, taskWithContainedParts } from '../support/fhir/referral-transaction';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';
const OUR = 'https://referral-backbone.org/fhir';
const SCHOOL_CASE = { system: 'https://randers-school.example/referrals', value: 'R-2026-0417' };

interface FhirFailure {
  response: { status: number; data: OperationOutcome };
}

describe('FHIR R4 write endpoint', () => {
  let backbone: BackboneUnderTest;
  /** Every resource /fhir answered with, for the judges. */
  const returned: Resource[] = [];
  const client = (agency: string): Client =>
    new Client({
      baseUrl: `${backbone.baseUrl}/fhir`,
      customHeaders: { Authorization: `Bearer ${DEMO_API_KEYS[agency]}` },
    });
  const kept = <T>(resource: T): T => {
    returned.push(resource as Resource);
    return resource;
  };
  /** The status and OperationOutcome a refused request got. */
  const refused = async (request: Promise<unknown>): Promise<FhirFailure['response']> => {
    const failure = await request.then(
      () => {
        throw new Error('the request was not refused');
      },
      (error: FhirFailure) => error,
    );
    kept(failure.response.data);
    return failure.response;
  };
  const ifMatch = (version: string | undefined) => ({
    options: { headers: { 'If-Match': `W/"${version ?? ''}"` } },
  });

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start((topics) => [topics.inbox(SOCIAL), topics.events]);
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  it('makes a referral from a transaction Bundle and carries it through to its outcome', async () => {
    const school = client(SCHOOL);
    const social = client(SOCIAL);
    const bundle = referralTransaction({
      from: SCHOOL,
      to: SOCIAL,
      identifier: SCHOOL_CASE,
      ifNoneExist: `identifier=${SCHOOL_CASE.system}|${SCHOOL_CASE.value}`,
    });
    const answer = kept((await school.transaction({ body: bundle as never })) as Bundle);
    expect(answer.type).toBe('transaction-response');
    expect(answer.entry?.map((entry) => entry.response?.status)).toEqual([
      '201 Created',
      '201 Created',
      '201 Created',
      '201 Created',
    ]);
    const made = answer.entry?.[0].resource as Task;
    const id = made.id as string;
    expect(answer.entry?.[0].response).toMatchObject({
      location: `Task/${id}/_history/1`,
      etag: 'W/"1"',
    });
    expect(made).toMatchObject({
      status: 'requested',
      owner: { reference: `Organization/${SOCIAL}` },
    });

    // The same create again finds the first referral: 200, nothing new.
    const again = kept((await school.transaction({ body: bundle as never })) as Bundle);
    expect(again.entry?.[0].response?.status).toBe('200 OK');
    expect(again.entry?.[0].resource?.id).toBe(id);

    // The receiver finds it by owner (the read model follows within moments).
    let found: Bundle | undefined;
    for (let tries = 0; tries < 100 && !found?.entry?.length; tries += 1) {
      if (tries) await new Promise((resolve) => setTimeout(resolve, 100));
      found = (await social.search({
        resourceType: 'Task',
        searchParams: { owner: `Organization/${SOCIAL}`, status: 'requested' },
      })) as Bundle;
    }
    kept(found);
    expect(found?.entry?.map((entry) => entry.resource?.id)).toEqual([id]);

    const accepted = kept(
      (await social.patch({
        resourceType: 'Task',
        id,
        JSONPatch: [{ op: 'replace', path: '/status', value: 'accepted' }],
        ...ifMatch('1'),
      })) as Task,
    );
    expect(accepted).toMatchObject({ status: 'accepted', meta: { versionId: '2' } });

    // A change made against version 1 now is stale.
    const stale = await refused(
      social.patch({
        resourceType: 'Task',
        id,
        JSONPatch: [{ op: 'replace', path: '/status', value: 'in-progress' }],
        ...ifMatch('1'),
      }),
    );
    expect(stale.status).toBe(412);

    const completed = kept(
      (await social.patch({
        resourceType: 'Task',
        id,
        JSONPatch: [
          { op: 'replace', path: '/status', value: 'completed' },
          {
            op: 'add',
            path: '/output',
            value: [
              {
                type: {
                  coding: [{ system: `${OUR}/CodeSystem/task-output-type`, code: 'outcome' }],
                },
                valueCodeableConcept: {
                  coding: [{ system: `${OUR}/CodeSystem/outcome-code`, code: 'service-provided' }],
                  text: 'Family support plan agreed with the parents.',
                },
              },
            ],
          },
        ],
        ...ifMatch(accepted.meta?.versionId),
      })) as Task,
    );
    expect(completed).toMatchObject({ status: 'completed', meta: { versionId: '3' } });

    // The referrer reads the outcome from the Task.
    const seen = kept((await school.read({ resourceType: 'Task', id })) as Task);
    expect(seen.output?.[0].valueCodeableConcept).toEqual({
      coding: [
        {
          system: `${OUR}/CodeSystem/outcome-code`,
          code: 'service-provided',
          display: expect.any(String),
        },
      ],
      text: 'Family support plan agreed with the parents.',
    });

    // The history: one version per event of the referral's stream, as published.
    const history = kept((await school.history({ resourceType: 'Task', id })) as Bundle);
    await backbone.watcher.waitFor(
      (record) =>
        record.topic === backbone.topics.events &&
        record.json?.type === 'referral.completed.v1' &&
        record.json?.subject === id,
      'the completion on the events topic',
    );
    const onKafka = backbone.watcher.records.filter(
      (record) => record.topic === backbone.topics.events && record.json?.subject === id,
    );
    const versions = [
      ...new Set(onKafka.map((record) => Number(record.json?.streamversion))),
    ].sort();
    expect(history.total).toBe(versions.length);
    expect(history.entry?.map((entry) => entry.resource?.meta?.versionId)).toEqual(
      versions.map(String).reverse(),
    );
    expect(onKafka.map((record) => record.json?.type)).toEqual(
      expect.arrayContaining(['referral.made.v1', 'referral.accepted.v1', 'referral.completed.v1']),
    );

    // On the receiver's inbox topic and in the CloudEvents changes feed too.
    await backbone.watcher.waitFor(
      (record) =>
        record.topic === backbone.topics.inbox(SOCIAL) &&
        record.json?.subject === id &&
        record.json?.type === 'referral.completed.v1',
      'the completion on the inbox topic',
    );
    const feed = await backbone.http(
      `/v1/agencies/${SOCIAL}/inbox/changes?limit=100`,
      DEMO_API_KEYS[SOCIAL],
    );
    expect(feed.status).toBe(200);
    const { events: feedEvents } = (await feed.json()) as {
      events: { type: string; subject: string }[];
    };
    expect(feedEvents.filter((event) => event.subject === id).map((event) => event.type)).toEqual(
      expect.arrayContaining(['referral.made.v1', 'referral.accepted.v1', 'referral.completed.v1']),
    );
  });

  it('makes a referral from a Task with its parts contained: 201 with Location and ETag', async () => {
    const response = await backbone.http('/fhir/Task', DEMO_API_KEYS[SCHOOL], {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(taskWithContainedParts({ from: SCHOOL, to: SOCIAL })),
    });
    const task = kept((await response.json()) as Task);
    expect(response.status).toBe(201);
    expect(response.headers.get('etag')).toBe('W/"1"');
    expect(response.headers.get('location')).toBe(
      `${backbone.baseUrl}/fhir/Task/${task.id}/_history/1`,
    );
    expect(response.headers.get('content-type')).toMatch(/^application\/fhir\+json/);
  });

  it('answers what maps to no command or breaks a rule with an OperationOutcome', async () => {
    const school = client(SCHOOL);
    const social = client(SOCIAL);
    const made = (await school.transaction({
      body: referralTransaction({ from: SCHOOL, to: SOCIAL }) as never,
    })) as Bundle;
    const id = made.entry?.[0].resource?.id as string;
    const patch = (who: Client, ops: unknown[]) =>
      who.patch({ resourceType: 'Task', id, JSONPatch: ops as never });

    // Starting work on a referral not yet accepted: INVALID_TRANSITION.
    const early = await refused(
      patch(social, [{ op: 'replace', path: '/status', value: 'in-progress' }]),
    );
    expect(early.status).toBe(409);
    expect(early.data.issue[0].diagnostics).toMatch(/INVALID_TRANSITION/);
    // The referrer cannot accept its own referral: FORBIDDEN.
    expect(
      (await refused(patch(school, [{ op: 'replace', path: '/status', value: 'accepted' }])))
        .status,
    ).toBe(403);
    // A rejection without a reason: INVALID, naming the FHIR element.
    const bare = await refused(
      patch(social, [{ op: 'replace', path: '/status', value: 'rejected' }]),
    );
    expect(bare.status).toBe(422);
    expect(bare.data.issue[0].expression).toEqual(['Task.statusReason.text']);
    // A reason code outside the contract's list.
    const coded = await refused(
      patch(social, [
        { op: 'replace', path: '/status', value: 'rejected' },
        {
          op: 'add',
          path: '/statusReason',
          value: {
            coding: [{ system: `${OUR}/CodeSystem/reason-code`, code: 'bored' }],
            text: 'x',
          },
        },
      ]),
    );
    expect([coded.status, coded.data.issue[0].expression]).toEqual([
      422,
      ['Task.statusReason.coding'],
    ]);
    // An element that is the referral's own.
    const priority = await refused(
      patch(social, [{ op: 'replace', path: '/priority', value: 'stat' }]),
    );
    expect([priority.status, priority.data.issue[0].expression]).toEqual([422, ['Task.priority']]);
    // A malformed If-Match.
    const badMatch = await refused(
      social.patch({
        resourceType: 'Task',
        id,
        JSONPatch: [],
        options: { headers: { 'If-Match': 'soon' } },
      }),
    );
    expect(badMatch.status).toBe(400);
    // PUT of the whole Task moves it too.
    const current = (await social.read({ resourceType: 'Task', id })) as Task;
    const rejected = kept(
      (await social.update({
        resourceType: 'Task',
        id,
        body: {
          ...current,
          status: 'rejected',
          statusReason: {
            coding: [{ system: `${OUR}/CodeSystem/reason-code`, code: 'no-capacity' }],
            text: 'No capacity before February.',
          },
        } as never,
        ...ifMatch(current.meta?.versionId),
      })) as Task,
    );
    expect(rejected).toMatchObject({
      status: 'rejected',
      statusReason: { text: 'No capacity before February.' },
    });
  });

  it('redirects by business status redirected and the new owner', async () => {
    const made = (await client(SCHOOL).transaction({
      body: referralTransaction({ from: SCHOOL, to: SOCIAL, category: 'safeguarding' }) as never,
    })) as Bundle;
    const id = made.entry?.[0].resource?.id as string;
    const redirected = kept(
      (await client(SOCIAL).patch({
        resourceType: 'Task',
        id,
        JSONPatch: [
          { op: 'replace', path: '/status', value: 'rejected' },
          { op: 'replace', path: '/businessStatus/coding/0/code', value: 'redirected' },
          { op: 'replace', path: '/owner', value: { reference: `Organization/${POLICE}` } },
          {
            op: 'add',
            path: '/statusReason',
            value: {
              coding: [{ system: `${OUR}/CodeSystem/reason-code`, code: 'wrong-service' }],
              text: 'A police matter first.',
            },
          },
        ],
        ...ifMatch('1'),
      })) as Task,
    );
    expect(redirected).toMatchObject({
      status: 'rejected',
      businessStatus: { coding: [{ code: 'redirected' }] },
      owner: { reference: `Organization/${SOCIAL}` },
    });
    const onward = redirected.output?.[0].valueReference?.reference?.replace('Task/', '') ?? '';
    const newTask = kept((await client(POLICE).read({ resourceType: 'Task', id: onward })) as Task);
    expect(newTask).toMatchObject({
      status: 'requested',
      owner: { reference: `Organization/${POLICE}` },
    });
  });

  it('keeps every agency to its own referrals on every write route', async () => {
    const made = (await client(SCHOOL).transaction({
      body: referralTransaction({ from: SCHOOL, to: SOCIAL }) as never,
    })) as Bundle;
    const id = made.entry?.[0].resource?.id as string;
    const police = client(POLICE);
    // Making a referral "from" another agency.
    const forged = await refused(
      police.transaction({ body: referralTransaction({ from: SCHOOL, to: SOCIAL }) as never }),
    );
    expect([forged.status, forged.data.issue[0].expression]).toEqual([403, ['Task.requester']]);
    // Moving a Task it is no party to: not even its existence is told.
    const patched = await refused(
      police.patch({
        resourceType: 'Task',
        id,
        JSONPatch: [{ op: 'replace', path: '/status', value: 'accepted' }],
      }),
    );
    expect(patched.status).toBe(404);
    const task = (await client(SCHOOL).read({ resourceType: 'Task', id })) as Task;
    const put = await refused(
      police.update({ resourceType: 'Task', id, body: { ...task, status: 'cancelled' } as never }),
    );
    expect(put.status).toBe(404);
    // Without a key, or with an operator's: refused before anything is read.
    const anonymous = await fetch(`${backbone.baseUrl}/fhir/Task/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json-patch+json' },
      body: '[]',
    });
    expect(anonymous.status).toBe(401);
    kept(await anonymous.json());
    const operator = await backbone.http('/fhir', DEMO_API_KEYS['demo-ops-team'], {
      method: 'POST',
      headers: { 'content-type': 'application/fhir+json' },
      body: JSON.stringify(referralTransaction({ from: SCHOOL, to: SOCIAL })),
    });
    expect(operator.status).toBe(403);
    kept(await operator.json());
  });

  it('answered only with resources both FHIR judges accept', async () => {
    expect(returned.length).toBeGreaterThan(15);
    expect(await fhirJudgesComplaints(returned)).toEqual([]);
  });
});
