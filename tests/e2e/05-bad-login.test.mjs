// A wrong password shows the translated error in an announced summary that takes focus,
// and the form keeps the access code.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bg, expectAccessible, openPage, useServerAndBrowser, waitForPath } from './harness.mjs';

const setup = useServerAndBrowser();

const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? { id: el.id, className: el.className, role: el.getAttribute('role') } : null;
  });

test('empty form: field errors linked to the fields', { timeout: 60_000 }, async () => {
  const { context, page } = await openPage(setup.browser);
  await page.goto(`${setup.server.baseUrl}/login`);
  await page.getByRole('button', { name: bg['login.submit'] }).click();
  const summary = page.getByRole('alert');
  await summary.getByText(bg['problem.validation']).waitFor();
  assert.match((await focused(page)).className, /error-summary/);
  const code = page.locator('#login-code');
  assert.equal(await code.getAttribute('aria-invalid'), 'true');
  assert.match(await code.getAttribute('aria-describedby'), /login-code-error/);
  assert.equal((await page.locator('#login-code-error').textContent()).trim(), bg['validation.required']);
  // The summary links move focus to the field.
  await summary.getByRole('link', { name: new RegExp(bg['login.code']) }).click();
  assert.equal((await focused(page)).id, 'login-code');
  await expectAccessible(page, 'login with field errors');
  page.assertClean();
  await context.close();
});

test('wrong password: translated error, code kept, focus on the summary', { timeout: 60_000 }, async () => {
  const { context, page } = await openPage(setup.browser);
  await page.goto(`${setup.server.baseUrl}/`);
  await waitForPath(page, '/login');
  const code = setup.server.demo.administrator.access_code;
  await page.locator('#login-code').fill(code);
  await page.locator('#login-password').fill('not the password at all');
  await page.getByRole('button', { name: bg['login.submit'] }).click();

  const summary = page.getByRole('alert');
  await summary.getByText(bg['problem.login-failed']).waitFor();
  assert.equal(await summary.getByRole('heading').textContent(), bg['errors.summary_title']);
  // The summary takes the focus in the frame after it appears: wait for that frame.
  await page.waitForFunction(() => document.activeElement?.classList.contains('error-summary'), null, { timeout: 5000 }).catch(() => {});
  const now = await focused(page);
  assert.match(now.className, /error-summary/, 'focus is on the error summary');
  assert.equal(now.role, 'alert');
  assert.equal(await page.locator('#login-code').inputValue(), code.toUpperCase(), 'the code is kept');
  assert.equal(await page.locator('#login-password').inputValue(), '', 'the password is cleared');
  assert.equal(new URL(page.url()).pathname, '/login');
  await expectAccessible(page, 'login with wrong password');
  page.assertClean();
  await context.close();
});
