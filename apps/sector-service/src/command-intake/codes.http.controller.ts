import { Controller, Get, Header } from '@nestjs/common';
import { VALUE_SETS, ValueSets } from '@backbone/contracts';

/**
 * The contract's value sets with labels in English, Danish and German (CONTRACT §8), open to
 * anyone like the schemas: codes are what a sender must know before sending anything.
 */
@Controller('v1/codes')
export class CodesHttpController {
  @Get()
  @Header('Cache-Control', 'public, max-age=3600')
  all(): ValueSets {
    return VALUE_SETS;
  }
}
