// The local broker's security settings: PLAINTEXT (the default) or a SASL_PLAINTEXT listener with
// SCRAM, the StandardAuthorizer and ACLs, the backbone's own principal as super user.
import { createHash } from 'node:crypto';
import { KafkaAuthConfig, kafkaMechanismName, KafkaSaslMechanism } from '@backbone/config';

export interface LocalKafkaSasl {
  mechanism: KafkaSaslMechanism;
  /** The super user (`User:<username>`), created at format time: the backbone itself. */
  username: string;
  password: string;
}

/** The local broker's SASL settings for KAFKA_AUTH: the backbone's user is its super user. */
export function localSaslFor(auth: KafkaAuthConfig): LocalKafkaSasl | undefined {
  if (auth.mode !== 'sasl') return undefined;
  return { mechanism: auth.mechanism, username: auth.username, password: auth.password };
}

/** What a JAAS value and the storage tool's `-S` syntax can carry without escaping. */
const SAFE_SECRET = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export function checkLocalSasl(sasl: LocalKafkaSasl): void {
  if (!SAFE_SECRET.test(sasl.username) || !SAFE_SECRET.test(sasl.password)) {
    throw new Error(
      'the local broker needs a SASL username and password of printable ASCII without spaces, quotes or backslashes',
    );
  }
}

/**
 * Listener and authorizer properties. The controller listener stays PLAINTEXT on loopback
 * (SCRAM cannot authenticate there), so its principal, User:ANONYMOUS, must be a super user
 * for the broker to talk to its own controller.
 */
export function listenerProperties(
  port: number,
  controllerPort: number,
  sasl: LocalKafkaSasl | undefined,
): string[] {
  const controller = `CONTROLLER://127.0.0.1:${controllerPort}`;
  if (!sasl) {
    return [
      `listeners=PLAINTEXT://127.0.0.1:${port},${controller}`,
      `advertised.listeners=PLAINTEXT://127.0.0.1:${port}`,
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ];
  }
  const mechanism = kafkaMechanismName(sasl.mechanism);
  return [
    `listeners=SASL_PLAINTEXT://127.0.0.1:${port},${controller}`,
    `advertised.listeners=SASL_PLAINTEXT://127.0.0.1:${port}`,
    'inter.broker.listener.name=SASL_PLAINTEXT',
    'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
    `sasl.enabled.mechanisms=${mechanism}`,
    `sasl.mechanism.inter.broker.protocol=${mechanism}`,
    `listener.name.sasl_plaintext.${mechanism.toLowerCase()}.sasl.jaas.config=` +
      'org.apache.kafka.common.security.scram.ScramLoginModule required ' +
      `username="${sasl.username}" password="${sasl.password}";`,
    'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
    'allow.everyone.if.no.acl.found=false',
    `super.users=User:${sasl.username};User:ANONYMOUS`,
  ];
}

/** `kafka.tools.StorageTool format` arguments that create the super user's SCRAM credential. */
export function formatArguments(sasl: LocalKafkaSasl | undefined): string[] {
  if (!sasl) return [];
  const mechanism = kafkaMechanismName(sasl.mechanism);
  return ['-S', `${mechanism}=[name=${sasl.username},password="${sasl.password}"]`];
}

/**
 * Identifies the security a storage directory was formatted with (the super user's credential
 * lives in its metadata log), so a kept directory is reformatted when that changes.
 */
export function securityFingerprint(sasl: LocalKafkaSasl | undefined): string {
  if (!sasl) return 'plaintext';
  const secret = `${sasl.mechanism}\n${sasl.username}\n${sasl.password}`;
  return `sasl:${createHash('sha256').update(secret).digest('hex')}`;
}
