// TLS on the backbone's Kafka connections (KAFKA_TLS and its files), checked when the settings
// are read so that a wrong path or file is named at start-up, not found by a failing handshake.
import { createPrivateKey, KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface KafkaTlsConfig {
  /** `on`: the SSL or SASL_SSL protocol, the broker's certificate verified. `off`: no TLS. */
  enabled: boolean;
  /** PEM certificates the broker's certificate must chain to; the system's CAs when unset. */
  caFile?: string;
  /** PEM client certificate (and its chain) for mutual TLS. */
  certFile?: string;
  /** PEM private key of `certFile`. */
  keyFile?: string;
  /** Passphrase of an encrypted `keyFile`. */
  keyPassword?: string;
  /** Common name of the client certificate: the Kafka principal under KAFKA_AUTH=tls. */
  certCommonName?: string;
}

export const KAFKA_TLS_DEFAULTS = { KAFKA_TLS: 'off' } as const;

const FILE_SETTINGS = ['KAFKA_TLS_CA_FILE', 'KAFKA_TLS_CERT_FILE', 'KAFKA_TLS_KEY_FILE'] as const;

function readSettingFile(setting: string, path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`${setting} names a file that cannot be read (${reason}): ${path}`);
  }
}

function certificatesIn(setting: string, path: string, pem: string): X509Certificate[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g);
  try {
    if (!blocks) throw new Error('no PEM certificate');
    return blocks.map((block) => new X509Certificate(block));
  } catch {
    throw new Error(`${setting} must name a PEM certificate file; ${path} holds none`);
  }
}

function privateKeyIn(path: string, pem: string, passphrase: string | undefined): KeyObject {
  try {
    return createPrivateKey({ key: pem, passphrase });
  } catch (error) {
    const encrypted = /ENCRYPTED/.test(pem);
    throw new Error(
      encrypted
        ? `KAFKA_TLS_KEY_FILE ${path} is encrypted and KAFKA_TLS_KEY_PASSWORD does not open it`
        : `KAFKA_TLS_KEY_FILE must name a PEM private key; ${path} is not one (${(error as Error).message})`,
    );
  }
}

/** The value of the CN attribute of a certificate's subject, if it has exactly one. */
export function commonNameOf(certificate: X509Certificate): string | undefined {
  const names = certificate.subject
    .split('\n')
    .filter((line) => line.startsWith('CN='))
    .map((line) => line.slice(3));
  return names.length === 1 ? names[0] : undefined;
}

export function loadKafkaTlsConfig(env: NodeJS.ProcessEnv): KafkaTlsConfig {
  const switchValue = (env.KAFKA_TLS || KAFKA_TLS_DEFAULTS.KAFKA_TLS).toLowerCase();
  if (switchValue !== 'on' && switchValue !== 'off') {
    throw new Error(`KAFKA_TLS must be on or off, got "${env.KAFKA_TLS}"`);
  }
  const [caFile, certFile, keyFile] = FILE_SETTINGS.map((name) => env[name] || undefined);
  if (switchValue === 'off') {
    const stray = FILE_SETTINGS.filter((name) => env[name]);
    if (stray.length) {
      throw new Error(
        `${stray.join(', ')} set while KAFKA_TLS is off: set KAFKA_TLS=on to use TLS, or unset them`,
      );
    }
    return { enabled: false };
  }
  if (Boolean(certFile) !== Boolean(keyFile)) {
    throw new Error(
      `KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE go together (mutual TLS); only ${certFile ? 'KAFKA_TLS_CERT_FILE' : 'KAFKA_TLS_KEY_FILE'} is set`,
    );
  }
  const keyPassword = env.KAFKA_TLS_KEY_PASSWORD || undefined;
  if (caFile)
    certificatesIn('KAFKA_TLS_CA_FILE', caFile, readSettingFile('KAFKA_TLS_CA_FILE', caFile));
  let certCommonName: string | undefined;
  if (certFile && keyFile) {
    const [leaf] = certificatesIn(
      'KAFKA_TLS_CERT_FILE',
      certFile,
      readSettingFile('KAFKA_TLS_CERT_FILE', certFile),
    );
    const key = privateKeyIn(keyFile, readSettingFile('KAFKA_TLS_KEY_FILE', keyFile), keyPassword);
    if (!leaf.checkPrivateKey(key)) {
      throw new Error(
        `KAFKA_TLS_KEY_FILE ${keyFile} is not the private key of KAFKA_TLS_CERT_FILE ${certFile}`,
      );
    }
    certCommonName = commonNameOf(leaf);
  }
  return { enabled: true, caFile, certFile, keyFile, keyPassword, certCommonName };
}

/** The Kafka security protocol a client uses for these settings. */
export function kafkaSecurityProtocol(
  sasl: boolean,
  tls: KafkaTlsConfig,
): 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL' {
  if (sasl) return tls.enabled ? 'SASL_SSL' : 'SASL_PLAINTEXT';
  return tls.enabled ? 'SSL' : 'PLAINTEXT';
}
