import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { projectRoot } from '@backbone/config';
import { WebPages } from '@backbone/http';

export type ConsolePage = 'console' | 'sign-in';

/** The console's pages: plain HTML files beside this one (no build step). */
@Injectable()
export class ConsolePages extends WebPages<ConsolePage> {
  constructor() {
    super(join(projectRoot(), 'apps/ops-console/src/web'));
  }
}
