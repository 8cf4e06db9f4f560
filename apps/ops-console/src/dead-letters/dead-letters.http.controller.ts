import { Controller, Get, Inject, Query, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { MAX_REDRIVE_SELECTION } from '@backbone/contracts';
import { SessionAuthGuard } from '@backbone/http';
import { OPS_CONSOLE_SETTINGS, OpsConsoleSettings } from '../ops-console-settings';
import { DeadLetterSummary, DeadLetters } from './dead-letters.store';

const PAGE = 200;

export interface DeadLetterList {
  items: DeadLetterSummary[];
  pending: number;
  /** What a re-drive may take now: the console shows it in the confirmation. */
  redrive: { perMinute: number; usedLastMinute: number; maxSelection: number };
}

@ApiTags('ops console')
@Controller('ops/api/dead-letters')
@UseGuards(SessionAuthGuard)
export class DeadLettersHttpController {
  constructor(
    private readonly deadLetters: DeadLetters,
    @Inject(OPS_CONSOLE_SETTINGS) private readonly settings: OpsConsoleSettings,
  ) {}

  @Get()
  @ApiQuery({ name: 'all', required: false, description: '`true`: re-driven ones too' })
  @ApiOkResponse({
    description:
      'Newest dead letters first: reason, source topic, partition and offset, and a masked preview (never the record)',
  })
  async list(@Query('all') all?: string): Promise<DeadLetterList> {
    const [items, counts] = await Promise.all([
      this.deadLetters.list(all === 'true', PAGE),
      this.deadLetters.counts(),
    ]);
    return {
      items,
      pending: counts.pending,
      redrive: {
        perMinute: this.settings.redrivePerMinute,
        usedLastMinute: counts.redrivenLastMinute,
        maxSelection: MAX_REDRIVE_SELECTION,
      },
    };
  }
}
