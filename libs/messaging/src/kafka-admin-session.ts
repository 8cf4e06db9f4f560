import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';

const ATTEMPTS = 3;

/** kafkajs marks errors worth another try (a partition's leader moved, a coordinator loads). */
const retriable = (error: unknown): boolean =>
  (error as { retriable?: unknown } | undefined)?.retriable === true;

/**
 * One long-lived Kafka admin connection for read-only questions (cluster, groups, offsets). It
 * connects on first use; errors Kafka calls retriable (a just-created topic without a leader
 * yet) are asked again within the time allowed; after any other failure the connection is
 * dropped and the next call connects anew, so a broker restart costs one failed answer.
 */
export class KafkaAdminSession {
  private admin?: Promise<Admin>;

  constructor(private readonly kafka: Kafka) {}

  async use<T>(ask: (admin: Admin) => Promise<T>, timeoutMs = 5_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.once(ask, Math.max(1, deadline - Date.now()));
      } catch (error) {
        const pause = 250 * attempt;
        if (!retriable(error) || attempt >= ATTEMPTS || Date.now() + pause >= deadline) {
          this.drop();
          throw error;
        }
        await sleep(pause);
      }
    }
  }

  async close(): Promise<void> {
    const admin = this.admin;
    this.admin = undefined;
    await (await admin?.catch(() => undefined))?.disconnect();
  }

  private async once<T>(ask: (admin: Admin) => Promise<T>, timeoutMs: number): Promise<T> {
    const admin = await (this.admin ??= this.connect());
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`Kafka did not answer in ${timeoutMs} ms`)),
        timeoutMs,
      );
    });
    try {
      return await Promise.race([ask(admin), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private async connect(): Promise<Admin> {
    const admin = this.kafka.admin();
    try {
      await admin.connect();
      return admin;
    } catch (error) {
      this.admin = undefined;
      throw error;
    }
  }

  private drop(): void {
    void this.close().catch(() => undefined);
  }
}
