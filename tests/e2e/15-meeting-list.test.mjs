// The calendar's list view: the administrator's meetings as a list that searches (words folded:
// case and Bulgarian letters) and filters (her answer, only those she organises); the filters
// are kept in the address. axe-core at desktop and phone widths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, bg, createColleague, expectAccessible, login, onPhone, openPage, useServerAndBrowser,
} from './harness.mjs';

const setup = useServerAndBrowser();

/** A wall time in Sofia `days` ahead at `hour`, as "YYYY-MM-DDTHH:MM". */
function sofia(days, hour) {
  const d = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + days * 86400e3));
  return `${d}T${String(hour).padStart(2, '0')}:00`;
}

test('the meetings list searches and filters', { timeout: 90_000 }, async () => {
  const { baseUrl } = setup.server;
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);
  const me = (await apiCall(a, 'GET', '/me')).json;
  const meeting = async (page, title, days, invitees = []) => {
    const r = await apiCall(page, 'POST', '/meetings', { title, start: sofia(days, 10), duration: 3600, time_zone: 'Europe/Sofia', invitees });
    assert.equal(r.status, 201, r.body);
    return r.json;
  };
  const budget = await meeting(a, 'Бюджет за 2027 година', 2);
  const roads = await meeting(a, 'Ремонт на улици', 3);
  const colleague = await createColleague(a, 'Стоян Колега');
  await activateByApi(baseUrl, colleague.accessCode, colleague.activationSecret);
  const { page: c } = await openPage(setup.browser);
  await login(c, baseUrl, colleague.accessCode);
  const invited = await meeting(c, 'Училищна мрежа', 4, [{ kind: 'person', id: me.id }]);

  await a.goto(`${baseUrl}/calendar`);
  await a.getByRole('link', { name: bg['calendar.list_view'] }).click();
  const found = a.locator('#meetings-found');
  const titles = async (n) => {
    await a.waitForFunction((k) => document.querySelectorAll('#meetings-found li').length === k, n);
    return found.locator('.meeting-item__title a').allTextContents();
  };
  assert.deepEqual(await titles(3), [budget.title, roads.title, invited.title]);
  await expectAccessible(a, 'meetings list');

  // Words: the beginning of a word, whatever the case.
  await a.getByLabel(bg['meetings.search_words']).fill('БЮДЖ');
  await a.getByRole('button', { name: bg['common.search'] }).click();
  assert.deepEqual(await titles(1), [budget.title]);
  assert.match(a.url(), /view=list&q=%D0%91%D0%AE%D0%94%D0%96/, 'the search is in the address');

  // Only those she organises; then only those she has not answered.
  await a.getByLabel(bg['meetings.search_words']).fill('');
  await a.getByLabel(bg['meetings.search_mine']).check();
  await a.getByRole('button', { name: bg['common.search'] }).click();
  assert.deepEqual(await titles(2), [budget.title, roads.title]);
  await a.getByLabel(bg['meetings.search_mine']).uncheck();
  await a.getByLabel(bg['meetings.my_answer']).selectOption('needs-action');
  await a.getByRole('button', { name: bg['common.search'] }).click();
  assert.deepEqual(await titles(1), [invited.title]);

  // Nothing found is said so; a reload keeps the filters.
  await a.getByLabel(bg['meetings.search_words']).fill('няма такава');
  await a.getByRole('button', { name: bg['common.search'] }).click();
  await a.getByText(bg['meetings.search_none']).waitFor();
  await a.reload();
  assert.equal(await a.getByLabel(bg['meetings.search_words']).inputValue(), 'няма такава');
  await a.getByText(bg['meetings.search_none']).waitFor();
  await expectAccessible(a, 'meetings list: nothing found');
  await onPhone(a, 'meetings list');
});
