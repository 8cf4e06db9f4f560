import { connect } from 'node:net';
import { kafkaAnswers } from './wait-for-kafka';
import { startLocalKafka } from './local-kafka-broker';

const portAcceptsConnections = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });

describe('local Kafka broker from the Maven jars', () => {
  it('starts on a free port, answers a kafkajs admin client, and stops cleanly', async () => {
    const broker = await startLocalKafka();
    const port = Number(broker.brokers[0].split(':')[1]);
    try {
      expect(await kafkaAnswers(broker.brokers)).toBe(true);
    } finally {
      await broker.stop();
    }
    expect(await portAcceptsConnections(port)).toBe(false);
  });
});
