import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Inject,
  Param,
  Post,
  Query,
  UseGuards,
} from '@nestjs/common';
import { BACKBONE_CONFIG, BackboneConfig } from '@backbone/config';
import { EVENT_DATA_CLASSES } from '@backbone/contracts';
import { Directory, Principal } from '@backbone/directory';
import {
  AllowedPrincipals,
  ApiKeyGuard,
  CurrentPrincipal,
  problem,
  requireOwnAgency,
} from '@backbone/http';
import { DeliveryLogEntry, WebhookDeliveries } from './webhook-deliveries.store';
import { newWebhookSecret } from './webhook-secrets';
import {
  WebhookSubscription,
  WebhookSubscriptions,
  newSubscriptionId,
} from './webhook-subscriptions.store';
import { TargetRefusedError, checkTarget } from './webhook-target';
import { WebhookWakeups } from './webhook-wakeups';

const MAX_SUBSCRIPTIONS_PER_AGENCY = 10;
/** Every id a webhook can have (`wh_…` from the API, the directory file's own): others name none. */
const WEBHOOK_ID = /^[A-Za-z0-9_-]{1,64}$/;
const DELIVERY_STATES = ['pending', 'delivered', 'parked'];

/** What an agency sees of a subscription: never a secret (shown once, when made or rotated). */
const shown = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  types: s.types,
  origin: s.origin,
  status: s.status,
  createdAt: s.createdAt,
  circuitOpenUntil: s.circuitOpenUntil,
  consecutiveFailures: s.consecutiveFailures,
  pending: s.pending,
  parked: s.parked,
  lastSuccessAt: s.lastSuccessAt,
  lastFailureAt: s.lastFailureAt,
});

function typesOf(value: unknown): string[] | null {
  if (value === undefined || value === null) return null;
  const known = Object.keys(EVENT_DATA_CLASSES);
  if (
    !Array.isArray(value) ||
    value.length === 0 ||
    value.length > known.length ||
    value.some((type) => typeof type !== 'string' || !known.includes(type))
  ) {
    throw problem(
      400,
      'Bad Request',
      `types must be a non-empty list of event types: ${known.join(', ')}`,
      {
        code: 'INVALID',
      },
    );
  }
  return [...new Set(value as string[])];
}

/**
 * Webhook subscriptions (CONTRACT §8), managed by the agency itself: made with a secret the
 * backbone generates and shows once, rotated with a grace period, listed with their delivery
 * state, deleted; their delivery log, and re-driving parked deliveries (also by operators).
 */
@Controller('v1/agencies/:agencyId/webhooks')
@UseGuards(ApiKeyGuard)
@AllowedPrincipals('agency', 'operator')
export class WebhooksHttpController {
  constructor(
    @Inject(BACKBONE_CONFIG) private readonly config: BackboneConfig,
    private readonly directory: Directory,
    private readonly subscriptions: WebhookSubscriptions,
    private readonly deliveries: WebhookDeliveries,
    private readonly wakeups: WebhookWakeups,
  ) {}

  @Post()
  @HttpCode(201)
  async create(
    @Param('agencyId') agencyId: string,
    @Body() body: unknown,
    @CurrentPrincipal() principal: Principal,
  ) {
    this.ownAgency(principal, agencyId);
    const { url, types } = (body ?? {}) as { url?: unknown; types?: unknown };
    if (typeof url !== 'string') {
      throw problem(400, 'Bad Request', 'url must be a string', { code: 'INVALID' });
    }
    const wanted = typesOf(types);
    try {
      await checkTarget(url, {
        allowLoopback: this.config.webhooks.allowLoopback,
        allowedNetworks: this.directory.agency(agencyId)?.webhookAllowedNetworks ?? [],
      });
    } catch (error) {
      if (!(error instanceof TargetRefusedError)) throw error;
      throw problem(400, 'Bad Request', `url refused: ${error.reason}`, { code: 'INVALID' });
    }
    if ((await this.subscriptions.list(agencyId)).length >= MAX_SUBSCRIPTIONS_PER_AGENCY) {
      throw problem(409, 'Conflict', `at most ${MAX_SUBSCRIPTIONS_PER_AGENCY} webhooks per agency`);
    }
    const secret = newWebhookSecret();
    const made = await this.subscriptions.create({
      id: newSubscriptionId(),
      agencyId,
      url,
      types: wanted,
      origin: 'api',
      secret,
    });
    this.wakeups.queue();
    return { ...shown(made), secret };
  }

  @Get()
  async list(@Param('agencyId') agencyId: string, @CurrentPrincipal() principal: Principal) {
    this.ownAgency(principal, agencyId);
    return { webhooks: (await this.subscriptions.list(agencyId)).map(shown) };
  }

  @Get(':webhookId')
  async get(
    @Param('agencyId') agencyId: string,
    @Param('webhookId') webhookId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    return shown(await this.found(principal, agencyId, webhookId));
  }

  @Delete(':webhookId')
  @HttpCode(204)
  async delete(
    @Param('agencyId') agencyId: string,
    @Param('webhookId') webhookId: string,
    @CurrentPrincipal() principal: Principal,
  ): Promise<void> {
    const subscription = await this.found(principal, agencyId, webhookId);
    this.notFromDirectory(subscription);
    await this.subscriptions.delete(agencyId, webhookId);
  }

  @Post(':webhookId/rotate-secret')
  async rotateSecret(
    @Param('agencyId') agencyId: string,
    @Param('webhookId') webhookId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    const subscription = await this.found(principal, agencyId, webhookId);
    this.notFromDirectory(subscription);
    const secret = newWebhookSecret();
    await this.subscriptions.rotate(webhookId, secret, this.config.webhooks.secretGraceMs);
    const until = new Date(Date.now() + this.config.webhooks.secretGraceMs).toISOString();
    return { id: webhookId, secret, previousSecretsValidUntil: until };
  }

  @Get(':webhookId/deliveries')
  async deliveryLog(
    @Param('agencyId') agencyId: string,
    @Param('webhookId') webhookId: string,
    @Query('state') state: string | undefined,
    @Query('before') before: string | undefined,
    @Query('limit') limit: string | undefined,
    @CurrentPrincipal() principal: Principal,
  ): Promise<{ deliveries: DeliveryLogEntry[]; next?: string }> {
    await this.found(principal, agencyId, webhookId);
    if (state !== undefined && !DELIVERY_STATES.includes(state)) {
      throw problem(400, 'Bad Request', `state must be one of ${DELIVERY_STATES.join(', ')}`);
    }
    if (before !== undefined && !/^[1-9][0-9]{0,17}$/.test(before)) {
      throw problem(400, 'Bad Request', 'before must be a delivery id this log returned');
    }
    const size = limit === undefined ? 100 : Number(limit);
    if (!Number.isInteger(size) || size < 1 || size > 500) {
      throw problem(400, 'Bad Request', 'limit must be a whole number from 1 to 500');
    }
    const deliveries = await this.deliveries.log(webhookId, size, before, state);
    return {
      deliveries,
      ...(deliveries.length === size ? { next: deliveries[deliveries.length - 1].id } : {}),
    };
  }

  @Post(':webhookId/deliveries/redrive')
  async redrive(
    @Param('agencyId') agencyId: string,
    @Param('webhookId') webhookId: string,
    @CurrentPrincipal() principal: Principal,
  ) {
    await this.found(principal, agencyId, webhookId);
    const redriven = await this.deliveries.redrive(webhookId);
    this.wakeups.send();
    return { id: webhookId, redriven };
  }

  /**
   * The agency itself; operators too (they look after deliveries of every agency), for an agency
   * the directory knows: whatever else an operator puts in the path reaches no query.
   */
  private ownAgency(principal: Principal, agencyId: string): void {
    if (principal.kind !== 'operator') requireOwnAgency(principal, agencyId, 'webhooks');
    else if (!this.directory.agency(agencyId))
      throw problem(404, 'Not Found', 'no such agency in the directory');
  }

  private async found(
    principal: Principal,
    agencyId: string,
    webhookId: string,
  ): Promise<WebhookSubscription> {
    this.ownAgency(principal, agencyId);
    const subscription = WEBHOOK_ID.test(webhookId)
      ? await this.subscriptions.get(agencyId, webhookId)
      : undefined;
    if (!subscription) throw problem(404, 'Not Found', `no webhook ${webhookId} of ${agencyId}`);
    return subscription;
  }

  private notFromDirectory(subscription: WebhookSubscription): void {
    if (subscription.origin === 'directory') {
      throw problem(409, 'Conflict', 'this webhook is set in the directory file; change it there');
    }
  }
}
