// The local broker's security settings: PLAINTEXT (the default), or a listener with SASL/SCRAM,
// TLS, or both, where clients log in (SCRAM or their TLS certificate) under the StandardAuthorizer
// and ACLs, the backbone's own principal as super user.
import { createHash } from 'node:crypto';
import { KafkaAuthConfig, kafkaMechanismName, KafkaSaslMechanism } from '@backbone/config';
import { BROKER_COMMON_NAME, BrokerStores } from './tls-material';

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

/** A TLS client listener of the local broker (SSL, or SASL_SSL together with `sasl`). */
export interface LocalKafkaTls {
  stores: BrokerStores;
  /**
   * `required`: mutual TLS; without `sasl` a client's certificate is its login, principal
   * `User:<its CN>`, and ACLs are enforced. `none`: the broker is authenticated, clients are not.
   */
  clientAuth: 'required' | 'none';
  /** With mutual TLS as the login: the CN of the backbone's certificate, a super user. */
  superUser?: string;
}

/** How the local broker's client listener is secured; PLAINTEXT when both are absent. */
export interface LocalKafkaSecurity {
  sasl?: LocalKafkaSasl;
  tls?: LocalKafkaTls;
}

/** A client certificate's subject `CN=<name>[,…]` is the principal `User:<name>`. */
export const COMMON_NAME_PRINCIPAL_RULES = 'RULE:^CN=([^,]+).*$/$1/,DEFAULT';

function tlsProperties(tls: LocalKafkaTls): string[] {
  const { stores } = tls;
  return [
    'ssl.keystore.type=PKCS12',
    `ssl.keystore.location=${stores.keystoreFile}`,
    `ssl.keystore.password=${stores.password}`,
    `ssl.key.password=${stores.password}`,
    'ssl.truststore.type=PKCS12',
    `ssl.truststore.location=${stores.truststoreFile}`,
    `ssl.truststore.password=${stores.password}`,
    `ssl.client.auth=${tls.clientAuth}`,
    `ssl.principal.mapping.rules=${COMMON_NAME_PRINCIPAL_RULES}`,
  ];
}

const ACLS_ENFORCED = [
  'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
  'allow.everyone.if.no.acl.found=false',
];

/**
 * Listener and authorizer properties. The client listener is PLAINTEXT, SASL_PLAINTEXT, SSL or
 * SASL_SSL, and the broker talks to itself (inter-broker) on it too. The controller listener
 * stays PLAINTEXT on loopback (SCRAM cannot authenticate there), so its principal,
 * User:ANONYMOUS, must be a super user for the broker to talk to its own controller.
 */
export function listenerProperties(
  port: number,
  controllerPort: number,
  security: LocalKafkaSecurity = {},
): string[] {
  const { sasl, tls } = security;
  const controller = `CONTROLLER://127.0.0.1:${controllerPort}`;
  const protocol = sasl ? (tls ? 'SASL_SSL' : 'SASL_PLAINTEXT') : tls ? 'SSL' : 'PLAINTEXT';
  const listener = [
    `listeners=${protocol}://127.0.0.1:${port},${controller}`,
    `advertised.listeners=${protocol}://127.0.0.1:${port}`,
    `inter.broker.listener.name=${protocol}`,
    `listener.security.protocol.map=${protocol}:${protocol},CONTROLLER:PLAINTEXT`,
    ...(tls ? tlsProperties(tls) : []),
  ];
  if (sasl) {
    const mechanism = kafkaMechanismName(sasl.mechanism);
    return [
      ...listener,
      `sasl.enabled.mechanisms=${mechanism}`,
      `sasl.mechanism.inter.broker.protocol=${mechanism}`,
      `listener.name.${protocol.toLowerCase()}.${mechanism.toLowerCase()}.sasl.jaas.config=` +
        'org.apache.kafka.common.security.scram.ScramLoginModule required ' +
        `username="${sasl.username}" password="${sasl.password}";`,
      ...ACLS_ENFORCED,
      `super.users=User:${sasl.username};User:ANONYMOUS`,
    ];
  }
  if (tls?.clientAuth === 'required' && tls.superUser) {
    // The broker's own certificate is its login on the inter-broker (client) listener.
    return [
      ...listener,
      ...ACLS_ENFORCED,
      `super.users=User:${tls.superUser};User:${BROKER_COMMON_NAME};User:ANONYMOUS`,
    ];
  }
  return listener;
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
