import { join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { projectRoot } from '@backbone/config';
import { WebPages } from '@backbone/http';

/** Where the page's HTML and script are: plain files, served as they are (no build step). */
export const INSIGHTS_WEB_DIR = join(projectRoot(), 'apps/projector/src/insights-page/web');

export type InsightsPage = 'insights' | 'sign-in';

@Injectable()
export class InsightsPages extends WebPages<InsightsPage> {
  constructor() {
    super(INSIGHTS_WEB_DIR);
  }
}
