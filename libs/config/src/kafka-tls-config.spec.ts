import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  issueCertificate,
  makeCertificateAuthority,
  PemPair,
} from '../../../infra/kafka/tls-material';
import { loadConfig } from './backbone-config';
import { kafkaSecurityProtocol } from './kafka-tls-config';

// Real PEM files (made with openssl in a temporary directory): the settings are checked by
// reading them, and no private key belongs in the repository.
describe('Kafka TLS settings', () => {
  let dir: string;
  let ca: PemPair;
  let client: PemPair;
  let other: PemPair;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'kafka-tls-config-'));
    ca = await makeCertificateAuthority(dir, 'ca');
    client = await issueCertificate(ca, dir, 'client', 'backbone');
    other = await issueCertificate(ca, dir, 'other', 'someone-else');
    await writeFile(join(dir, 'not-pem.txt'), 'hello');
  }, 30_000);

  afterAll(() => rm(dir, { recursive: true, force: true }));

  const mutual = () => ({
    KAFKA_TLS: 'on',
    KAFKA_TLS_CA_FILE: ca.certFile,
    KAFKA_TLS_CERT_FILE: client.certFile,
    KAFKA_TLS_KEY_FILE: client.keyFile,
  });

  it('are off by default', () => {
    expect(loadConfig({}).kafkaTls).toEqual({ enabled: false });
  });

  it("turn on with the system's CAs when no CA file is given", () => {
    expect(loadConfig({ KAFKA_TLS: 'on' }).kafkaTls).toMatchObject({
      enabled: true,
      caFile: undefined,
      certFile: undefined,
    });
  });

  it("read a CA file, and a client certificate and key with the certificate's CN", () => {
    expect(loadConfig(mutual()).kafkaTls).toEqual({
      enabled: true,
      caFile: ca.certFile,
      certFile: client.certFile,
      keyFile: client.keyFile,
      keyPassword: undefined,
      certCommonName: 'backbone',
    });
  });

  it('refuse a switch value other than on or off, and files set while TLS is off', () => {
    expect(() => loadConfig({ KAFKA_TLS: 'yes' })).toThrow('KAFKA_TLS must be on or off');
    expect(() => loadConfig({ KAFKA_TLS_CA_FILE: ca.certFile })).toThrow(
      'KAFKA_TLS_CA_FILE set while KAFKA_TLS is off',
    );
  });

  it('name a missing or unreadable file and the setting that names it', () => {
    const missing = join(dir, 'missing.pem');
    expect(() => loadConfig({ ...mutual(), KAFKA_TLS_CA_FILE: missing })).toThrow(
      `KAFKA_TLS_CA_FILE names a file that cannot be read (ENOENT): ${missing}`,
    );
    expect(() => loadConfig({ ...mutual(), KAFKA_TLS_KEY_FILE: missing })).toThrow(
      `KAFKA_TLS_KEY_FILE names a file that cannot be read (ENOENT): ${missing}`,
    );
  });

  it('refuse files that are not what their setting says', () => {
    const notPem = join(dir, 'not-pem.txt');
    expect(() => loadConfig({ ...mutual(), KAFKA_TLS_CA_FILE: notPem })).toThrow(
      `KAFKA_TLS_CA_FILE must name a PEM certificate file; ${notPem} holds none`,
    );
    expect(() => loadConfig({ ...mutual(), KAFKA_TLS_CERT_FILE: client.keyFile })).toThrow(
      'KAFKA_TLS_CERT_FILE must name a PEM certificate file',
    );
    expect(() => loadConfig({ ...mutual(), KAFKA_TLS_KEY_FILE: notPem })).toThrow(
      'KAFKA_TLS_KEY_FILE must name a PEM private key',
    );
  });

  it("refuse a certificate without its key, or with another certificate's key", () => {
    const { KAFKA_TLS_KEY_FILE: _key, ...certOnly } = mutual();
    expect(() => loadConfig(certOnly)).toThrow(
      'KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together',
    );
    expect(() => loadConfig({ ...mutual(), KAFKA_TLS_KEY_FILE: other.keyFile })).toThrow(
      `KAFKA_TLS_KEY_FILE ${other.keyFile} is not the private key of KAFKA_TLS_CERT_FILE ${client.certFile}`,
    );
  });

  it("under KAFKA_AUTH=tls take the backbone's principal from its certificate", () => {
    const config = loadConfig({ ...mutual(), KAFKA_AUTH: 'tls', KAFKA_SASL_USERNAME: 'ignored' });
    expect(config.kafkaAuth).toMatchObject({ mode: 'tls', username: 'backbone' });
  });

  it('refuse KAFKA_AUTH=tls without TLS or without a client certificate', () => {
    expect(() => loadConfig({ KAFKA_AUTH: 'tls' })).toThrow(
      'KAFKA_AUTH=tls logs in with a client certificate: set KAFKA_TLS=on, KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE',
    );
    expect(() => loadConfig({ KAFKA_AUTH: 'tls', KAFKA_TLS: 'on' })).toThrow('KAFKA_AUTH=tls');
  });

  it('name the security protocol Kafka speaks for each combination', () => {
    const on = { enabled: true };
    const off = { enabled: false };
    expect(kafkaSecurityProtocol(false, off)).toBe('PLAINTEXT');
    expect(kafkaSecurityProtocol(true, off)).toBe('SASL_PLAINTEXT');
    expect(kafkaSecurityProtocol(false, on)).toBe('SSL');
    expect(kafkaSecurityProtocol(true, on)).toBe('SASL_SSL');
  });
});
