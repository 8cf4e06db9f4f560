// SCRAM (RFC 5802, RFC 7677): the client side of a login, and the salted credential a broker
// stores for a user. Pure functions of their inputs, so they are checked against the RFC vectors.
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KafkaSaslMechanism } from '@backbone/config';

interface ScramHash {
  algorithm: 'sha256' | 'sha512';
  length: number;
  /** The mechanism's id in Kafka's AlterUserScramCredentials API. */
  kafkaId: number;
}

export const SCRAM_HASHES: Record<KafkaSaslMechanism, ScramHash> = {
  'scram-sha-256': { algorithm: 'sha256', length: 32, kafkaId: 1 },
  'scram-sha-512': { algorithm: 'sha512', length: 64, kafkaId: 2 },
};

/** Kafka accepts 4096 to 16384 iterations; its own tools default to 4096. */
export const SCRAM_ITERATIONS = 8192;

export const saltedPassword = (
  mechanism: KafkaSaslMechanism,
  password: string,
  salt: Buffer,
  iterations: number,
): Buffer => {
  const { algorithm, length } = SCRAM_HASHES[mechanism];
  return pbkdf2Sync(Buffer.from(password, 'utf8'), salt, iterations, length, algorithm);
};

/** A fresh credential for a user, as a broker stores it (never the password itself). */
export function scramCredential(
  mechanism: KafkaSaslMechanism,
  password: string,
  iterations = SCRAM_ITERATIONS,
): { salt: Buffer; saltedPassword: Buffer; iterations: number } {
  const salt = randomBytes(32);
  return {
    salt,
    iterations,
    saltedPassword: saltedPassword(mechanism, password, salt, iterations),
  };
}

/** `=` and `,` are escaped in SCRAM user names. */
const saslName = (name: string): string => name.replace(/=/g, '=3D').replace(/,/g, '=2C');

function attributes(message: string): Map<string, string> {
  return new Map(
    message.split(',').map((part) => [part.slice(0, 1), part.slice(2)] as [string, string]),
  );
}

/** One SCRAM login: client-first, then client-final from the server's first message. */
export class ScramLogin {
  private readonly firstBare: string;
  private expectedServerSignature?: Buffer;

  constructor(
    private readonly mechanism: KafkaSaslMechanism,
    username: string,
    private readonly password: string,
    private readonly nonce = randomBytes(24).toString('base64url'),
  ) {
    this.firstBare = `n=${saslName(username)},r=${this.nonce}`;
  }

  clientFirst(): string {
    return `n,,${this.firstBare}`;
  }

  clientFinal(serverFirst: string): string {
    const server = attributes(serverFirst);
    const nonce = server.get('r') ?? '';
    const salt = Buffer.from(server.get('s') ?? '', 'base64');
    const iterations = Number(server.get('i'));
    if (!nonce.startsWith(this.nonce) || nonce.length === this.nonce.length) {
      throw new Error('SCRAM: the server nonce does not extend the client nonce');
    }
    if (!Number.isInteger(iterations) || iterations < 4096) {
      throw new Error(`SCRAM: the server asks for too few iterations (${server.get('i')})`);
    }
    const { algorithm } = SCRAM_HASHES[this.mechanism];
    const hmac = (key: Buffer, text: string): Buffer =>
      createHmac(algorithm, key).update(text).digest();
    const salted = saltedPassword(this.mechanism, this.password, salt, iterations);
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash(algorithm).update(clientKey).digest();
    const withoutProof = `c=biws,r=${nonce}`;
    const authMessage = `${this.firstBare},${serverFirst},${withoutProof}`;
    const signature = hmac(storedKey, authMessage);
    const proof = Buffer.from(clientKey.map((byte, i) => byte ^ signature[i]));
    this.expectedServerSignature = hmac(hmac(salted, 'Server Key'), authMessage);
    return `${withoutProof},p=${proof.toString('base64')}`;
  }

  /** Throws unless the server proved it knows the credential too. */
  verifyServerFinal(serverFinal: string): void {
    const server = attributes(serverFinal);
    if (server.has('e')) throw new Error(`SCRAM: the server refused: ${server.get('e')}`);
    const signature = Buffer.from(server.get('v') ?? '', 'base64');
    const expected = this.expectedServerSignature;
    if (
      !expected ||
      signature.length !== expected.length ||
      !timingSafeEqual(signature, expected)
    ) {
      throw new Error('SCRAM: the server signature is wrong');
    }
  }
}
