import { dirname, join } from 'node:path';
import { Controller, Get, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { problem } from '@backbone/http';
import { INSIGHTS_WEB_DIR } from './insights-pages';

const packageDir = (name: string): string => dirname(require.resolve(`${name}/package.json`));

/**
 * The page's scripts: its own, and the two libraries it draws and translates with, served from
 * the packages installed with the backbone (the machines it runs on may have no internet, and
 * the page asks nothing of other origins). Only these files, by name.
 */
const ASSETS: ReadonlyMap<string, string> = new Map([
  ['echarts.min.js', join(packageDir('echarts'), 'dist/echarts.min.js')],
  ['i18next.min.js', join(packageDir('i18next'), 'dist/umd/i18next.min.js')],
  ['insights-page.js', join(INSIGHTS_WEB_DIR, 'insights-page.js')],
]);

@ApiExcludeController()
@Controller('insights/assets')
export class InsightsAssetsHttpController {
  @Get(':file')
  asset(@Param('file') file: string, @Res() response: Response): void {
    const path = ASSETS.get(file);
    if (!path) throw problem(404, 'Not Found', 'no such file of the insights page');
    // Revalidated by Last-Modified on each load: an upgrade's new script is taken at once.
    response.set({ 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff' });
    response.type('text/javascript').sendFile(path);
  }
}
