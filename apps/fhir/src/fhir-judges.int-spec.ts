// Every resource shape the read side makes, and every JSON example in docs/fhir.md, judged by
// HAPI FHIR's strict R4 parser and the official R4 JSON Schema — and proof that both judges do
// reject what is wrong, so a pass means something.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  fhirJudgesComplaints,
  hapiStrictParse,
  jsonSchemaErrors,
} from '@backbone/testing/fhir/fhir-judges';
import { historyBundle, searchsetBundle, transactionResponseBundle } from './mapping/bundles';
import { capabilityStatement } from './mapping/capability-statement';
import { toConsent } from './mapping/consent';
import { operationOutcome } from './mapping/operation-outcome';
import { toOrganization } from './mapping/organization';
import { toPatient } from './mapping/patient';
import { referralVersions } from './mapping/referral-snapshot';
import { toServiceRequest } from './mapping/service-request';
import { toTask } from './mapping/task';
import {
  COMPLETED_STORY,
  ERASED_STORY,
  FAILED_STORY,
  REDIRECTED_STORY,
  REJECTED_STORY,
} from './testing/referral-stories';

const BASE = 'http://127.0.0.1:3000/fhir';

/** The ```json blocks of a Markdown file. */
function jsonExamplesOf(file: string): object[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/```json\n([\s\S]*?)```/g)].map(
    (match) => JSON.parse(match[1]) as object,
  );
}

describe('the FHIR judges', () => {
  it('refuse an unknown element, a code outside a required value set and a wrong type', async () => {
    const wrong = [
      { resourceType: 'Task', status: 'requested', intent: 'order', referrer: 'x' },
      { resourceType: 'Task', status: 'redirected', intent: 'order' },
      { resourceType: 'Task', status: 'requested', intent: 'order', priority: 3 },
    ];
    const hapi = await hapiStrictParse(wrong);
    expect(hapi.passed).toBe(false);
    expect(hapi.report).toMatch(/^1: .*Unknown element 'referrer'/m);
    expect(hapi.report).toMatch(/^2: .*redirected/m);
    expect(hapi.report).toMatch(/^3: /m);
    for (const resource of wrong) expect(jsonSchemaErrors(resource)).not.toEqual([]);
  });

  it('accept every resource the mapping makes, at every version of every story', async () => {
    const stories = [COMPLETED_STORY, REJECTED_STORY, REDIRECTED_STORY, ERASED_STORY, FAILED_STORY];
    const resources: object[] = [capabilityStatement(BASE)];
    for (const story of stories) {
      const versions = referralVersions(story);
      const tasks = versions.map(toTask);
      const current = versions[versions.length - 1];
      resources.push(
        ...tasks,
        toServiceRequest(current),
        toConsent(current),
        historyBundle(tasks, `${BASE}/Task/${current.referralId}/_history`, BASE),
        searchsetBundle(
          [tasks[tasks.length - 1]],
          { self: `${BASE}/Task`, next: `${BASE}/Task?_page=x` },
          BASE,
        ),
      );
      const patient = toPatient(current);
      if (patient) resources.push(patient);
    }
    resources.push(
      toOrganization({
        id: 'randers-social',
        name: 'Randers Social Services',
        sector: 'social-care',
      }),
      operationOutcome(404, 'no Task x is known to you'),
      operationOutcome(400, '_count must be an integer', '_count'),
      searchsetBundle([], { self: `${BASE}/Task?status=failed` }, BASE),
      operationOutcome(412, 'Task x is at version 3, not 2', 'If-Match'),
      operationOutcome(422, 'INVALID: …', ['Task.statusReason.text', 'Task.statusReason.coding']),
      operationOutcome(409, 'INVALID_TRANSITION: …'),
    );
    const made = referralVersions(COMPLETED_STORY)[0];
    resources.push(
      transactionResponseBundle(
        [
          { resource: toTask(made), status: '201 Created', version: 1, lastModified: made.madeAt },
          { resource: toServiceRequest(made), status: '201 Created', lastModified: made.madeAt },
          { resource: toConsent(made), status: '200 OK', lastModified: made.madeAt },
        ],
        BASE,
      ),
    );
    expect(await fhirJudgesComplaints(resources)).toEqual([]);
  });

  it('accept every JSON example in docs/fhir.md', async () => {
    const examples = jsonExamplesOf(join(__dirname, '..', '..', '..', 'docs', 'fhir.md'));
    expect(examples.length).toBeGreaterThanOrEqual(5);
    expect(await fhirJudgesComplaints(examples)).toEqual([]);
  });
});
