// The FHIR R4 read side as agency systems use it: referrals made and moved through the
// CloudEvents API, then read at /fhir as each party — every resource and search result judged
// by HAPI FHIR's strict R4 parser and the official R4 JSON Schema, every /fhir route checked
// for agency isolation, and each Task's _history checked against the auditor's history.
import { randomUUID } from 'node:crypto';
import type { Bundle, OperationOutcome, Resource, Task } from '@medplum/fhirtypes';
import { DEMO_API_KEYS } from '@backbone/directory';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { fhirJudgesComplaints } from '../support/fhir/fhir-judges';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';
import { eraseCommand } from '../support/operator-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';
const GP = 'redbridge-gp-team';
const ADULT_CARE = 'redbridge-adult-social-care';
const AUDITOR = 'demo-audit-office';
const OPERATOR = 'demo-ops-team';
const DIRECTOR = 'demo-randers-director';
const ERASED_PERSON = { system: 'https://fhir.nhs.uk/Id/nhs-number', value: '9434765919' };
const PURPOSE = 'FHIR read e2e: checking _history against the audit history';

interface Answer<T = Resource> {
  status: number;
  contentType: string | null;
  body: T;
}

describe('FHIR R4 read endpoint', () => {
  let backbone: BackboneUnderTest;
  /** Every resource /fhir answered with, for the judges. */
  const returned: Resource[] = [];
  const ids = {
    completed: '',
    rejected: '',
    redirected: '',
    redirectedTo: '',
    open: '',
    erased: '',
  };
  let madeBefore = '';

  const fhir = async <T = Resource>(path: string, apiKey?: string): Promise<Answer<T>> => {
    const response = await fetch(`${backbone.baseUrl}/fhir/${path}`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
    });
    const body = (await response.json()) as T;
    returned.push(body as Resource);
    return { status: response.status, contentType: response.headers.get('content-type'), body };
  };
  const read = async <T = Resource>(path: string, agency: string): Promise<T> => {
    const answer = await fhir<T>(path, DEMO_API_KEYS[agency]);
    expect([path, answer.status]).toEqual([path, 200]);
    expect(answer.contentType).toMatch(/^application\/fhir\+json/);
    return answer.body;
  };
  const send = async (agency: string, command: object): Promise<void> => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    expect([response.status, await response.text()]).toEqual([200, expect.any(String)]);
  };
  const make = async (
    from: string,
    to: string,
    category = 'child-social-care',
    identifier = { system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' },
  ) => {
    const command = makeReferralCommand(from, to);
    command.data.category = category;
    command.data.subject.identifiers = [identifier];
    await send(from, command);
    return command.subject;
  };
  const move = (agency: string, type: string, referralId: string, data = {}) =>
    send(agency, commandFrom(agency, type, referralId, { referralId, ...data }));
  const taskIds = (bundle: Bundle): string[] =>
    (bundle.entry ?? []).map((entry) => entry.resource?.id ?? '').sort();
  const searchAll = async (query: string, agency: string): Promise<string[]> => {
    const found: string[] = [];
    let next: string | undefined = `Task?${query}`;
    while (next) {
      const page: Bundle = await read<Bundle>(next, agency);
      found.push(...taskIds(page));
      const link = page.link?.find((l) => l.relation === 'next')?.url;
      next = link ? link.slice(link.indexOf('/fhir/') + '/fhir/'.length) : undefined;
    }
    return found.sort();
  };

  beforeAll(async () => {
    backbone = await BackboneUnderTest.start(() => []);
    madeBefore = new Date(Date.now() - 1000).toISOString();
    ids.completed = await make(SCHOOL, SOCIAL);
    await move(SOCIAL, 'referral.acknowledge.v1', ids.completed);
    await move(SOCIAL, 'referral.accept.v1', ids.completed, { assignee: 'Family team 2' });
    await move(SOCIAL, 'referral.start.v1', ids.completed);
    await move(SOCIAL, 'referral.note.v1', ids.completed, { text: 'First home visit done.' });
    await move(SOCIAL, 'referral.complete.v1', ids.completed, {
      outcome: 'Family support plan agreed.',
      outcomeCode: 'service-provided',
    });
    ids.rejected = await make(SCHOOL, SOCIAL);
    await move(SOCIAL, 'referral.reject.v1', ids.rejected, {
      reason: 'The family lives outside the municipality.',
      reasonCode: 'not-eligible',
    });
    ids.redirected = await make(SCHOOL, SOCIAL, 'safeguarding');
    ids.redirectedTo = randomUUID();
    await move(SOCIAL, 'referral.redirect.v1', ids.redirected, {
      to: POLICE,
      reason: 'A police matter first.',
      reasonCode: 'wrong-service',
      newReferralId: ids.redirectedTo,
    });
    ids.open = await make(SCHOOL, SOCIAL);
    // Searches read the projector's model: wait until it shows every referral where it stands.
    await eventually(async () => {
      const counts = await Promise.all(
        ['completed', 'rejected', 'requested'].map(async (status) => {
          const { body } = await fhir<Bundle>(`Task?status=${status}`, DEMO_API_KEYS[SOCIAL]);
          return body.entry?.length ?? 0;
        }),
      );
      const onward = await fhir<Bundle>('Task', DEMO_API_KEYS[POLICE]);
      return counts.join() === '1,2,1' && onward.body.entry?.length === 1 ? true : undefined;
    }, 'every referral in the read model');
  });
  afterAll(async () => {
    await backbone?.stop();
  });

  it('states what it supports at /fhir/metadata, open without a key', async () => {
    const { status, contentType, body } = await fhir<{ resourceType: string; rest: unknown[] }>(
      'metadata',
    );
    expect(status).toBe(200);
    expect(contentType).toMatch(/^application\/fhir\+json/);
    expect(body).toMatchObject({ resourceType: 'CapabilityStatement', fhirVersion: '4.0.1' });
    const rest = body.rest as { resource: { type: string; interaction: { code: string }[] }[] }[];
    expect(
      rest[0].resource.map(({ type, interaction }) => [type, interaction.map((i) => i.code)]),
    ).toEqual([
      ['Task', ['read', 'vread', 'history-instance', 'search-type', 'create', 'update', 'patch']],
      ['ServiceRequest', ['read']],
      ['Patient', ['read']],
      ['Consent', ['read']],
      ['Organization', ['read']],
    ]);
  });

  it('shows both parties the completed referral as a Task with its outcome', async () => {
    for (const party of [SCHOOL, SOCIAL]) {
      const task = await read<Task>(`Task/${ids.completed}`, party);
      expect(task).toMatchObject({
        id: ids.completed,
        status: 'completed',
        intent: 'order',
        priority: 'urgent',
        requester: { reference: `Organization/${SCHOOL}` },
        owner: { reference: `Organization/${SOCIAL}` },
        focus: { reference: `ServiceRequest/${ids.completed}` },
        restriction: { period: { end: expect.any(String) } },
        executionPeriod: { start: expect.any(String), end: expect.any(String) },
        note: [{ text: 'First home visit done.' }],
      });
      expect(task.output?.[0].valueCodeableConcept).toMatchObject({
        coding: [{ code: 'service-provided' }],
        text: 'Family support plan agreed.',
      });
    }
  });

  it('gives a rejection its coded reason and a redirect its business status and new Task', async () => {
    const rejected = await read<Task>(`Task/${ids.rejected}`, SCHOOL);
    expect(rejected).toMatchObject({
      status: 'rejected',
      businessStatus: { coding: [{ code: 'rejected' }] },
      statusReason: {
        coding: [{ code: 'not-eligible', display: 'Not eligible' }],
        text: 'The family lives outside the municipality.',
      },
    });
    const redirected = await read<Task>(`Task/${ids.redirected}`, SOCIAL);
    expect(redirected).toMatchObject({
      status: 'rejected',
      businessStatus: { coding: [{ code: 'redirected' }] },
      statusReason: { coding: [{ code: 'wrong-service' }] },
      output: [{ valueReference: { reference: `Task/${ids.redirectedTo}` } }],
    });
    const open = await read<Task>(`Task/${ids.open}`, SOCIAL);
    expect(open).toMatchObject({
      status: 'requested',
      businessStatus: { coding: [{ code: 'requested' }] },
    });
    const onward = await eventually(async () => {
      const answer = await fhir<Task>(`Task/${ids.redirectedTo}`, DEMO_API_KEYS[POLICE]);
      return answer.status === 200 ? answer.body : undefined;
    }, 'the redirected referral at the police');
    expect(onward.owner).toEqual({ reference: `Organization/${POLICE}` });
  });

  it('shows the request, the person as given, the lawful basis and both organizations', async () => {
    for (const party of [SCHOOL, SOCIAL]) {
      expect(await read(`ServiceRequest/${ids.completed}`, party)).toMatchObject({
        resourceType: 'ServiceRequest',
        status: 'completed',
        category: [{ coding: [{ code: 'child-social-care' }] }],
        subject: { reference: `Patient/${ids.completed}` },
        reasonCode: [{ text: expect.stringContaining('Repeated absence') }],
        supportingInfo: [{ reference: `Consent/${ids.completed}` }],
      });
      expect(await read(`Patient/${ids.completed}`, party)).toEqual({
        resourceType: 'Patient',
        id: ids.completed,
        meta: { lastUpdated: expect.any(String) },
        identifier: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
        name: [{ family: 'Nielsen', given: ['Freja'] }],
        birthDate: '2012-01-01',
      });
      expect(await read(`Consent/${ids.completed}`, party)).toMatchObject({
        resourceType: 'Consent',
        policyRule: { coding: [{ code: 'public-task' }] },
      });
      for (const agency of [SCHOOL, SOCIAL]) {
        expect(await read(`Organization/${agency}`, party)).toMatchObject({ id: agency });
      }
    }
  });

  it('searches Tasks by owner, requester, status and _lastUpdated, page by page', async () => {
    const all = [ids.completed, ids.rejected, ids.redirected, ids.open].sort();
    expect(await searchAll(`owner=Organization/${SOCIAL}&_count=2`, SOCIAL)).toEqual(all);
    expect(await searchAll(`requester=${SCHOOL}&_count=3`, SCHOOL)).toEqual(
      [...all, ids.redirectedTo].sort(),
    );
    expect(await searchAll('status=rejected', SOCIAL)).toEqual(
      [ids.rejected, ids.redirected].sort(),
    );
    expect(await searchAll('status=completed,requested', SOCIAL)).toEqual(
      [ids.completed, ids.open].sort(),
    );
    expect(await searchAll(`_lastUpdated=gt${madeBefore}&owner=${SOCIAL}`, SOCIAL)).toEqual(all);
    const future = new Date(Date.now() + 60_000).toISOString();
    expect(await searchAll(`_lastUpdated=gt${future}`, SOCIAL)).toEqual([]);
    const page = await read<Bundle>('Task?_count=1', SOCIAL);
    expect(page).toMatchObject({ resourceType: 'Bundle', type: 'searchset' });
    expect(page.link?.map((l) => l.relation)).toEqual(['self', 'next']);
    expect(page.link?.[0].url).toBe(`${backbone.baseUrl}/fhir/Task?_count=1`);
    expect(page.link?.[1].url).toMatch(
      new RegExp(`^${backbone.baseUrl}/fhir/Task\\?_count=1&_page=[\\w-]+$`),
    );
  });

  it('refuses search parameters it does not take with a 400 OperationOutcome', async () => {
    for (const query of [
      'subject=Patient/1',
      '_count=0',
      '_count=1000',
      'status=maybe',
      'status=redirected',
      '_lastUpdated=2026-01-01',
      '_lastUpdated=gtyesterday',
      '_page=not-a-token',
      'owner=Organization/Not_An_Id',
      'owner=a&owner=b',
    ]) {
      const answer = await fhir<OperationOutcome>(`Task?${query}`, DEMO_API_KEYS[SOCIAL]);
      expect([query, answer.status]).toEqual([query, 400]);
      expect(answer.body).toMatchObject({
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'invalid' }],
      });
    }
  });

  it('gives one Task version per event, agreeing with the audit history', async () => {
    for (const id of [ids.completed, ids.rejected, ids.redirected]) {
      const params = new URLSearchParams({ purpose: PURPOSE });
      const audit = await backbone.http(
        `/v1/audit/referrals/${id}/history?${params.toString()}`,
        DEMO_API_KEYS[AUDITOR],
      );
      expect(audit.status).toBe(200);
      const { entries } = (await audit.json()) as {
        entries: { streamVersion: number; recordedAt: string; statusAfter: string }[];
      };
      const history = await read<Bundle<Task>>(`Task/${id}/_history`, SOCIAL);
      expect(history).toMatchObject({ type: 'history', total: entries.length });
      const versions = (history.entry ?? []).map((entry) => entry.resource as Task).reverse();
      expect(
        versions.map((task) => [
          task.meta?.versionId,
          task.meta?.lastUpdated,
          task.businessStatus?.coding?.[0].code,
        ]),
      ).toEqual(
        entries.map((entry) => [
          String(entry.streamVersion),
          new Date(entry.recordedAt).toISOString(),
          entry.statusAfter,
        ]),
      );
      for (const version of versions) {
        expect(await read(`Task/${id}/_history/${version.meta?.versionId}`, SCHOOL)).toEqual(
          version,
        );
      }
      expect(await read(`Task/${id}`, SCHOOL)).toEqual(versions[versions.length - 1]);
      const beyond = await fhir(
        `Task/${id}/_history/${versions.length + 1}`,
        DEMO_API_KEYS[SCHOOL],
      );
      expect(beyond.status).toBe(404);
    }
  });

  it('keeps every /fhir route to the referral’s parties, and to agencies', async () => {
    const routes = backbone
      .registeredRoutes()
      .filter((route) => route.startsWith('GET /fhir/'))
      .map((route) => route.slice('GET /fhir/'.length));
    expect(routes.sort()).toEqual(
      [
        'metadata',
        'Task',
        'Task/{id}',
        'Task/{id}/_history',
        'Task/{id}/_history/{versionId}',
        'ServiceRequest/{id}',
        'Patient/{id}',
        'Consent/{id}',
        'Organization/{id}',
      ].sort(),
    );
    const paths = routes
      .filter((route) => route !== 'metadata')
      .map((route) =>
        route
          .replace('Organization/{id}', `Organization/${SOCIAL}`)
          .replace('{id}', ids.completed)
          .replace('{versionId}', '1'),
      );
    for (const path of paths) {
      for (const [who, status] of [
        [DIRECTOR, 403],
        [AUDITOR, 403],
        [OPERATOR, 403],
      ] as const) {
        const answer = await fhir<OperationOutcome>(path, DEMO_API_KEYS[who]);
        expect([path, who, answer.status, answer.body.resourceType]).toEqual([
          path,
          who,
          status,
          'OperationOutcome',
        ]);
      }
      const anonymous = await fhir<OperationOutcome>(path);
      expect([path, anonymous.status, anonymous.body.resourceType]).toEqual([
        path,
        401,
        'OperationOutcome',
      ]);
      if (path.startsWith('Organization/') || path === 'Task') continue;
      // A non-party learns nothing, not even that the referral exists.
      const outsider = await fhir<OperationOutcome>(path, DEMO_API_KEYS[POLICE]);
      const unknown = await fhir<OperationOutcome>(
        path.replace(ids.completed, randomUUID()),
        DEMO_API_KEYS[SOCIAL],
      );
      for (const answer of [outsider, unknown]) {
        expect([path, answer.status]).toEqual([path, 404]);
        expect(answer.body.issue?.[0].code).toBe('not-found');
      }
    }
    // The police were a party to the onward referral only.
    expect(await searchAll(`owner=${SOCIAL}`, POLICE)).toEqual([]);
    expect(await searchAll(`requester=${SCHOOL}`, POLICE)).toEqual([ids.redirectedTo]);
    expect(await searchAll('', GP)).toEqual([]);
    expect((await fhir('Organization/demo-audit-office', DEMO_API_KEYS[POLICE])).status).toBe(404);
  });

  it('answers 410 for the Patient of an erased subject and keeps the Task without its texts', async () => {
    ids.erased = await make(GP, ADULT_CARE, 'adult-social-care', ERASED_PERSON);
    await move(ADULT_CARE, 'referral.reject.v1', ids.erased, {
      reason: 'Not known to us.',
      reasonCode: 'not-eligible',
    });
    const params = new URLSearchParams({
      purpose: PURPOSE,
      identifier: `${ERASED_PERSON.system}|${ERASED_PERSON.value}`,
    });
    const lookup = await backbone.http(
      `/v1/audit/subjects?${params.toString()}`,
      DEMO_API_KEYS[AUDITOR],
    );
    const { subjectId } = (await lookup.json()) as { subjectId: string };
    const erase = await backbone.http('/v1/operator/commands', DEMO_API_KEYS[OPERATOR], {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(eraseCommand(subjectId, OPERATOR)),
    });
    expect(erase.status).toBe(200);
    const patient = await fhir<OperationOutcome>(`Patient/${ids.erased}`, DEMO_API_KEYS[GP]);
    expect(patient.status).toBe(410);
    expect(patient.body.issue?.[0].code).toBe('deleted');
    const task = await read<Task>(`Task/${ids.erased}`, GP);
    expect(task.statusReason).toEqual({
      coding: [expect.objectContaining({ code: 'not-eligible' })],
    });
    expect(JSON.stringify(task)).not.toContain('[erased]');
    const request = await read(`ServiceRequest/${ids.erased}`, ADULT_CARE);
    expect(request).not.toHaveProperty('reasonCode');
  });

  it('returned only resources that HAPI strict and the R4 JSON Schema both accept', async () => {
    const kinds = new Set(returned.map((resource) => resource.resourceType));
    expect([...kinds].sort()).toEqual(
      [
        'Bundle',
        'CapabilityStatement',
        'Consent',
        'OperationOutcome',
        'Organization',
        'Patient',
        'ServiceRequest',
        'Task',
      ].sort(),
    );
    expect(await fhirJudgesComplaints(returned)).toEqual([]);
    process.stdout.write(
      `\nFHIR answers judged by HAPI strict and the R4 JSON Schema: ${returned.length}\n`,
    );
  });
});
