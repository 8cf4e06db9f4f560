import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { OperatorAuthGuard } from '../sessions/operator-auth.guard';
import { WebhookEndpoint, WebhookEndpoints } from './webhook-endpoints';

@ApiTags('ops console')
@Controller('ops/api/webhooks')
@UseGuards(OperatorAuthGuard)
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
