import { createHash, createHmac } from 'node:crypto';
import { ScramLogin, scramCredential } from './scram';

describe('SCRAM login', () => {
  // RFC 7677 §3: the SCRAM-SHA-256 exchange of user "user" with password "pencil".
  const serverFirst =
    'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
  const login = (): ScramLogin =>
    new ScramLogin('scram-sha-256', 'user', 'pencil', 'rOprNGfwEbeRWgbNEkqO');

  it('produces the client messages of the RFC 7677 example', () => {
    const scram = login();
    expect(scram.clientFirst()).toBe('n,,n=user,r=rOprNGfwEbeRWgbNEkqO');
    expect(scram.clientFinal(serverFirst)).toBe(
      'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,' +
        'p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=',
    );
  });

  it("accepts the server's signature of the RFC example and refuses any other", () => {
    const scram = login();
    scram.clientFinal(serverFirst);
    expect(() =>
      scram.verifyServerFinal('v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4='),
    ).not.toThrow();
    expect(() => scram.verifyServerFinal('v=7rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=')).toThrow(
      /server signature/,
    );
    expect(() => scram.verifyServerFinal('e=invalid-proof')).toThrow(/invalid-proof/);
  });

  it('refuses a server nonce that does not extend its own, and too few iterations', () => {
    expect(() => login().clientFinal('r=someone-else,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096')).toThrow(
      /nonce/,
    );
    expect(() =>
      login().clientFinal('r=rOprNGfwEbeRWgbNEkqOxyz,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=1024'),
    ).toThrow(/iterations/);
  });

  it('escapes = and , in user names', () => {
    expect(new ScramLogin('scram-sha-256', 'a=b,c', 'x', 'n').clientFirst()).toBe(
      'n,,n=a=3Db=2Cc,r=n',
    );
  });

  it.each(['scram-sha-256', 'scram-sha-512'] as const)(
    'logs in with %s against a credential made by scramCredential, as a broker checks it',
    (mechanism) => {
      const algorithm = mechanism === 'scram-sha-256' ? 'sha256' : 'sha512';
      const hmac = (key: Buffer, text: string): Buffer =>
        createHmac(algorithm, key).update(text).digest();
      const stored = scramCredential(mechanism, 'agency-secret');
      const storedKey = createHash(algorithm)
        .update(hmac(stored.saltedPassword, 'Client Key'))
        .digest();

      const scram = new ScramLogin(mechanism, 'randers-school', 'agency-secret', 'cnonce');
      const first = `r=cnonce-server,s=${stored.salt.toString('base64')},i=${stored.iterations}`;
      const final = scram.clientFinal(first);
      const withoutProof = final.slice(0, final.indexOf(',p='));
      const proof = Buffer.from(final.slice(final.indexOf(',p=') + 3), 'base64');
      const authMessage = `n=randers-school,r=cnonce,${first},${withoutProof}`;
      const signature = hmac(storedKey, authMessage);
      const clientKey = Buffer.from(proof.map((byte, i) => byte ^ signature[i]));
      expect(createHash(algorithm).update(clientKey).digest()).toEqual(storedKey);

      const serverKey = hmac(stored.saltedPassword, 'Server Key');
      const serverFinal = `v=${hmac(serverKey, authMessage).toString('base64')}`;
      expect(() => scram.verifyServerFinal(serverFinal)).not.toThrow();
    },
  );
});
