import type { Task } from '@medplum/fhirtypes';
import { FhirError } from '../fhir-error';
import { SYSTEMS } from '../mapping/fhir-systems';
import { type ReferralSnapshot, referralVersions } from '../mapping/referral-snapshot';
import { toTask } from '../mapping/task';
import { COMPLETED_STORY } from '../testing/referral-stories';
import { taskChangeOf } from './task-change';
import { patchedTask } from './task-patch';

const versions = referralVersions(COMPLETED_STORY);
const requested = versions[0];
const received = versions[1];
const accepted = versions[3];
const inProgress = versions[4];
const onHold = versions[5];
const NEW_ID = '11111111-2222-4333-8444-555555555555';

const change = (snapshot: ReferralSnapshot, edit: (task: Task) => Task) =>
  taskChangeOf(snapshot, edit(toTask(snapshot)), () => NEW_ID);

const patch = (snapshot: ReferralSnapshot, operations: unknown) =>
  taskChangeOf(snapshot, patchedTask(toTask(snapshot), operations), () => NEW_ID);

/** The FHIR error a change is refused with: its status and expression. */
function refusal(act: () => unknown): { status: number; expression: unknown } {
  try {
    act();
  } catch (error) {
    if (error instanceof FhirError) return { status: error.status, expression: error.expression };
    throw error;
  }
  throw new Error('the change was not refused');
}

const reason = (code: string, text: string) => ({
  coding: [{ system: SYSTEMS.reasonCode, code }],
  text,
});

describe('a changed Task as the lifecycle command it means', () => {
  it('acknowledges with business status received (Task.status stays requested)', () => {
    const ops = [{ op: 'replace', path: '/businessStatus/coding/0/code', value: 'received' }];
    expect(patch(requested, ops)).toEqual({
      kind: 'command',
      type: 'referral.acknowledge.v1',
      data: {},
    });
  });

  it('accepts, starts and holds with the status alone (a stale business status is ignored)', () => {
    const to = (status: Task['status']) => [{ op: 'replace', path: '/status', value: status }];
    expect(patch(received, to('accepted'))).toMatchObject({ type: 'referral.accept.v1' });
    expect(patch(accepted, to('in-progress'))).toMatchObject({ type: 'referral.start.v1' });
    expect(
      patch(inProgress, [
        ...to('on-hold'),
        { op: 'add', path: '/statusReason', value: { text: 'Away' } },
      ]),
    ).toEqual({ kind: 'command', type: 'referral.hold.v1', data: { reason: 'Away' } });
  });

  it('rejects, fails and cancels with the coded reason and its text from statusReason', () => {
    expect(
      change(requested, (task) => ({
        ...task,
        status: 'rejected',
        statusReason: reason('not-eligible', 'Outside the municipality.'),
      })),
    ).toEqual({
      kind: 'command',
      type: 'referral.reject.v1',
      data: { reason: 'Outside the municipality.', reasonCode: 'not-eligible' },
    });
    expect(
      change(onHold, (task) => ({
        ...task,
        status: 'failed',
        statusReason: reason('moved-away', 'Gone'),
      })),
    ).toMatchObject({
      type: 'referral.fail.v1',
      data: { reason: 'Gone', reasonCode: 'moved-away' },
    });
    expect(change(requested, (task) => ({ ...task, status: 'cancelled' }))).toEqual({
      kind: 'command',
      type: 'referral.cancel.v1',
      data: {},
    });
  });

  it('does not carry a reason the Task already showed over to the next move', () => {
    // on-hold shows the hold's reason; failing it without a new one sends no reason (refused).
    expect(change(onHold, (task) => ({ ...task, status: 'failed' }))).toEqual({
      kind: 'command',
      type: 'referral.fail.v1',
      data: {},
    });
  });

  it('completes with the outcome code and text of Task.output', () => {
    const output = [
      {
        type: { coding: [{ system: SYSTEMS.outputType, code: 'outcome' }] },
        valueCodeableConcept: {
          coding: [{ system: SYSTEMS.outcomeCode, code: 'no-further-action' }],
          text: 'Nothing more needed.',
        },
      },
    ];
    expect(
      patch(inProgress, [
        { op: 'replace', path: '/status', value: 'completed' },
        { op: 'add', path: '/output', value: output },
      ]),
    ).toEqual({
      kind: 'command',
      type: 'referral.complete.v1',
      data: { outcome: 'Nothing more needed.', outcomeCode: 'no-further-action' },
    });
  });

  it('redirects to the new owner with business status redirected', () => {
    expect(
      change(received, (task) => ({
        ...task,
        status: 'rejected',
        businessStatus: { coding: [{ system: SYSTEMS.referralStatus, code: 'redirected' }] },
        owner: { reference: 'Organization/east-jutland-police' },
        statusReason: reason('wrong-service', 'A police matter first.'),
      })),
    ).toEqual({
      kind: 'command',
      type: 'referral.redirect.v1',
      data: {
        to: 'east-jutland-police',
        reason: 'A police matter first.',
        reasonCode: 'wrong-service',
        newReferralId: NEW_ID,
      },
    });
  });

  it('adds a note appended at the end, and nothing for an unchanged Task', () => {
    const note = { text: 'Attendance record sent.' };
    expect(patch(accepted, [{ op: 'add', path: '/note/-', value: note }])).toEqual({
      kind: 'command',
      type: 'referral.note.v1',
      data: { text: 'Attendance record sent.' },
    });
    expect(change(accepted, (task) => task)).toEqual({ kind: 'unchanged' });
  });

  it('refuses what maps to no command, naming the FHIR element', () => {
    expect(refusal(() => change(accepted, (task) => ({ ...task, priority: 'stat' })))).toEqual({
      status: 422,
      expression: 'Task.priority',
    });
    expect(refusal(() => change(accepted, (task) => ({ ...task, status: 'draft' })))).toEqual({
      status: 422,
      expression: 'Task.status',
    });
    expect(refusal(() => change(accepted, (task) => ({ ...task, status: 'requested' })))).toEqual({
      status: 422,
      expression: 'Task.status',
    });
    expect(
      refusal(() =>
        change(accepted, (task) => ({ ...task, statusReason: { text: 'just because' } })),
      ),
    ).toEqual({ status: 422, expression: 'Task.status' });
    expect(
      refusal(() =>
        change(accepted, (task) => ({
          ...task,
          businessStatus: { coding: [{ system: SYSTEMS.referralStatus, code: 'completed' }] },
        })),
      ),
    ).toEqual({ status: 422, expression: 'Task.businessStatus' });
  });

  it('refuses patches outside the changeable elements, failed tests and non-patches', () => {
    expect(
      refusal(() => patch(accepted, [{ op: 'replace', path: '/priority', value: 'stat' }])),
    ).toEqual({ status: 422, expression: 'Task.priority' });
    expect(
      refusal(() => patch(accepted, [{ op: 'move', from: '/priority', path: '/note' }])).status,
    ).toBe(422);
    expect(
      refusal(() => patch(accepted, [{ op: 'test', path: '/meta/versionId', value: '1' }])).status,
    ).toBe(422);
    expect(refusal(() => patch(accepted, { op: 'replace' })).status).toBe(400);
    expect(
      refusal(() => patch(accepted, [{ op: 'replace', path: '/status/__proto__/x', value: 1 }]))
        .status,
    ).toBe(422);
  });
});
