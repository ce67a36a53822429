// Administration → API tokens: the administrator issues a token with one scope, its secret is
// shown once and works as a bearer token within that scope only; revoking it (confirmed in a
// dialog, by keyboard) stops it at once. Accessible in bg and en, and fits a phone.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, bg, dict, expectAccessible, fill, openPage, PHONE, scrollWidth, useServerAndBrowser, waitForPath,
} from './harness.mjs';

const setup = useServerAndBrowser();
const en = dict.en;

test('administrator issues, uses and revokes an API token', { timeout: 240_000 }, async () => {
  const { baseUrl } = setup.server;
  const admin = await openPage(setup.browser);
  const a = admin.page;
  await activateAdministrator(a, setup.server);

  const nav = a.getByRole('navigation', { name: bg['nav.label'] });
  await nav.getByRole('link', { name: bg['nav.tokens'] }).click();
  await waitForPath(a, '/admin/tokens');
  await a.getByRole('heading', { level: 1, name: bg['tokens.title'] }).waitFor();
  await a.getByText(bg['tokens.none']).waitFor();
  await expectAccessible(a, 'API tokens, empty (bg)');

  // Nothing chosen: the browser refuses before sending, on the fields.
  await a.getByRole('button', { name: bg['tokens.create'] }).click();
  await a.getByRole('alert').getByText(bg['problem.validation']).waitFor();
  assert.equal(await a.locator('#token-name').getAttribute('aria-invalid'), 'true');
  await a.locator('#token-scopes-error').getByText(bg['validation.tokens.scopes_required']).waitFor();
  await expectAccessible(a, 'API token form with errors');

  // A token that may only read people.
  const scopes = a.getByRole('group', { name: bg['tokens.scopes'] });
  await a.locator('#token-name').fill('Отчети');
  await scopes.getByRole('checkbox', { name: new RegExp(bg['scope.people.read']) }).check();
  await a.locator('#token-expiry').fill('30');
  await a.getByRole('button', { name: bg['tokens.create'] }).click();

  const box = a.locator('#token-secret');
  await box.waitFor();
  await box.getByText(bg['tokens.secret_once']).waitFor();
  await box.getByRole('button', { name: bg['tokens.copy'] }).waitFor();
  const secret = (await a.getByTestId('token-secret-value').textContent()).trim();
  assert.ok(secret.length >= 20, `the secret is shown: ${secret}`);
  await expectAccessible(a, 'API token secret shown (bg)');

  const row = a.locator('#tokens-table tbody tr').filter({ has: a.getByRole('rowheader', { name: 'Отчети' }) });
  await row.waitFor();
  await row.getByText(bg['tokens.status.active']).waitFor();
  await row.getByText('people.read').waitFor();

  // The secret works as a bearer token, within its scope only.
  const bearer = { Authorization: `Bearer ${secret}` };
  let response = await fetch(`${baseUrl}/api/v1/people`, { headers: bearer });
  assert.equal(response.status, 200, `GET /people with the token: ${await response.text()}`);
  response = await fetch(`${baseUrl}/api/v1/people`, {
    method: 'POST',
    headers: { ...bearer, 'Content-Type': 'application/json' },
    body: JSON.stringify({ display_name: 'Никой', kind: 'employee', roles: [{ role: 'employee' }] }),
  });
  assert.equal(response.status, 403, `POST /people with a people.read token: ${await response.text()}`);

  // Revoke by keyboard: Enter opens the dialog (focus on Cancel), Escape closes it and focus
  // comes back; again, Shift+Tab to the confirm button, Enter.
  const revoke = row.getByRole('button', { name: new RegExp(bg['tokens.revoke']) });
  const dialog = a.getByRole('dialog', { name: bg['tokens.revoke_title'] });
  await revoke.focus();
  await a.keyboard.press('Enter');
  await dialog.waitFor();
  await a.waitForFunction(() => document.activeElement?.closest('dialog') !== null);
  await expectAccessible(a, 'revoke dialog');
  await a.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await revoke.evaluate((el) => el === document.activeElement), true, 'focus returns to Revoke');
  await a.keyboard.press('Enter');
  await dialog.waitFor();
  await a.keyboard.press('Shift+Tab');
  assert.equal(
    await a.evaluate(() => document.activeElement?.textContent?.trim()),
    bg['tokens.revoke'],
    'Shift+Tab reaches the confirm button',
  );
  await a.keyboard.press('Enter');
  await dialog.waitFor({ state: 'detached' });
  await row.getByText(bg['tokens.status.revoked']).waitFor();
  await a.getByRole('status').filter({ hasText: bg['tokens.revoked_notice'].replace('{name}', 'Отчети') }).waitFor();
  assert.equal(await row.getByRole('button').count(), 0, 'no Revoke button on a revoked token');

  response = await fetch(`${baseUrl}/api/v1/people`, { headers: bearer });
  assert.equal(response.status, 401, 'a revoked token is refused');

  // After a reload the server says so too.
  await a.reload();
  await row.getByText(bg['tokens.status.revoked']).waitFor();
  await expectAccessible(a, 'API tokens with a revoked one (bg)');

  // English.
  await a.getByRole('button', { name: 'English' }).click();
  await a.getByRole('heading', { level: 1, name: en['tokens.title'] }).waitFor();
  await row.getByText(en['tokens.status.revoked']).waitFor();
  await a.getByRole('group', { name: en['tokens.scopes'] }).waitFor();
  await expectAccessible(a, 'API tokens (en)');

  // A phone: the page fits 360 px.
  await a.setViewportSize(PHONE);
  await a.getByRole('button', { name: en['layout.menu'] }).waitFor();
  assert.ok((await scrollWidth(a)) <= PHONE.width, `tokens page fits 360 px (scrollWidth ${await scrollWidth(a)})`);
  await expectAccessible(a, 'API tokens (phone, en)');

  a.assertClean();
  await admin.context.close();
});
