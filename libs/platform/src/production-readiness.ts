// What keeps a deployment from being production-ready: every setting whose value anyone can read
// in this repository, and every channel that carries personal data without protection. A service
// in production mode refuses to start while any is left, naming each and how to fix it.
import {
  BackboneConfig,
  DEFAULTS,
  KAFKA_AUTH_DEFAULTS,
  TOPIC_CLASSES,
  TOPIC_RETENTION_SETTINGS,
  UNBOUNDED_RETENTION,
} from '@backbone/config';
import { DEMO_API_KEYS, Directory } from '@backbone/directory';

/** Shorter keys of a keyed hash can be searched by brute force over identifier spaces. */
const MIN_KEY_CHARACTERS = 32;
const MIN_PASSWORD_CHARACTERS = 16;

export interface ReadinessProblem {
  /** The setting at fault (an environment variable). */
  setting: string;
  problem: string;
  fix: string;
}

/** A secret that is the public development value, or too short to be a secret. */
function weakSecret(
  setting: string,
  value: string,
  publicValue: string,
  minLength: number,
  fix: string,
): ReadinessProblem[] {
  if (value === publicValue)
    return [{ setting, problem: 'is the public development value (it is in the repository)', fix }];
  if (value.length < minLength)
    return [{ setting, problem: `is shorter than ${minLength} characters`, fix }];
  return [];
}

/** The demo directory's principals whose public keys `directory` accepts. */
function demoKeysAccepted(directory: Directory): string[] {
  return Object.entries(DEMO_API_KEYS)
    .filter(([, key]) => directory.authenticate(key) !== undefined)
    .map(([id]) => id);
}

/**
 * Kafka carries personal data (commands, inboxes, the event log) and each agency's rights: it
 * needs both a login per principal with ACLs (SASL/SCRAM or a TLS client certificate) and TLS.
 * SASL over PLAINTEXT is refused too: SCRAM keeps the password off the wire, not the data.
 */
function kafkaProblems(config: BackboneConfig): ReadinessProblem[] {
  const problems: ReadinessProblem[] = [];
  if (config.kafkaAuth.mode === 'none') {
    problems.push({
      setting: 'KAFKA_AUTH',
      problem:
        'is `none`: anyone who reaches the broker can act as any agency and read every inbox',
      fix: 'set KAFKA_AUTH=sasl (SCRAM over TLS) or KAFKA_AUTH=tls (client certificates), with per-agency ACLs, and the broker configured for it',
    });
  }
  if (!config.kafkaTls.enabled) {
    problems.push({
      setting: 'KAFKA_TLS',
      problem:
        'is `off`: commands, inboxes and events, personal data, cross the network in clear (SASL protects the password only)',
      fix: 'set KAFKA_TLS=on and KAFKA_TLS_CA_FILE to the CA of the brokers, whose listeners speak SASL_SSL or SSL',
    });
  }
  if (config.kafkaAuth.mode === 'sasl') {
    problems.push(
      ...weakSecret(
        'KAFKA_SASL_PASSWORD',
        config.kafkaAuth.password,
        KAFKA_AUTH_DEFAULTS.KAFKA_SASL_PASSWORD,
        MIN_PASSWORD_CHARACTERS,
        "set the backbone's own SCRAM password to a random value of 16 characters or more",
      ),
    );
    if (config.kafkaAuth.agencyCredentials === 'derived') {
      problems.push({
        setting: 'KAFKA_AGENCY_CREDENTIALS',
        problem:
          "is `derived`: every agency's Kafka password follows from its id and one key, and no agency's Kafka access can be revoked or rotated alone",
        fix: 'set KAFKA_AGENCY_CREDENTIALS=issued and issue each agency its own with `npm run kafka:agency-credential -- issue <agencyId>`',
      });
    }
  }
  return problems;
}

/**
 * Every topic holds personal data (plaintext on commands, outcomes, inboxes and dead letters;
 * sealed data and pseudonymous subject ids on `referrals.events`), and so do the dead letters'
 * copies: none may keep it for ever, or erasure would never reach it.
 */
function retentionProblems(config: BackboneConfig): ReadinessProblem[] {
  const unbounded = TOPIC_CLASSES.filter(
    (topicClass) => config.retention.topicsMs[topicClass] === UNBOUNDED_RETENTION,
  ).map((topicClass) => TOPIC_RETENTION_SETTINGS[topicClass] as string);
  if (config.retention.deadLetterCopiesMs === UNBOUNDED_RETENTION)
    unbounded.push('DEAD_LETTER_COPY_RETENTION_MS');
  return unbounded.map((setting) => ({
    setting,
    problem: 'is -1: personal data would be kept for ever, beyond the reach of erasure',
    fix: 'unset it for the documented default, or set a number of milliseconds (README, "Personal data on Kafka")',
  }));
}

/** Everything that keeps `config` (with its `directory`) from being run in production. */
export function productionProblems(
  config: BackboneConfig,
  directory: Directory,
): ReadinessProblem[] {
  const randomKey = 'a random value of 32 bytes or more, e.g. `openssl rand -base64 32`';
  const problems: ReadinessProblem[] = [
    ...weakSecret(
      'SUBJECT_ID_KEY',
      config.subjectIdKey,
      DEFAULTS.SUBJECT_ID_KEY,
      MIN_KEY_CHARACTERS,
      `set ${randomKey}; anyone with it can turn national identifiers into subject ids`,
    ),
    ...weakSecret(
      'BACKBONE_MASTER_KEY',
      config.masterKey,
      DEFAULTS.BACKBONE_MASTER_KEY,
      0,
      'set `<id>:<base64 of 32 random bytes>`, e.g. `prod-1:$(openssl rand -base64 32)`; it wraps every data key',
    ),
    ...weakSecret(
      'AUDIT_SIGNING_KEY',
      config.auditSigningKey,
      DEFAULTS.AUDIT_SIGNING_KEY,
      0,
      'set a new Ed25519 private key (base64 of a 32-byte seed); with the public one anyone can forge evidence bundles',
    ),
  ];
  if (config.retiredMasterKeys.includes(DEFAULTS.BACKBONE_MASTER_KEY))
    problems.push({
      setting: 'BACKBONE_RETIRED_MASTER_KEYS',
      problem: 'holds the public development master key',
      fix: 're-wrap the data keys it wrapped under the current master key, then remove it',
    });
  problems.push(...kafkaProblems(config), ...retentionProblems(config));
  if (config.webhooks.allowLoopback)
    problems.push({
      setting: 'WEBHOOK_ALLOW_LOOPBACK',
      problem: 'lets agencies send webhooks to the backbone host itself, over plain http',
      fix: 'leave it unset (false in production); let the directory allow a receiver network (webhookAllowedNetworks) instead',
    });
  if (!config.directoryFile) {
    problems.push({
      setting: 'DIRECTORY_FILE',
      problem:
        'is unset, so the demo directory is loaded, whose operator, auditor and director keys are public',
      fix: 'point it at your directory file (see README, "The directory")',
    });
  } else {
    const demo = demoKeysAccepted(directory);
    if (demo.length)
      problems.push({
        setting: 'DIRECTORY_FILE',
        problem: `accepts the demo directory's public API keys of ${demo.join(', ')}`,
        fix: 'give those principals new keys (store only their SHA-256) and hand the keys out privately',
      });
  }
  return problems;
}

/** The refusal a production service logs: one line per problem, each with its fix. */
export class NotReadyForProductionError extends Error {
  constructor(readonly problems: ReadinessProblem[]) {
    super(
      [
        `BACKBONE_ENV=production refuses to start: ${problems.length} setting(s) are not fit for production`,
        ...problems.map(({ setting, problem, fix }) => `  - ${setting} ${problem}: ${fix}`),
        'For a development run on the public settings, set BACKBONE_ENV=development (npm start does).',
      ].join('\n'),
    );
    this.name = 'NotReadyForProductionError';
  }
}
