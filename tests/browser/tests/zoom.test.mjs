// 200 % zoom: a 1280 × 800 screen at 200 % lays the page out in 640 × 400 CSS
// pixels at two device pixels each, and WCAG 2.1's reflow criterion (1.4.10)
// asks for 320 CSS pixels (400 %). The form page, a long page (the places
// list), the review and the thank-you page must not scroll sideways, through
// the open link (channel "open").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  setUp, newContext, newPage, checkPage, fillToReview,
} from '../lib/harness.mjs';

const env = setUp({ links: 1 });

for (const [label, options] of [
  ['zoom200', { viewport: { width: 640, height: 400 }, deviceScaleFactor: 2 }],
  ['reflow320', { viewport: { width: 320, height: 256 }, deviceScaleFactor: 4 }],
]) {
  test(`${label}: every page reflows without horizontal scrolling`, async () => {
    const context = await newContext(env.browser, options);
    const page = await newPage(context);
    const r = await page.goto(env.server.open);
    assert.equal(r.status(), 200);
    assert.match(page.url(), /\/o\/[^/]+\/[^/]+$/, 'the open link makes a form instance');
    await fillToReview(page, context, { prefix: `${label}`, lang: 'da', dir: 'ltr' });
    await checkPage(page, context, { name: `${label}-review`, lang: 'da', dir: 'ltr' });
    await Promise.all([page.waitForNavigation(), page.locator('button[name="action"][value="submit"]').click()]);
    await checkPage(page, context, { name: `${label}-thanks`, lang: 'da', dir: 'ltr' });
    await context.close();
  });
}
