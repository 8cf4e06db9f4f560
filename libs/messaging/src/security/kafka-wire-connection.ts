import { connect, isIP, Socket } from 'node:net';
import { connect as connectTls, ConnectionOptions } from 'node:tls';
import { WireReader, WireWriter } from './kafka-wire';

export interface WireRequest {
  apiKey: number;
  apiVersion: number;
  /** Flexible versions carry tagged fields in the request and response headers. */
  flexible: boolean;
  body: Buffer;
}

/**
 * One TCP connection (TLS when `tls` is given) to a Kafka broker, sending one request at a time and reading its response
 * (the size-prefixed framing and the request/response headers of the Kafka protocol).
 */
export class KafkaWireConnection {
  private received = Buffer.alloc(0);
  private correlationId = 0;
  private pending?: { resolve: (frame: Buffer) => void; reject: (error: Error) => void };
  private failure?: Error;

  private constructor(
    private readonly socket: Socket,
    private readonly clientId: string,
    private readonly timeoutMs: number,
  ) {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (error) => this.fail(error));
    socket.on('close', () => this.fail(new Error('the Kafka broker closed the connection')));
  }

  static open(
    address: string,
    clientId: string,
    timeoutMs = 10_000,
    tls?: ConnectionOptions,
  ): Promise<KafkaWireConnection> {
    const at = address.lastIndexOf(':');
    const host = address.slice(0, at);
    const port = Number(address.slice(at + 1));
    return new Promise((resolve, reject) => {
      // As kafkajs does: the broker's name is checked against its address, sent as SNI unless an IP.
      const socket: Socket = tls
        ? connectTls({ host, port, ...(isIP(host) ? {} : { servername: host }), ...tls })
        : connect({ host, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(new Error(`could not connect to Kafka at ${address} within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once(tls ? 'secureConnect' : 'connect', () => {
        clearTimeout(timer);
        socket.removeAllListeners('error');
        resolve(new KafkaWireConnection(socket, clientId, timeoutMs));
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }

  /** Sends one request and returns a reader positioned after the response header. */
  async send(request: WireRequest): Promise<WireReader> {
    if (this.failure) throw this.failure;
    if (this.pending) throw new Error('one Kafka request at a time on this connection');
    const correlationId = ++this.correlationId;
    const header = new WireWriter()
      .int16(request.apiKey)
      .int16(request.apiVersion)
      .int32(correlationId)
      .string(this.clientId);
    if (request.flexible) header.noTags();
    const message = Buffer.concat([header.toBuffer(), request.body]);
    const frame = new Promise<Buffer>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        reject(new Error(`Kafka request ${request.apiKey} timed out after ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      this.pending = {
        resolve: (frame) => (clearTimeout(timer), resolve(frame)),
        reject: (error) => (clearTimeout(timer), reject(error)),
      };
    });
    this.socket.write(Buffer.concat([new WireWriter().int32(message.length).toBuffer(), message]));
    const reader = new WireReader(await frame);
    if (reader.int32() !== correlationId) throw new Error('Kafka response out of order');
    if (request.flexible) reader.skipTags();
    return reader;
  }

  close(): void {
    this.failure ??= new Error('connection closed');
    this.socket.destroy();
  }

  private onData(chunk: Buffer): void {
    this.received = Buffer.concat([this.received, chunk]);
    while (this.received.length >= 4) {
      const size = this.received.readInt32BE(0);
      if (this.received.length < 4 + size) return;
      const frame = this.received.subarray(4, 4 + size);
      this.received = this.received.subarray(4 + size);
      const pending = this.pending;
      this.pending = undefined;
      pending?.resolve(frame);
    }
  }

  private fail(error: Error): void {
    this.failure ??= error;
    const pending = this.pending;
    this.pending = undefined;
    pending?.reject(error);
  }
}
