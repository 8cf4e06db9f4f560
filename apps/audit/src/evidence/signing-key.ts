// The backbone's Ed25519 key for evidence bundles: parsed from configuration, published as a
// JSON Web Key (RFC 8037), named by its RFC 7638 thumbprint.
import { KeyObject, createHash, createPrivateKey, createPublicKey } from 'node:crypto';

/** DER prefix of a PKCS#8 Ed25519 private key (RFC 8410), followed by the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
/** DER prefix of an Ed25519 SubjectPublicKeyInfo, followed by the 32-byte public key. */
const SPKI_ED25519_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const RAW_KEY_BYTES = 32;

export interface PublicSigningKey {
  kty: 'OKP';
  crv: 'Ed25519';
  /** base64url of the 32-byte public key. */
  x: string;
  /** RFC 7638 thumbprint: what a bundle's signature names its key by. */
  kid: string;
  use: 'sig';
  alg: 'EdDSA';
}

export interface SigningKey {
  privateKey: KeyObject;
  publicKey: KeyObject;
  published: PublicSigningKey;
}

/** RFC 7638: SHA-256 of the JWK's required members, in lexical order, base64url. */
const thumbprint = (x: string): string =>
  createHash('sha256').update(`{"crv":"Ed25519","kty":"OKP","x":"${x}"}`).digest('base64url');

export function publishedForm(publicKey: KeyObject): PublicSigningKey {
  const { x } = publicKey.export({ format: 'jwk' });
  if (publicKey.asymmetricKeyType !== 'ed25519' || !x) throw new Error('not an Ed25519 public key');
  return { kty: 'OKP', crv: 'Ed25519', x, kid: thumbprint(x), use: 'sig', alg: 'EdDSA' };
}

/**
 * `AUDIT_SIGNING_KEY`: base64 of the 32-byte Ed25519 seed, or of a PKCS#8 DER private key
 * (`openssl genpkey -algorithm ed25519 -outform DER | base64 -w0`).
 */
export function parseSigningKey(base64: string, setting = 'AUDIT_SIGNING_KEY'): SigningKey {
  const bytes = Buffer.from(base64.trim(), 'base64');
  const der = bytes.length === RAW_KEY_BYTES ? Buffer.concat([PKCS8_ED25519_PREFIX, bytes]) : bytes;
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: der, format: 'der', type: 'pkcs8' });
  } catch {
    throw new Error(`${setting} must be base64 of a 32-byte Ed25519 seed or of a PKCS#8 DER key`);
  }
  if (privateKey.asymmetricKeyType !== 'ed25519') {
    throw new Error(`${setting} holds a ${privateKey.asymmetricKeyType} key, not an Ed25519 one`);
  }
  const publicKey = createPublicKey(privateKey);
  return { privateKey, publicKey, published: publishedForm(publicKey) };
}

/**
 * A public key to check bundles against: a JWK (as `GET /v1/signing-keys` lists it), a PEM
 * public key, or base64 of the raw 32 bytes.
 */
export function parsePublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const jwk = JSON.parse(trimmed) as { keys?: unknown[] } & Record<string, unknown>;
    const key = Array.isArray(jwk.keys) ? (jwk.keys[0] as Record<string, unknown>) : jwk;
    const { kty, crv, x } = key;
    return createPublicKey({
      key: { kty: String(kty), crv: String(crv), x: String(x) },
      format: 'jwk',
    });
  }
  if (trimmed.startsWith('-----BEGIN')) return createPublicKey(trimmed);
  const raw = Buffer.from(trimmed, 'base64');
  if (raw.length !== RAW_KEY_BYTES) {
    throw new Error('a public key is a JWK, a PEM public key, or base64 of 32 raw bytes');
  }
  return createPublicKey({
    key: Buffer.concat([SPKI_ED25519_PREFIX, raw]),
    format: 'der',
    type: 'spki',
  });
}
