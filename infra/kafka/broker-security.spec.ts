import { formatArguments, listenerProperties, securityFingerprint } from './broker-security';

const sasl = { mechanism: 'scram-sha-256' as const, username: 'backbone', password: 'pw' };

describe('local broker security', () => {
  it('stays PLAINTEXT by default, as before', () => {
    expect(listenerProperties(9092, 9093, undefined)).toEqual([
      'listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093',
      'advertised.listeners=PLAINTEXT://127.0.0.1:9092',
      'inter.broker.listener.name=PLAINTEXT',
      'listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    ]);
    expect(formatArguments(undefined)).toEqual([]);
  });

  it('in SASL mode: SCRAM listener, ACLs enforced, backbone and controller principal super users', () => {
    const properties = listenerProperties(9092, 9093, sasl);
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

  it('tells storage formatted for other credentials apart', () => {
    expect(securityFingerprint(undefined)).toBe('plaintext');
    expect(securityFingerprint(sasl)).not.toBe(securityFingerprint({ ...sasl, password: 'pw2' }));
    expect(securityFingerprint(sasl)).not.toContain('pw');
  });
});
