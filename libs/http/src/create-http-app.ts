import { DynamicModule, INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import express from 'express';
import { PinoNestLogger, rootLogger } from '@backbone/observability';
import { ProblemDetailsFilter } from './problem.filter';

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
  app.use('/v1/commands', express.raw({ type: () => true, limit: '2mb' }));
  app.use(express.json({ limit: '1mb' }));
  app.useGlobalFilters(new ProblemDetailsFilter());
  // Closing the app runs every module's shutdown hook (consumers leave their groups cleanly).
  if (options.handleSignals) app.enableShutdownHooks();
  return app;
}
