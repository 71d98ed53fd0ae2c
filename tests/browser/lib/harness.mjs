// Shared helpers of the browser tests: a real `tryghed serve` on a fresh demo
// database, Debian's chromium through playwright-core, axe-core checks and
// screenshots. Environment:
//   TRYGHED_BINARY              the tryghed program (required; run.sh sets it)
//   TRYGHED_BROWSER_ARTIFACTS   folder for screenshots (default tests/browser/artifacts)
//   CHROMIUM                    the browser (default /usr/bin/chromium)
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, writeFileSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export const tryghed = process.env.TRYGHED_BINARY;
export const artifacts = process.env.TRYGHED_BROWSER_ARTIFACTS || path.join(here, '..', 'artifacts');

// A phone-sized screen (an ordinary modern phone, CSS pixels).
export const phone = { viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };

// Settings for the server under test: short kiosk timers so the idle reset and
// the thank-you screen can be watched in seconds, no submission interval.
const kioskSettings = {
  'kiosk.idle_seconds': 20,
  'kiosk.thanks_seconds': 6,
  'kiosk.min_interval_seconds': 0,
};

function run(args) {
  return execFileSync(tryghed, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

// Creates the demo study in a fresh folder and starts `tryghed serve` on a
// free loopback port with `--print-links`. Returns the printed links.
export async function startServer({ links = 3 } = {}) {
  assert.ok(tryghed, 'TRYGHED_BINARY must name the tryghed program');
  const dir = mkdtempSync(path.join(tmpdir(), 'tryghed-browser-'));
  const db = path.join(dir, 't.db');
  run(['demo', '--db', db]);
  const config = path.join(dir, 'serve.properties');
  writeFileSync(config, Object.entries(kioskSettings).map(([k, v]) => `${k} = ${v}\n`).join(''));
  const server = { db, dir };
  Object.assign(server, await serve(db, config, links));
  assert.equal(server.invitations.length, links, `expected ${links} invitation links`);
  // Stops the server (SIGTERM) and starts a new one on the same database, on a
  // new port: what is in the server's memory is gone, what was committed stays.
  server.restart = async () => {
    assert.equal(await server.process.stop(), 0, 'tryghed serve stops cleanly on SIGTERM');
    const next = await serve(db, config, 0);
    server.base = next.base;   // the links printed at the start stay valid: use their paths
    server.process = next.process;
  };
  server.stop = async () => {
    const code = await server.process.stop();
    rmSync(dir, { recursive: true, force: true });
    return code;
  };
  return server;
}

async function serve(db, config, links) {
  const child = spawn(tryghed, ['serve', '--db', db, '--config', config, '--host', '127.0.0.1', '--port', '0',
    '--study', 'demo', '--print-links', String(links)], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => { err += d; });
  const exited = new Promise((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`tryghed serve did not start in 30 s:\n${out}\n${err}`)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      if (/^\s*admin: /m.test(out)) { clearTimeout(timer); resolve(); }
    });
    exited.then(({ code }) => { clearTimeout(timer); reject(new Error(`tryghed serve exited ${code}:\n${out}\n${err}`)); });
  });
  return {
    base: out.match(/ on (http:\/\/[^\s]+) /)[1],
    invitations: [...out.matchAll(/invitation link: (\S+)/g)].map((m) => m[1]),
    kioskSetup: out.match(/kiosk set-up[^:]*: (\S+)/)?.[1],
    open: out.match(/open link: (\S+)/)?.[1],
    process: {
      async stop() {
        child.kill('SIGTERM');
        return (await exited).code;
      },
    },
  };
}

// The responses stored in the database, from `tryghed export` (CSV of the study).
export function exportResponses(server, outDir) {
  const file = path.join(outDir ?? server.dir, 'responses.csv');
  run(['export', '--db', server.db, '--study', 'demo', '--format', 'csv', '--out', file]);
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const columns = header.split(',');
  return rows.map((r) => Object.fromEntries(r.split(',').map((v, i) => [columns[i], v])));
}

// Registers the hooks of a test file: a server (startServer) and a browser
// before its tests, both stopped after them. Returns { server, browser,
// storedBefore }, filled in when the tests run.
export function setUp({ links }) {
  const env = {};
  before(async () => {
    env.server = await startServer({ links });
    env.storedBefore = exportResponses(env.server).length; // the demo study's responses
    env.browser = await launchBrowser();
  });
  after(async () => {
    await env.browser?.close();
    if (env.server) assert.equal(await env.server.stop(), 0, 'tryghed serve stops cleanly on SIGTERM');
  });
  return env;
}

// Debian's chromium, headless, no sandbox (containers), no background traffic.
export async function launchBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-default-apps',
      '--disable-sync',
      '--disable-domain-reliability',
      '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication',
      '--metrics-recording-only',
      '--no-first-run',
      '--no-pings',
    ],
  });
}

// A new browser context; every page in it records Content-Security-Policy
// violations and failed subresources, which `checkPage` asserts are absent.
export async function newContext(browser, options = {}) {
  const context = await browser.newContext({ locale: 'da-DK', ...options });
  context.problems = [];
  context.on('page', (page) => watch(page, context.problems));
  return context;
}

function watch(page, problems) {
  page.on('console', (msg) => {
    // Chromium asks for /favicon.ico by itself; the form has none (a 404).
    if (msg.type() === 'error' && !msg.location()?.url?.endsWith('/favicon.ico')) {
      problems.push(`console error on ${page.url()}: ${msg.text()} (${msg.location()?.url})`);
    }
  });
  page.on('pageerror', (e) => problems.push(`script error on ${page.url()}: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('response', (r) => {
    if (r.status() >= 400 && r.request().resourceType() !== 'document' && !r.url().endsWith('/favicon.ico')) {
      problems.push(`${r.status()} for ${r.url()}`);
    }
  });
}

export async function newPage(context) {
  return context.newPage(); // watched through the context's 'page' event
}

// Runs axe-core in the page (WCAG 2.1 A and AA) and asserts no violations.
// axe is evaluated through the DevTools protocol, so the page's
// Content-Security-Policy (no script at all) stays in force.
export async function axeCheck(page, label) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      resultTypes: ['violations'] }));
  const violations = result.violations.map((v) =>
    `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 5).map((n) => n.target.join(' ') + ' — ' + n.failureSummary.replace(/\n/g, ' ')).join('\n    ')}`);
  assert.deepEqual(violations, [], `axe-core found WCAG 2.1 A/AA violations on ${label} (${page.url()})`);
  return result;
}

export async function screenshot(page, name) {
  mkdirSync(artifacts, { recursive: true });
  const file = path.join(artifacts, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

// Everything a page of the form must satisfy: axe-core clean, a screenshot,
// one h1, the expected lang/dir, no horizontal scrolling, no CSP violation or
// failed request, touch targets at least 44 CSS px high.
// With `deferred` (an array), an axe-core failure is added to it instead of
// thrown, so a scenario can finish its other checks first and assert the
// collected failures at its end.
export async function checkPage(page, context, { name, lang, dir = 'ltr', deferred }) {
  const h1 = await page.locator('h1').count();
  assert.equal(h1, 1, `${name}: one h1 per page`);
  if (lang) {
    assert.equal(await page.locator('html').getAttribute('lang'), lang, `${name}: html lang`);
    assert.equal(await page.locator('html').getAttribute('dir'), dir, `${name}: html dir`);
  }
  await noHorizontalScroll(page, name);
  const small = await page.evaluate(() => [...document.querySelectorAll('button, a.button, label.option')]
    .filter((e) => e.offsetParent !== null)
    .map((e) => ({ text: e.textContent.trim().slice(0, 40), h: e.getBoundingClientRect().height }))
    .filter((t) => t.h < 44));
  assert.deepEqual(small, [], `${name}: touch targets lower than 44 CSS px`);
  await screenshot(page, name);
  try {
    await axeCheck(page, name);
  } catch (e) {
    if (!deferred) throw e;
    deferred.push(e.message);
  }
  assert.deepEqual(context.problems, [], `${name}: console errors, CSP violations or failed requests`);
}

export async function noHorizontalScroll(page, name) {
  const { scroll, client } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${name}: the page scrolls sideways (${scroll} px content in ${client} px)`);
}

// On a form page: chooses the first option of every question (first box of
// a multi-choice question); returns the item ids answered.
export async function answerPage(page) {
  const ids = await page.locator('fieldset.question').evaluateAll((fs) => fs.map((f) => f.id.slice(2)));
  for (const id of ids) {
    await page.locator(`#q-${id} label.option input`).first().check();
  }
  return ids;
}

export function isReview(page) {
  return page.locator('button[name="action"][value="submit"]').count().then((n) => n > 0);
}

// Walks a survey from its current page to the review page, answering every
// question and checking every page. Returns the ids answered.
export async function fillToReview(page, context, { prefix, lang, dir, check = true }) {
  const answered = [];
  for (let i = 1; i <= 30 && !(await isReview(page)); ++i) {
    if (check) await checkPage(page, context, { name: `${prefix}-page${i}`, lang, dir });
    answered.push(...(await answerPage(page)));
    await Promise.all([page.waitForNavigation(), page.locator('button[name="action"][value="next"]').click()]);
  }
  assert.ok(await isReview(page), `${prefix}: reached the review page`);
  return answered;
}
