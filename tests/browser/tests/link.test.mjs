// Link mode on a phone: a resident opens the invitation link from a letter,
// answers every page in Danish (or switches to Arabic on the first page),
// reviews and sends; the response is stored once and the link then says
// "already answered". Every page is checked with axe-core (WCAG 2.1 A/AA).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  setUp, newContext, newPage, phone, checkPage, answerPage, fillToReview, exportResponses,
} from '../lib/harness.mjs';

const env = setUp({ links: 3 });

async function submitReview(page, context, { prefix, lang, dir, thanks }) {
  await checkPage(page, context, { name: `${prefix}-review`, lang, dir });
  await Promise.all([page.waitForNavigation(), page.locator('button[name="action"][value="submit"]').click()]);
  await assert.doesNotReject(page.locator('h1', { hasText: thanks }).waitFor({ timeout: 5000 }),
    `${prefix}: the thank-you page after submitting`);
  await checkPage(page, context, { name: `${prefix}-thanks`, lang, dir });
}

test('Danish: complete the survey from an invitation link on a phone', async () => {
  const context = await newContext(env.browser, phone);
  const page = await newPage(context);
  const link = env.server.invitations[0];
  const response = await page.goto(link);
  assert.equal(response.status(), 200);
  assert.equal(response.headers()['cache-control'], 'no-store');
  assert.match(await page.locator('.progress-text').innerText(), /^Side 1 af \d+$/);

  const answered = await fillToReview(page, context, { prefix: 'link-da', lang: 'da', dir: 'ltr' });
  // Every question answered with its first option; the review shows none unanswered,
  // and V5 (asked when V1-V4 has a "yes") and S2 (when S1 is "yes") were reached.
  assert.ok(answered.includes('T1') && answered.includes('B4'), `answered: ${answered}`);
  assert.equal(await page.locator('.not-answered').count(), 0, 'every answered question shows its answer');
  await submitReview(page, context, { prefix: 'link-da', lang: 'da', dir: 'ltr', thanks: 'Tak for dine svar' });

  // A reload or a second visit while the server remembers the form: the
  // thank-you page again, never the form.
  const again = await page.goto(link);
  assert.equal(again.status(), 200);
  await assert.doesNotReject(page.locator('h1', { hasText: 'Tak for dine svar' }).waitFor({ timeout: 5000 }));
  assert.equal(await page.locator('form input:checked').count(), 0);

  const rows = exportResponses(env.server);
  assert.equal(rows.length, env.storedBefore + 1, 'exactly one new response is stored');
  await context.close();
});

test('Arabic: switch language on the first page, answers kept, right-to-left', async () => {
  const context = await newContext(env.browser, phone);
  const page = await newPage(context);
  const link = env.server.invitations[1];
  await page.goto(link);
  await checkPage(page, context, { name: 'link-ar-first-da', lang: 'da', dir: 'ltr' });
  const ids = await answerPage(page);
  assert.ok(ids.length > 0);

  // The language buttons submit the page: the answers stay.
  await Promise.all([page.waitForNavigation(), page.locator('button[name="lang"][value="ar"]').click()]);
  assert.equal(await page.locator('html').getAttribute('dir'), 'rtl');
  assert.equal(await page.locator('html').getAttribute('lang'), 'ar');
  for (const id of ids) {
    assert.equal(await page.locator(`#q-${id} label.option input`).first().isChecked(), true,
      `answer to ${id} kept after changing language`);
  }
  assert.match(await page.locator('.progress-text').innerText(), /^الصفحة 1 من \d+$/);
  // Right-to-left for real: the primary button ("next") sits at the left of
  // "back" on a later page, and text starts at the right edge.
  const align = await page.locator('main h1').evaluate((e) => getComputedStyle(e).direction);
  assert.equal(align, 'rtl');

  await fillToReview(page, context, { prefix: 'link-ar', lang: 'ar', dir: 'rtl' });
  await submitReview(page, context, { prefix: 'link-ar', lang: 'ar', dir: 'rtl', thanks: 'شكرًا على إجاباتك' });

  const rows = exportResponses(env.server);
  assert.equal(rows.length, env.storedBefore + 2, 'the Arabic response is stored too');
  await context.close();
});

test('after a restart: the answers are stored, used links say "already answered"', async () => {
  await env.server.restart();
  assert.equal(exportResponses(env.server).length, env.storedBefore + 2, 'both responses survived the restart');
  const context = await newContext(env.browser, phone);
  const page = await newPage(context);
  const path0 = new URL(env.server.invitations[0]).pathname;
  const path1 = new URL(env.server.invitations[1]).pathname;
  const r = await page.goto(env.server.base + path0);
  assert.equal(r.status(), 200);
  await assert.doesNotReject(page.locator('h1', { hasText: 'Du har allerede svaret' }).waitFor({ timeout: 5000 }));
  await checkPage(page, context, { name: 'link-da-already-answered', lang: 'da', dir: 'ltr' });
  await page.goto(`${env.server.base}${path1}?lang=ar`);
  await assert.doesNotReject(page.locator('h1', { hasText: 'لقد أجبت بالفعل' }).waitFor({ timeout: 5000 }));
  await checkPage(page, context, { name: 'link-ar-already-answered', lang: 'ar', dir: 'rtl' });
  await context.close();
});

test('resume: a half-filled form continues from the same link in a new browser', async () => {
  const link = env.server.invitations[2];
  const first = await newContext(env.browser, phone);
  const page = await newPage(first);
  await page.goto(env.server.base + new URL(link).pathname);
  const ids = await answerPage(page);
  await Promise.all([page.waitForNavigation(), page.locator('button[name="action"][value="next"]').click()]);
  assert.match(await page.locator('.progress-text').innerText(), /^Side 2 af/);
  await first.close();

  // Another device, after the server restarted: the draft was in the database.
  await env.server.restart();
  const second = await newContext(env.browser, phone);
  const again = await newPage(second);
  await again.goto(env.server.base + new URL(link).pathname);
  assert.match(await again.locator('.progress-text').innerText(), /^Side 2 af/, 'resumes at the page left');
  await Promise.all([again.waitForNavigation(), again.locator('button[name="action"][value="back"]').click()]);
  for (const id of ids) {
    assert.equal(await again.locator(`#q-${id} label.option input`).first().isChecked(), true, `draft kept ${id}`);
  }
  assert.equal(exportResponses(env.server).length, env.storedBefore + 2, 'a draft is not a response');
  await second.close();
});

test('404 page for an unknown link', async () => {
  const context = await newContext(env.browser, phone);
  const page = await newPage(context);
  const response = await page.goto(`${env.server.base}/s/this-is-not-a-token`);
  assert.equal(response.status(), 404);
  // The 404 itself is reported as a console error by chromium; it is expected here.
  context.problems.length = 0;
  await checkPage(page, context, { name: 'not-found', lang: 'da', dir: 'ltr' });
  await context.close();
});
