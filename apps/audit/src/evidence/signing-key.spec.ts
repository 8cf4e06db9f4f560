import { generateKeyPairSync, sign, verify } from 'node:crypto';
import { DEFAULTS } from '@backbone/config';
import { parsePublicKey, parseSigningKey, publishedForm } from './signing-key';

describe('the evidence signing key', () => {
  it('reads a 32-byte seed and a PKCS#8 DER key alike', () => {
    const { privateKey } = generateKeyPairSync('ed25519');
    const der = privateKey.export({ format: 'der', type: 'pkcs8' });
    const seed = der.subarray(der.length - 32);
    const fromDer = parseSigningKey(der.toString('base64'));
    const fromSeed = parseSigningKey(seed.toString('base64'));
    expect(fromSeed.published).toEqual(fromDer.published);
    const signature = sign(null, Buffer.from('x'), fromSeed.privateKey);
    expect(verify(null, Buffer.from('x'), fromDer.publicKey, signature)).toBe(true);
  });

  it('has a development default, published as an RFC 8037 JWK named by its RFC 7638 thumbprint', () => {
    const { published } = parseSigningKey(DEFAULTS.AUDIT_SIGNING_KEY);
    expect(published).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    expect(published.kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('refuses anything else, naming the setting', () => {
    expect(() => parseSigningKey('c2hvcnQ=')).toThrow(/AUDIT_SIGNING_KEY/);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey;
    expect(() =>
      parseSigningKey(rsa.export({ format: 'der', type: 'pkcs8' }).toString('base64')),
    ).toThrow(/not an Ed25519/);
  });

  it('takes a public key to trust as a JWK set, a JWK, PEM or raw base64', () => {
    const { publicKey, published } = parseSigningKey(DEFAULTS.AUDIT_SIGNING_KEY);
    const raw = Buffer.from(published.x, 'base64url').toString('base64');
    const forms = [
      JSON.stringify({ keys: [published] }),
      JSON.stringify(published),
      publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      raw,
    ];
    for (const form of forms) expect(publishedForm(parsePublicKey(form)).kid).toBe(published.kid);
    expect(() => parsePublicKey('AAAA')).toThrow(/32 raw bytes/);
  });
});
