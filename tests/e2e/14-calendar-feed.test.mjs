// Calendar subscription and a room's week: a person creates the subscription address on the
// profile page; it is shown once (not after reloading) and serves text/calendar with her own
// meeting; replacing it makes the old address answer 404, taking it back the new one too. The
// page of a meeting room she is a member of shows its week: her meeting (a link) and the
// administrator's cancelled one (marked). axe-core on both pages, at desktop and phone widths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activateAdministrator, activateByApi, apiCall, bg, expectAccessible, login, onPhone, openPage, useServerAndBrowser } from './harness.mjs';

const setup = useServerAndBrowser();

const PERSON = 'Мариана Владова';
const HALL = 'Зала „Съединение“';
const TITLE = 'Съвет по бюджета';
const OTHER = 'Сбирка на комисията';

/** The wall clock in Sofia (the browsers' zone) at `ms`: { date, time }. */
function sofia(ms) {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone: 'Europe/Sofia', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' })
      .formatToParts(new Date(ms))
      .map((x) => [x.type, x.value]),
  );
  return { date: `${p.year}-${p.month}-${p.day}`, time: `${p.hour}:${p.minute}` };
}
const mondayOf = (date) => {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
};

test('calendar subscription on the profile page; a room\'s week', { timeout: 90_000 }, async () => {
  const { baseUrl } = setup.server;
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);

  // A colleague, a meeting room she may use, her meeting in it and the administrator's cancelled one.
  const units = (await apiCall(a, 'GET', '/units')).json.items;
  const made = await apiCall(a, 'POST', '/people', {
    display_name: PERSON,
    kind: 'employee',
    unit_id: (units.find((u) => u.kind === 'department') ?? units[0]).id,
    roles: [{ role: 'employee' }],
    locale: 'bg',
  });
  assert.equal(made.status, 201, made.body);
  const person = made.json;
  await activateByApi(baseUrl, person.access_code, person.activation_secret);
  const hall = await apiCall(a, 'POST', '/rooms', { name: HALL });
  assert.equal(hall.status, 201, hall.body);
  assert.equal((await apiCall(a, 'POST', `/rooms/${hall.json.id}/members`, { person_id: person.person.id })).status, 204);

  const { page: b } = await openPage(setup.browser);
  await login(b, baseUrl, person.access_code);
  const start = Date.now() + 2 * 3600_000;
  const at = sofia(start);
  const mine = await apiCall(b, 'POST', '/meetings', { title: TITLE, room_id: hall.json.id, start: `${at.date}T${at.time}`, time_zone: 'Europe/Sofia', duration: 3600 });
  assert.equal(mine.status, 201, mine.body);
  const at2 = sofia(start + 3600_000);
  const other = await apiCall(a, 'POST', '/meetings', { title: OTHER, room_id: hall.json.id, start: `${at2.date}T${at2.time}`, time_zone: 'Europe/Sofia', duration: 1800 });
  assert.equal(other.status, 201, other.body);
  assert.equal((await apiCall(a, 'POST', `/meetings/${other.json.id}/cancel`, { reason: 'Няма кворум' })).status, 200);

  // ------------------------------------------------------------ the profile page
  await b.goto(`${baseUrl}/profile#calendar-feed`);
  const section = b.locator('#calendar-feed');
  await section.getByRole('heading', { level: 2, name: bg['feed.title'] }).waitFor();
  await section.getByText(bg['feed.intro']).waitFor();
  await section.getByText(bg['feed.status_off'], { exact: true }).waitFor();
  await section.getByRole('button', { name: bg['feed.create'] }).click();
  const value = b.getByTestId('feed-url-value');
  await value.waitFor();
  const url1 = (await value.textContent()).trim();
  assert.match(url1, /\/api\/v1\/public\/calendars\/[^/]+\.ics$/);
  assert.equal(await b.evaluate(() => document.activeElement?.id), 'feed-url', 'the box takes the focus');
  await section.getByRole('heading', { level: 3, name: bg['feed.url_title'] }).waitFor();
  await section.getByRole('button', { name: bg['feed.copy'] }).waitFor();
  await section.getByText(bg['feed.status_on'], { exact: true }).waitFor();
  await expectAccessible(b, 'profile: new subscription address');
  await onPhone(b, 'profile: new subscription address');

  const feedUrl = (url) => baseUrl + new URL(url).pathname;
  const ics = await fetch(feedUrl(url1));
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  const text = await ics.text();
  assert.ok(text.includes(`UID:${mine.json.uid}`), 'her meeting is in the feed');
  assert.ok(text.includes(`SUMMARY:${TITLE}`), 'with its title');

  // Shown once: after reloading only the state is left, with the last use.
  await b.reload();
  await section.getByText(bg['feed.status_on'], { exact: true }).waitFor();
  assert.equal(await value.count(), 0);
  assert.ok(!(await b.content()).includes(new URL(url1).pathname), 'the address is not on the page again');
  assert.notEqual((await b.locator('#feed-last-used').textContent()).trim(), bg['feed.never_used']);

  // Replacing: confirmed in a dialog; the old address stops working.
  await section.getByRole('button', { name: bg['feed.replace'] }).click();
  const dialog = b.getByRole('dialog', { name: bg['feed.replace_title'] });
  await dialog.getByText(bg['feed.replace_confirm']).waitFor();
  await expectAccessible(b, 'profile: replace dialog');
  await dialog.getByRole('button', { name: bg['feed.replace'] }).click();
  await value.waitFor();
  const url2 = (await value.textContent()).trim();
  assert.notEqual(url2, url1);
  assert.equal((await fetch(feedUrl(url1))).status, 404, 'the old address answers 404');
  assert.equal((await fetch(feedUrl(url2))).status, 200);

  // Taking back.
  await section.getByRole('button', { name: bg['feed.revoke'] }).click();
  const revoke = b.getByRole('dialog', { name: bg['feed.revoke_title'] });
  await revoke.getByRole('button', { name: bg['feed.revoke'] }).click();
  await section.getByText(bg['feed.revoked_notice']).waitFor();
  await section.getByText(bg['feed.status_off'], { exact: true }).waitFor();
  assert.equal(await value.count(), 0);
  assert.equal((await fetch(feedUrl(url2))).status, 404, 'taken back');
  assert.equal((await apiCall(b, 'GET', '/me/calendar-feed')).json.exists, false);
  await expectAccessible(b, 'profile: taken back');

  // ------------------------------------------------------------ the room's week
  await b.goto(`${baseUrl}/rooms/${hall.json.id}`);
  const week = b.locator('#room-week');
  await week.getByRole('heading', { level: 2, name: bg['rooms.week_title'] }).waitFor();
  await week.getByRole('status').filter({ hasNotText: bg['common.loading'] }).waitFor();
  if (mondayOf(at.date) !== mondayOf(sofia(Date.now()).date)) {
    await week.getByRole('button', { name: bg['calendar.next'] }).click();
  }
  const entry = week.locator(`[data-room-meeting-id="${mine.json.id}"]`);
  await entry.getByRole('link', { name: TITLE }).waitFor();
  assert.ok((await entry.locator('time').textContent()).startsWith(at.time), 'the time in the browser\'s zone');
  if (mondayOf(at2.date) === mondayOf(at.date)) {
    const cancelled = week.locator(`[data-room-meeting-id="${other.json.id}"]`);
    await cancelled.getByText(bg['meetings.cancelled_badge'], { exact: true }).waitFor();
    assert.equal(await cancelled.getByRole('link').count(), 0, 'not invited: no link to a page she may not see');
  }
  await expectAccessible(b, 'room page with its week');
  await onPhone(b, 'room page with its week');
  if (mondayOf(at2.date) === mondayOf(at.date)) {
    await week.getByRole('button', { name: bg['calendar.next'] }).click();
    await week.getByText(bg['rooms.week_none']).waitFor();
    await expectAccessible(b, 'room page, an empty week');
  }
  b.assertClean();
  a.assertClean();
});
