import {
  formatArguments,
  listenerProperties,
  LocalKafkaTls,
  securityFingerprint,
} from './broker-security';

const sasl = { mechanism: 'scram-sha-256' as const, username: 'backbone', password: 'pw' };
const stores = {
  keystoreFile: '/tmp/tls/broker.keystore.p12',
  truststoreFile: '/tmp/tls/broker.truststore.p12',
  password: 'store-pw',
  caFile: '/tmp/tls/ca.pem',
  broker: { certFile: '/tmp/tls/broker.pem', keyFile: '/tmp/tls/broker.key' },
};
const serverTls: LocalKafkaTls = { stores, clientAuth: 'none' };
const mutualTls: LocalKafkaTls = { stores, clientAuth: 'required', superUser: 'backbone' };

describe('local broker security', () => {
  it('stays PLAINTEXT by default, as before', () => {
    expect(listenerProperties(9092, 9093, {})).toEqual([
      'listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
      'advertised.listeners=PLAINTEXT://127.0.0.1:9092',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ]);
    expect(formatArguments(undefined)).toEqual([]);
  });

  it('in SASL mode: SCRAM listener, ACLs enforced, backbone and controller principal super users', () => {
    const properties = listenerProperties(9092, 9093, { sasl });
    expect(properties).toEqual(
      expect.arrayContaining([
        'listeners=SASL_PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
        'listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT',
        'sasl.enabled.mechanisms=SCRAM-SHA-256',
        'authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer',
        'allow.everyone.if.no.acl.found=false',
        'super.users=User:backbone;User:ANONYMOUS',
      ]),
    );
    expect(formatArguments(sasl)).toEqual(['-S', 'SCRAM-SHA-256=[name=backbone,password="pw"]']);
  });

  it('with TLS alone: an SSL listener with the stores, clients not asked for certificates, no ACLs', () => {
    const properties = listenerProperties(9092, 9093, { tls: serverTls });
    expect(properties).toEqual(
      expect.arrayContaining([
        'listeners=SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
        'advertised.listeners=SSL://127.0.0.1:9092',
        'listener.security.protocol.map=SSL:SSL,CONTROLLER:PLAINTEXT',
        'ssl.keystore.location=/tmp/tls/broker.keystore.p12',
        'ssl.truststore.location=/tmp/tls/broker.truststore.p12',
        'ssl.client.auth=none',
      ]),
    );
    expect(properties.some((line) => line.startsWith('authorizer.class.name='))).toBe(false);
  });

  it('with mutual TLS as the login: certificates required, CN as principal, ACLs enforced', () => {
    const properties = listenerProperties(9092, 9093, { tls: mutualTls });
    expect(properties).toEqual(
      expect.arrayContaining([
        'listeners=SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
        'ssl.client.auth=required',
        'ssl.principal.mapping.rules=RULE:^CN=([^,]+).*$/$1/,DEFAULT',
        'allow.everyone.if.no.acl.found=false',
        'super.users=User:backbone;User:kafka-broker;User:ANONYMOUS',
      ]),
    );
  });

  it('with SASL and TLS: a SASL_SSL listener, SCRAM configured for it', () => {
    const properties = listenerProperties(9092, 9093, { sasl, tls: serverTls });
    expect(properties).toEqual(
      expect.arrayContaining([
        'listeners=SASL_SSL://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
        'inter.broker.listener.name=SASL_SSL',
        'listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT',
        'ssl.keystore.location=/tmp/tls/broker.keystore.p12',
        'sasl.enabled.mechanisms=SCRAM-SHA-256',
        'super.users=User:backbone;User:ANONYMOUS',
      ]),
    );
    expect(properties.find((line) => line.includes('sasl.jaas.config'))).toMatch(
      /^listener\.name\.sasl_ssl\.scram-sha-256\.sasl\.jaas\.config=/,
    );
  });

  it('tells storage formatted for other credentials apart', () => {
    expect(securityFingerprint(undefined)).toBe('plaintext');
    expect(securityFingerprint(sasl)).not.toBe(securityFingerprint({ ...sasl, password: 'pw2' }));
    expect(securityFingerprint(sasl)).not.toContain('pw');
  });
});
