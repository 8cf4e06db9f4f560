import { TargetPolicy, TargetRefusedError, checkTarget, refusalOf } from './webhook-target';

const production: TargetPolicy = { allowLoopback: false, allowedNetworks: [] };
const development: TargetPolicy = { allowLoopback: true, allowedNetworks: [] };

const resolvingTo =
  (...addresses: string[]) =>
  async () =>
    addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

const refused = async (
  url: string,
  policy: TargetPolicy,
  resolve = resolvingTo('93.184.215.14'),
) => {
  try {
    await checkTarget(url, policy, resolve);
    return undefined;
  } catch (error) {
    if (error instanceof TargetRefusedError) return error.reason;
    throw error;
  }
};

describe('webhook targets (SSRF)', () => {
  it('refuses private, loopback, link-local, metadata and other special addresses', () => {
    for (const address of [
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '127.0.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '224.0.0.1',
      '255.255.255.255',
      '::1',
      '::',
      'fe80::1',
      'fd00:ec2::254',
      'fc00::1',
      '::ffff:10.0.0.1',
      '::ffff:169.254.169.254',
      '64:ff9b::a00:1',
      '2002:a00:1::',
    ]) {
      expect({ address, refused: refusalOf(address, production, false) !== undefined }).toEqual({
        address,
        refused: true,
      });
    }
  });

  it('lets global unicast addresses through', () => {
    for (const address of ['93.184.215.14', '8.8.8.8', '2606:2800:21f:cb07:6820:80da:af6b:8b2c']) {
      expect(refusalOf(address, production, false)).toBeUndefined();
    }
  });

  it('lets a network the directory allows through, and nothing next to it', () => {
    const policy = { ...production, allowedNetworks: ['10.20.0.0/16', 'fd12::/16'] };
    expect(refusalOf('10.20.3.4', policy, false)).toBeUndefined();
    expect(refusalOf('fd12::7', policy, false)).toBeUndefined();
    expect(refusalOf('10.21.0.1', policy, false)).toBeDefined();
    expect(refusalOf('169.254.169.254', policy, false)).toBeDefined();
  });

  it('takes plain http only to loopback, and only in development', async () => {
    expect(await refused('http://127.0.0.1:8080/hook', development)).toBeUndefined();
    expect(
      await refused('http://localhost:8080/hook', development, resolvingTo('127.0.0.1')),
    ).toBeUndefined();
    expect(await refused('http://127.0.0.1:8080/hook', production)).toMatch(/https/);
    expect(await refused('http://example.org/hook', development)).toMatch(/https/);
    // A name that looks local but resolves elsewhere is still refused over plain http.
    expect(
      await refused('http://localhost/hook', development, resolvingTo('93.184.215.14')),
    ).toMatch(/loopback/);
  });

  it('checks every address a host resolves to, and refuses the host if any is special', async () => {
    expect(await refused('https://hooks.example.org/x', production)).toBeUndefined();
    expect(
      await refused(
        'https://rebind.example.org/x',
        production,
        resolvingTo('93.184.215.14', '10.0.0.1'),
      ),
    ).toMatch(/private/);
    expect(
      await refused('https://meta.example.org/', production, resolvingTo('169.254.169.254')),
    ).toMatch(/linkLocal/);
    expect(await refused('https://[fd00:ec2::254]/', production)).toMatch(/uniqueLocal/);
    expect(await refused('https://169.254.169.254/latest/meta-data', production)).toMatch(
      /linkLocal/,
    );
  });

  it('connects to the address it checked', async () => {
    const target = await checkTarget(
      'https://hooks.example.org/x',
      production,
      resolvingTo('93.184.215.14'),
    );
    expect(target).toMatchObject({ address: '93.184.215.14', family: 4 });
    expect(target.url.hostname).toBe('hooks.example.org');
  });

  it('refuses what is not an https URL, and URLs with credentials', async () => {
    for (const url of [
      'not a url',
      'ftp://example.org/',
      'https://user:pw@example.org/',
      'x'.repeat(3000),
    ]) {
      expect(await refused(url, production)).toBeDefined();
    }
  });
});
