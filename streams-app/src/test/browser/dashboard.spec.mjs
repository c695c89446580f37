// Browser test of the navstream dashboard, in Debian's chromium driven by playwright-core.
//
//   NAVSTREAM_DASHBOARD_URL  base URL of a running server (required), e.g. http://127.0.0.1:8080/
//   NAVSTREAM_SCREENSHOT     where to save the screenshot (default streams-app/target/dashboard.png)
//   NAVSTREAM_CHROMIUM       the browser (default /usr/bin/chromium)
//   NAVSTREAM_FUND           a fund that must be listed (default BTC3L)
//   NAVSTREAM_FRONTEND_DIR   where `npm ci` put playwright-core (default src/main/frontend)
//
// Run: node --test streams-app/src/test/browser/dashboard.spec.mjs
// (DashboardBrowserIT runs it in ./mvnw verify.)
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const moduleDir = path.resolve(here, '../../..'); // streams-app
const frontendDir = process.env.NAVSTREAM_FRONTEND_DIR || path.join(moduleDir, 'src/main/frontend');
const baseUrl = process.env.NAVSTREAM_DASHBOARD_URL;
const screenshot = path.resolve(process.env.NAVSTREAM_SCREENSHOT || path.join(moduleDir, 'target/dashboard.png'));
const executablePath = process.env.NAVSTREAM_CHROMIUM || '/usr/bin/chromium';
const fund = process.env.NAVSTREAM_FUND || 'BTC3L';
const TIMEOUT = Number(process.env.NAVSTREAM_BROWSER_TIMEOUT_MS || 30_000);

// playwright-core is a devDependency of the front end, so `npm ci` there brings it.
const require = createRequire(path.join(frontendDir, 'package.json'));
let chromium;
try {
  ({ chromium } = require('playwright-core'));
} catch (e) {
  throw new Error(`playwright-core not found under ${frontendDir}/node_modules: run \`npm ci\` there (${e.message})`);
}
if (!baseUrl) throw new Error('NAVSTREAM_DASHBOARD_URL is not set: the base URL of a running navstream (or fake) server');
if (!existsSync(executablePath)) throw new Error(`${executablePath} not found: install Debian's chromium (apt-get install chromium)`);

let browser;
let page;
let userDataDir;
const problems = [];

before(async () => {
  userDataDir = mkdtempSync(path.join(tmpdir(), 'navstream-chromium-'));
  // launchPersistentContext is how playwright takes a user data dir (--user-data-dir in args is refused).
  browser = await chromium.launchPersistentContext(userDataDir, {
    executablePath,
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync',
    ],
    viewport: { width: 1440, height: 1000 },
    deviceScaleFactor: 1,
    timeout: TIMEOUT,
  });
  page = browser.pages()[0] || (await browser.newPage());
  page.setDefaultTimeout(TIMEOUT);
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') problems.push(`console error: ${m.text()}`); });
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  const res = await page.goto(new URL('/', baseUrl).toString(), { waitUntil: 'load' });
  assert.ok(res && res.ok(), `GET / answered ${res && res.status()}`);
});

after(async () => {
  await browser?.close();
  if (userDataDir) rmSync(userDataDir, { recursive: true, force: true });
});

const navCell = (id) => `#fund-rows tr[data-fund="${id}"] td.nav`;

test('every fund has a row, and the fund has a NAV', async () => {
  await page.waitForFunction((sel) => /\d/.test(document.querySelector(sel)?.textContent || ''), navCell(fund));
  const rows = await page.locator('#fund-rows tr[data-fund]').count();
  assert.ok(rows >= 1, 'no fund rows');
  const nav = (await page.locator(navCell(fund)).textContent()).trim();
  assert.match(nav, /^-?[\d,]+\.\d+$/, `${fund} NAV cell shows "${nav}"`);
  const lev = await page.locator(`#fund-rows tr[data-fund="${fund}"] .lev-val`).textContent();
  assert.match(lev, /\d×$/, `${fund} leverage shows "${lev}"`);
  assert.ok(await page.locator(`#fund-rows tr[data-fund="${fund}"] .levbar`).count(), 'no leverage bar');
});

test('the premium column shows a token premium where the token has a market price', async () => {
  // DashboardBrowserIT publishes market prices for BTC3L's token only.
  if (fund !== 'BTC3L') return;
  const cell = `#fund-rows tr[data-fund="${fund}"] td.premium`;
  await page.waitForFunction((sel) => /%/.test(document.querySelector(sel)?.textContent || ''), cell);
  assert.match((await page.locator(cell).textContent()).trim(), /^[+−]?[\d,]+\.\d{2}%$/);
  const other = (await page.locator('#fund-rows tr[data-fund="ETH2L"] td.premium').textContent()).trim();
  assert.equal(other, '—', 'a fund without market prices shows a dash');
});

test('the NAV chart renders on a canvas of non-zero size, with pixels drawn', async () => {
  await page.waitForFunction(() => {
    const c = document.querySelector('#chart canvas');
    return c && c.width > 0 && c.height > 0 && c.getBoundingClientRect().width > 0;
  });
  const box = await page.locator('#chart canvas').boundingBox();
  assert.ok(box && box.width > 100 && box.height > 100, `chart canvas is ${JSON.stringify(box)}`);
  // Something other than the background was drawn: the NAV line or at least the axes' grid.
  await page.waitForFunction(() => {
    const c = document.querySelector('#chart canvas');
    const px = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    let drawn = 0;
    for (let i = 3; i < px.length; i += 4 * 7) if (px[i] > 0) drawn++;
    return drawn > 50;
  });
});

test('the values update over time', async () => {
  const before = await page.evaluate(() => ({
    navs: [...document.querySelectorAll('#fund-rows td.nav')].map((td) => td.dataset.value).join('|'),
    asOf: document.getElementById('last-update').dateTime,
  }));
  // Fresh data: a NAV changes, or the data's latest event time moves on.
  await page.waitForFunction((b) => {
    const navs = [...document.querySelectorAll('#fund-rows td.nav')].map((td) => td.dataset.value).join('|');
    return navs !== b.navs || document.getElementById('last-update').dateTime !== b.asOf;
  }, before, { timeout: TIMEOUT, polling: 250 });
  assert.equal(await page.locator('#conn').textContent(), 'live');
});

test('the selected fund shows its recent rebalances and triggers', async () => {
  await page.locator(`#fund-rows tr[data-fund="${fund}"]`).click();
  await page.waitForFunction((id) => document.getElementById('rebalances-fund').textContent.includes(id), fund);
  await page.waitForFunction(() => document.querySelectorAll('#rebalance-rows tr').length > 0);
  const text = await page.locator('#rebalance-rows').textContent();
  assert.ok(text.trim().length > 0, 'empty rebalances table');
  assert.ok(await page.locator(`#fund-rows tr[data-fund="${fund}"].selected`).count(), 'row not selected');
});

test('screenshot', async () => {
  // Let the chart and the rows settle on the selected fund, then capture the whole page.
  await page.waitForFunction(() => !document.querySelector('.flash-up, .flash-down'), null, { polling: 100 }).catch(() => {});
  mkdirSync(path.dirname(screenshot), { recursive: true });
  await page.screenshot({ path: screenshot, fullPage: true, animations: 'disabled' });
  assert.ok(statSync(screenshot).size > 0, `empty screenshot ${screenshot}`);
  console.log(`screenshot: ${screenshot}`);
});

test('narrow screens: the page does not overflow horizontally', async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForFunction(() => document.documentElement.scrollWidth <= window.innerWidth + 1);
  const mobile = screenshot.replace(/\.png$/, '-mobile.png');
  await page.screenshot({ path: mobile, fullPage: false });
  await page.setViewportSize({ width: 1440, height: 1000 });
});

test('no page errors, console errors or failed requests', () => {
  assert.deepEqual(problems, []);
});
