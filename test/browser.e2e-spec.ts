import { existsSync, mkdirSync } from 'fs';
import { join } from 'path';
import { Browser, chromium, Page } from 'playwright-core';
import { QUEUES } from '../apps/matchmaking/src/jobs/job-names';
import { apiKey, startApp, TestApp } from './support/test-app';

const REPORTS = join(__dirname, '../reports');
/** Debian's chromium package; CHROMIUM_PATH points elsewhere. */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** A real headless Chromium on /docs and /internal/jobs: what an operator sees, with no console error. */
describe('in a real browser', () => {
  let t: TestApp;
  let browser: Browser;
  const consoleErrors: string[] = [];
  const external = new Set<string>();

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(
        `BROWSER CHECK CANNOT RUN: no Chromium at ${CHROMIUM}. Install it (apt-get install chromium; .ci/run does) ` +
          'or set CHROMIUM_PATH. This test fails rather than pass without a browser.',
      );
    }
    mkdirSync(REPORTS, { recursive: true });
    t = await startApp();
    // Root in a container has no user namespace for Chromium's sandbox.
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox'] });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });
  afterEach(() => {
    expect(consoleErrors).toEqual([]);
    consoleErrors.length = 0;
  });

  const open = async (headers: Record<string, string> = {}): Promise<Page> => {
    const context = await browser.newContext({ extraHTTPHeaders: headers, viewport: { width: 1280, height: 900 } });
    // This sandbox (and many clusters) cannot reach the internet: other origins are answered empty and
    // recorded, so the one known external request (bull-board's web font) is asserted, not a console error.
    await context.route(
      (url) => url.origin !== new URL(t.url).origin,
      async (route) => {
        external.add(route.request().url());
        await route.fulfill({ status: 200, contentType: 'text/css', body: '' });
      },
    );
    const page = await context.newPage();
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(`console: ${m.text()}`));
    page.on('response', (r) => r.status() >= 400 && consoleErrors.push(`HTTP ${r.status()}: ${r.url()}`));
    page.on('pageerror', (e) => consoleErrors.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => consoleErrors.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
    return page;
  };

  it('opens /docs, expands the join operation and shows its request schema', async () => {
    const page = await open();
    await page.goto(`${t.url}/docs`, { waitUntil: 'networkidle' });
    const join = page.locator('.opblock-post', { hasText: '/v1/matchmaking/queue' }).filter({
      has: page.locator('.opblock-summary-path', { hasText: /^\/v1\/matchmaking\/queue$/ }),
    });
    await join.locator('.opblock-summary').click();
    await join.locator('.opblock-body').waitFor();
    // The request body's schema tab lists the join fields.
    await join.locator('[data-name="model"], button:has-text("Schema")').first().click();
    const body = join.locator('.opblock-section-request-body');
    await body.getByText('time_control', { exact: false }).first().waitFor();
    await body.getByText('region', { exact: false }).first().waitFor();
    await page.screenshot({ path: join_(REPORTS, 'browser-docs-join.png'), fullPage: false });
  });

  it('opens /internal/jobs with the operator key and sees the three queues', async () => {
    const denied = await open();
    const refused = await denied.goto(`${t.url}/internal/jobs`, { waitUntil: 'networkidle' });
    expect(refused?.status()).toBe(401);
    await denied.context().close();
    consoleErrors.length = 0; // the browser logs the refused page's 401 (and its favicon's 404) itself

    const page = await open(apiKey);
    const res = await page.goto(`${t.url}/internal/jobs`, { waitUntil: 'networkidle' });
    expect(res?.status()).toBe(200);
    for (const name of Object.values(QUEUES)) await page.getByText(name, { exact: true }).first().waitFor();
    expect(Object.values(QUEUES)).toHaveLength(3);
    expect([...external].map((u) => new URL(u).host)).toEqual(['fonts.googleapis.com']);
    await page.screenshot({ path: join_(REPORTS, 'browser-jobs-dashboard.png'), fullPage: false });
  });
});

const join_ = join;
