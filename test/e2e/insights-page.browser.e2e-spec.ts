// The directors' page in a real headless browser (Debian's chromium, driven by playwright-core),
// as Randers' director uses it (issue 24 item 6): real referrals are made and decided across the
// agencies of both demo sites over HTTP, as agency systems make them; the director signs in with
// a key, and the page shows the numbers the insights API gives, which are also tallied here
// straight from what was sent; nothing of Redbridge appears, small counts only as "<5" (and never
// drawn to scale), in Danish, German and English; it is usable by keyboard, a wrong key is
// refused, and axe finds no accessibility violation. Screenshots go to test-artifacts/.
import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_API_KEYS } from '@backbone/directory';
import da from '../../apps/projector/src/insights-page/locales/da.json';
import de from '../../apps/projector/src/insights-page/locales/de.json';
import en from '../../apps/projector/src/insights-page/locales/en.json';
import { BackboneUnderTest } from '../support/backbone-under-test';
import { eventually } from '../support/eventually';
import { findChromium, launchChromium } from '../support/headless-chromium';
import { commandFrom, makeReferralCommand } from '../support/referral-commands';

const SCHOOL = 'randers-school';
const SOCIAL = 'randers-social';
const POLICE = 'east-jutland-police';
const GP = 'redbridge-gp-team';
const ADULT_CARE = 'redbridge-adult-social-care';
const DIRECTOR_KEY = DEMO_API_KEYS['demo-randers-director'];
const SECTOR_OF: Record<string, string> = {
  [SCHOOL]: 'education',
  [SOCIAL]: 'social-care',
  [POLICE]: 'justice',
};
const ARTIFACTS = join(__dirname, '../../test-artifacts/insights-page');
/** The counts the page's trend and sector tables show, as the API names them. */
const COUNTS = ['made', 'accepted', 'rejected', 'redirected', 'completed', 'closedLoop'] as const;
type Count = (typeof COUNTS)[number];
type Counts = Record<Count, number>;
type Shown = number | string;

type Fate = 'open' | 'accepted' | 'completed' | 'rejected' | 'redirected';
/** One referral this test made, and what became of it. */
interface Sent {
  month: string;
  from: string;
  to: string;
  fate: Fate;
  reasonCode?: string;
}

interface FlowsJson {
  from: string;
  to: string;
  threshold: number;
  totals: {
    byMonth: ({ month: string } & Record<Count, Shown>)[];
    bySectorPair: ({ fromSector: string; toSector: string } & Record<Count, Shown>)[];
    reasons: Record<string, Record<string, Shown>>;
  };
}
interface CodesJson {
  reasonCodes: { code: string; labels: Record<'en' | 'da' | 'de', string> }[];
}

const shown = (count: number): Shown => (count >= 5 ? count : '<5');
/** In the page (this project's TypeScript has no DOM types): what has the keyboard's focus. */
const FOCUSED = '(e => e.id || e.className || e.tagName)(document.activeElement)';

/** What Randers' director should see, tallied from the referrals sent, in plain code. */
function tally(sent: Sent[]) {
  const zero = (): Counts => ({
    made: 0,
    accepted: 0,
    rejected: 0,
    redirected: 0,
    completed: 0,
    closedLoop: 0,
  });
  const byMonth = new Map<string, Counts>();
  const bySectorPair = new Map<string, Counts>();
  const rejectedBy = new Map<string, number>();
  for (const referral of sent) {
    const inScope = [referral.from, referral.to].some((agency) => agency in SECTOR_OF);
    if (!inScope) continue;
    const pair = `${SECTOR_OF[referral.from]}|${SECTOR_OF[referral.to]}`;
    for (const counts of [
      byMonth.get(referral.month) ?? byMonth.set(referral.month, zero()).get(referral.month),
      bySectorPair.get(pair) ?? bySectorPair.set(pair, zero()).get(pair),
    ] as Counts[]) {
      counts.made++;
      if (referral.fate === 'accepted' || referral.fate === 'completed') counts.accepted++;
      if (referral.fate === 'rejected') counts.rejected++;
      if (referral.fate === 'redirected') counts.redirected++;
      if (referral.fate === 'completed') counts.completed++;
      if (['completed', 'rejected', 'redirected'].includes(referral.fate)) counts.closedLoop++;
    }
    if (referral.fate === 'rejected') {
      const code = referral.reasonCode ?? 'uncoded';
      rejectedBy.set(code, (rejectedBy.get(code) ?? 0) + 1);
    }
  }
  return { byMonth, bySectorPair, rejectedBy };
}

const executablePath = findChromium();
if (!executablePath) {
  process.stderr.write(
    '\ninsights page browser test SKIPPED: no chromium on PATH (apt-get install -y chromium)\n',
  );
}
const describeInBrowser = executablePath ? describe : describe.skip;

describeInBrowser('the directors’ insights page in a browser', () => {
  let backbone: BackboneUnderTest;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const sent: Sent[] = [];
  /** The first referral of the Randers chain redirected twice. */
  let chainRoot: string;
  let codes: CodesJson;
  /** Errors the page's scripts or the browser logged (a Content-Security-Policy refusal, say). */
  const pageErrors: string[] = [];

  const shot = (name: string) =>
    page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const month = () => new Date().toISOString().slice(0, 7);

  const send = async (agency: string, command: object): Promise<void> => {
    const response = await backbone.http('/v1/commands', DEMO_API_KEYS[agency], {
      method: 'POST',
      body: JSON.stringify(command),
    });
    const body = (await response.json()) as { type?: string };
    expect([agency, response.status, body.type]).toEqual([agency, 200, 'command.accepted']);
  };
  const make = async (from: string, to: string, category: string): Promise<string> => {
    const command = makeReferralCommand(from, to);
    command.data.category = category;
    await send(from, command);
    return command.subject;
  };
  const decide = (by: string, type: string, referralId: string, data: object = {}) =>
    send(by, commandFrom(by, type, referralId, { referralId, ...data }));

  /** Made, then taken to `fate` by the receiver, and recorded as sent. */
  async function referral(
    from: string,
    to: string,
    category: string,
    fate: Exclude<Fate, 'redirected'>,
    reasonCode?: string,
  ): Promise<void> {
    const referralId = await make(from, to, category);
    if (fate === 'rejected')
      await decide(to, 'referral.reject.v1', referralId, { reason: 'Not for us', reasonCode });
    if (fate === 'accepted' || fate === 'completed')
      await decide(to, 'referral.accept.v1', referralId);
    if (fate === 'completed') {
      await decide(to, 'referral.start.v1', referralId);
      await decide(to, 'referral.complete.v1', referralId, {
        outcome: 'Support given',
        outcomeCode: 'service-provided',
      });
    }
    sent.push({ month: month(), from, to, fate, reasonCode });
  }

  const flowsOf = async (query = ''): Promise<FlowsJson> => {
    const response = await backbone.http(`/v1/insights/flows${query}`, DIRECTOR_KEY);
    expect(response.status).toBe(200);
    return (await response.json()) as FlowsJson;
  };
  const text = async (selector: string) => ((await page.textContent(selector)) ?? '').trim();
  const loaded = () => page.waitForSelector('#status[data-state="loaded"]');

  beforeAll(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    backbone = await BackboneUnderTest.start(() => []);
    // Randers: the school refers 14 children to social care, which accepts six (completing
    // five), rejects six (five not eligible, one for capacity) and leaves two open; the police
    // refer three, all rejected for capacity.
    for (let n = 0; n < 14; n++) {
      if (n < 5) await referral(SCHOOL, SOCIAL, 'child-social-care', 'completed');
      else if (n === 5) await referral(SCHOOL, SOCIAL, 'child-social-care', 'accepted');
      else if (n < 11)
        await referral(SCHOOL, SOCIAL, 'child-social-care', 'rejected', 'not-eligible');
      else if (n === 11)
        await referral(SCHOOL, SOCIAL, 'child-social-care', 'rejected', 'no-capacity');
      else await referral(SCHOOL, SOCIAL, 'child-social-care', 'open');
    }
    for (let n = 0; n < 3; n++)
      await referral(POLICE, SOCIAL, 'safeguarding', 'rejected', 'no-capacity');
    // A safeguarding referral bounces: social care redirects it to the police, who redirect it
    // back to social care, where it waits (the agenda's redirect chain).
    chainRoot = await make(SCHOOL, SOCIAL, 'safeguarding');
    let latest = chainRoot;
    for (const [by, to] of [
      [SOCIAL, POLICE],
      [POLICE, SOCIAL],
    ]) {
      const newReferralId = randomUUID();
      await decide(by, 'referral.redirect.v1', latest, {
        to,
        newReferralId,
        reason: 'Better placed elsewhere',
        reasonCode: 'wrong-service',
      });
      sent.push({ month: month(), from: SCHOOL, to: by, fate: 'redirected' });
      latest = newReferralId;
    }
    sent.push({ month: month(), from: SCHOOL, to: SOCIAL, fate: 'open' });
    // Redbridge, which Randers' director must not see: six referrals, five declined.
    for (let n = 0; n < 6; n++) {
      if (n < 5) await referral(GP, ADULT_CARE, 'adult-social-care', 'rejected', 'person-declined');
      else await referral(GP, ADULT_CARE, 'adult-social-care', 'accepted');
    }

    const expected = tally(sent);
    const madeNow = expected.byMonth.get(month())?.made;
    await eventually(async () => {
      const flows = await flowsOf();
      const now = flows.totals.byMonth.find((row) => row.month === month());
      const agenda = (await (await backbone.http('/v1/insights/agenda', DIRECTOR_KEY)).json()) as {
        items: { redirectChains: unknown[] };
      };
      return now?.made === madeNow &&
        now?.closedLoop === expected.byMonth.get(month())?.closedLoop &&
        agenda.items.redirectChains.length
        ? true
        : undefined;
    }, 'the referrals counted and the chain on the agenda');
    codes = (await (await fetch(`${backbone.baseUrl}/v1/codes`)).json()) as CodesJson;

    browser = await launchChromium(executablePath as string);
    context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
      locale: 'en-GB',
    });
    page = await context.newPage();
    page.on('console', (message) => {
      // Not the 401 and 403 the sign-in form is answered with, nor a missing favicon.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
        pageErrors.push(message.text());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });
  afterAll(async () => {
    await browser?.close();
    await backbone?.stop();
  });

  it('asks for a director’s key, and refuses a wrong one and another principal’s', async () => {
    const first = await page.goto(`${backbone.baseUrl}/insights`);
    expect(first?.status()).toBe(401);
    await expect(text('h1')).resolves.toBe(en.signIn.heading);

    await page.fill('#key', 'not-a-key-of-anyone');
    const [wrong] = await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
    expect(wrong?.status()).toBe(401);
    await expect(text('#message')).resolves.toBe(en.signIn.unknownKey);
    await shot('01-wrong-key');

    await page.fill('#key', DEMO_API_KEYS[SCHOOL]);
    const [agency] = await Promise.all([page.waitForNavigation(), page.click('#sign-in')]);
    expect(agency?.status()).toBe(403);
    await expect(text('#message')).resolves.toBe(en.signIn.notDirector);
    expect(await context.cookies()).toEqual([]);
    // The API says the same to a wrong key, and to an agency's.
    expect((await backbone.http('/v1/insights/flows', 'not-a-key')).status).toBe(401);
    expect((await backbone.http('/v1/insights/flows', DEMO_API_KEYS[SCHOOL])).status).toBe(403);
  });

  it('signs Randers’ director in, into an HttpOnly, SameSite=Strict session', async () => {
    await page.fill('#key', DIRECTOR_KEY);
    await Promise.all([page.waitForURL(`${backbone.baseUrl}/insights`), page.click('#sign-in')]);
    await loaded();
    await expect(text('#director')).resolves.toBe('demo-randers-director');
    const [cookie] = await context.cookies();
    expect(cookie).toMatchObject({ name: 'insights_session', httpOnly: true, sameSite: 'Strict' });
    expect(cookie.value).not.toContain(DIRECTOR_KEY);
    await shot('02-signed-in');
  });

  it('shows the numbers the API gives, which are those tallied from what was sent', async () => {
    const api = await flowsOf();
    const expected = tally(sent);
    const cell = (row: string, field: string) => text(`${row} [data-field="${field}"]`);

    expect(api.totals.byMonth).toHaveLength(12);
    for (const row of api.totals.byMonth) {
      const tallied = expected.byMonth.get(row.month);
      for (const field of COUNTS) {
        const onPage = await cell(`#trend-table tr[data-month="${row.month}"]`, field);
        expect([row.month, field, onPage]).toEqual([row.month, field, String(row[field])]);
        expect([row.month, field, row[field]]).toEqual([
          row.month,
          field,
          shown(tallied?.[field] ?? 0),
        ]);
      }
    }
    const now = expected.byMonth.get(month()) as Counts;
    const rate = await cell(`#trend-table tr[data-month="${month()}"]`, 'closedLoopRate');
    expect(rate).toBe(`${Math.round((100 * now.closedLoop) / now.made)}%`);

    const pairsOnPage = await page.evaluate<string[]>(
      `[...document.querySelectorAll('#sector-table tbody tr')]
        .map((row) => row.dataset.fromSector + '|' + row.dataset.toSector)`,
    );
    expect(pairsOnPage.sort()).toEqual([...expected.bySectorPair.keys()].sort());
    for (const pair of api.totals.bySectorPair) {
      const key = `${pair.fromSector}|${pair.toSector}`;
      const row = `#sector-table tr[data-from-sector="${pair.fromSector}"][data-to-sector="${pair.toSector}"]`;
      for (const field of COUNTS) {
        expect([key, field, await cell(row, field)]).toEqual([key, field, String(pair[field])]);
        expect([key, field, pair[field]]).toEqual([
          key,
          field,
          shown(expected.bySectorPair.get(key)?.[field] ?? 0),
        ]);
      }
    }

    const rejected = api.totals.reasons.rejected;
    expect(Object.keys(rejected).sort()).toEqual([...expected.rejectedBy.keys()].sort());
    for (const [code, count] of expected.rejectedBy) {
      const row = `#reasons-table tr[data-code="${code}"]`;
      expect([code, await cell(row, 'count')]).toEqual([code, String(rejected[code])]);
      expect([code, rejected[code]]).toEqual([code, shown(count)]);
      const label = codes.reasonCodes.find((value) => value.code === code)?.labels.en;
      await expect(text(`${row} th`)).resolves.toBe(label);
    }

    // The agenda: the chain, by its references and agencies, and why it is there.
    const chain = `#agenda tr[data-kind="redirectChains"][data-reference="${chainRoot}"]`;
    await expect(text(`${chain} [data-field="agencies"]`)).resolves.toBe(
      [
        'Randers Municipality, Vorup School',
        'Randers Municipality Social Services',
        'East Jutland Police, Randers',
        'Randers Municipality Social Services',
      ].join(' → '),
    );
    await expect(text(`${chain} [data-field="why"]`)).resolves.toMatch(
      /^Redirected 2 times since .+; the latest referral is not yet received\.$/,
    );
  });

  it('shows nothing of Redbridge', async () => {
    const visible = await page.evaluate<string>('document.body.innerText');
    expect(visible).not.toMatch(/redbridge|ilford/i);
    expect(visible).not.toContain('Person declined');
    expect(visible).not.toContain(en.sectors.health);
    expect(await page.$('[data-from-sector="health"], [data-to-sector="health"]')).toBeNull();
    expect(await page.$('[data-code="person-declined"]')).toBeNull();
    const html = await page.content();
    expect(html).not.toMatch(/redbridge|ilford/i);
  });

  it('shows counts under the threshold only as "<5", and draws none of them to scale', async () => {
    const counts = await page.evaluate<string[]>(
      `[...document.querySelectorAll('table [data-field]')]
        .filter((cell) => !['closedLoopRate', 'agencies', 'why'].includes(cell.dataset.field))
        .map((cell) => cell.textContent.trim())`,
    );
    expect(counts.length).toBeGreaterThan(50);
    expect(counts).toContain('<5');
    for (const count of counts) {
      expect([count, count === '<5' || (/^\d+$/.test(count) && Number(count) >= 5)]).toEqual([
        count,
        true,
      ]);
    }
    // Read back from the chart itself: a hidden flow is a hairline far below any shown flow.
    const links = await page.evaluate<{ value: number; shown: unknown }[]>(
      `echarts.getInstanceByDom(document.getElementById('sankey')).getOption().series[0].links`,
    );
    const drawn = links.filter((link) => typeof link.shown === 'number');
    const hidden = links.filter((link) => link.shown === '<5');
    expect(drawn.length).toBeGreaterThan(0);
    expect(hidden.length).toBeGreaterThan(0);
    const smallest = Math.min(...drawn.map((link) => link.value));
    for (const link of hidden) expect(link.value).toBeLessThan(smallest / 10);
  });

  it('speaks Danish, German and English, remembers the choice, and follows Accept-Language', async () => {
    const label = (code: string, language: 'en' | 'da' | 'de') =>
      codes.reasonCodes.find((value) => value.code === code)?.labels[language];
    for (const [language, words] of [
      ['da', da],
      ['de', de],
      ['en', en],
    ] as const) {
      await page.selectOption('#language', language);
      await expect(text('#flows-heading')).resolves.toBe(words.flows.heading);
      await expect(page.getAttribute('html', 'lang')).resolves.toBe(language);
      await expect(text('#reasons-table tr[data-code="not-eligible"] th')).resolves.toBe(
        label('not-eligible', language),
      );
      await expect(text('#trend-table thead th:nth-child(2)')).resolves.toBe(words.counts.made);
      await expect(text('#status')).resolves.toMatch(
        new RegExp(`^${words.status.loaded.slice(0, 5)}`),
      );
      if (language !== 'en') await shot(`03-language-${language}`);
      // Remembered: the page comes back in it, its fixed text written by the server.
      await page.reload();
      await expect(page.getAttribute('html', 'lang')).resolves.toBe(language);
      await expect(text('h1')).resolves.toBe(words.page.title);
      await loaded();
    }
    const cookie = (await context.cookies()).find((c) => c.name === 'insights_lang');
    expect(cookie?.value).toBe('en');

    // A first visit in a browser set to German or Danish is answered in that language.
    for (const [locale, words] of [
      ['de-DE', de],
      ['da-DK', da],
    ] as const) {
      const fresh = await browser.newContext({ locale });
      const visitor = await fresh.newPage();
      await visitor.goto(`${backbone.baseUrl}/insights`);
      await expect(visitor.textContent('#sign-in')).resolves.toBe(words.signIn.submit);
      await expect(visitor.getAttribute('html', 'lang')).resolves.toBe(locale.slice(0, 2));
      await fresh.close();
    }
  });

  it('can be used with the keyboard alone: every control is reached, and the form sent', async () => {
    await page.goto(`${backbone.baseUrl}/insights`);
    await loaded();
    const reached: string[] = [];
    for (let n = 0; n < 30; n++) {
      await page.keyboard.press('Tab');
      reached.push(await page.evaluate<string>(FOCUSED));
    }
    expect(reached[0]).toBe('skip');
    const controls = ['language', 'language-apply', 'sign-out', 'from', 'to', 'as-of'];
    const more = ['handover-days', 'apply', 'flows-csv', 'agenda-csv'];
    const order = [...controls, ...more].map((id) => reached.indexOf(id));
    expect(order.every((index) => index > 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);

    // Change a control and send the form with the keyboard.
    await page.focus('#handover-days');
    await page.keyboard.press('Control+A');
    await page.keyboard.type('30');
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>(FOCUSED)).toBe('apply');
    await page.keyboard.press('Enter');
    await page.waitForFunction(`window.location.search.includes('handoverDays=30')`);
    await loaded();
    await expect(text('#agenda-waitingHandovers')).resolves.toBe(
      en.agenda.waitingHandovers.heading.replace('{{days}}', '30'),
    );
  });

  it('offers the flows and the agenda as CSV, for the period shown', async () => {
    const start = new Date();
    start.setUTCDate(1);
    start.setUTCMonth(start.getUTCMonth() - 5);
    const from = start.toISOString().slice(0, 7);
    await page.fill('#from', from);
    await page.fill('#to', month());
    await page.click('#apply');
    await page.waitForFunction(`window.location.search.includes('from=${from}')`);
    await loaded();
    await expect(page.$$('#trend-table tbody tr')).resolves.toHaveLength(6);
    const flowsHref = (await page.getAttribute('#flows-csv', 'href')) as string;
    expect(flowsHref).toBe(`/v1/insights/flows?from=${from}&to=${month()}&format=csv`);
    const flows = await context.request.get(`${backbone.baseUrl}${flowsHref}`);
    expect(flows.status()).toBe(200);
    expect(flows.headers()['content-type']).toContain('text/csv');
    expect(flows.headers()['content-disposition']).toContain('attachment');
    const csv = await flows.text();
    expect(csv).toContain(`,${SCHOOL},education,${SOCIAL},social-care,`);
    expect(csv).not.toMatch(/redbridge/i);
    const agendaHref = (await page.getAttribute('#agenda-csv', 'href')) as string;
    const agenda = await context.request.get(`${backbone.baseUrl}${agendaHref}`);
    expect(agenda.status()).toBe(200);
    expect(await agenda.text()).toContain(chainRoot);
  });

  it('has no accessibility violations axe can find, in English and in Danish', async () => {
    for (const language of ['en', 'da']) {
      await page.selectOption('#language', language);
      const results = await new AxeBuilder({ page }).analyze();
      const violations = results.violations.map(
        (violation) =>
          `${language} ${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
      expect(violations).toEqual([]);
    }
    await page.selectOption('#language', 'en');
    await page.screenshot({ path: join(ARTIFACTS, '04-whole-page.png'), fullPage: true });
    // The sign-in form too, in a browser without a session.
    const fresh = await browser.newContext();
    const visitor = await fresh.newPage();
    await visitor.goto(`${backbone.baseUrl}/insights`);
    const signIn = await new AxeBuilder({ page: visitor }).analyze();
    expect(signIn.violations.map((violation) => violation.id)).toEqual([]);
    await fresh.close();
    expect(pageErrors).toEqual([]);
  });

  it('ends the session at sign-out, for the page and the API alike', async () => {
    const session = (await context.cookies()).find((c) => c.name === 'insights_session');
    await Promise.all([page.waitForURL(`${backbone.baseUrl}/insights`), page.click('#sign-out')]);
    await expect(text('#sign-in')).resolves.toBe(en.signIn.submit);
    const after = await fetch(`${backbone.baseUrl}/v1/insights/flows`, {
      headers: { cookie: `insights_session=${session?.value}` },
    });
    expect(after.status).toBe(401);
  });
});
