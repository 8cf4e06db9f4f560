import type { Bundle } from '@medplum/fhirtypes';
import {
  referralTransaction,
  taskWithContainedParts,
} from '@backbone/testing/fhir/referral-transaction';
import { FhirError } from '../fhir-error';
import { makeReferralOf } from './make-referral-of';
import { partsOfTask, partsOfTransaction } from './referral-parts';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';

function refusal(act: () => unknown): { status: number; expression: unknown } {
  try {
    act();
  } catch (error) {
    if (error instanceof FhirError) return { status: error.status, expression: error.expression };
    throw error;
  }
  throw new Error('not refused');
}

const EXPECTED = {
  to: SOCIAL,
  category: 'child-social-care',
  priority: 'urgent',
  reason: 'Repeated absence this term and signs of neglect observed by staff.',
  subject: {
    identifiers: [{ system: 'urn:oid:1.2.208.176.1.2', value: '0101125678' }],
    name: { given: 'Freja', family: 'Nielsen' },
    birthDate: '2012-01-01',
  },
  lawfulBasis: { basis: 'consent', consentRef: 'school-consent-2026-118' },
  dueBy: '2027-01-15T00:00:00.000Z',
};

describe('a referral sent as FHIR, as the data of referral.make.v1', () => {
  it('reads a transaction Bundle and a Task with contained parts alike', () => {
    const { parts, entries } = partsOfTransaction(
      referralTransaction({ from: SCHOOL, to: SOCIAL }),
    );
    expect(entries.map((entry) => entry.type)).toEqual([
      'Task',
      'ServiceRequest',
      'Patient',
      'Consent',
    ]);
    expect(makeReferralOf(parts, SCHOOL)).toEqual(EXPECTED);
    const contained = partsOfTask(taskWithContainedParts({ from: SCHOOL, to: SOCIAL }));
    expect(makeReferralOf(contained, SCHOOL)).toEqual(EXPECTED);
  });

  it('refuses a referral in another agency’s name (403 at Task.requester)', () => {
    const { parts } = partsOfTransaction(referralTransaction({ from: SOCIAL, to: SOCIAL }));
    expect(refusal(() => makeReferralOf(parts, SCHOOL))).toEqual({
      status: 403,
      expression: 'Task.requester',
    });
  });

  it('names the element that is missing or points nowhere', () => {
    const bundle = (edit: (b: Bundle) => void): Bundle => {
      const b = referralTransaction({ from: SCHOOL, to: SOCIAL });
      edit(b);
      return b;
    };
    const entries = (b: Bundle) => b.entry ?? [];
    expect(
      refusal(() =>
        partsOfTransaction(
          bundle((b) => {
            entries(b)[0].resource = {
              ...entries(b)[0].resource,
              focus: { reference: 'urn:uuid:x' },
            } as never;
          }),
        ),
      ),
    ).toEqual({ status: 422, expression: 'Task.focus' });
    expect(refusal(() => partsOfTransaction(bundle((b) => entries(b).splice(3, 1))))).toEqual({
      status: 422,
      expression: 'Consent',
    });
    expect(
      refusal(() => partsOfTransaction(bundle((b) => Object.assign(b, { type: 'batch' })))),
    ).toEqual({ status: 422, expression: 'Bundle.type' });
    expect(
      refusal(() =>
        partsOfTransaction(
          bundle((b) => {
            entries(b)[1].request = { method: 'PUT', url: 'ServiceRequest/1' };
          }),
        ),
      ),
    ).toEqual({ status: 422, expression: 'Bundle.entry[1].request' });
    const { parts } = partsOfTransaction(
      bundle((b) => {
        delete (entries(b)[1].resource as { category?: unknown }).category;
      }),
    );
    expect(refusal(() => makeReferralOf(parts, SCHOOL))).toEqual({
      status: 422,
      expression: 'ServiceRequest.category',
    });
    expect(refusal(() => partsOfTask({ resourceType: 'Patient' })).status).toBe(400);
  });
});
