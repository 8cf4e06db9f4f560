import { Controller, Get, Header, UseGuards } from '@nestjs/common';
import { collectDefaultMetrics, register } from 'prom-client';
import { gatherMetrics } from '@backbone/observability';
import { AllowedPrincipals, ApiKeyGuard } from './api-key.guard';

let defaultMetricsStarted = false;

/**
 * Prometheus metrics of this process, its worker threads' included (CONTRACT §7: for operators;
 * scrape with a bearer key).
 */
@Controller('metrics')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('operator')
export class MetricsController {
  constructor() {
    // Process metrics (CPU, memory, event-loop lag) once per process, however many apps it hosts.
    if (!defaultMetricsStarted) {
      collectDefaultMetrics({ register });
      defaultMetricsStarted = true;
    }
  }

  @Get()
  @Header('Content-Type', register.contentType)
  metrics(): Promise<string> {
    return gatherMetrics();
  }
}
