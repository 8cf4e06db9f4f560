// The picture of the directors' page in the README (docs/insights-page.png), made on demand:
// `npm run screenshot:insights-page`. A year of synthetic cooperation between the demo sites'
// agencies (test/support/synthetic-cooperation.ts) is appended to a fresh event store, each event
// backdated to its month (commands sent now would all fall in this month); the publisher, Kafka,
// the projector, the insights API and the page do the rest, as for any referral. Skipped unless
// INSIGHTS_PAGE_SCREENSHOT names the file to write.
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { Pool } from 'pg';
import type { Browser } from 'playwright-core';
import { DEMO_API_KEYS } from '@backbone/directory';
import { appendBackdated } from '../support/backdated-append';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { findChromium, launchChromium } from '../support/headless-chromium';
import { syntheticYear } from '../support/synthetic-cooperation';

const OUTPUT = process.env.INSIGHTS_PAGE_SCREENSHOT;
const executablePath = findChromium();
const describeWhenAsked = OUTPUT ? describe : describe.skip;
const RANDERS = ['randers-school', 'randers-social', 'east-jutland-police'];

describeWhenAsked('a picture of the directors’ page over a year of cooperation', () => {
  let backbone: BackboneUnderTest;
  let pool: Pool;
  let browser: Browser;

  beforeAll(async () => {
    if (!executablePath) throw new Error('no chromium on PATH (apt-get install -y chromium)');
    backbone = await BackboneUnderTest.start(() => []);
    pool = new Pool({ connectionString: backbone.config.databaseUrl, max: 2 });
    browser = await launchChromium(executablePath);
  });
  afterAll(async () => {
    await browser?.close();
    await pool?.end();
    await backbone?.stop();
  });

  it('draws the year of Randers’ director', async () => {
    const histories = syntheticYear(new Date());
    for (const history of histories) await appendBackdated(pool, history.streamId, history.events);
    const inScope = histories.filter(
      (history) => RANDERS.includes(history.from) || RANDERS.includes(history.to),
    ).length;
    await eventually(
      async () => {
        const response = await backbone.http(
          '/v1/insights/flows',
          DEMO_API_KEYS['demo-randers-director'],
        );
        const answer = (await response.json()) as {
          totals: { byMonth: { made: number | string }[] };
        };
        const made = answer.totals.byMonth.reduce(
          (sum, month) => sum + (typeof month.made === 'number' ? month.made : 0),
          0,
        );
        return made === inScope ? true : undefined;
      },
      `the ${inScope} Randers referrals counted`,
      120_000,
    );

    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-GB',
    });
    const page = await context.newPage();
    await page.goto(`${backbone.baseUrl}/insights`);
    await page.fill('#key', DEMO_API_KEYS['demo-randers-director']);
    await Promise.all([page.waitForURL(`${backbone.baseUrl}/insights`), page.click('#sign-in')]);
    await page.waitForSelector('#status[data-state="loaded"]');
    await page.waitForSelector('#agenda tr[data-kind="redirectChains"]');
    expect(await page.$$('#trend-table tbody tr')).toHaveLength(12);
    const path = resolve(OUTPUT as string);
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: true });
    mkdirSync(join(__dirname, '../../test-artifacts/insights-page'), { recursive: true });
    await page.screenshot({
      path: join(__dirname, '../../test-artifacts/insights-page/year.png'),
      fullPage: true,
    });
    await context.close();
  });
});
