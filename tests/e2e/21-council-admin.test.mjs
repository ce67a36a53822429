// Setting the council up in browsers. Through the API: a five-seat Bulgarian council, its chair
// and a member, a sitting the chair scheduled. Then: the administrator adds a standing
// committee from /council (after an empty submit is refused), changes it on its page, and
// changes the member's seat in the council; the chair changes the title of the scheduled
// sitting. axe-core on each form (and on the body form in bg, pl and en).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activateAdministrator, activateByApi, apiCall, bg, dict, expectAccessible, fill, login, okJson as ok, openPage, useServerAndBrowser } from './harness.mjs';

const setup = useServerAndBrowser();

/** The wall time in Sofia `ms` from now, as "YYYY-MM-DDTHH:MM". */
function sofiaIn(ms) {
  const f = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
  return f.format(new Date(Date.now() + ms)).replace(' ', 'T');
}

test('the council set up in the browser: a body added and changed, a seat changed, a sitting changed', { timeout: 120_000 }, async () => {
  const { baseUrl } = setup.server;

  // ------------------------------------------------------------ the scene, through the API
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);
  const body = await ok(
    await apiCall(a, 'POST', '/council/bodies', { name: 'Общински съвет – Настройка', jurisdiction: 'bg', seats: 5, term_start: '2023-11-06', time_zone: 'Europe/Sofia' }),
    'body',
  );
  const person = async (name, role, seat) => {
    const made = await ok(await apiCall(a, 'POST', '/people', { display_name: name, kind: 'councillor', locale: 'bg' }), name);
    await activateByApi(baseUrl, made.access_code, made.activation_secret);
    const membership = await ok(await apiCall(a, 'POST', `/council/bodies/${body.id}/members`, { person_id: made.person.id, role, seat, from_date: '2023-11-06' }), `seat ${name}`);
    return { id: made.person.id, name, accessCode: made.access_code, membershipId: membership.id };
  };
  const chair = await person('Цвета Председателска', 'chair', '1');
  const member = await person('Мирон Членов', 'member', '2');

  // ------------------------------------------------------------ /council: adding a body
  await a.goto(`${baseUrl}/council`);
  await a.getByRole('heading', { level: 1, name: bg['council.title'] }).waitFor();
  const add = a.locator('#add-body');
  await add.getByRole('button', { name: bg['council.add_body_submit'] }).click();
  const summary = add.locator('.error-summary');
  await summary.waitFor();
  await add.getByLabel(bg['council.body_name'], { exact: true }).and(a.locator('[aria-invalid="true"]')).waitFor();
  await expectAccessible(a, '/council: the body form refused');
  await add.getByLabel(bg['council.body_name'], { exact: true }).fill('Комисия по бюджета');
  await add.getByLabel(bg['council.body_kind'], { exact: true }).selectOption('standing_committee');
  await add.getByLabel(bg['council.parent_body'], { exact: true }).selectOption(body.id);
  await add.getByLabel(bg['council.seats'], { exact: true }).fill('3');
  await add.getByLabel(bg['council.term_start'], { exact: true }).fill('2023-11-20');
  await add.getByLabel(bg['council.vote_change_label']).check();
  await add.getByRole('button', { name: bg['council.add_body_submit'] }).click();
  await a.getByRole('heading', { level: 1, name: 'Комисия по бюджета' }).waitFor();
  await a.locator('#body-notice').getByText(fill(bg['council.body_added'], { name: 'Комисия по бюджета' })).waitFor();
  const committeeId = decodeURIComponent(new URL(a.url()).pathname.split('/').pop());
  const committee = await ok(await apiCall(a, 'GET', `/council/bodies/${committeeId}`), 'committee');
  assert.equal(committee.kind, 'standing_committee');
  assert.equal(committee.parent_id, body.id);
  assert.equal(committee.seats, 3);
  assert.equal(committee.vote_change, true);
  assert.equal(committee.time_zone, 'Europe/Sofia');

  // ------------------------------------------------------------ the body's page: changing it
  await a.getByRole('button', { name: bg['council.edit_body'], exact: true }).click();
  const edit = a.locator('#edit-body');
  await edit.getByRole('heading', { name: fill(bg['council.edit_body_title'], { name: 'Комисия по бюджета' }) }).waitFor();
  assert.equal(await edit.getByLabel(bg['council.seats'], { exact: true }).inputValue(), '3');
  await expectAccessible(a, 'body page: the edit dialog');
  await edit.getByLabel(bg['council.body_name'], { exact: true }).fill('Постоянна комисия по бюджета и финансите');
  await edit.getByLabel(bg['council.seats'], { exact: true }).fill('7');
  await edit.getByLabel(bg['council.camera_required_label']).check();
  await edit.getByRole('button', { name: bg['common.save'] }).click();
  await a.getByRole('heading', { level: 1, name: 'Постоянна комисия по бюджета и финансите' }).waitFor();
  await a.locator('#body-notice').getByText(bg['council.body_changed']).waitFor();
  assert.equal(await edit.count(), 0, 'the dialog is gone');
  const changed = await ok(await apiCall(a, 'GET', `/council/bodies/${committeeId}`), 'committee changed');
  assert.equal(changed.seats, 7);
  assert.equal(changed.camera_required, true);
  assert.equal(changed.parent_id, body.id);

  // ------------------------------------------------------------ a membership: a new seat
  await a.goto(`${baseUrl}/council/bodies/${body.id}`);
  const row = a.locator(`#members-table [data-member-id="${member.membershipId}"]`);
  await row.getByRole('button', { name: `${bg['council.change_membership']} — ${member.name}` }).click();
  const change = a.locator('#change-membership');
  await change.getByRole('heading', { name: fill(bg['council.change_membership_title'], { name: member.name }) }).waitFor();
  await expectAccessible(a, 'body page: the membership dialog');
  await change.getByLabel(bg['council.seat'], { exact: true }).fill('9');
  await change.getByRole('button', { name: bg['common.save'] }).click();
  await a.locator('#body-notice').getByText(fill(bg['council.membership_changed'], { name: member.name })).waitFor();
  await row.getByRole('cell', { name: '9', exact: true }).waitFor();
  // Focus went back to the button that opened the dialog (or the page kept it).
  assert.equal(await change.count(), 0, 'the dialog is gone');

  // ------------------------------------------------------------ the body form in three languages
  await a.goto(`${baseUrl}/council`);
  await a.locator('#add-body').waitFor();
  await expectAccessible(a, '/council with the body form (bg)');
  for (const [locale, language] of [['pl', 'Polski'], ['en', 'English']]) {
    const d = dict[locale];
    await a.getByRole('button', { name: language }).click();
    await a.getByRole('heading', { level: 2, name: d['council.add_body'] }).waitFor();
    await a.locator('#add-body').getByLabel(d['council.vote_change_label']).waitFor();
    await expectAccessible(a, `/council with the body form (${locale})`);
  }

  // ------------------------------------------------------------ the chair changes a sitting
  const sitting = await ok(await apiCall(a, 'POST', '/council/sittings', { body_id: body.id, title: 'Редовно заседание', start: sofiaIn(7 * 86400e3) }), 'sitting');
  const { page: c } = await openPage(setup.browser);
  await login(c, baseUrl, chair.accessCode);
  await c.goto(`${baseUrl}/council/sittings/${sitting.id}`);
  await c.getByRole('heading', { level: 1, name: fill(bg['council.sitting_name'], { number: sitting.number, title: 'Редовно заседание' }) }).waitFor();
  await c.getByRole('button', { name: bg['council.edit_sitting'], exact: true }).click();
  const dialog = c.locator('#edit-sitting');
  await dialog.getByRole('heading', { name: bg['council.edit_sitting_title'] }).waitFor();
  assert.equal(await dialog.getByLabel(bg['council.sitting_title'], { exact: true }).inputValue(), 'Редовно заседание');
  await expectAccessible(c, 'sitting page: the edit dialog');
  await dialog.getByLabel(bg['council.sitting_title'], { exact: true }).fill('Редовно заседание – бюджет');
  await dialog.getByRole('button', { name: bg['common.save'] }).click();
  await c.getByRole('heading', { level: 1, name: fill(bg['council.sitting_name'], { number: sitting.number, title: 'Редовно заседание – бюджет' }) }).waitFor();
  await c.locator('#sitting-notice').getByText(bg['council.sitting_changed']).waitFor();
  const after = await ok(await apiCall(c, 'GET', `/council/sittings/${sitting.id}`), 'sitting changed');
  assert.equal(after.title, 'Редовно заседание – бюджет');
  assert.equal(after.start, sitting.start, 'the time stayed');

  for (const page of [a, c]) page.assertClean();
});
