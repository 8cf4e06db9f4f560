import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import express from 'express';
import { PinoNestLogger, rootLogger } from '@backbone/observability';
import { ProblemDetailsFilter } from './problem.filter';

/**
 * The OpenAPI document at `/docs` (JSON at `/docs-json`), generated from the controllers the
 * application has, so it describes exactly the routes this process serves.
 */
function serveApiDocument(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('Referral Backbone')
    .setDescription('Commands, per-agency queries, audit and operations (CONTRACT §7)')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', description: 'the API key of an agency' })
    .addSecurityRequirements('bearer')
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, config));
}

/**
 * A NestJS application with the backbone's HTTP conventions: problem-details errors, commands
 * read as raw bytes (the command pipeline parses and size-checks them itself), JSON elsewhere.
 */
export async function createHttpApp(
  rootModule: DynamicModule,
  options: { handleSignals: boolean },
): Promise<INestApplication> {
  const app = await NestFactory.create(rootModule, {
    bodyParser: false,
    logger: new PinoNestLogger(rootLogger.child({ component: 'nest' })),
  });
  // No ETags: every answer is computed afresh (and audited), and hashing a 100 KB history for
  // a validator no client sends costs each request.
  (app.getHttpAdapter().getInstance() as express.Express).set('etag', false);
  app.use('/v1/commands', express.raw({ type: () => true, limit: '2mb' }));
  // FHIR clients send their own JSON media types: resources, Bundles and JSON Patch documents.
  app.use(
    '/fhir',
    express.json({
      type: ['application/fhir+json', 'application/json-patch+json', 'application/json'],
      limit: '1mb',
    }),
  );
  app.use(express.json({ limit: '1mb' }));
  app.useGlobalFilters(new ProblemDetailsFilter());
  serveApiDocument(app);
  // Closing the app runs every module's shutdown hook (consumers leave their groups cleanly).
  if (options.handleSignals) app.enableShutdownHooks();
  return app;
}
