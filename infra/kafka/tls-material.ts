// Certificates for a local TLS broker and its clients, made with `openssl` (keys, certificates,
// the broker's PKCS#12 keystore) and `keytool` (the broker's truststore), into a directory outside
// git (a temporary one in tests, `.data/kafka-tls` for `npm start`). Never for production: there,
// the certificates come from the operator's own certificate authority.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface PemPair {
  certFile: string;
  keyFile: string;
}

/** What a TLS listener of the local broker needs: its keystore and the CA it trusts. */
export interface BrokerStores {
  /** PKCS#12: the broker's key and certificate (CN=kafka-broker, IP 127.0.0.1, DNS localhost). */
  keystoreFile: string;
  /** PKCS#12: the certificate authority whose client certificates the broker accepts. */
  truststoreFile: string;
  /** Of both stores and the key inside the keystore. */
  password: string;
  /** The CA's certificate: what clients trust (KAFKA_TLS_CA_FILE). */
  caFile: string;
  /** The broker's own certificate and key as PEM, e.g. for a readiness probe under mutual TLS. */
  broker: PemPair;
}

/** The common name of the local broker's own certificate, its principal on its own listener. */
export const BROKER_COMMON_NAME = 'kafka-broker';

const DAYS = 825;

async function openssl(args: string[]): Promise<void> {
  await run('openssl', args);
}

/** A P-256 key and a certificate request for `commonName`, written next to each other. */
async function keyAndRequest(dir: string, name: string, commonName: string): Promise<string> {
  const request = join(dir, `${name}.csr`);
  await openssl([
    'req',
    '-new',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    join(dir, `${name}.key`),
    '-out',
    request,
    '-subj',
    `/CN=${commonName}`,
  ]);
  await chmod(join(dir, `${name}.key`), 0o600);
  return request;
}

/** A self-signed certificate authority `<dir>/<name>.pem` with its key `<name>.key`. */
export async function makeCertificateAuthority(
  dir: string,
  name: string,
  commonName = `${name} (local test CA)`,
): Promise<PemPair> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const pair = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  await openssl([
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-days',
    String(DAYS),
    '-keyout',
    pair.keyFile,
    '-out',
    pair.certFile,
    '-subj',
    `/CN=${commonName}`,
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  ]);
  await chmod(pair.keyFile, 0o600);
  return pair;
}

/**
 * A certificate for `commonName` signed by `ca`, good for both ends of a TLS connection, with
 * the subject alternative names a broker on 127.0.0.1 is checked against.
 */
export async function issueCertificate(
  ca: PemPair,
  dir: string,
  name: string,
  commonName: string,
): Promise<PemPair> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const request = await keyAndRequest(dir, name, commonName);
  const extensions = join(dir, `${name}.ext`);
  await writeFile(
    extensions,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      'extendedKeyUsage=serverAuth,clientAuth',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ].join('\n'),
  );
  const pair = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  await openssl([
    'x509',
    '-req',
    '-in',
    request,
    '-CA',
    ca.certFile,
    '-CAkey',
    ca.keyFile,
    '-set_serial',
    `0x${randomBytes(16).toString('hex')}`,
    '-days',
    String(DAYS),
    '-extfile',
    extensions,
    '-out',
    pair.certFile,
  ]);
  await rm(request);
  await rm(extensions);
  return pair;
}

/**
 * The broker's stores: its key and certificate (issued by `ca`) in a PKCS#12 keystore made by
 * `openssl pkcs12`, and `ca` alone in a PKCS#12 truststore made by `keytool`.
 */
export async function makeBrokerStores(ca: PemPair, dir: string): Promise<BrokerStores> {
  const broker = await issueCertificate(ca, dir, 'broker', BROKER_COMMON_NAME);
  const passwordFile = join(dir, 'broker-stores.password');
  const password = existsSync(passwordFile)
    ? (await readFile(passwordFile, 'utf8')).trim()
    : randomBytes(18).toString('base64url');
  await writeFile(passwordFile, password, { mode: 0o600 });
  const stores: BrokerStores = {
    keystoreFile: join(dir, 'broker.keystore.p12'),
    truststoreFile: join(dir, 'broker.truststore.p12'),
    password,
    caFile: ca.certFile,
    broker,
  };
  await rm(stores.keystoreFile, { force: true });
  await rm(stores.truststoreFile, { force: true });
  await openssl([
    'pkcs12',
    '-export',
    '-name',
    BROKER_COMMON_NAME,
    '-in',
    broker.certFile,
    '-inkey',
    broker.keyFile,
    '-certfile',
    ca.certFile,
    '-out',
    stores.keystoreFile,
    '-passout',
    `pass:${password}`,
  ]);
  await run('keytool', [
    '-importcert',
    '-noprompt',
    '-alias',
    'ca',
    '-file',
    ca.certFile,
    '-keystore',
    stores.truststoreFile,
    '-storetype',
    'PKCS12',
    '-storepass',
    password,
  ]);
  await chmod(stores.keystoreFile, 0o600);
  return stores;
}
