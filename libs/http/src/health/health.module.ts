import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { BackboneHealthIndicators } from './backbone-health.indicators';
import { HealthController } from './health.controller';

/** `/health` of every app, with @nestjs/terminus (failures are in the answer, not the log). */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController],
  providers: [BackboneHealthIndicators],
})
export class HealthModule {}
