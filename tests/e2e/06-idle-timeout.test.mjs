// With a short idle timeout (RATUSHA_IDLE_TIMEOUT=24 s) the warning comes a quarter of it
// before the end: "Stay logged in" keeps the session past its first expiry; doing nothing
// ends it and the login page says why.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateByApi, bg, expectAccessible, login, openPage, useServerAndBrowser, waitForPath,
} from './harness.mjs';

const IDLE_SECONDS = 24;

const setup = useServerAndBrowser({ env: { RATUSHA_IDLE_TIMEOUT: String(IDLE_SECONDS) } });

/** GET /api/v1/session from the page (not activity: it does not move the idle expiry). */
const sessionNow = (page) =>
  page.evaluate(async () => {
    const response = await fetch('/api/v1/session');
    return { status: response.status, body: response.status === 200 ? await response.json() : null };
  });

/** Waits out the server's own clock: until `ms` (epoch) has passed. */
const until = (ms) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms - Date.now())));

test('idle warning with a short timeout: stay logged in, then expire', { timeout: 150_000 }, async () => {
  const admin = setup.server.demo.administrator;
  await activateByApi(setup.server.baseUrl, admin.access_code, admin.activation_secret);
  const { context, page } = await openPage(setup.browser);
  await login(page, setup.server.baseUrl, admin.access_code);

  const first = await sessionNow(page);
  assert.equal(first.status, 200);
  // The server writes whole seconds: the real expiry is up to a second after this.
  const firstExpiry = Date.parse(first.body.idle_expires_at);
  const lifetime = firstExpiry - Date.now();
  assert.ok(lifetime > 10_000 && lifetime <= IDLE_SECONDS * 1000, `the server uses the short timeout (${lifetime} ms left)`);

  // The warning: a quarter of 24 s (6 s) before the end, not the usual two minutes (which
  // would be at once).
  const dialog = page.getByRole('alertdialog', { name: bg['idle.title'] });
  await dialog.waitFor({ timeout: 40_000 });
  const lead = firstExpiry - Date.now();
  assert.ok(lead > 1_000 && lead < 10_000, `the warning appears about 6 s before the end (${lead} ms)`);
  await page.waitForFunction(() => document.getElementById('idle-dialog')?.contains(document.activeElement) ?? false);
  assert.equal(
    await page.evaluate(() => document.activeElement?.textContent?.trim()),
    bg['idle.stay'],
    'focus is on "Stay logged in"',
  );
  await expectAccessible(page, 'idle warning');

  await dialog.getByRole('button', { name: bg['idle.stay'] }).click();
  await dialog.waitFor({ state: 'detached' });
  await page.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();

  // Past the first expiry the session still works.
  await until(firstExpiry + 2_000);
  const extended = await sessionNow(page);
  assert.equal(extended.status, 200, 'the session outlived its first expiry');
  const secondExpiry = Date.parse(extended.body.idle_expires_at);
  assert.ok(secondExpiry > firstExpiry, 'the idle expiry moved');
  assert.equal(new URL(page.url()).pathname, '/');

  // Now nobody answers the warning: the session ends and the login page says why.
  await dialog.waitFor({ timeout: 40_000 });
  await waitForPath(page, '/login');
  await page.getByText(bg['session.expired']).waitFor();
  assert.ok(Date.now() >= secondExpiry, 'not logged out before the expiry');
  assert.equal((await sessionNow(page)).status, 401, 'the session ended on the server');
  await expectAccessible(page, 'login after the session expired');

  page.assertClean();
  await context.close();
});
