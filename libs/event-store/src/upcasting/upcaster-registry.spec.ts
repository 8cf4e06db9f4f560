import type { StoredEvent } from '../event-store.port';
import { UpcasterRegistry, parseEventType } from './upcaster-registry';

const stored = (type: string, data: Record<string, unknown>): StoredEvent => ({
  eventId: '00000000-0000-4000-8000-000000000001',
  streamId: 'referral-1',
  streamVersion: 1,
  globalPosition: '1',
  transactionId: '1',
  type,
  data,
  metadata: {},
  recordedAt: '2026-01-01T00:00:00.000Z',
  hash: 'ab',
});

describe('UpcasterRegistry', () => {
  // v1 had one `name`; v2 split it; v3 renamed `given` to `givenName`.
  const registry = new UpcasterRegistry()
    .register('person.noted', 1, (data) => {
      const [given, family] = String(data.name).split(' ');
      return { given, family };
    })
    .register('person.noted', 2, ({ given, ...rest }) => ({ ...rest, givenName: given }));

  it('turns an old event into the current shape one version at a time', () => {
    const event = registry.upcast(stored('person.noted.v1', { name: 'Freja Nielsen' }));
    expect(event.type).toBe('person.noted.v3');
    expect(event.data).toEqual({ givenName: 'Freja', family: 'Nielsen' });
    expect(event.storedType).toBe('person.noted.v1');
  });

  it('starts from the version the event has', () => {
    const event = registry.upcast(stored('person.noted.v2', { given: 'Ida', family: 'Holm' }));
    expect(event).toMatchObject({ type: 'person.noted.v3', storedType: 'person.noted.v2' });
    expect(event.data).toEqual({ givenName: 'Ida', family: 'Holm' });
  });

  it('leaves current and unknown events as they are, the same object', () => {
    const current = stored('person.noted.v3', { givenName: 'Ida' });
    const other = stored('referral.made.v1', {});
    expect(registry.upcast(current)).toBe(current);
    expect(registry.upcast(other)).toBe(other);
  });

  it('keeps everything but the type and data', () => {
    const original = stored('person.noted.v1', { name: 'A B' });
    const { type: _t, data: _d, storedType: _s, ...rest } = registry.upcast(original);
    const { type: _ot, data: _od, ...originalRest } = original;
    expect(rest).toEqual(originalRest);
  });

  it('refuses two upcasters from the same version', () => {
    expect(() =>
      new UpcasterRegistry().register('x', 1, (d) => d).register('x', 1, (d) => d),
    ).toThrow('already registered');
  });

  it('registers a list of steps as one by one (the contracts list theirs)', () => {
    const listed = new UpcasterRegistry().registerAll([
      { name: 'person.noted', fromVersion: 1, upcast: () => ({ given: 'A', family: 'B' }) },
      { name: 'person.noted', fromVersion: 2, upcast: ({ given }) => ({ givenName: given }) },
    ]);
    const event = listed.upcast(stored('person.noted.v1', { name: 'A B' }));
    expect(event).toMatchObject({ type: 'person.noted.v3', data: { givenName: 'A' } });
    expect(new UpcasterRegistry().registerAll([]).isEmpty).toBe(true);
  });

  it('reads the version from the type name', () => {
    expect(parseEventType('referral.made.v12')).toEqual({ name: 'referral.made', version: 12 });
    expect(parseEventType('referral.made')).toBeUndefined();
    expect(parseEventType('referral.made.v0')).toBeUndefined();
  });
});
