// `npm run kafka`: a local KRaft broker in the foreground (port from KAFKA_PORT, default 9092).
import { startLocalKafka } from './local-kafka-broker';

async function main(): Promise<void> {
  const port = Number(process.env.KAFKA_PORT ?? 9092);
  const broker = await startLocalKafka({ port, log: (line) => process.stdout.write(`${line}\n`) });
  process.stdout.write(
    `Kafka is up at ${broker.brokers.join(',')} after ${broker.startedInMs} ms; Ctrl-C stops it\n`,
  );
  const stop = (): void => void broker.stop().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});
