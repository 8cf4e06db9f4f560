// `npm run kafka`: a local KRaft broker in the foreground (port from KAFKA_PORT, default 9092);
// with KAFKA_AUTH=sasl, a SASL/SCRAM listener with ACLs and the backbone's user as super user;
// with KAFKA_TLS=on, TLS on that listener (SSL or SASL_SSL) with development certificates, and
// under KAFKA_AUTH=tls client certificates as the login (mutual TLS) with ACLs.
import { kafkaMechanismName, kafkaSecurityProtocol, loadConfig } from '@backbone/config';
import { loadDirectory } from '@backbone/directory';
import { localSaslFor } from './broker-security';
import { startLocalKafka } from './local-kafka-broker';
import { localKafkaTls } from './local-tls';

async function main(): Promise<void> {
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  const agencies = loadDirectory(process.env.DIRECTORY_FILE || undefined)
    .agencies()
    .map((agency) => agency.id);
  const localTls = await localKafkaTls(process.env, agencies);
  const config = loadConfig({ ...process.env, ...localTls?.settings });
  if (config.kafkaTls.enabled && !localTls) {
    throw new Error(
      'a local TLS broker uses development certificates of its own: unset KAFKA_TLS_CA_FILE, KAFKA_TLS_CERT_FILE and KAFKA_TLS_KEY_FILE',
    );
  }
  const sasl = localSaslFor(config.kafkaAuth);
  const broker = await startLocalKafka({
    port,
    sasl,
    tls: localTls?.broker,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const protocol = kafkaSecurityProtocol(Boolean(sasl), config.kafkaTls);
  const login = sasl
    ? `, ${kafkaMechanismName(sasl.mechanism)}, super user ${sasl.username}`
    : config.kafkaAuth.mode === 'tls'
      ? `, client certificates required, super user ${config.kafkaAuth.username}`
      : '';
  process.stdout.write(
    `Kafka is up at ${broker.brokers.join(',')} (${protocol}${login}) after ${broker.startedInMs} ms; Ctrl-C stops it\n`,
  );
  if (localTls) {
    process.stdout.write(`The backbone and its tools reach it with (from ${localTls.dir}):\n`);
    for (const [name, value] of Object.entries(localTls.settings)) {
      process.stdout.write(`  export ${name}=${value}\n`);
    }
  }
  const stop = (): void => void broker.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
