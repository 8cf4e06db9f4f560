import { Controller, Get, Header, Res, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService } from '@nestjs/terminus';
import type { Response } from 'express';
import { BackboneHealthIndicators } from './backbone-health.indicators';

/**
 * `GET /health` (anyone): readiness of the whole backbone, part by part, `503` when a part is
 * down. `GET /health/live`: this process serves HTTP; what an orchestrator restarts on, so that
 * one part's trouble elsewhere never restarts a healthy process.
 */
@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: BackboneHealthIndicators,
  ) {}

  @Get()
  @HealthCheck()
  async check(@Res({ passthrough: true }) response: Response): Promise<HealthCheckResult> {
    try {
      return await this.health.check(this.indicators.checks());
    } catch (error) {
      // Terminus reports a down part as an exception carrying the full result: answer with it.
      if (!(error instanceof ServiceUnavailableException)) throw error;
      response.status(503);
      return error.getResponse() as HealthCheckResult;
    }
  }

  @Get('live')
  @Header('Cache-Control', 'no-store')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }
}
