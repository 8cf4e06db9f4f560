import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SessionAuthGuard } from '@backbone/http';
import { BackboneLag, BackboneLagReport } from './backbone-lag';

@ApiTags('ops console')
@Controller('ops/api/lag')
@UseGuards(SessionAuthGuard)
export class LagHttpController {
  constructor(private readonly lag: BackboneLagReport) {}

  @Get()
  @ApiOkResponse({
    description:
      'Consumer groups per partition with a status (OK, WARN, STALL, STOP) and lag in records and seconds; the publisher, projectors and deadline watcher behind the store head; the oldest open transaction',
  })
  report(): Promise<BackboneLag> {
    return this.lag.report();
  }
}
