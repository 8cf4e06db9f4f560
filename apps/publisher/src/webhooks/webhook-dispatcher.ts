import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { PersonalDataOpener } from '@backbone/data-protection';
import { sleepUnlessAborted } from '@backbone/database';
import { Directory } from '@backbone/directory';
import { rootLogger } from '@backbone/observability';
import { toPublishedEvent } from '../published-event';
import { nextAttemptAt } from './retry-schedule';
import { AttemptResult, ClaimedDelivery, WebhookDeliveries } from './webhook-deliveries.store';
import { webhookAttemptSeconds, webhookAttempts } from './webhook-metrics';
import { signDelivery } from './webhook-secrets';
import { isSuccess, sendAttempt } from './webhook-sender';
import { WebhookSubscriptions } from './webhook-subscriptions.store';
import { TargetRefusedError, checkTarget } from './webhook-target';
import { WebhookWakeups } from './webhook-wakeups';

/**
 * How long an endpoint's URL and secrets, once read, serve its attempts: saves two queries and
 * an unsealing per delivery; a rotation or a changed URL takes effect within this.
 */
const ENDPOINT_CACHE_MS = 1000;

interface Endpoint {
  url: string;
  agencyId: string;
  secrets: string[];
  readAt: number;
}

/** Beyond the attempt's own deadline, before another instance may take a claimed delivery over. */
const LEASE_MARGIN_MS = 30_000;

/**
 * Sends due deliveries, on every instance. The loop only claims and starts attempts, never
 * waits for one: each endpoint has its own slots (WEBHOOK_CONCURRENCY_PER_ENDPOINT), so a
 * receiver that hangs fills only its own and another agency's deliveries go on. An endpoint
 * whose circuit is open is not tried until its cool-off ends, then by one probing attempt.
 */
@Injectable()
export class WebhookDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ component: 'webhook-dispatcher' });
  private readonly stopping = new AbortController();
  private readonly inFlight = new Map<string, number>();
  private readonly attempts = new Set<Promise<void>>();
  private readonly endpoints = new Map<string, Endpoint>();
  private running?: Promise<void>;

  constructor(
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    private readonly directory: Directory,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly deliveries: WebhookDeliveries,
    private readonly opener: PersonalDataOpener,
    private readonly wakeups: WebhookWakeups,
  ) {}

  onApplicationBootstrap(): void {
    if (this.config.webhooks.enabled) this.running = this.run(this.stopping.signal);
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopping.abort();
    await this.running;
    // Attempts under way finish (each within its deadline) so their outcome is recorded.
    await Promise.allSettled([...this.attempts]);
  }

  private get breaker() {
    return {
      threshold: this.config.webhooks.breakerThreshold,
      cooldownMs: this.config.webhooks.breakerCooldownMs,
    };
  }

  private async run(signal: AbortSignal): Promise<void> {
    while (!signal.aborted) {
      try {
        await this.startDueAttempts();
      } catch (error) {
        this.logger.error(
          { err: error },
          'looking for due webhook deliveries failed; trying again',
        );
        await sleepUnlessAborted(1000, signal);
        continue;
      }
      await this.wakeups.nextSend(signal, this.config.webhooks.pollMs);
    }
  }

  private async startDueAttempts(): Promise<void> {
    const { concurrencyPerEndpoint, attemptTimeoutMs } = this.config.webhooks;
    for (const { id, probing } of await this.deliveries.dueSubscriptions(this.breaker)) {
      const busy = this.inFlight.get(id) ?? 0;
      // A half-open circuit gets one probe at a time; a closed one its full share.
      const free = (probing ? 1 : concurrencyPerEndpoint) - busy;
      if (free <= 0) continue;
      const claimed = await this.deliveries.claim(id, free, attemptTimeoutMs + LEASE_MARGIN_MS);
      for (const delivery of claimed) this.start(delivery);
    }
  }

  private start(delivery: ClaimedDelivery): void {
    const id = delivery.subscriptionId;
    this.inFlight.set(id, (this.inFlight.get(id) ?? 0) + 1);
    const attempt = this.attempt(delivery)
      .catch((error) =>
        this.logger.error(
          { err: error, delivery: delivery.id },
          'webhook attempt failed to record',
        ),
      )
      .finally(() => {
        const left = (this.inFlight.get(id) ?? 1) - 1;
        if (left) this.inFlight.set(id, left);
        else this.inFlight.delete(id);
        this.attempts.delete(attempt);
        this.wakeups.send();
      });
    this.attempts.add(attempt);
  }

  private async attempt(delivery: ClaimedDelivery): Promise<void> {
    const endpoint = await this.endpoint(delivery.subscriptionId);
    if (!endpoint) return; // deleted meanwhile: its deliveries went with it
    const result = await this.send(delivery, endpoint);
    const subscription = { id: delivery.subscriptionId, agencyId: endpoint.agencyId };
    const labels = { subscription: subscription.id, agency: subscription.agencyId };
    webhookAttemptSeconds.observe({ agency: subscription.agencyId }, result.durationMs / 1000);
    if (isSuccess(result)) {
      await this.deliveries.recordSuccess(delivery, result);
      webhookAttempts.inc({ ...labels, outcome: 'delivered' });
      return;
    }
    const retryAt = nextAttemptAt(
      this.config.webhooks,
      delivery.attempt,
      delivery.queuedAt,
      new Date(),
    );
    await this.deliveries.recordFailure(delivery, result, retryAt, this.breaker);
    webhookAttempts.inc({ ...labels, outcome: retryAt ? 'failed' : 'parked' });
    if (!retryAt) {
      this.logger.warn(
        { subscription: subscription.id, agency: subscription.agencyId, eventId: delivery.eventId },
        'webhook delivery parked after its last retry; the subscription is marked failing',
      );
    }
  }

  private async endpoint(id: string): Promise<Endpoint | undefined> {
    const cached = this.endpoints.get(id);
    if (cached && Date.now() - cached.readAt < ENDPOINT_CACHE_MS) return cached;
    const found = await this.subscriptions.endpoint(id);
    if (!found) {
      this.endpoints.delete(id);
      return undefined;
    }
    const endpoint = {
      url: found.url,
      agencyId: found.agencyId,
      secrets: await this.subscriptions.secretsInForce(id),
      readAt: Date.now(),
    };
    this.endpoints.set(id, endpoint);
    return endpoint;
  }

  /** Checks the target, opens the event's personal data, signs and sends one attempt. */
  private async send(
    delivery: ClaimedDelivery,
    { url, agencyId, secrets }: Endpoint,
  ): Promise<AttemptResult> {
    const startedAt = new Date();
    let target;
    try {
      target = await checkTarget(url, {
        allowLoopback: this.config.webhooks.allowLoopback,
        allowedNetworks: this.directory.agency(agencyId)?.webhookAllowedNetworks ?? [],
      });
    } catch (error) {
      if (!(error instanceof TargetRefusedError)) throw error;
      return { startedAt, durationMs: 0, error: `refused: ${error.reason}` };
    }
    const opened = await this.opener.open([delivery.event]);
    const body = JSON.stringify(toPublishedEvent(opened.events[0]));
    const headers = signDelivery(secrets, delivery.eventId, new Date(), body);
    return sendAttempt({
      target,
      headers: { ...headers },
      body,
      timeoutMs: this.config.webhooks.attemptTimeoutMs,
    });
  }
}
