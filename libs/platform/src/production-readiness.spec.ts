import { BackboneConfig, KafkaTlsConfig, loadConfig } from '@backbone/config';
import { DEMO_API_KEYS, Directory, loadDirectory, sha256Hex } from '@backbone/directory';
import { NotReadyForProductionError, productionProblems } from './production-readiness';

const SECRETS = {
  SUBJECT_ID_KEY: 'k'.repeat(44),
  BACKBONE_MASTER_KEY: 'prod-1:C9o3mJk8V8pZQ4x0bqk2m7rj2g6oVv3Fh0m1u9qXb3I=',
  AUDIT_SIGNING_KEY: 'mH7F2c3Qm1f0vGkKpX4N9sT2yW8uB5eZ1aD6rL0oJ3c=',
  KAFKA_AUTH: 'sasl',
  KAFKA_SASL_PASSWORD: 'p'.repeat(24),
  KAFKA_AGENCY_CREDENTIALS: 'issued',
  DIRECTORY_FILE: '/etc/backbone/directory.json',
};

/** A directory of one agency whose key is not public. */
const ownDirectory = new Directory({
  agencies: [
    {
      id: 'aarhus-social',
      name: 'Aarhus social services',
      sector: 'social-care',
      accepts: ['child-social-care'],
      apiKeySha256: [sha256Hex('a key handed out privately')],
    },
  ],
  auditors: [],
  operators: [],
} as unknown as ConstructorParameters<typeof Directory>[0]);

/** TLS on, as read from files that exist (their checks are kafka-tls-config.spec's business). */
const TLS_ON: KafkaTlsConfig = { enabled: true, caFile: '/etc/backbone/kafka-ca.pem' };
const TLS_OFF: KafkaTlsConfig = { enabled: false };

const configOf = (env: Record<string, string>, kafkaTls = TLS_ON): BackboneConfig => ({
  ...loadConfig({ BACKBONE_ENV: 'production', ...env }),
  kafkaTls,
});
const settingsAtFault = (config: BackboneConfig, directory = ownDirectory): string[] =>
  productionProblems(config, directory).map((problem) => problem.setting);

describe('fit for production', () => {
  it('finds nothing wrong with private secrets, SASL over TLS and an own directory', () => {
    expect(productionProblems(configOf(SECRETS), ownDirectory)).toEqual([]);
  });

  it('names every public development default', () => {
    expect(settingsAtFault(configOf({}, TLS_OFF), loadDirectory(undefined)).sort()).toEqual(
      [
        'AUDIT_SIGNING_KEY',
        'BACKBONE_MASTER_KEY',
        'DIRECTORY_FILE',
        'KAFKA_AUTH',
        'KAFKA_TLS',
        'SUBJECT_ID_KEY',
      ].sort(),
    );
    const sasl = configOf({ ...SECRETS, KAFKA_SASL_PASSWORD: '', KAFKA_AGENCY_CREDENTIALS: '' });
    expect(settingsAtFault(sasl)).toEqual(['KAFKA_SASL_PASSWORD', 'KAFKA_AGENCY_CREDENTIALS']);
  });

  it('refuses plain-http webhooks to the backbone host (loopback), allowed only in development', () => {
    expect(settingsAtFault(configOf({ ...SECRETS, WEBHOOK_ALLOW_LOOPBACK: 'true' }))).toEqual([
      'WEBHOOK_ALLOW_LOOPBACK',
    ]);
    expect(loadConfig({ BACKBONE_ENV: 'development' }).webhooks.allowLoopback).toBe(true);
    expect(configOf(SECRETS).webhooks.allowLoopback).toBe(false);
  });

  it('refuses SASL without TLS: SCRAM protects the password, not the personal data', () => {
    expect(settingsAtFault(configOf(SECRETS, TLS_OFF))).toEqual(['KAFKA_TLS']);
  });

  it('refuses TLS without a login: any client could act as any agency', () => {
    expect(settingsAtFault(configOf({ ...SECRETS, KAFKA_AUTH: 'none' }))).toEqual(['KAFKA_AUTH']);
  });

  it('accepts mutual TLS as the login, where no SASL secret is used', () => {
    const sasl = configOf({ ...SECRETS, KAFKA_SASL_PASSWORD: '', KAFKA_AGENCY_CREDENTIALS: '' });
    const mutualTls: BackboneConfig = {
      ...sasl,
      kafkaAuth: { ...sasl.kafkaAuth, mode: 'tls', username: 'backbone' },
      kafkaTls: {
        ...TLS_ON,
        certFile: '/etc/backbone/kafka.pem',
        keyFile: '/etc/backbone/kafka.key',
      },
    };
    expect(productionProblems(mutualTls, ownDirectory)).toEqual([]);
  });

  it('refuses keys too short to keep a keyed hash secret', () => {
    expect(settingsAtFault(configOf({ ...SECRETS, SUBJECT_ID_KEY: 'short-but-private' }))).toEqual([
      'SUBJECT_ID_KEY',
    ]);
  });

  it('refuses a directory file that still accepts a demo key', () => {
    const [id, key] = Object.entries(DEMO_API_KEYS)[0];
    const copied = new Directory({
      agencies: [],
      auditors: [],
      operators: [{ id, name: 'copied from the demo', apiKeySha256: [sha256Hex(key)] }],
    } as unknown as ConstructorParameters<typeof Directory>[0]);
    const [problem] = productionProblems(configOf(SECRETS), copied);
    expect(problem).toMatchObject({ setting: 'DIRECTORY_FILE' });
    expect(problem.problem).toContain(id);
  });

  it("refuses a directory file whose directors still hold the demo directors' keys", () => {
    const demoDirectors = loadDirectory(undefined).directors();
    expect(demoDirectors.map(({ id }) => id)).toEqual([
      'demo-randers-director',
      'demo-redbridge-director',
    ]);
    const copied = new Directory({
      agencies: [],
      auditors: [],
      operators: [],
      directors: demoDirectors.map(({ id }) => ({
        id,
        agencies: [],
        apiKeySha256: [sha256Hex(DEMO_API_KEYS[id])],
      })),
    });
    expect(productionProblems(configOf(SECRETS), copied)).toEqual([
      expect.objectContaining({
        setting: 'DIRECTORY_FILE',
        problem: expect.stringContaining('demo-randers-director, demo-redbridge-director'),
      }),
    ]);
  });

  it('refuses personal data kept for ever on any topic or in the dead letters’ copies', () => {
    const forEver = configOf({
      ...SECRETS,
      KAFKA_RETENTION_COMMANDS_MS: '-1',
      KAFKA_RETENTION_OUTCOMES_MS: '-1',
      KAFKA_RETENTION_INBOX_MS: '-1',
      KAFKA_RETENTION_EVENTS_MS: '-1',
      KAFKA_RETENTION_DEAD_LETTER_MS: '-1',
      DEAD_LETTER_COPY_RETENTION_MS: '-1',
    });
    expect(settingsAtFault(forEver)).toEqual([
      'KAFKA_RETENTION_COMMANDS_MS',
      'KAFKA_RETENTION_OUTCOMES_MS',
      'KAFKA_RETENTION_INBOX_MS',
      'KAFKA_RETENTION_EVENTS_MS',
      'KAFKA_RETENTION_DEAD_LETTER_MS',
      'DEAD_LETTER_COPY_RETENTION_MS',
    ]);
    const [problem] = productionProblems(
      configOf({ ...SECRETS, KAFKA_RETENTION_INBOX_MS: '-1' }),
      ownDirectory,
    );
    expect(problem.problem).toContain('kept for ever');
    // Any finite retention is the operators' choice, however long.
    const long = configOf({ ...SECRETS, KAFKA_RETENTION_EVENTS_MS: String(365 * 86_400_000) });
    expect(productionProblems(long, ownDirectory)).toEqual([]);
  });

  it('explains each problem and its fix in the refusal', () => {
    const problems = productionProblems(configOf({ ...SECRETS, KAFKA_AUTH: 'none' }), ownDirectory);
    const message = new NotReadyForProductionError(problems).message;
    expect(message).toContain('KAFKA_AUTH is `none`');
    expect(message).toContain('set KAFKA_AUTH=sasl');
    expect(message).toContain('BACKBONE_ENV=development');
  });
});
