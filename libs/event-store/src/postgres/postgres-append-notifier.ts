import type { Client } from 'pg';
import { AppendListener, AppendWakeups } from '../subscriptions/append-wakeups';

/** The channel append_to_stream() notifies in every append transaction. */
export const APPEND_CHANNEL = 'event_store_appended';
const LISTEN = `LISTEN ${APPEND_CHANNEL}`;

/**
 * One LISTEN connection per store, shared by all its subscriptions and held only while one is
 * open. It has its own client rather than a pooled one: a listener is held for hours and must
 * not take a slot from appends. When the connection fails, subscriptions go on by polling and
 * the next wait tries to listen again.
 */
export class PostgresAppendNotifier {
  private readonly wakeups = new AppendWakeups();
  private holders = 0;
  private client?: Client;
  private connecting?: Promise<void>;

  constructor(private readonly createClient: () => Client) {}

  async listen(): Promise<AppendListener> {
    this.holders++;
    await this.ensureListening();
    const { wakeups } = this;
    let closed = false;
    return {
      get generation() {
        return wakeups.generation;
      },
      waitBeyond: (seen, timeoutMs, signal) => {
        void this.ensureListening();
        return wakeups.waitBeyond(seen, timeoutMs, signal);
      },
      close: async () => {
        if (closed) return;
        closed = true;
        if (--this.holders === 0) await this.stop();
      },
    };
  }

  /** Whether a LISTEN connection is up (for tests and health checks). */
  get listening(): boolean {
    return this.client !== undefined;
  }

  private ensureListening(): Promise<void> {
    if (this.client || this.holders === 0) return Promise.resolve();
    this.connecting ??= this.start().finally(() => (this.connecting = undefined));
    return this.connecting;
  }

  private async start(): Promise<void> {
    const client = this.createClient();
    client.on('notification', () => this.wakeups.wake());
    client.on('error', () => this.drop(client));
    client.on('end', () => this.drop(client));
    try {
      await client.connect();
      await client.query(LISTEN);
    } catch {
      await client.end().catch(() => undefined);
      return; // polling carries on; the next wait tries again
    }
    if (this.holders === 0) {
      await client.end().catch(() => undefined);
      return;
    }
    this.client = client;
  }

  /** The connection is gone: notifications may have been missed, so look now. */
  private drop(client: Client): void {
    if (this.client !== client) return;
    this.client = undefined;
    this.wakeups.wake();
  }

  private async stop(): Promise<void> {
    await this.connecting;
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}
