import { FhirError } from '../fhir-error';
import { encodeSearchPosition } from './search-position';
import { DEFAULT_COUNT, parseTaskSearch } from './task-search-params';

const refusal = (query: Record<string, unknown>): FhirError | undefined => {
  try {
    parseTaskSearch(query);
    return undefined;
  } catch (error) {
    return error as FhirError;
  }
};

describe('Task search parameters', () => {
  it('takes references with or without their type, and a status list standing for ours', () => {
    expect(
      parseTaskSearch({
        owner: 'Organization/randers-social',
        requester: 'randers-school',
        status: 'requested,rejected',
      }),
    ).toEqual({
      owner: 'randers-social',
      requester: 'randers-school',
      statuses: ['requested', 'received', 'rejected', 'redirected'],
      lastUpdated: {},
      count: DEFAULT_COUNT,
    });
  });

  it('takes a _lastUpdated range and a page token it made', () => {
    const token = encodeSearchPosition({
      madeAt: '2026-12-01T09:00:00.000Z',
      referralId: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
    });
    expect(
      parseTaskSearch({
        _lastUpdated: ['ge2026-12-01T00:00:00Z', 'lt2026-12-02T00:00:00+01:00'],
        _count: '5',
        _page: token,
        _format: 'json',
      }),
    ).toEqual({
      lastUpdated: { ge: '2026-12-01T00:00:00Z', lt: '2026-12-02T00:00:00+01:00' },
      count: 5,
      after: {
        madeAt: '2026-12-01T09:00:00.000Z',
        referralId: '6f1c2a34-5b6d-4e7f-8a9b-0c1d2e3f4a5b',
      },
    });
  });

  it.each([
    [{ subject: 'Patient/1' }, 'subject'],
    [{ owner: ['a-agency', 'b-agency'] }, 'owner'],
    [{ owner: 'Practitioner/x' }, 'owner'],
    [{ status: 'redirected' }, 'status'],
    [{ status: 'requested,' }, 'status'],
    [{ _lastUpdated: '2026-12-01' }, '_lastUpdated'],
    [{ _lastUpdated: 'eq2026-12-01T00:00:00Z' }, '_lastUpdated'],
    [{ _lastUpdated: ['gt2026-12-01T00:00:00Z', 'gt2026-12-02T00:00:00Z'] }, '_lastUpdated'],
    [{ _lastUpdated: 'gt2026-12-01T00:00:00+20:00' }, '_lastUpdated'],
    [{ _count: '0' }, '_count'],
    [{ _count: '101' }, '_count'],
    [{ _count: '1e1' }, '_count'],
    [{ _page: 'garbage' }, '_page'],
    [{ _page: Buffer.from('["2026-12-01T00:00:00Z","x"]').toString('base64url') }, '_page'],
    [{ _format: 'xml' }, '_format'],
  ])('refuses %j with a 400 naming %s', (query, expression) => {
    expect(refusal(query)).toMatchObject({ status: 400, expression });
  });
});
