// The administrator adds a person in /admin/people; that person activates the code shown
// once and sees the dashboard without the Administration section, and the API refuses them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activate, activateAdministrator, bg, expectAccessible, openPage, useServerAndBrowser, waitForPath,
} from './harness.mjs';

const setup = useServerAndBrowser();

test('administrator adds a person who then activates', { timeout: 240_000 }, async () => {
  const admin = await openPage(setup.browser);
  const a = admin.page;
  await activateAdministrator(a, setup.server);

  const nav = a.getByRole('navigation', { name: bg['nav.label'] });
  await nav.getByRole('link', { name: bg['nav.people'] }).click();
  await waitForPath(a, '/admin/people');
  await a.getByRole('heading', { level: 1, name: bg['people.title'] }).waitFor();
  const rows = a.locator('#people-table tbody tr');
  await rows.first().waitFor();
  await expectAccessible(a, 'people list');

  // The demo municipality has more people than one page: "load more" appends the next page.
  const firstPage = await rows.count();
  const more = a.getByRole('button', { name: bg['common.load_more'] });
  if (await more.count()) {
    await more.click();
    await a.waitForFunction((n) => document.querySelectorAll('#people-table tbody tr').length > n, firstPage);
  }

  await a.getByRole('button', { name: bg['people.add'] }).click();
  await a.locator('#new-name').fill('Мария Иванова');
  await a.locator('#new-email').fill('maria.ivanova@example.org');
  await a.locator('#new-kind').selectOption('employee');
  await a.locator('#new-role').selectOption('employee');
  await expectAccessible(a, 'add person form');
  await a.getByRole('button', { name: bg['people.create'] }).click();

  const codeBox = a.getByTestId('issued-access-code');
  await codeBox.waitFor();
  const accessCode = (await codeBox.textContent()).trim();
  const activationSecret = (await a.getByTestId('issued-activation-secret').textContent()).trim();
  assert.ok(accessCode.length >= 6, `access code shown: ${accessCode}`);
  assert.ok(activationSecret.length >= 6, 'activation secret shown');
  await expectAccessible(a, 'people list with issued code');

  // Search finds the new person, not yet activated.
  await a.locator('#people-q').fill('Мария Иванова');
  await a.getByRole('search').getByRole('button', { name: bg['common.search'] }).click();
  const row = a.locator('#people-table tbody tr').filter({ has: a.getByRole('rowheader', { name: /Мария Иванова/ }) });
  await row.waitFor();
  await a.waitForFunction(() => document.querySelectorAll('#people-table tbody tr').length === 1);
  await row.getByText(bg['status.pending']).waitFor();
  assert.equal((await row.locator('code').textContent()).trim(), accessCode);

  // CSV import: a file with a bad row creates nobody and lists the row's problems.
  await a.locator('#import-file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('display_name,email,kind,unit,role\nПетър Стоянов,,employee,,employee\n,not-an-email,nobody,,\n'),
  });
  await a.getByRole('button', { name: bg['import.submit'] }).click();
  const problems = a.getByRole('table', { name: bg['import.errors'] });
  await problems.waitFor();
  assert.ok((await problems.locator('tbody tr').count()) >= 1, 'row errors are listed');
  await problems.getByRole('rowheader', { name: '3' }).first().waitFor();
  await expectAccessible(a, 'CSV import with errors');
  await a.locator('#import-file').setInputFiles({
    name: 'people.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from('display_name,email,kind,unit,role\nПетър Стоянов,,employee,,employee\n'),
  });
  await a.getByRole('button', { name: bg['import.submit'] }).click();
  const created = a.getByRole('table', { name: bg['import.created.one'].replace('{count}', '1') });
  await created.getByRole('rowheader', { name: 'Петър Стоянов' }).waitFor();
  await expectAccessible(a, 'CSV import done');

  // The audit log records the creation.
  await nav.getByRole('link', { name: bg['nav.audit'] }).click();
  await waitForPath(a, '/admin/audit');
  await a.locator('#audit-table').getByText(bg['action.person.created']).first().waitFor();
  await expectAccessible(a, 'audit log');

  // The new person, in their own browser context.
  const person = await openPage(setup.browser);
  const p = person.page;
  await activate(p, setup.server.baseUrl, { accessCode, activationSecret });
  await p.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();
  await p.getByRole('heading', { name: bg['dashboard.welcome'].replace('{name}', 'Мария Иванова') }).waitFor();
  if (setup.server.demo.municipality) {
    // The header names the municipality (the root unit), not the person's department.
    await p.getByRole('banner').getByText(setup.server.demo.municipality, { exact: true }).waitFor();
  }
  const personNav = p.getByRole('navigation', { name: bg['nav.label'] });
  await personNav.getByRole('link', { name: bg['nav.home'] }).waitFor();
  assert.equal(await personNav.getByText(bg['nav.administration']).count(), 0, 'no Administration section');
  assert.equal(await personNav.getByRole('link', { name: bg['nav.people'] }).count(), 0, 'no People link');
  await expectAccessible(p, 'dashboard of an employee');

  const status = await p.evaluate(() => fetch('/api/v1/people').then((r) => r.status));
  assert.equal(status, 403, 'GET /api/v1/people is forbidden for an employee');

  // Typing the address directly shows a "no access" page, not the admin screen.
  await p.goto(`${setup.server.baseUrl}/admin/people`);
  await p.getByRole('heading', { level: 1, name: bg['forbidden.title'] }).waitFor();

  admin.page.assertClean();
  p.assertClean();
  await admin.context.close();
  await person.context.close();
});
