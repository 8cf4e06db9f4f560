import { DEMO_API_KEYS, isDirector, loadDirectory, parseDirectory, sha256Hex } from './index';

const agency = (overrides: Record<string, unknown> = {}) => ({
  id: 'randers-social',
  name: 'Randers Social Services',
  sector: 'social-care',
  accepts: ['safeguarding'],
  apiKeySha256: [sha256Hex('secret')],
  ...overrides,
});

describe('directory file', () => {
  it('loads the demo directory and finds agencies by API key', () => {
    const directory = loadDirectory();
    expect(directory.agencies().length).toBeGreaterThanOrEqual(6);
    const social = directory.agency('randers-social');
    expect(social?.accepts).toContain('child-social-care');
  });

  it('authenticates a principal by the SHA-256 of its key', () => {
    const directory = parseDirectory({ agencies: [agency()], auditors: [], operators: [] });
    expect(directory.authenticate('secret')).toEqual({ kind: 'agency', id: 'randers-social' });
    expect(directory.authenticate('wrong')).toBeUndefined();
  });

  it('names the bad entry by index and id', () => {
    const document = {
      agencies: [agency(), agency({ id: 'bad-sector', sector: 'space' })],
      auditors: [],
      operators: [],
    };
    expect(() => parseDirectory(document)).toThrow(
      /agencies\[1\] \(id "bad-sector"\): sector must be one of/,
    );
  });

  it('rejects an id used twice', () => {
    const document = { agencies: [agency(), agency()], auditors: [], operators: [] };
    expect(() => parseDirectory(document)).toThrow(/ids used twice: randers-social/);
  });

  it('rejects unknown properties', () => {
    const document = { agencies: [agency({ colour: 'red' })], auditors: [], operators: [] };
    expect(() => parseDirectory(document)).toThrow(/colour/);
  });

  describe('webhooks', () => {
    const secret = `whsec_${Buffer.alloc(32, 3).toString('base64')}`;
    const hook = (overrides: Record<string, unknown> = {}) => ({
      id: 'case-system',
      url: 'https://cases.randers.example/hooks',
      secret,
      ...overrides,
    });
    const withHooks = (overrides: Record<string, unknown>) => ({
      agencies: [agency(overrides)],
      auditors: [],
      operators: [],
    });

    it('takes webhooks and allowed networks set centrally for an agency', () => {
      const directory = parseDirectory(
        withHooks({
          webhooks: [hook({ types: ['referral.made.v1'] })],
          webhookAllowedNetworks: ['10.20.0.0/16', 'fd12::/16'],
        }),
      );
      expect(directory.agency('randers-social')?.webhooks).toEqual([
        hook({ types: ['referral.made.v1'] }),
      ]);
      expect(directory.agency('randers-social')?.webhookAllowedNetworks).toEqual([
        '10.20.0.0/16',
        'fd12::/16',
      ]);
    });

    it('refuses a webhook without a whsec_ secret, with a bad id or type, or a network that is not CIDR', () => {
      for (const overrides of [
        { webhooks: [hook({ secret: 'plain' })] },
        { webhooks: [hook({ secret: 'whsec_c2hvcnQ=' })] },
        { webhooks: [hook({ id: 'Not OK' })] },
        { webhooks: [hook({ types: ['made'] })] },
        { webhooks: [hook({ url: 42 })] },
        { webhookAllowedNetworks: ['10.0.0.1'] },
      ]) {
        expect(() => parseDirectory(withHooks(overrides))).toThrow(/randers-social/);
      }
    });
  });

  describe('directors', () => {
    const director = (overrides: Record<string, unknown> = {}) => ({
      id: 'randers-director',
      agencies: ['randers-social'],
      apiKeySha256: [sha256Hex('director secret')],
      ...overrides,
    });
    const withDirectors = (...directors: object[]) => ({
      agencies: [agency(), agency({ id: 'randers-school', apiKeySha256: [] })],
      auditors: [],
      operators: [],
      directors,
    });

    it('authenticates a director as a principal that carries its agencies', () => {
      const directory = parseDirectory(
        withDirectors(director({ agencies: ['randers-social', 'randers-school'] })),
      );
      const principal = directory.authenticate('director secret');
      expect(principal).toEqual({
        kind: 'director',
        id: 'randers-director',
        agencies: ['randers-social', 'randers-school'],
      });
      expect(principal && isDirector(principal)).toBe(true);
      expect(directory.agenciesOfDirector('randers-director')).toEqual([
        'randers-social',
        'randers-school',
      ]);
    });

    it("keeps a director's scope from being changed through its principal", () => {
      const directory = parseDirectory(withDirectors(director()));
      const principal = directory.authenticate('director secret');
      if (!principal || !isDirector(principal)) throw new Error('expected a director');
      expect(() => (principal.agencies as string[]).push('randers-school')).toThrow(TypeError);
      expect(directory.authenticate('director secret')).toMatchObject({
        agencies: ['randers-social'],
      });
    });

    it('finds a principal by id, a director with its scope, while the directory lists it', () => {
      const directory = parseDirectory(withDirectors(director()));
      expect(directory.principal('randers-director')).toEqual({
        kind: 'director',
        id: 'randers-director',
        agencies: ['randers-social'],
      });
      expect(directory.principal('randers-social')).toEqual({
        kind: 'agency',
        id: 'randers-social',
      });
      expect(directory.principal('nobody')).toBeUndefined();
    });

    it('gives no agencies to an id that is not a director', () => {
      const directory = parseDirectory(withDirectors(director()));
      expect(directory.agenciesOfDirector('randers-social')).toEqual([]);
      expect(directory.agenciesOfDirector('nobody')).toEqual([]);
    });

    it('treats a file without directors as having none', () => {
      const directory = parseDirectory({ agencies: [agency()], auditors: [], operators: [] });
      expect(directory.directors()).toEqual([]);
      expect(directory.authenticate('secret')).toEqual({ kind: 'agency', id: 'randers-social' });
    });

    it('refuses a director naming agencies the directory does not have, naming them', () => {
      const document = withDirectors(
        director({ agencies: ['randers-social', 'randers-scool', 'aarhus-social'] }),
      );
      expect(() => parseDirectory(document)).toThrow(
        /directors\[0\] \(id "randers-director"\): agencies not in the directory: randers-scool, aarhus-social/,
      );
    });

    it('refuses a director without agencies, or naming one twice', () => {
      expect(() => parseDirectory(withDirectors(director({ agencies: [] })))).toThrow(
        /directors\[0\] \(id "randers-director"\): agencies must name at least one agency/,
      );
      expect(() =>
        parseDirectory(withDirectors(director({ agencies: ['randers-social', 'randers-social'] }))),
      ).toThrow(/agencies must not name an agency twice/);
    });

    it("refuses a director's id that another principal already has", () => {
      expect(() => parseDirectory(withDirectors(director({ id: 'randers-school' })))).toThrow(
        /ids used twice: randers-school/,
      );
      expect(() => parseDirectory(withDirectors(director(), director()))).toThrow(
        /ids used twice: randers-director/,
      );
    });

    it('holds a Randers and a Redbridge director in the demo directory, each scoped to its area', () => {
      const directory = loadDirectory();
      expect(directory.authenticate(DEMO_API_KEYS['demo-randers-director'])).toEqual({
        kind: 'director',
        id: 'demo-randers-director',
        agencies: ['randers-school', 'randers-social', 'east-jutland-police'],
      });
      const redbridge = directory.agenciesOfDirector('demo-redbridge-director');
      expect([...redbridge].sort()).toEqual(
        directory
          .agencies()
          .map(({ id }) => id)
          .filter((id) => !directory.agenciesOfDirector('demo-randers-director').includes(id))
          .sort(),
      );
    });
  });
});
