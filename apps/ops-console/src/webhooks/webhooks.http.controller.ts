import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { SessionAuthGuard } from '@backbone/http';
import { WebhookEndpoint, WebhookEndpoints } from './webhook-endpoints';

@ApiTags('ops console')
@Controller('ops/api/webhooks')
@UseGuards(SessionAuthGuard)
export class OpsWebhooksHttpController {
  constructor(private readonly endpoints: WebhookEndpoints) {}

  @Get()
  @ApiOkResponse({
    description:
      'Webhook endpoints: state, circuit, backlog, parked, oldest undelivered, last 5 minutes',
  })
  list(): Promise<WebhookEndpoint[]> {
    return this.endpoints.list();
  }
}
