// An administrator activates the personal access code, sets up two-step verification, and
// later logs in with code + password + TOTP (a wrong code is refused).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activate, bg, expectAccessible, freshTotp, openPage, PASSWORD, useServerAndBrowser,
  waitForPath, wrongTotp,
} from './harness.mjs';

const setup = useServerAndBrowser();

test('activation, TOTP enrolment, logout, login with TOTP', { timeout: 180_000 }, async () => {
  const { context, page } = await openPage(setup.browser);
  const admin = setup.server.demo.administrator;

  // Not signed in: every app page sends the person to /login.
  await page.goto(`${setup.server.baseUrl}/profile`);
  await waitForPath(page, '/login');
  await page.getByRole('heading', { level: 1, name: bg['login.title'] }).waitFor();
  await expectAccessible(page, 'login');

  await page.getByRole('link', { name: bg['login.activate_link'] }).click();
  await waitForPath(page, '/activate');

  const { totpSecret, recoveryCodes, usedCodes } = await activate(page, setup.server.baseUrl, {
    accessCode: admin.access_code,
    activationSecret: admin.activation_secret,
    enrol: true,
    check: (label) => expectAccessible(page, label),
  });
  assert.ok(totpSecret);
  assert.equal(new Set(recoveryCodes).size, 10, 'recovery codes are distinct');

  await page.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();
  await expectAccessible(page, 'dashboard');

  // Log out: back on the login page with a notice.
  await page.getByRole('button', { name: bg['layout.logout'] }).click();
  await waitForPath(page, '/login');
  await page.getByText(bg['session.logged_out']).waitFor();
  const status = await page.evaluate(() => fetch('/api/v1/session').then((r) => r.status));
  assert.equal(status, 401, 'the session ended on the server');

  // Code + password → the server asks for the TOTP code.
  await page.locator('#login-code').fill(admin.access_code.toLowerCase());
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: bg['login.submit'] }).click();
  const totpField = page.locator('#login-totp');
  await totpField.waitFor();
  // Focus moves to the new field.
  await page.waitForFunction(() => document.activeElement?.id === 'login-totp');
  await expectAccessible(page, 'login, TOTP step');

  // A wrong code is refused.
  await totpField.fill(wrongTotp(totpSecret));
  await page.getByRole('button', { name: bg['login.submit'] }).click();
  const summary = page.locator('.error-summary');
  await summary.getByText(bg['problem.login-failed']).waitFor();
  assert.equal(new URL(page.url()).pathname, '/login');
  await expectAccessible(page, 'login, wrong TOTP');

  // The right code lands on the dashboard.
  await totpField.fill(await freshTotp(totpSecret, usedCodes));
  await page.getByRole('button', { name: bg['login.submit'] }).click();
  await waitForPath(page, '/');
  await page.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();
  await page.getByRole('navigation', { name: bg['nav.label'] }).getByRole('link', { name: bg['nav.people'] }).waitFor();

  // The profile shows two-step verification as on, and this session in the list.
  await page.getByRole('link', { name: new RegExp(bg['layout.signed_in_as']) }).click();
  await waitForPath(page, '/profile');
  await page.locator('#security').getByText(bg['totp.status_on'], { exact: true }).waitFor();
  await page.getByRole('table', { name: bg['sessions.title'] }).getByText(bg['sessions.current']).waitFor();
  await expectAccessible(page, 'profile');

  page.assertClean();
  await context.close();
});
