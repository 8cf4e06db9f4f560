import { loadDirectory, parseDirectory, sha256Hex } from './index';

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
});
