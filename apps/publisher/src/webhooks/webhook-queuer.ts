import { Inject, Injectable } from '@nestjs/common';
import { Pool } from 'pg';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { SingleActiveInstance, sleepUnlessAborted } from '@backbone/database';
import { Directory } from '@backbone/directory';
import { EVENT_STORE, EventStore } from '@backbone/event-store';
import { rootLogger } from '@backbone/observability';
import { WebhookDeliveries } from './webhook-deliveries.store';
import { WebhookSubscriptions } from './webhook-subscriptions.store';
import { WebhookWakeups } from './webhook-wakeups';

/** Events of the log one read looks at, the agency's and others' (as the changes feed). */
const LOOK_AT_MOST = 2000;
const QUEUE_AT_MOST = 500;
/** How often delivered deliveries past WEBHOOK_LOG_RETENTION_MS are deleted. */
const FORGET_EVERY_MS = 60_000;

export const directorySubscriptionId = (agencyId: string, id: string): string =>
  `dir_${agencyId}_${id}`;

/**
 * Follows the store's global log for every subscription and queues each inbox event as a
 * delivery, on one instance at a time (an advisory lock): the same per-party read as the inbox
 * changes feed, below the oldest running transaction, so a late commit is never passed by. Also
 * brings the directory's subscriptions into the database when the directory changes.
 */
@Injectable()
export class WebhookQueuer extends SingleActiveInstance {
  protected readonly lockKey = '7426153009';
  protected readonly logger = rootLogger.child({ component: 'webhook-queuer' });
  private directoryChanged = true;
  private forgottenAt = 0;

  constructor(
    pool: Pool,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    private readonly directory: Directory,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly deliveries: WebhookDeliveries,
    private readonly wakeups: WebhookWakeups,
  ) {
    super(pool);
    directory.onChange(() => {
      this.directoryChanged = true;
      this.wakeups.queue();
    });
  }

  protected async runWhileActive(signal: AbortSignal): Promise<void> {
    const listener = await this.store.listenForAppends();
    try {
      while (!signal.aborted) {
        const seen = listener.generation;
        let queued = 0;
        try {
          if (this.directoryChanged) {
            this.directoryChanged = false;
            await this.syncDirectory();
          }
          queued = await this.queueAll();
          if (Date.now() - this.forgottenAt > FORGET_EVERY_MS) {
            this.forgottenAt = Date.now();
            await this.deliveries.forgetDeliveredBefore(this.config.webhooks.logRetentionMs);
          }
        } catch (error) {
          this.logger.error({ err: error }, 'queuing webhook deliveries failed; trying again');
          await sleepUnlessAborted(1000, signal);
          continue;
        }
        if (queued) {
          this.wakeups.send();
          continue;
        }
        // Held-back events announce nothing when their transaction ends: look again by poll.
        const waited = new AbortController();
        const either = AbortSignal.any([signal, waited.signal]);
        await Promise.race([
          listener.waitBeyond(seen, this.config.webhooks.pollMs, either),
          this.wakeups.nextQueue(either, this.config.webhooks.pollMs),
        ]);
        waited.abort();
      }
    } finally {
      await listener.close();
    }
  }

  /** Queues what each subscription has not yet queued; how many deliveries were queued. */
  private async queueAll(): Promise<number> {
    let total = 0;
    for (const subscription of await this.subscriptions.followed()) {
      total += await this.deliveries.queue(subscription.id, (after) =>
        this.store.readPartyAfter(subscription.agencyId, after, QUEUE_AT_MOST, LOOK_AT_MOST),
      );
    }
    return total;
  }

  private async syncDirectory(): Promise<void> {
    const declared = this.directory.agencies().flatMap((agency) =>
      (agency.webhooks ?? []).map((webhook) => ({
        id: directorySubscriptionId(agency.id, webhook.id),
        agencyId: agency.id,
        url: webhook.url,
        types: webhook.types ?? null,
        secret: webhook.secret,
      })),
    );
    await this.subscriptions.syncFromDirectory(declared, this.config.webhooks.secretGraceMs);
  }
}
