// `npm run kafka`: a local KRaft broker in the foreground (port from KAFKA_PORT, default 9092);
// with KAFKA_AUTH=sasl, a SASL/SCRAM listener with ACLs and the backbone's user as super user.
import { kafkaMechanismName, loadConfig } from '@backbone/config';
import { localSaslFor } from './broker-security';
import { startLocalKafka } from './local-kafka-broker';

async function main(): Promise<void> {
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  const sasl = localSaslFor(loadConfig().kafkaAuth);
  const broker = await startLocalKafka({
    port,
    sasl,
    log: (line) => process.stdout.write(`${line}\n`),
  });
  const security = sasl
    ? `SASL_PLAINTEXT ${kafkaMechanismName(sasl.mechanism)}, super user ${sasl.username}`
    : 'PLAINTEXT';
  process.stdout.write(
    `Kafka is up at ${broker.brokers.join(',')} (${security}) after ${broker.startedInMs} ms; Ctrl-C stops it\n`,
  );
  const stop = (): void => void broker.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
