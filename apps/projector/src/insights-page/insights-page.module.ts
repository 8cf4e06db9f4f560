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
import { InsightsAssetsHttpController } from './insights-assets.http.controller';
import { InsightsPageHttpController } from './insights-page.http.controller';
import { insightsSessionRealm } from './insights-page-settings';
import { InsightsPages } from './insights-pages';

/**
 * The directors' page at `/insights` and its sessions (the ops console's mechanism, realm
 * `insights`); exports the guard of the `/v1/insights/*` routes, which take a director's key or
 * the page's session.
 */
@Module({
  controllers: [InsightsPageHttpController, InsightsAssetsHttpController],
  providers: [
    { provide: WEB_SESSION_REALM, useFactory: () => insightsSessionRealm() },
    WebSessions,
    SessionAuthenticator,
    WebSignIn,
    SessionRevocation,
    SessionAuthGuard,
    InsightsPages,
  ],
  // The insights routes of the projector module are guarded in its realm.
  exports: [WEB_SESSION_REALM, SessionAuthenticator, SessionAuthGuard],
})
export class InsightsPageModule implements NestModule {
  /** The sign-in form posts `application/x-www-form-urlencoded`; only that route reads it. */
  configure(consumer: MiddlewareConsumer): void {
    consumer
      .apply(express.urlencoded({ extended: false, limit: '4kb' }))
      .forRoutes({ path: 'insights/session', method: RequestMethod.POST });
  }
}
