// The evaluator's dashboard end to end (docs/web.md, "Admin"): an evaluator
// signs in, creates a study with two areas and a wave, opens it, makes two
// invitations as printable PDF letters (two pages per resident, the QR code
// of each front decodes to its link), a resident answers through the first
// link on a phone, the wave's live view counts the answer, the evaluator
// closes the wave, runs the evaluation and downloads the report. The admin
// pages the scenario visits are checked with axe-core (WCAG 2.1 A/AA).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  startServer, launchBrowser, newContext, newPage, phone, axeCheck, screenshot, noHorizontalScroll, fillToReview,
  tryghed,
} from '../lib/harness.mjs';

const env = {};
const password = 'korrekt hest batteri staple';

before(async () => {
  env.server = await startServer({ links: 0 });
  execFileSync(tryghed, ['user', 'add', 'eva', '--role', 'evaluator', '--db', env.server.db],
    { input: `${password}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
  env.browser = await launchBrowser();
});

after(async () => {
  await env.browser?.close();
  if (env.server) assert.equal(await env.server.stop(), 0, 'tryghed serve stops cleanly on SIGTERM');
});

// An admin page: one h1, no sideways scrolling on a laptop screen, no CSP
// violation or failed request, a screenshot, and axe-core clean.
async function checkAdminPage(page, context, name) {
  assert.equal(await page.locator('h1').count(), 1, `${name}: one h1`);
  await noHorizontalScroll(page, name);
  await screenshot(page, name);
  await axeCheck(page, name);
  assert.deepEqual(context.problems, [], `${name}: console errors, CSP violations or failed requests`);
}

async function submit(page, button) {
  await Promise.all([page.waitForNavigation(), page.locator(button).click()]);
}

// Runs `action`, which starts a download (an answer with Content-Disposition:
// attachment), and returns the saved file. Chromium reports the navigation
// that turned into the download as aborted; that one report is expected.
async function download(page, action) {
  const [file] = await Promise.all([page.waitForEvent('download'), action()]);
  const where = path.join(env.server.dir, file.suggestedFilename());
  await file.saveAs(where);
  const problems = page.context().problems;
  const aborted = problems.findIndex((p) => p.startsWith('request failed: ') && p.endsWith(' net::ERR_ABORTED'));
  if (aborted >= 0) problems.splice(aborted, 1);
  return where;
}

function run(program, args) {
  return execFileSync(program, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

test('an evaluator runs a wave from the browser: letters, an answer, the live view, the report', async () => {
  const context = await newContext(env.browser, { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await newPage(context);
  const base = env.server.base;

  // Sign in.
  await page.goto(`${base}/admin/login`);
  await checkAdminPage(page, context, 'admin-login');
  await page.locator('#name').fill('eva');
  await page.locator('#password').fill(password);
  await submit(page, 'button[type="submit"].primary');
  assert.equal(new URL(page.url()).pathname, '/admin');

  // A study, two areas, a wave opened today.
  await page.locator('#study_name').fill('Browserprøve');
  await submit(page, 'section[aria-labelledby="create-study"] button[type="submit"]');
  const studyPath = new URL(page.url()).pathname;
  assert.match(studyPath, /^\/admin\/study\/\d+$/);
  for (const [name, role, population] of [['Nordparken', 'pilot', '400'], ['Sydparken', 'comparison', '500']]) {
    await page.locator('#area_name').fill(name);
    await page.locator('#role').selectOption(role);
    await page.locator('#population').fill(population);
    await submit(page, `form[action="${studyPath}/area"] button[type="submit"]`);
  }
  const today = new Date().toISOString().slice(0, 10);
  await page.locator('#wave_label').fill('Baseline');
  await page.locator('#starts_on').fill(today);
  await page.locator('#questionnaire').selectOption('builtin:tryghed-standard');
  await submit(page, `form[action="${studyPath}/wave"] button[type="submit"]`);
  await submit(page, 'button:has-text("Åbn bølgen Baseline")');
  await checkAdminPage(page, context, 'admin-study');

  // The wave page, before any answer.
  await submit(page, 'a:has-text("Baseline")');
  const wavePath = new URL(page.url()).pathname;
  assert.match(wavePath, /^\/admin\/study\/\d+\/wave\/\d+$/);
  await checkAdminPage(page, context, 'admin-wave-empty');

  // Two invitations for Nordparken as PDF letters.
  await page.locator('#invite_area').selectOption({ label: 'Nordparken' });
  await page.locator('#invite_count').fill('2');
  await page.locator('#invite_format').selectOption('pdf');
  const pdf = await download(page, () => page.locator('form[action$="/invitations"] button[type="submit"]').click());
  assert.equal(readFileSync(pdf).subarray(0, 5).toString(), '%PDF-');
  // letters.h: every resident gets one A4 sheet of two pages (Danish front,
  // the other languages on the back), so two residents are four pages.
  const info = run('pdfinfo', [pdf]);
  assert.match(info, /^Pages:\s+4$/m, info);
  assert.match(info, /\(A4\)/, info);
  // The fronts (pages 1 and 3) carry the QR codes of the two links.
  const links = [];
  for (const p of [1, 3]) {
    const png = path.join(env.server.dir, `letter-page-${p}`);
    run('pdftoppm', ['-f', String(p), '-l', String(p), '-r', '150', '-png', '-singlefile', pdf, png]);
    const decoded = run('zbarimg', ['--quiet', '--raw', `${png}.png`]).trim();
    assert.match(decoded, new RegExp(`^${base.replace(/[.]/g, '\\.')}/s/[0-9a-z]{26}$`), decoded);
    links.push(decoded);
  }
  assert.notEqual(links[0], links[1], 'every resident has a link of their own');

  // A resident answers through the first letter's link, on a phone.
  const resident = await newContext(env.browser, phone);
  const form = await newPage(resident);
  assert.equal((await form.goto(links[0])).status(), 200);
  await fillToReview(form, resident, { prefix: 'evaluator-resident', check: false });
  await submit(form, 'button[name="action"][value="submit"]');
  await form.locator('h1', { hasText: 'Tak for dine svar' }).waitFor({ timeout: 5000 });
  await resident.close();

  // The live view counts it: one response in Nordparken, complete; the
  // response rate of Nordparken's two invitations is 1 / 2 = 50 %.
  await page.goto(`${base}${wavePath}`);
  const completion = page.locator('table[aria-labelledby="completion"]');
  const nord = completion.locator('tr', { hasText: 'Nordparken' }).locator('td');
  assert.deepEqual(await nord.allInnerTexts(), ['Nordparken', '1', '1', '0', '100\u00a0%']);
  const rates = page.locator('table[aria-labelledby="rates"]').locator('tr', { hasText: 'Nordparken' });
  assert.deepEqual((await rates.locator('td').allInnerTexts()).slice(0, 2), ['Nordparken', '2']);
  assert.equal(await rates.locator('td').nth(8).innerText(), '50,0\u00a0%');
  assert.equal(await page.locator('section[aria-labelledby="live"] figure svg').count(), 1, 'the daily chart');
  await checkAdminPage(page, context, 'admin-wave-live');

  // Close the wave, run the evaluation, download the report.
  await page.goto(`${base}${studyPath}`);
  await submit(page, 'button:has-text("Luk bølgen Baseline")');
  await submit(page, 'button:has-text("Kør evalueringen nu")');
  assert.equal(new URL(page.url()).pathname, `${studyPath}/report`);
  assert.match(await page.locator('h1').first().innerText(), /Browserprøve/);
  await screenshot(page, 'admin-report');
  await page.goto(`${base}${studyPath}`);
  const report = await download(page, () => page.locator('a:has-text("Hent rapporten (HTML)")').click());
  const html = readFileSync(report, 'utf8');
  assert.match(html, /^<!DOCTYPE html>/i);
  assert.match(html, /Browserprøve/);
  await context.close();
});
