// A Kafka connection logged in with SASL/SCRAM (SaslHandshake, then SaslAuthenticate twice),
// for the requests kafkajs cannot send.
import type { ConnectionOptions } from 'node:tls';
import { kafkaMechanismName, KafkaSaslMechanism } from '@backbone/config';
import { WireWriter } from './kafka-wire';
import { KafkaWireConnection } from './kafka-wire-connection';
import { ScramLogin } from './scram';

const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;
const UNSUPPORTED_SASL_MECHANISM = 33;

export interface ScramLoginOptions {
  brokers: string[];
  mechanism: KafkaSaslMechanism;
  username: string;
  password: string;
  /** TLS options when the listener is SASL_SSL. */
  tls?: ConnectionOptions;
}

/** The broker answered with an error code (Kafka's numbering). */
export class KafkaRequestError extends Error {
  constructor(
    message: string,
    readonly code: number,
  ) {
    super(message);
  }
}

async function authenticate(
  connection: KafkaWireConnection,
  login: ScramLoginOptions,
): Promise<void> {
  const mechanism = kafkaMechanismName(login.mechanism);
  const handshake = await connection.send({
    apiKey: SASL_HANDSHAKE,
    apiVersion: 1,
    flexible: false,
    body: new WireWriter().string(mechanism).toBuffer(),
  });
  if (handshake.int16() !== 0) {
    const offered = handshake.array((r) => r.nullableString()).join(', ');
    throw new KafkaRequestError(
      `the broker does not offer ${mechanism} (it offers ${offered})`,
      UNSUPPORTED_SASL_MECHANISM,
    );
  }
  const scram = new ScramLogin(login.mechanism, login.username, login.password);
  const exchange = async (message: string): Promise<string> => {
    const response = await connection.send({
      apiKey: SASL_AUTHENTICATE,
      apiVersion: 1,
      flexible: false,
      body: new WireWriter().bytes(Buffer.from(message, 'utf8')).toBuffer(),
    });
    const code = response.int16();
    const errorMessage = response.nullableString();
    if (code !== 0) throw new KafkaRequestError(`SASL login failed: ${errorMessage ?? code}`, code);
    return response.bytes().toString('utf8');
  };
  const serverFirst = await exchange(scram.clientFirst());
  scram.verifyServerFinal(await exchange(scram.clientFinal(serverFirst)));
}

/** Logs in on the first broker that answers; a broker that refuses the login ends the search. */
export async function openScramConnection(
  login: ScramLoginOptions,
  clientId: string,
): Promise<KafkaWireConnection> {
  let lastError: unknown = new Error('no Kafka brokers configured');
  for (const broker of login.brokers) {
    let connection: KafkaWireConnection | undefined;
    try {
      connection = await KafkaWireConnection.open(broker, clientId, undefined, login.tls);
      await authenticate(connection, login);
      return connection;
    } catch (error) {
      connection?.close();
      if (error instanceof KafkaRequestError) throw error;
      lastError = error;
    }
  }
  throw lastError;
}
