// One occurrence of a weekly meeting moved from its page (a dialog: what, which, the new time),
// then "this and all following" with a new title, which lands on the new series' page. axe-core
// on the dialog and the page after each change.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activateAdministrator, apiCall, bg, DESKTOP, expectAccessible, openPage, PHONE, useServerAndBrowser } from './harness.mjs';

const setup = useServerAndBrowser();

/** The wall date in Sofia `days` ahead, "YYYY-MM-DD". */
const sofiaDate = (days) =>
  new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86400e3));

test('a weekly meeting: move one occurrence, then change all that follow', { timeout: 90_000 }, async () => {
  const { baseUrl } = setup.server;
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);
  const made = await apiCall(a, 'POST', '/meetings', {
    title: 'Седмична оперативка', start: `${sofiaDate(1)}T09:00`, duration: 3600, time_zone: 'Europe/Sofia', rrule: 'FREQ=WEEKLY;COUNT=5',
  });
  assert.equal(made.status, 201, made.body);
  const meeting = made.json;
  await a.goto(`${baseUrl}/meetings/${meeting.id}`);
  const list = a.locator('.occurrences');
  await list.locator('li').nth(4).waitFor();

  // The second one to 15:00.
  await list.locator('li').nth(1).getByRole('button', { name: new RegExp(bg['occurrence.change']) }).click();
  const dialog = a.getByRole('dialog');
  await dialog.getByLabel(bg['occurrence.scope_this']).waitFor();
  await expectAccessible(a, 'occurrence dialog');
  await a.setViewportSize(PHONE);
  await expectAccessible(a, 'occurrence dialog (phone)');
  await a.setViewportSize(DESKTOP);
  await dialog.getByLabel(bg['meetings.time']).fill('15:00');
  await dialog.getByRole('button', { name: bg['occurrence.submit_change'] }).click();
  await dialog.waitFor({ state: 'detached' });
  await a.getByText(/поканените са уведомени/).first().waitFor();
  const second = await list.locator('li').nth(1).getAttribute('data-occurrence');
  const fresh = (await apiCall(a, 'GET', `/meetings/${meeting.id}`)).json;
  assert.equal(fresh.next_occurrences[1], second);
  assert.equal(new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Sofia', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(second)), '15:00');

  // From the third on: a new title; the page moves to the new series.
  await list.locator('li').nth(2).getByRole('button', { name: new RegExp(bg['occurrence.change']) }).click();
  await dialog.getByLabel(bg['occurrence.scope_following']).check();
  await dialog.getByLabel(bg['meetings.title_field']).fill('Оперативка — нов състав');
  await dialog.getByRole('button', { name: bg['occurrence.submit_change'] }).click();
  await a.waitForURL((url) => url.pathname.startsWith('/meetings/') && url.pathname !== `/meetings/${meeting.id}`);
  await a.getByRole('heading', { level: 1, name: 'Оперативка — нов състав' }).waitFor();
  await expectAccessible(a, 'the new series');
  const old = (await apiCall(a, 'GET', `/meetings/${meeting.id}`)).json;
  assert.match(old.rrule, /UNTIL=/);
});
