// KAFKA_TLS=on for a local broker (`npm start`, `npm run kafka`): a development CA, the broker's
// stores and, under KAFKA_AUTH=tls, client certificates for the backbone and each agency, kept in
// `.data/kafka-tls` (outside git, keys readable by this user only) and reused between runs.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from '@backbone/config';
import type { LocalKafkaTls } from './broker-security';
import {
  issueCertificate,
  makeBrokerStores,
  makeCertificateAuthority,
  PemPair,
} from './tls-material';

/** The CN of the backbone's own client certificate under KAFKA_AUTH=tls: its principal. */
export const LOCAL_BACKBONE_COMMON_NAME = 'backbone';

export interface LocalTlsSetup {
  /** KAFKA_TLS_* settings for the backbone against the local broker. */
  settings: Record<string, string>;
  broker: LocalKafkaTls;
  dir: string;
  /** Each agency's client certificate and key (KAFKA_AUTH=tls only). */
  agencies: Record<string, PemPair>;
}

export const localTlsDir = (): string => join(projectRoot(), '.data', 'kafka-tls');

async function kept(dir: string, name: string, make: () => Promise<PemPair>): Promise<PemPair> {
  const pair = { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}.key`) };
  return existsSync(pair.certFile) && existsSync(pair.keyFile) ? pair : make();
}

/**
 * With KAFKA_TLS=on and none of the KAFKA_TLS_*_FILE settings given, the development TLS material
 * for a local broker (made where missing) and the settings that point the backbone at it;
 * `undefined` otherwise (no TLS, or certificates of the operator's own).
 */
export async function localKafkaTls(
  env: NodeJS.ProcessEnv,
  agencyIds: string[],
  dir = localTlsDir(),
): Promise<LocalTlsSetup | undefined> {
  if ((env.KAFKA_TLS ?? '').toLowerCase() !== 'on') return undefined;
  if (env.KAFKA_TLS_CA_FILE || env.KAFKA_TLS_CERT_FILE || env.KAFKA_TLS_KEY_FILE) return undefined;
  const ca = await kept(dir, 'ca', () =>
    makeCertificateAuthority(dir, 'ca', 'Referral Backbone local Kafka CA'),
  );
  const stores = await makeBrokerStores(ca, dir);
  const settings: Record<string, string> = { KAFKA_TLS_CA_FILE: ca.certFile };
  const agencies: Record<string, PemPair> = {};
  const mutual = (env.KAFKA_AUTH ?? '').toLowerCase() === 'tls';
  if (mutual) {
    const backbone = await kept(dir, LOCAL_BACKBONE_COMMON_NAME, () =>
      issueCertificate(ca, dir, LOCAL_BACKBONE_COMMON_NAME, LOCAL_BACKBONE_COMMON_NAME),
    );
    settings.KAFKA_TLS_CERT_FILE = backbone.certFile;
    settings.KAFKA_TLS_KEY_FILE = backbone.keyFile;
    const agencyDir = join(dir, 'agencies');
    for (const id of agencyIds) {
      agencies[id] = await kept(agencyDir, id, () => issueCertificate(ca, agencyDir, id, id));
    }
  }
  return {
    settings,
    dir,
    agencies,
    broker: {
      stores,
      clientAuth: mutual ? 'required' : 'none',
      superUser: mutual ? LOCAL_BACKBONE_COMMON_NAME : undefined,
    },
  };
}
