// Administration → Settings: the administrator requires two-step verification for employees.
// Being an employee too, the administrator is sent to the set-up at once (no way round it);
// a new employee is taken straight to it after activation; both then carry on as before.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activate, activateAdministrator, bg, dict, expectAccessible, freshTotp, openPage, useServerAndBrowser,
  waitForPath,
} from './harness.mjs';

const setup = useServerAndBrowser();

/** Completes the two-step set-up shown on the page; returns the secret. */
async function enrol(page, label) {
  const secretBox = page.locator('#totp-secret');
  await secretBox.waitFor();
  const secret = (await secretBox.textContent()).replace(/\s+/g, '');
  await expectAccessible(page, label);
  await page.locator('#totp-confirm-code').fill(await freshTotp(secret, new Set()));
  await page.getByRole('button', { name: bg['totp.confirm'] }).click();
  await page.getByTestId('recovery-codes').waitFor();
  await page.getByRole('button', { name: bg['totp.recovery_done'] }).click();
  return secret;
}

const ownSession = (page) => page.evaluate(() => fetch('/api/v1/session').then((r) => r.json()));

test('settings: organisation name and roles that must use two-step verification', { timeout: 240_000 }, async () => {
  const admin = await openPage(setup.browser);
  const a = admin.page;
  const municipality = setup.server.demo.municipality;
  await activateAdministrator(a, setup.server);

  const nav = a.getByRole('navigation', { name: bg['nav.label'] });
  await nav.getByRole('link', { name: bg['nav.settings'] }).click();
  await waitForPath(a, '/admin/settings');
  await a.getByRole('heading', { level: 1, name: bg['settings.title'] }).waitFor();
  const name = a.getByLabel(bg['settings.name']);
  await a.waitForFunction(() => (document.getElementById('settings-name')?.value ?? '') !== '');
  const original = await name.inputValue();
  if (municipality) assert.equal(original, municipality, 'the current name is shown');
  const roles = a.getByRole('group', { name: bg['settings.totp_roles'] });
  const employee = roles.getByRole('checkbox', { name: bg['role.employee'], exact: true });
  assert.equal(await roles.getByRole('checkbox').count(), 6, 'one checkbox per role');
  assert.equal(await employee.isChecked(), false);
  await expectAccessible(a, 'settings (bg)');

  // The server's field errors land on the field.
  await name.fill('');
  await a.getByRole('button', { name: bg['common.save'] }).click();
  const summary = a.getByRole('alert');
  await summary.getByText(bg['problem.validation']).waitFor();
  await a.waitForFunction(() => document.activeElement?.classList.contains('error-summary'));
  assert.equal(await name.getAttribute('aria-invalid'), 'true');
  assert.match(await name.getAttribute('aria-describedby'), /settings-name-error/);
  assert.equal((await a.locator('#settings-name-error').textContent()).trim(), bg['validation.organisation_name.too_short']);
  await summary.getByRole('link', { name: new RegExp(bg['settings.name']) }).waitFor();
  await expectAccessible(a, 'settings with a field error');

  // Employees must use two-step verification; the administrator is an employee too and is
  // warned before saving.
  const renamed = `${original} — тест`;
  await name.fill(renamed);
  await employee.check();
  await a.getByText(bg['settings.affects_you']).waitFor();
  await a.getByRole('button', { name: bg['common.save'] }).click();

  // Straight to the set-up: an explanation, no navigation, no way to skip.
  await a.getByRole('heading', { level: 1, name: bg['totp.required_title'] }).waitFor();
  await a.getByText(bg['totp.required'], { exact: true }).waitFor();
  await a.getByRole('banner').getByText(renamed, { exact: true }).waitFor();
  assert.equal(await a.getByRole('navigation', { name: bg['nav.label'] }).count(), 0, 'no navigation');
  assert.equal(await a.getByRole('button', { name: bg['totp.offer_skip'] }).count(), 0, 'no skip');
  const locked = await ownSession(a);
  assert.equal(locked.totp_enrolment_required, true);
  assert.deepEqual(locked.person.permissions, [], 'no permissions until enrolled');
  await enrol(a, 'required two-step set-up (administrator)');

  // The session is fetched again: permissions and the page asked for are back.
  await a.getByRole('heading', { level: 1, name: bg['settings.title'] }).waitFor();
  await nav.getByRole('link', { name: bg['nav.people'] }).waitFor();
  assert.equal(await employee.isChecked(), true, 'the rule was saved');
  const unlocked = await ownSession(a);
  assert.equal(unlocked.totp_enrolment_required, false);
  assert.ok(unlocked.person.permissions.includes('settings.manage'));

  // Saving announces success; the header follows the name.
  await name.fill(original);
  await a.getByRole('button', { name: bg['common.save'] }).click();
  await a.getByRole('status').filter({ hasText: bg['settings.saved'] }).waitFor();
  await a.getByRole('banner').getByText(original, { exact: true }).waitFor();
  await expectAccessible(a, 'settings saved (bg)');

  // Polish.
  await a.getByRole('button', { name: 'Polski' }).click();
  await a.getByRole('heading', { level: 1, name: dict.pl['settings.title'] }).waitFor();
  await a.getByRole('group', { name: dict.pl['settings.totp_roles'] }).getByRole('checkbox', { name: dict.pl['role.employee'], exact: true }).waitFor();
  await expectAccessible(a, 'settings (pl)');

  // A new employee, created by the administrator, activates in a browser of their own.
  const issued = await a.evaluate(async () => {
    const { csrf_token: csrf } = await fetch('/api/v1/session').then((r) => r.json());
    const response = await fetch('/api/v1/people', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
      body: JSON.stringify({ display_name: 'Елена Колева', kind: 'employee', roles: [{ role: 'employee' }] }),
    });
    return { status: response.status, body: await response.json() };
  });
  assert.equal(issued.status, 201, JSON.stringify(issued.body));

  const person = await openPage(setup.browser);
  const p = person.page;
  const result = await activate(p, setup.server.baseUrl, {
    accessCode: issued.body.access_code,
    activationSecret: issued.body.activation_secret,
    check: async (label) => {
      if (label !== 'TOTP enrolment') return;
      await p.getByRole('heading', { level: 1, name: bg['totp.required_title'] }).waitFor();
      await p.getByText(bg['totp.required'], { exact: true }).waitFor();
      await expectAccessible(p, 'required two-step set-up after activation');
    },
  });
  assert.equal(result.totpRequired, true, 'the employee had to set up two-step verification');
  await p.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();
  await p.getByRole('heading', { name: bg['dashboard.welcome'].replace('{name}', 'Елена Колева') }).waitFor();
  const employeeSession = await ownSession(p);
  assert.equal(employeeSession.totp_enrolment_required, false);
  assert.equal(employeeSession.person.totp_enabled, true);

  a.assertClean();
  p.assertClean();
  await admin.context.close();
  await person.context.close();
});
