import { Injectable, OnModuleInit } from '@nestjs/common';
import { Gauge, GaugeConfiguration, register } from 'prom-client';
import { sharedCounter, sharedHistogram } from '@backbone/observability';
import { EndpointBacklog, WebhookDeliveries } from './webhook-deliveries.store';

/** Attempts per endpoint by outcome: `delivered`, `failed` (to be retried) or `parked`. */
export const webhookAttempts = sharedCounter({
  name: 'backbone_webhook_attempts_total',
  help: 'Webhook delivery attempts, by subscription, agency and outcome (delivered, failed, parked)',
  labelNames: ['subscription', 'agency', 'outcome'] as const,
});

export const webhookAttemptSeconds = sharedHistogram({
  name: 'backbone_webhook_attempt_seconds',
  help: 'Duration of webhook delivery attempts, by agency',
  labelNames: ['agency'] as const,
  buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
});

function gauge<T extends string>(config: GaugeConfiguration<T>): void {
  register.removeSingleMetric(config.name);
  new Gauge({ ...config, registers: [register] });
}

/**
 * Per-endpoint gauges read from PostgreSQL on each scrape (one query for all of them): what
 * waits, what is parked, the age of the oldest undelivered event, whether the circuit is open.
 */
@Injectable()
export class WebhookGauges implements OnModuleInit {
  constructor(private readonly deliveries: WebhookDeliveries) {}

  onModuleInit(): void {
    let latest: Promise<EndpointBacklog[]> | undefined;
    // The four gauges of one scrape share one read.
    const backlog = (): Promise<EndpointBacklog[]> => {
      latest ??= this.deliveries
        .backlog()
        .finally(() => setTimeout(() => (latest = undefined), 100));
      return latest;
    };
    const perEndpoint = (
      name: string,
      help: string,
      value: (endpoint: EndpointBacklog) => number,
    ): void =>
      gauge({
        name,
        help,
        labelNames: ['subscription', 'agency'],
        async collect() {
          this.reset();
          try {
            for (const endpoint of await backlog()) {
              this.set(
                { subscription: endpoint.subscriptionId, agency: endpoint.agencyId },
                value(endpoint),
              );
            }
          } catch {
            // left empty: a missing series shows the database could not be asked
          }
        },
      });
    perEndpoint(
      'backbone_webhook_pending',
      'Webhook deliveries waiting to be made, by endpoint',
      (e) => e.pending,
    );
    perEndpoint(
      'backbone_webhook_parked',
      'Webhook deliveries parked after their last retry, by endpoint',
      (e) => e.parked,
    );
    perEndpoint(
      'backbone_webhook_oldest_undelivered_seconds',
      'Age of the oldest webhook delivery not yet made (pending or parked), by endpoint',
      (e) => e.oldestUndeliveredSeconds,
    );
    perEndpoint(
      'backbone_webhook_circuit_open',
      'Whether the endpoint circuit breaker is open (1) or closed (0)',
      (e) => (e.circuitOpen ? 1 : 0),
    );
  }
}
