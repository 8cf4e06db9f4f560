import {
  COMPLETED_STORY,
  ERASED_STORY,
  REDIRECTED_STORY,
  REJECTED_STORY,
} from '../testing/referral-stories';
import { historyBundle } from './bundles';
import { toConsent } from './consent';
import { operationOutcome } from './operation-outcome';
import { toPatient } from './patient';
import { ReferralEvent, referralVersions } from './referral-snapshot';
import { toServiceRequest } from './service-request';
import { toTask } from './task';

const now = (story: ReferralEvent[]) => {
  const versions = referralVersions(story);
  return versions[versions.length - 1];
};

describe('the resources around a referral Task', () => {
  it('keeps the ServiceRequest active while the Task is open, and says how it ended', () => {
    const versions = referralVersions(COMPLETED_STORY);
    expect(versions.map((v) => toServiceRequest(v).status)).toEqual([
      'active',
      'active',
      'active',
      'active',
      'active',
      'on-hold',
      'active',
      'completed',
    ]);
    expect(toServiceRequest(now(REJECTED_STORY)).status).toBe('revoked');
    expect(toServiceRequest(now(REDIRECTED_STORY)).status).toBe('revoked');
  });

  it('shows the Patient as the referral gave them, and nothing once erased', () => {
    expect(toPatient(now(COMPLETED_STORY))).toMatchObject({
      identifier: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
      name: [{ family: 'Nielsen', given: ['Freja'] }],
      birthDate: '2012-01-01',
    });
    expect(toPatient(now(ERASED_STORY))).toBeUndefined();
    expect(toServiceRequest(now(ERASED_STORY))).not.toHaveProperty('reasonCode');
  });

  it('codes the lawful basis as the Consent’s policy rule, with the referrer’s consent reference', () => {
    expect(toConsent(now(COMPLETED_STORY))).toMatchObject({
      policyRule: { coding: [{ code: 'consent', display: 'Consent' }] },
      sourceReference: { display: 'school-consent-2026-118' },
      organization: [{ reference: 'Organization/randers-school' }],
    });
    expect(toConsent(now(REJECTED_STORY))).not.toHaveProperty('sourceReference');
  });

  it('lists the history newest first, version 1 as the create', () => {
    const tasks = referralVersions(REJECTED_STORY).map(toTask);
    const bundle = historyBundle(tasks, 'http://x/fhir/Task/1/_history', 'http://x/fhir');
    expect(
      bundle.entry?.map((e) => [e.resource?.meta?.versionId, e.request?.method, e.response?.etag]),
    ).toEqual([
      ['3', 'PUT', 'W/"3"'],
      ['2', 'PUT', 'W/"2"'],
      ['1', 'POST', 'W/"1"'],
    ]);
    expect(bundle.total).toBe(3);
  });

  it('reports errors with the issue type of their HTTP status', () => {
    expect(
      [400, 401, 403, 404, 410, 503, 500].map((s) => operationOutcome(s, 'x').issue[0].code),
    ).toEqual(['invalid', 'login', 'forbidden', 'not-found', 'deleted', 'transient', 'exception']);
  });
});
