import { MiddlewareConsumer, Module, NestModule, RequestMethod } from '@nestjs/common';
import express from 'express';
import {
  SessionAuthenticator,
  SessionAuthGuard,
  SessionRevocation,
  WEB_SESSION_REALM,
  WebSessions,
  WebSignIn,
} from '@backbone/http';
import { DeadLetterCopier } from './dead-letters/dead-letter-copier';
import { DeadLetterErasure } from './dead-letters/dead-letter-erasure';
import { DeadLetterPurge } from './dead-letters/dead-letter-purge';
import { DeadLetterRedrive } from './dead-letters/dead-letter-redrive';
import { DeadLetters } from './dead-letters/dead-letters.store';
import { DeadLettersHttpController } from './dead-letters/dead-letters.http.controller';
import { BackboneLagReport } from './lag/backbone-lag';
import { ConsumerLagSampler } from './lag/consumer-lag-sampler';
import { LagHttpController } from './lag/lag.http.controller';
import { EventsTail } from './live-tail/events-tail';
import { LiveTailHttpController } from './live-tail/live-tail.http.controller';
import { OpsConsoleGauges } from './metrics/ops-console-gauges';
import {
  OPS_CONSOLE_SETTINGS,
  OpsConsoleSettings,
  loadOpsConsoleSettings,
} from './ops-console-settings';
import { OperatorCommandsHttpController } from './operator-commands/operator-commands.http.controller';
import { OverdueReferrals } from './overdue/overdue-referrals';
import { OverdueHttpController } from './overdue/overdue.http.controller';
import { QuarantinedEventsHttpController } from './quarantine/quarantined-events.http.controller';
import { opsSessionRealm } from './sessions/ops-session-realm';
import { SignInHttpController } from './sessions/sign-in.http.controller';
import { ConsolePageHttpController } from './web/console-page.http.controller';
import { ConsolePages } from './web/console-pages';
import { WebhookEndpoints } from './webhooks/webhook-endpoints';
import { OpsWebhooksHttpController } from './webhooks/webhooks.http.controller';

/**
 * What operators use: the console at `/ops` (sign-in, live tail, throughput, lag, dead letters
 * with re-drive, purged after their retention and with the people they name, quarantined events
 * with re-apply, overdue referrals, webhook endpoints) and operator commands (erasure, re-drive).
 */
@Module({
  controllers: [
    ConsolePageHttpController,
    SignInHttpController,
    LiveTailHttpController,
    LagHttpController,
    DeadLettersHttpController,
    OverdueHttpController,
    QuarantinedEventsHttpController,
    OperatorCommandsHttpController,
    OpsWebhooksHttpController,
  ],
  providers: [
    { provide: OPS_CONSOLE_SETTINGS, useFactory: () => loadOpsConsoleSettings() },
    {
      provide: WEB_SESSION_REALM,
      inject: [OPS_CONSOLE_SETTINGS],
      useFactory: (settings: OpsConsoleSettings) => opsSessionRealm(settings),
    },
    WebSessions,
    SessionRevocation,
    SessionAuthenticator,
    WebSignIn,
    SessionAuthGuard,
    ConsolePages,
    EventsTail,
    ConsumerLagSampler,
    BackboneLagReport,
    DeadLetters,
    DeadLetterCopier,
    DeadLetterRedrive,
    DeadLetterErasure,
    DeadLetterPurge,
    OverdueReferrals,
    OpsConsoleGauges,
    WebhookEndpoints,
  ],
})
export class OpsConsoleModule implements NestModule {
  /** The sign-in form posts `application/x-www-form-urlencoded`; only that route reads it. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(express.urlencoded({ extended: false, limit: '4kb' }))
      .forRoutes({ path: 'ops/session', method: RequestMethod.POST });
  }
}
