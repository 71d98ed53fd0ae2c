// Kiosk mode on a tablet: the set-up link stores the kiosk's secret as a
// cookie; the start screen offers the languages; an idle form is cleared and
// the screen returns to the start by itself; after submitting, the thank-you
// screen returns to the start and the back button never shows the previous
// resident's answers. The server runs with kiosk.idle_seconds = 20 and
// kiosk.thanks_seconds = 6 (lib/harness.mjs).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  setUp, newContext, newPage, checkPage, answerPage, fillToReview, exportResponses, screenshot,
} from '../lib/harness.mjs';

const tablet = { viewport: { width: 800, height: 1280 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true };
const env = setUp({ links: 1 });

async function expectStart(page, name, timeout = 5000) {
  await assert.doesNotReject(page.locator('h1', { hasText: 'Velkommen' }).waitFor({ timeout }),
    `${name}: the start screen`);
  assert.equal(await page.locator('button[name="lang"]').count(), 3, `${name}: one start button per language`);
}

// Nothing a previous resident chose may be visible.
async function expectNoAnswers(page, name) {
  assert.equal(await page.locator('input:checked').count(), 0, `${name}: no chosen answer visible`);
  assert.equal(await page.locator('dl.review').count(), 0, `${name}: no review of answers visible`);
}

test('kiosk: start screen, language choice, idle reset, back button after submitting', async () => {
  const context = await newContext(env.browser, tablet);
  const page = await newPage(context);
  // axe-core failures are collected and asserted at the end, after the
  // kiosk's behaviour has been checked.
  const axeFailures = [];
  const setup = await page.goto(env.server.kioskSetup);
  assert.equal(setup.status(), 200);
  const kioskUrl = env.server.kioskSetup.replace(/\/setup\?.*$/, '');
  assert.equal(page.url(), kioskUrl, 'the set-up link leads to the kiosk');
  await expectStart(page, 'start');
  await checkPage(page, context, { name: 'kiosk-start', lang: 'da', dir: 'ltr', deferred: axeFailures });
  // Every language greets on the start screen, each marked with its lang and dir.
  assert.equal(await page.locator('main p[lang="ar"][dir="rtl"]').count(), 1);

  // Language choice: Arabic.
  await Promise.all([page.waitForNavigation(), page.locator('button[name="lang"][value="ar"]').click()]);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  await screenshot(page, 'kiosk-ar-page1');
  await answerPage(page);
  await Promise.all([page.waitForNavigation(), page.locator('button[name="action"][value="next"]').click()]);
  const idleStart = Date.now(); // the last request: the server's idle clock and the page's refresh start here
  // The kiosk's form page (with its idle refresh) passes the same checks as
  // the link mode's pages (link.test.mjs).
  await checkPage(page, context, { name: 'kiosk-ar-page2', lang: 'ar', dir: 'rtl', deferred: axeFailures });
  await answerPage(page);
  await screenshot(page, 'kiosk-ar-page2-half-filled');

  // Idle: nobody touches the screen. After kiosk.idle_seconds the page warns
  // ("are you still there?", with a button for more time: WCAG 2.2.1); nobody
  // answers, so 20 seconds later it returns to the start and the form is gone.
  await assert.doesNotReject(page.locator('[role="alertdialog"] button').waitFor({ timeout: 40000 }));
  await checkPage(page, context, { name: 'kiosk-idle-warning', lang: 'ar', dir: 'rtl', deferred: axeFailures });
  await expectStart(page, 'after idle', 45000);
  const waited = (Date.now() - idleStart) / 1000;
  assert.ok(waited >= 10, `the idle reset waited for kiosk.idle_seconds = 20 (${waited} s)`);
  await expectNoAnswers(page, 'after idle');
  await screenshot(page, 'kiosk-after-idle');
  // The back button cannot bring the half-filled form back.
  for (let i = 0; i < 3; ++i) {
    await page.goBack();
    await expectNoAnswers(page, `after idle, back ${i + 1}`);
  }

  // A full answer in Danish; submit; thank-you; back to start.
  await page.goto(kioskUrl);
  await expectStart(page, 'second resident');
  const before = exportResponses(env.server).length;
  await Promise.all([page.waitForNavigation(), page.locator('button[name="lang"][value="da"]').click()]);
  await expectNoAnswers(page, 'fresh form after idle reset');
  await fillToReview(page, context, { prefix: 'kiosk-da', check: false });
  await checkPage(page, context, { name: 'kiosk-da-review', lang: 'da', dir: 'ltr', deferred: axeFailures });
  await Promise.all([page.waitForNavigation(), page.locator('button[name="action"][value="submit"]').click()]);
  await assert.doesNotReject(page.locator('h1', { hasText: 'Tak for dine svar' }).waitFor({ timeout: 5000 }));
  await checkPage(page, context, { name: 'kiosk-da-thanks', lang: 'da', dir: 'ltr', deferred: axeFailures });
  assert.equal(exportResponses(env.server).length, before + 1, 'the kiosk response is stored');
  await expectStart(page, 'after thank-you', 20000);

  // The back button walks through the previous resident's pages' history
  // entries: every one of them shows the start (or thank-you) screen, never
  // the answers.
  for (let i = 0; i < 6; ++i) {
    const r = await page.goBack();
    if (r === null && i > 0) break;
    await expectNoAnswers(page, `after submitting, back ${i + 1}`);
    await screenshot(page, `kiosk-back-${i + 1}`);
  }
  await context.close();
  assert.deepEqual(axeFailures, [], 'axe-core (WCAG 2.1 A/AA) on the kiosk pages');
});

test('kiosk: without the set-up cookie the screen is refused', async () => {
  const context = await newContext(env.browser, tablet);
  const page = await newPage(context);
  const kioskUrl = env.server.kioskSetup.replace(/\/setup\?.*$/, '');
  const r = await page.goto(kioskUrl);
  assert.equal(r.status(), 403);
  context.problems.length = 0; // chromium logs the 403 as a console error
  await checkPage(page, context, { name: 'kiosk-not-set-up', lang: 'da', dir: 'ltr' });
  await context.close();
});
