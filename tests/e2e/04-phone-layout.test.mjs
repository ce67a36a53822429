// At 360 × 740 the signed-in pages fit the screen, the menu button opens the navigation,
// and the keyboard reaches its items.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, bg, expectAccessible, openPage, PHONE, scrollWidth, useServerAndBrowser, waitForPath,
} from './harness.mjs';

const setup = useServerAndBrowser();

test('phone layout: no horizontal scroll, menu button, keyboard', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(setup.browser, { viewport: PHONE });
  await page.goto(`${setup.server.baseUrl}/login`);
  assert.ok((await scrollWidth(page)) <= PHONE.width, 'login fits 360 px');
  await expectAccessible(page, 'login (phone)');

  await activateAdministrator(page, setup.server, {
    check: (label) => expectAccessible(page, `${label} (phone)`),
  });
  await page.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();
  assert.ok((await scrollWidth(page)) <= PHONE.width, `dashboard fits 360 px (scrollWidth ${await scrollWidth(page)})`);

  const menu = page.getByRole('button', { name: bg['layout.menu'] });
  const nav = page.locator('#main-nav');
  assert.equal(await menu.getAttribute('aria-expanded'), 'false');
  assert.equal(await nav.isVisible(), false, 'navigation is folded away');
  await expectAccessible(page, 'dashboard (phone, menu closed)');

  await menu.click();
  assert.equal(await menu.getAttribute('aria-expanded'), 'true');
  await nav.getByRole('link', { name: bg['nav.home'] }).waitFor();
  assert.ok((await scrollWidth(page)) <= PHONE.width, 'open menu fits 360 px');
  await expectAccessible(page, 'dashboard (phone, menu open)');

  // From the menu button, Tab walks into the navigation.
  await menu.focus();
  let reached = null;
  for (let i = 0; i < 25 && !reached; i++) {
    await page.keyboard.press('Tab');
    reached = await page.evaluate(() => {
      const el = document.activeElement;
      return el && el.closest('#main-nav') ? el.textContent : null;
    });
  }
  assert.ok(reached, 'Tab reaches a link in the navigation');

  // Keyboard only: follow the People link with Enter.
  for (let i = 0; i < 25; i++) {
    const text = await page.evaluate(() => document.activeElement?.textContent ?? '');
    if (text === bg['nav.people']) break;
    await page.keyboard.press('Tab');
  }
  await page.keyboard.press('Enter');
  await waitForPath(page, '/admin/people');
  await page.locator('#people-table').waitFor();
  assert.equal(await menu.getAttribute('aria-expanded'), 'false', 'the menu closes after navigating');
  assert.ok((await scrollWidth(page)) <= PHONE.width, 'people page fits 360 px');
  await expectAccessible(page, 'people (phone)');

  await page.goto(`${setup.server.baseUrl}/profile`);
  await page.getByRole('heading', { level: 1, name: bg['profile.title'] }).waitFor();
  await page.getByRole('heading', { name: bg['sessions.title'] }).waitFor();
  assert.ok((await scrollWidth(page)) <= PHONE.width, 'profile fits 360 px');
  await expectAccessible(page, 'profile (phone)');

  page.assertClean();
  await context.close();
});
