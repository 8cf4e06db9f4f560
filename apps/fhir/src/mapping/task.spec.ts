import {
  COMPLETED_STORY,
  ERASED_STORY,
  FAILED_STORY,
  NEW_REFERRAL_ID,
  REDIRECTED_STORY,
  REFERRAL_ID,
  REJECTED_STORY,
} from '../testing/referral-stories';
import { referralVersions } from './referral-snapshot';
import { toTask } from './task';

const last = <T>(items: T[]): T => items[items.length - 1];

describe('a referral as a FHIR Task', () => {
  it('is one version per event, each at its stream version and time', () => {
    const versions = referralVersions(COMPLETED_STORY).map(toTask);
    expect(versions.map((task) => task.meta?.versionId)).toEqual(
      COMPLETED_STORY.map((event) => String(event.streamVersion)),
    );
    expect(versions.map((task) => task.status)).toEqual([
      'requested',
      'requested', // received: Gravity has no Task.status for it
      'requested',
      'accepted',
      'in-progress',
      'on-hold',
      'in-progress',
      'completed',
    ]);
    expect(versions[1].businessStatus?.coding?.[0].code).toBe('received');
  });

  it('names the parties, the request, the deadline and the outcome once completed', () => {
    const task = last(referralVersions(COMPLETED_STORY).map(toTask));
    expect(task).toMatchObject({
      id: REFERRAL_ID,
      intent: 'order',
      priority: 'urgent',
      code: { coding: [expect.objectContaining({ code: 'fulfill' })] },
      requester: { reference: 'Organization/randers-school' },
      owner: { reference: 'Organization/randers-social' },
      focus: { reference: `ServiceRequest/${REFERRAL_ID}` },
      for: { reference: `Patient/${REFERRAL_ID}` },
      restriction: { period: { end: '2026-12-02T09:00:00.000Z' } },
      executionPeriod: { start: COMPLETED_STORY[3].recordedAt, end: COMPLETED_STORY[7].recordedAt },
      note: [{ authorReference: { reference: 'Organization/randers-social' } }],
    });
    expect(task.statusReason).toBeUndefined();
    expect(task.output?.[0].valueCodeableConcept).toEqual({
      coding: [
        { system: expect.any(String), code: 'service-provided', display: 'Service provided' },
      ],
      text: 'Family support plan agreed with the parents.',
    });
  });

  it('gives the coded reason of a rejection, and the hold’s reason while on hold', () => {
    const rejected = last(referralVersions(REJECTED_STORY).map(toTask));
    expect(rejected.status).toBe('rejected');
    expect(rejected.statusReason).toMatchObject({
      coding: [{ code: 'wrong-service', display: 'Wrong service' }],
      text: 'The family lives outside our municipality.',
    });
    const held = referralVersions(COMPLETED_STORY).map(toTask)[5];
    expect(held.statusReason).toEqual({ text: 'Family away until Monday' });
    expect(referralVersions(COMPLETED_STORY).map(toTask)[6].statusReason).toBeUndefined();
  });

  it('shows a redirect as rejected with business status redirected, pointing at the new Task', () => {
    const task = last(referralVersions(REDIRECTED_STORY).map(toTask));
    expect(task.status).toBe('rejected');
    expect(task.businessStatus?.coding?.[0].code).toBe('redirected');
    expect(task.output?.[0].valueReference).toEqual({ reference: `Task/${NEW_REFERRAL_ID}` });
  });

  it('leaves erased text out and keeps the codes', () => {
    const task = last(referralVersions(ERASED_STORY).map(toTask));
    expect(task.statusReason).toEqual({
      coding: [expect.objectContaining({ code: 'person-declined' })],
    });
    expect(JSON.stringify(task)).not.toContain('[erased]');
  });

  it('shows a failure with its coded reason and the whole execution period', () => {
    const task = last(referralVersions(FAILED_STORY).map(toTask));
    expect(task).toMatchObject({
      status: 'failed',
      statusReason: {
        coding: [{ code: 'moved-away' }],
        text: 'The family moved before the first visit.',
      },
      executionPeriod: { start: FAILED_STORY[1].recordedAt, end: FAILED_STORY[3].recordedAt },
    });
  });

  it('is nothing when the stream does not begin with the referral being made', () => {
    expect(referralVersions(COMPLETED_STORY.slice(1))).toEqual([]);
  });
});
