// An external guest: the organiser invites someone by e-mail on the meeting page (the link is
// shown once); the guest opens the link in a browser without an account, sees the meeting and
// enters; they land on the meeting's page with only their meeting in reach. A second use of
// the link is refused. axe-core on the organiser's section, the guest's pages.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { activateAdministrator, apiCall, bg, DESKTOP, expectAccessible, openPage, PHONE, scrollWidth, useServerAndBrowser } from './harness.mjs';

const setup = useServerAndBrowser();
const GUEST = 'Jan Kowalski';

test('a guest from outside: invited on the meeting page, enters once through the link', { timeout: 90_000 }, async () => {
  const { baseUrl } = setup.server;
  const { page: a } = await openPage(setup.browser);
  await activateAdministrator(a, setup.server);
  // On now: from the start of this hour, for two hours.
  const made = await apiCall(a, 'POST', '/meetings', { title: 'Приемане на обекта', start: new Date().toISOString().slice(0, 13) + ':00', duration: 7200, time_zone: 'UTC' });
  assert.equal(made.status, 201, made.body);
  await a.goto(`${baseUrl}/meetings/${made.json.id}`);
  const section = a.locator('#meeting-guests');
  await section.getByRole('heading', { level: 2, name: bg['guests.title'] }).waitFor();
  await section.getByLabel(bg['guests.name']).fill(GUEST);
  await section.getByLabel(bg['guests.email']).fill('jan@example.pl');
  await section.getByRole('button', { name: bg['guests.invite'] }).click();
  const box = a.locator('#guest-link');
  await box.waitFor();
  const url = (await box.locator('code, .issued__secret').first().textContent()).trim();
  assert.match(url, /\/guest\/[A-Za-z0-9_-]+$/);
  await section.locator('.people-actions__name', { hasText: GUEST }).waitFor();
  await expectAccessible(a, 'meeting page: a guest invited');

  // The guest, in a browser without an account.
  const { page: g } = await openPage(setup.browser);
  const path = new URL(url).pathname;
  await g.goto(`${baseUrl}${path}`);
  await g.getByRole('heading', { level: 1, name: 'Приемане на обекта' }).waitFor();
  await expectAccessible(g, 'guest link page');
  await g.setViewportSize(PHONE);
  assert.ok((await scrollWidth(g)) <= PHONE.width, 'the guest page fits a phone');
  await expectAccessible(g, 'guest link page (phone)');
  await g.setViewportSize(DESKTOP);
  await g.getByRole('button', { name: bg['guest.enter'] }).click();
  await g.waitForURL(new RegExp(`/meetings/${made.json.id}$`));
  await g.getByRole('heading', { level: 1, name: 'Приемане на обекта' }).waitFor();
  const nav = await g.locator('#main-nav a').allTextContents();
  assert.deepEqual(nav.map((x) => x.trim()), [bg['nav.home'], bg['nav.calendar']], 'only their meeting in reach');
  await expectAccessible(g, 'the guest on the meeting page');
  await g.getByRole('link', { name: bg['nav.home'] }).click();
  await g.locator('[data-meeting-id]').first().waitFor();
  assert.equal(await g.locator('#call-colleague').count(), 0, 'no calling');
  assert.equal(await g.getByRole('link', { name: bg['meetings.schedule'] }).count(), 0, 'no scheduling');
  await expectAccessible(g, 'the guest\'s start page');

  // Once only.
  const { page: h } = await openPage(setup.browser);
  await h.goto(`${baseUrl}${path}`);
  await h.getByText(bg['guest.used']).waitFor();
  assert.equal(await h.getByRole('button', { name: bg['guest.enter'] }).count(), 0);
  await expectAccessible(h, 'a used guest link');
});
