// Command produced → its referral's row in the read model, as an agency system would see it:
// the referrals still awaited are looked up every few milliseconds, so each figure is late by
// at most one poll and one query (an upper bound of the true latency). Only a sample of the
// referrals is watched, through a prepared statement: looking up every referral in flight 200
// times a second took a quarter of one of this machine's two cores from the pipeline it measures.
import { Client } from 'pg';

const AWAITED_ROWS = `
  SELECT referral_id::text AS id FROM referral_views WHERE referral_id = ANY ($1::uuid[])`;

export class ReadModelArrivals {
  /** Referral id → when its command was produced (ms, performance clock). */
  private readonly awaited = new Map<string, number>();
  private readonly arrived: { sentAt: number; ms: number }[] = [];
  private offered = 0;
  private polling = false;
  private failure?: Error;
  private readonly timer: NodeJS.Timeout;

  private constructor(
    private readonly client: Client,
    readonly pollMs: number,
    readonly sampleEvery: number,
  ) {
    this.timer = setInterval(() => void this.poll(), pollMs);
  }

  /** Watches one referral in `sampleEvery`, looking every `pollMs`. */
  static async start(
    databaseUrl: string,
    pollMs: number,
    sampleEvery: number,
  ): Promise<ReadModelArrivals> {
    const client = new Client({ connectionString: databaseUrl });
    await client.connect();
    return new ReadModelArrivals(client, pollMs, sampleEvery);
  }

  /** Watches for the referral a command just produced is about, if it falls in the sample. */
  expect(referralId: string, sentAt: number): void {
    if (this.offered++ % this.sampleEvery === 0) this.awaited.set(referralId, sentAt);
  }

  /** Latencies (ms) of the rows that arrived for commands produced at or after `since`. */
  latenciesSince(since: number): number[] {
    if (this.failure) throw this.failure;
    return this.arrived.filter(({ sentAt }) => sentAt >= since).map(({ ms }) => ms);
  }

  /** One more look, once any look under way is done: for when every awaited row exists. */
  async lookNow(): Promise<void> {
    await this.idle();
    await this.poll();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.idle();
    await this.client.end();
  }

  private async idle(): Promise<void> {
    while (this.polling) await new Promise((resolve) => setTimeout(resolve, this.pollMs));
  }

  private async poll(): Promise<void> {
    if (this.polling || !this.awaited.size || this.failure) return;
    this.polling = true;
    try {
      const { rows } = await this.client.query<{ id: string }>({
        name: 'awaited-read-model-rows',
        text: AWAITED_ROWS,
        values: [[...this.awaited.keys()]],
      });
      const now = performance.now();
      for (const { id } of rows) {
        const sentAt = this.awaited.get(id);
        if (sentAt === undefined) continue;
        this.arrived.push({ sentAt, ms: now - sentAt });
        this.awaited.delete(id);
      }
    } catch (error) {
      // Reported by latenciesSince: a broken watch must not pass for figures.
      this.failure = error instanceof Error ? error : new Error(String(error));
    } finally {
      this.polling = false;
    }
  }
}
