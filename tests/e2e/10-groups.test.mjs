// Administration → Groups of people: the administrator creates a group (an empty name is
// refused in the browser, the same name in other letter case by the server, on the field),
// finds a colleague by name and adds them, removes them again, renames the group, shares a
// folder with it (the documents sharing form offers it as a group), and deletes it after a
// confirmation that says the sharing ends, which it does. The list and the group's page are
// checked with axe-core on a desktop and at 360 px, and the group's page once in Polish.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, bg, createColleague, dict, escapeRe, expectAccessible, fill, onPhone, openPage, useServerAndBrowser, waitForPath,
} from './harness.mjs';

const setup = useServerAndBrowser();
const pl = dict.pl;

const GROUP = 'Работна група „Бюджет 2027“';
const SAME_OTHER_CASE = 'работна група „БЮДЖЕТ 2027“';
const DESCRIPTION = 'Подготовка на бюджета с кметствата и читалищата';
const RENAMED = 'Работна група „Бюджет 2028“';
const COLLEAGUE = 'Десислава Пенчева';
const FOLDER = 'Материали за бюджета';

/** A row of a table whose row header is (or links to) `name`. */
const rowOf = (page, tableId, name) =>
  page.locator(`#${tableId} tbody tr`).filter({ has: page.getByRole('rowheader', { name: new RegExp(escapeRe(name)) }) });
const status = (page, text) => page.getByRole('status').filter({ hasText: text });

/** Checks the page at 360 px (no sideways scrolling, axe clean) and goes back to the desktop. */

test('administrator creates, fills, renames and deletes a group of people', { timeout: 300_000 }, async () => {
  const { baseUrl } = setup.server;
  const admin = await openPage(setup.browser);
  const a = admin.page;
  await activateAdministrator(a, setup.server);
  const colleague = await createColleague(a, COLLEAGUE);
  assert.ok(colleague.unitName, 'the colleague has a unit');
  await activateByApi(baseUrl, colleague.accessCode, colleague.activationSecret);

  // ------------------------------------------------------------ the list, empty
  const nav = a.getByRole('navigation', { name: bg['nav.label'] });
  await nav.getByRole('link', { name: bg['nav.groups'], exact: true }).click();
  await waitForPath(a, '/admin/groups');
  await a.getByRole('heading', { level: 1, name: bg['groups.title'] }).waitFor();
  assert.equal(await nav.getByRole('link', { name: bg['nav.groups'], exact: true }).getAttribute('aria-current'), 'page');
  await a.getByText(bg['groups.none_yet']).waitFor();
  await expectAccessible(a, 'groups, none yet (bg)');

  // An empty name is refused in the browser, on the field and in the summary.
  const create = a.getByRole('button', { name: bg['groups.create'] });
  await create.click();
  const createAlert = a.locator('#add-group-form').getByRole('alert');
  await createAlert.getByText(bg['problem.validation']).waitFor();
  await createAlert.getByRole('link', { name: `${bg['groups.name']}: ${bg['validation.required']}` }).waitFor();
  assert.equal(await a.locator('#new-group-name').getAttribute('aria-invalid'), 'true');
  await a.locator('#new-group-name-error').getByText(bg['validation.required']).waitFor();
  await expectAccessible(a, 'new group form with an error');

  // ------------------------------------------------------------ create → the group's page
  await a.getByLabel(bg['groups.name'], { exact: true }).fill(GROUP);
  await a.getByLabel(bg['groups.description']).fill(DESCRIPTION);
  await create.click();
  await a.waitForURL((url) => /^\/admin\/groups\/[^/]+$/.test(url.pathname));
  const groupPath = new URL(a.url()).pathname;
  const groupId = decodeURIComponent(groupPath.split('/').pop());
  await a.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  await status(a, fill(bg['groups.created'], { name: GROUP })).waitFor();
  await a.getByText(DESCRIPTION).waitFor();
  await a.getByText(bg['groups.members_none']).waitFor();
  assert.equal(await nav.getByRole('link', { name: bg['nav.groups'], exact: true }).getAttribute('aria-current'), 'true');
  await expectAccessible(a, 'new group, no members (bg)');

  // ------------------------------------------------------------ the same name again, other letter case
  await a.getByRole('navigation', { name: bg['docs.breadcrumbs'] }).getByRole('link', { name: bg['groups.title'] }).click();
  await waitForPath(a, '/admin/groups');
  const listRow = rowOf(a, 'groups-table', GROUP);
  await listRow.waitFor();
  await listRow.getByText(DESCRIPTION).waitFor();
  await a.getByLabel(bg['groups.name'], { exact: true }).fill(SAME_OTHER_CASE);
  await create.click();
  await createAlert.getByText(bg['groups.name_taken']).first().waitFor();
  assert.equal(await a.locator('#new-group-name').getAttribute('aria-invalid'), 'true');
  await a.locator('#new-group-name-error').getByText(bg['groups.name_taken']).waitFor();
  assert.equal(await a.evaluate(() => document.activeElement?.getAttribute('role')), 'alert', 'the summary takes focus');
  assert.equal(new URL(a.url()).pathname, '/admin/groups', 'still on the list');
  await expectAccessible(a, 'groups with a duplicate-name error (bg)');
  await onPhone(a, 'groups list with one group and an error (bg)');

  // Searching the list.
  const search = a.getByRole('search', { name: bg['groups.search_label'] });
  await search.getByLabel(bg['groups.search']).fill('няма-такава');
  await search.getByRole('button', { name: bg['common.search'], exact: true }).click();
  await a.getByText(bg['groups.none'], { exact: true }).waitFor();
  await search.getByLabel(bg['groups.search']).fill('бюджет');
  await search.getByRole('button', { name: bg['common.search'], exact: true }).click();
  await listRow.waitFor();
  await status(a, fill(bg['groups.count.one'], { count: 1 })).waitFor();

  // ------------------------------------------------------------ add a member found by search
  await listRow.getByRole('link', { name: GROUP }).click();
  await waitForPath(a, groupPath);
  await a.getByRole('heading', { level: 1, name: GROUP }).waitFor();
  const adding = a.locator('section').filter({ has: a.getByRole('heading', { level: 2, name: bg['groups.add_member'] }) });
  const addButton = adding.getByRole('button', { name: bg['groups.add_submit'] });
  await adding.getByLabel(bg['groups.find']).fill('Пенчева');
  const pick = adding.getByRole('radio', { name: new RegExp(escapeRe(COLLEAGUE)) });
  await pick.waitFor();
  await status(a, fill(bg['groups.found.one'], { count: 1 })).waitFor();
  // Nobody chosen yet: said at the list of matches.
  await addButton.click();
  await adding.getByRole('alert').getByText(bg['problem.validation']).waitFor();
  await adding.locator('.field__error').getByText(bg['groups.choose_someone']).waitFor();
  await expectAccessible(a, 'add member: matches, nobody chosen (bg)');
  await pick.check();
  await addButton.click();
  const memberRow = rowOf(a, 'members-table', COLLEAGUE);
  await memberRow.waitFor();
  await memberRow.getByText(colleague.unitName).waitFor();
  await memberRow.getByText(bg['status.active']).waitFor();
  await status(a, fill(bg['groups.added'], { name: COLLEAGUE })).waitFor();
  assert.equal(await adding.getByLabel(bg['groups.find']).inputValue(), '', 'the search is cleared');
  await adding.getByRole('alert').waitFor({ state: 'detached' });
  // Found again, they are marked as already in the group and cannot be chosen twice.
  await adding.getByLabel(bg['groups.find']).fill('Пенчева');
  await pick.waitFor();
  assert.equal(await pick.isDisabled(), true, 'a member cannot be picked again');
  await adding.getByText(bg['groups.already_member'], { exact: false }).waitFor();
  await expectAccessible(a, 'group with a member (bg)');
  await onPhone(a, 'group with a member (bg)');
  await adding.getByLabel(bg['groups.find']).fill('');

  // ------------------------------------------------------------ remove them again
  await memberRow.getByRole('button', { name: new RegExp(escapeRe(bg['groups.remove'])) }).click();
  await status(a, fill(bg['groups.removed'], { name: COLLEAGUE })).waitFor();
  await a.getByText(bg['groups.members_none']).waitFor();
  // Focus moves in the next animation frame (which a busy machine may draw a little later).
  await a.waitForFunction(() => document.activeElement?.id === 'group-members-title', null, { timeout: 5_000 }).catch(() => {});
  assert.equal(await a.evaluate(() => document.activeElement?.id), 'group-members-title', 'focus goes on to the members heading');

  // ------------------------------------------------------------ rename
  const editing = a.locator('section').filter({ has: a.getByRole('heading', { level: 2, name: bg['groups.edit'] }) });
  await editing.getByLabel(bg['groups.name'], { exact: true }).fill('');
  await editing.getByRole('button', { name: bg['common.save'] }).click();
  await editing.getByRole('alert').getByText(bg['problem.validation']).waitFor();
  assert.equal(await a.locator('#group-name').getAttribute('aria-invalid'), 'true');
  await editing.getByLabel(bg['groups.name'], { exact: true }).fill(RENAMED);
  await editing.getByRole('button', { name: bg['common.save'] }).click();
  await a.getByRole('heading', { level: 1, name: RENAMED }).waitFor();
  await status(a, bg['groups.saved']).waitFor();
  // The title follows the heading a moment later (an effect after the render).
  await a.waitForFunction((t) => document.title === t, `${RENAMED} — Ratusha`);
  await editing.getByRole('alert').waitFor({ state: 'detached' });

  // ------------------------------------------------------------ a second language
  await a.getByRole('button', { name: 'Polski' }).click();
  await a.getByRole('heading', { level: 2, name: pl['groups.members'] }).waitFor();
  await a.getByText(pl['groups.members_none']).waitFor();
  await a.getByRole('button', { name: pl['groups.delete'] }).waitFor();
  await a.getByLabel(pl['groups.find']).waitFor();
  await expectAccessible(a, 'group page (pl)');
  await a.getByRole('button', { name: 'Български' }).click();
  await a.getByRole('heading', { level: 2, name: bg['groups.members'] }).waitFor();

  // ------------------------------------------------------------ the documents sharing form offers the group
  const folderPath = await createFolder(a, FOLDER);
  await a.goto(`${baseUrl}${folderPath}`);
  await a.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  const sharing = a.locator('section').filter({ has: a.getByRole('heading', { level: 2, name: bg['docs.shares.title'] }) });
  await sharing.getByLabel(bg['docs.shares.find']).fill('2028');
  const groupChoice = sharing.getByRole('radio', { name: new RegExp(`${escapeRe(RENAMED)}.*${escapeRe(bg['docs.audience.group'])}`) });
  await groupChoice.waitFor();
  await groupChoice.check();
  await sharing.getByRole('button', { name: bg['docs.shares.submit'] }).click();
  const shareRow = rowOf(a, 'shares-table', RENAMED);
  await shareRow.waitFor();
  await shareRow.getByText(bg['docs.audience.group']).waitFor();
  await expectAccessible(a, 'folder shared with a group (bg)');

  // ------------------------------------------------------------ delete, with a confirmation, by keyboard first
  await a.goto(`${baseUrl}${groupPath}`);
  await a.getByRole('heading', { level: 1, name: RENAMED }).waitFor();
  const deleting = a.locator('section').filter({ has: a.getByRole('heading', { level: 2, name: bg['groups.delete'] }) });
  await deleting.getByText(bg['groups.delete_explain']).waitFor();
  const deleteButton = deleting.getByRole('button', { name: bg['groups.delete'] });
  const dialog = a.getByRole('dialog', { name: bg['groups.delete_title'] });
  await deleteButton.focus();
  await a.keyboard.press('Enter');
  await dialog.waitFor();
  await dialog.getByText(fill(bg['groups.delete_confirm'], { name: RENAMED })).waitFor();
  assert.equal(
    await a.evaluate(() => document.activeElement?.textContent?.trim()),
    bg['common.cancel'],
    'the dialog starts on Cancel',
  );
  await expectAccessible(a, 'delete group dialog (bg)');
  await a.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });
  assert.equal(await deleteButton.evaluate((el) => el === document.activeElement), true, 'focus returns to Delete');
  assert.equal(new URL(a.url()).pathname, groupPath, 'nothing happened');

  await deleteButton.click();
  await dialog.waitFor();
  await dialog.getByRole('button', { name: bg['groups.delete'] }).click();
  await waitForPath(a, '/admin/groups');
  await a.getByRole('heading', { level: 1, name: bg['groups.title'] }).waitFor();
  await status(a, fill(bg['groups.deleted'], { name: RENAMED })).waitFor();
  await a.getByText(bg['groups.none_yet']).waitFor();
  assert.equal(await rowOf(a, 'groups-table', RENAMED).count(), 0, 'gone from the list');
  await expectAccessible(a, 'groups after deleting (bg)');
  await onPhone(a, 'groups list after deleting (bg)');

  // The group's address now says it is gone; the folder is no longer shared with it.
  await a.goto(`${baseUrl}${groupPath}`);
  await a.getByRole('heading', { level: 1, name: bg['groups.missing_title'] }).waitFor();
  await a.getByRole('link', { name: bg['groups.back'] }).waitFor();
  await expectAccessible(a, 'a deleted group (bg)');
  const answer = await a.evaluate(async (id) => (await fetch(`/api/v1/groups/${id}`)).status, groupId);
  assert.equal(answer, 404);
  await a.goto(`${baseUrl}${folderPath}`);
  await a.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
  await a.locator('#shares-table').or(sharing.getByText(bg['docs.shares.none'])).first().waitFor();
  assert.equal(await rowOf(a, 'shares-table', RENAMED).count(), 0, 'the share with the group is gone');

  a.assertClean();
  await admin.context.close();
});

/** A folder in the administrator's personal space; returns its page's path. */
async function createFolder(page, name) {
  const spaces = (await apiCall(page, 'GET', '/documents/spaces')).json.items;
  const root = spaces.find((space) => space.kind === 'personal').root_id;
  const answer = await apiCall(page, 'POST', `/documents/nodes/${root}/folders`, { name });
  assert.equal(answer.status, 201, `POST folders: ${answer.body}`);
  return `/documents/n/${encodeURIComponent(answer.json.id)}`;
}
