import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SessionAuthGuard } from '@backbone/http';
import { AgencyOverdue, OverdueReferrals } from './overdue-referrals';

@ApiTags('ops console')
@Controller('ops/api/overdue')
@UseGuards(SessionAuthGuard)
export class OverdueHttpController {
  constructor(private readonly overdue: OverdueReferrals) {}

  @Get()
  @ApiOkResponse({ description: 'Overdue referrals per receiving agency, oldest first' })
  list(): Promise<AgencyOverdue[]> {
    return this.overdue.byAgency();
  }
}
