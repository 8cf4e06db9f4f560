// An agency's webhook receiver, as a real HTTP server on loopback: it verifies each delivery's
// signature with the standardwebhooks library, answers as the test tells it (a status, or
// never), and keeps what arrived.
import { IncomingMessage, Server, ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

export interface ReceivedDelivery {
  webhookId: string;
  signature: string;
  timestamp: string;
  body: string;
  event: { id: string; type: string; subject: string; streamversion: number };
  /** Whether one of the receiver's secrets verified the signature. */
  verified: boolean;
  /** What the receiver answered; undefined when it hung. */
  answered?: number;
  receivedAt: number;
}

/** A status to answer, or `'hang'` to hold the request open until the receiver stops. */
export type Answer = number | 'hang';

export class WebhookReceiver {
  readonly received: ReceivedDelivery[] = [];
  /** The secrets a signature may verify with (the old and new during a rotation). */
  secrets: string[] = [];
  answer: (delivery: ReceivedDelivery) => Answer = () => 200;
  /** The answer's body, e.g. an oversized one. */
  responseBody = 'ok';
  private readonly hanging = new Set<ServerResponse>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path = '/hooks'): Promise<WebhookReceiver> {
    const handlers: { handle?: (request: IncomingMessage, response: ServerResponse) => void } = {};
    const server = createServer((request, response) => handlers.handle?.(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const receiver = new WebhookReceiver(server, `http://127.0.0.1:${port}${path}`);
    handlers.handle = (request, response) => receiver.handle(request, response);
    return receiver;
  }

  get hangingNow(): number {
    return this.hanging.size;
  }

  /** Deliveries that were answered 2xx: what the receiver took in, in arrival order. */
  accepted(): ReceivedDelivery[] {
    return this.received.filter((d) => d.answered !== undefined && d.answered < 300);
  }

  /** Verifies `delivery` against a secret, as an agency with that one secret would. */
  static verifiesWith(secret: string, delivery: ReceivedDelivery): boolean {
    try {
      new Webhook(secret).verify(delivery.body, {
        'webhook-id': delivery.webhookId,
        'webhook-timestamp': delivery.timestamp,
        'webhook-signature': delivery.signature,
      });
      return true;
    } catch {
      return false;
    }
  }

  private handle(request: IncomingMessage, response: ServerResponse): void {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const headers = {
        'webhook-id': String(request.headers['webhook-id']),
        'webhook-timestamp': String(request.headers['webhook-timestamp']),
        'webhook-signature': String(request.headers['webhook-signature']),
      };
      const verified = this.secrets.some((secret) => {
        try {
          new Webhook(secret).verify(body, headers);
          return true;
        } catch {
          return false;
        }
      });
      const delivery: ReceivedDelivery = {
        webhookId: headers['webhook-id'],
        signature: headers['webhook-signature'],
        timestamp: headers['webhook-timestamp'],
        body,
        event: JSON.parse(body) as ReceivedDelivery['event'],
        verified,
        receivedAt: Date.now(),
      };
      this.received.push(delivery);
      const answer = this.answer(delivery);
      if (answer === 'hang') {
        this.hanging.add(response);
        response.on('close', () => this.hanging.delete(response));
        return;
      }
      delivery.answered = answer;
      response.writeHead(answer, { 'content-type': 'text/plain' }).end(this.responseBody);
    });
  }

  async stop(): Promise<void> {
    for (const response of this.hanging) response.destroy();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
  }
}
