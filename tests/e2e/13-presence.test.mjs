// Presence and notifications in the reader's language: an organiser (Alice) schedules a meeting
// with one invitee (Boris) through the API and opens its page, where every invitee's presence
// shows beside their name (a dot with a text alternative). Boris, in his own browser, opens the
// status menu in the header with the keyboard (Escape closes it and gives the focus back), says
// he is busy and turns on "do not disturb"; Alice's page follows live (the invitee list and the
// author of his chat message). With "do not disturb" on, a new invitation raises Boris's bell
// count but is not announced. In Polish, his notification centre words the invitations from
// their data: the room and a Polish date in his zone (and the meeting's own wall time for a
// meeting in Warsaw's time), not the server's English. Boris closes his browser: Alice sees him
// go offline. axe-core on the header with the status menu open and on the meeting page with the
// indicators, at desktop and phone widths.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, bellName, bg, createColleague, DESKTOP, dict, escapeRe, expectAccessible, fill, login, onPhone, openPage, PHONE, scrollWidth, useServerAndBrowser, waitForPath,
} from './harness.mjs';

const setup = useServerAndBrowser();
const pl = dict.pl;

const TITLE = 'Обществени поръчки — преглед';
const SECOND = 'Градска среда — оглед';
const ALICE = 'Десислава Пенчева';
const BORIS = 'Любомир Цонев';
const MESSAGE = 'Ще прегледам документите следобед.';

/** The text alternative of a presence indicator, in `l`. */
const presenceText = (l, state, dnd = false) => (dnd ? fill(l['presence.with_dnd'], { state: l[`presence.state.${state}`] }) : l[`presence.state.${state}`]);
/** The name of the status button in the header. */
const statusButtonName = (l, state, dnd = false) => `${l['presence.my_status']}: ${presenceText(l, state, dnd)}`;

/** The day after tomorrow at `time` in `zone`, as the meeting form's wall time. */
function wallTimeIn(zone, time) {
  const day = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(new Date(Date.now() + 2 * 24 * 3600_000));
  return `${day}T${time}`;
}

const inviteeRow = (page, name) =>
  page.locator('#invitees-table tbody tr').filter({ has: page.getByRole('rowheader', { name: new RegExp(escapeRe(name)) }) });

/** Waits until the invitee's indicator says `state` (and `dnd`), in Bulgarian. */
async function expectInviteePresence(page, name, state, dnd = false) {
  const indicator = inviteeRow(page, name).locator(`.presence[data-state="${state}"]`);
  await indicator.waitFor();
  assert.equal((await indicator.textContent()).trim(), presenceText(bg, state, dnd), `${name}: the indicator's text`);
  assert.equal(await indicator.locator('svg').getAttribute('aria-hidden'), 'true', 'the dot itself is hidden from screen readers');
  // The row header (the person's name) carries the state for screen readers too.
  await page.getByRole('rowheader', { name: new RegExp(`${escapeRe(name)}.*${escapeRe(presenceText(bg, state, dnd))}`) }).waitFor();
}

/** Checks the page at 360 px (no sideways scrolling, axe clean) and goes back to the desktop. */

test('presence: own status menu, live indicators, do not disturb, offline; notifications worded from data', { timeout: 120_000 }, async () => {
  const { baseUrl } = setup.server;
  const admin = await openPage(setup.browser);
  await activateAdministrator(admin.page, setup.server);
  const [alice, boris] = [await createColleague(admin.page, ALICE), await createColleague(admin.page, BORIS)];
  await admin.context.close();
  await Promise.all([alice, boris].map((p) => activateByApi(baseUrl, p.accessCode, p.activationSecret)));
  const [aliceCtx, borisCtx] = await Promise.all([openPage(setup.browser), openPage(setup.browser)]);
  const [a, b] = [aliceCtx.page, borisCtx.page];
  await Promise.all([login(a, baseUrl, alice.accessCode), login(b, baseUrl, boris.accessCode)]);

  // ------------------------------------------------------------ Alice's meeting, Boris invited
  const created = await apiCall(a, 'POST', '/meetings', {
    title: TITLE,
    start: wallTimeIn('Europe/Sofia', '10:00'),
    time_zone: 'Europe/Sofia',
    duration: 3600,
    invitees: [{ kind: 'person', id: boris.id }],
  });
  assert.equal(created.status, 201, created.body);
  const meeting = JSON.parse(created.body);
  const meetingPath = `/meetings/${meeting.id}`;
  await b.getByRole('link', { name: bellName(1) }).waitFor(); // the invitation

  await a.goto(`${baseUrl}${meetingPath}`);
  await a.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await expectInviteePresence(a, BORIS, 'available');
  await expectInviteePresence(a, ALICE, 'available');
  // Alice's own status in her header.
  await a.getByRole('button', { name: statusButtonName(bg, 'available'), exact: true }).waitFor();
  await expectAccessible(a, 'meeting page with presence indicators (bg)');

  // ------------------------------------------------------------ Boris: the status menu, by keyboard
  const statusButton = b.locator('#status-menu-button');
  await b.getByRole('button', { name: statusButtonName(bg, 'available'), exact: true }).waitFor();
  assert.equal(await statusButton.getAttribute('aria-expanded'), 'false');
  await statusButton.focus();
  await b.keyboard.press('Enter');
  const showAs = b.getByRole('group', { name: bg['presence.show_as'] });
  await showAs.waitFor();
  assert.equal(await statusButton.getAttribute('aria-expanded'), 'true');
  assert.equal(await showAs.getByRole('radio', { name: bg['presence.state.available'] }).isChecked(), true, 'available is chosen');
  const dndBox = b.getByRole('checkbox', { name: bg['presence.dnd'] });
  assert.equal(await dndBox.isChecked(), false);
  await b.keyboard.press('Tab'); // into the panel
  assert.equal(await b.evaluate(() => document.activeElement?.closest('#status-menu-panel') !== null), true, 'Tab goes into the panel');
  await expectAccessible(b, 'header with the status menu open (bg)');
  await b.keyboard.press('Escape');
  await showAs.waitFor({ state: 'hidden' });
  assert.equal(await statusButton.getAttribute('aria-expanded'), 'false');
  assert.equal(await b.evaluate(() => document.activeElement?.id), 'status-menu-button', 'Escape gives the focus back');

  // Busy, then do not disturb.
  await statusButton.click();
  await showAs.getByRole('radio', { name: bg['presence.state.busy'] }).check();
  await b.getByRole('button', { name: statusButtonName(bg, 'busy'), exact: true }).waitFor();
  await dndBox.check();
  await b.getByRole('button', { name: statusButtonName(bg, 'busy', true), exact: true }).waitFor();
  assert.equal(await showAs.getByRole('radio', { name: bg['presence.state.busy'] }).isChecked(), true);
  assert.equal(await dndBox.isChecked(), true);
  await expectAccessible(b, 'header with the status menu open, busy and do not disturb (bg)');
  // On a phone the status is in the header's menu.
  await b.setViewportSize(PHONE);
  const menuToggle = b.getByRole('button', { name: bg['layout.menu'] });
  await menuToggle.click();
  if ((await statusButton.getAttribute('aria-expanded')) !== 'true') await statusButton.click();
  await showAs.waitFor();
  assert.ok((await scrollWidth(b)) <= PHONE.width, `the header with the status menu fits 360 px (${await scrollWidth(b)})`);
  await expectAccessible(b, 'header with the status menu open (phone)');
  await menuToggle.click();
  await b.setViewportSize(DESKTOP);

  // ------------------------------------------------------------ Alice sees it live
  await expectInviteePresence(a, BORIS, 'busy', true);
  const mine = JSON.parse((await apiCall(b, 'GET', `/presence?ids=${boris.id}`)).body).items[0];
  assert.deepEqual(mine, { person_id: boris.id, state: 'busy', dnd: true });

  // Boris writes in the chat: his name there carries the indicator as well.
  await b.goto(`${baseUrl}${meetingPath}`);
  await b.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await b.getByRole('button', { name: statusButtonName(bg, 'busy', true), exact: true }).waitFor();
  // Everything Boris's page announces about notifications from now on.
  await b.evaluate(() => {
    window.announced = [];
    const region = document.getElementById('notification-announcer');
    new MutationObserver(() => {
      const text = region.textContent.trim();
      if (text) window.announced.push(text);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });
  await b.getByLabel(bg['chat.message'], { exact: true }).fill(MESSAGE);
  await b.getByRole('button', { name: bg['chat.send'], exact: true }).click();
  const logA = a.getByRole('log', { name: bg['chat.title'] });
  const messageA = logA.locator('.chat-message').filter({ hasText: MESSAGE });
  await messageA.waitFor();
  const authorPresence = messageA.locator('.presence');
  await messageA.locator('.presence[data-state="busy"]').waitFor();
  assert.equal((await authorPresence.textContent()).trim(), presenceText(bg, 'busy', true), 'the author indicator’s text alternative');
  assert.equal(await authorPresence.getAttribute('title'), presenceText(bg, 'busy', true), 'and its tooltip');
  await expectAccessible(a, 'meeting page with live presence, busy and do not disturb (bg)');
  await onPhone(a, 'meeting page with presence indicators (bg)');

  // ------------------------------------------------------------ do not disturb: counted, not announced
  const second = await apiCall(a, 'POST', '/meetings', {
    title: SECOND,
    start: wallTimeIn('Europe/Warsaw', '12:30'),
    time_zone: 'Europe/Warsaw',
    duration: 1800,
    invitees: [{ kind: 'person', id: boris.id }],
  });
  assert.equal(second.status, 201, second.body);
  const secondMeeting = JSON.parse(second.body);
  await b.getByRole('link', { name: bellName(2) }).waitFor();
  await b.waitForTimeout(500);
  assert.deepEqual(await b.evaluate(() => window.announced), [], 'nothing announced while "do not disturb" is on');

  // ------------------------------------------------------------ notifications in Polish, from their data
  await b.getByRole('button', { name: 'Polski' }).click();
  await b.getByRole('button', { name: statusButtonName(pl, 'busy', true), exact: true }).waitFor();
  await b.locator('a.bell').click();
  await waitForPath(b, '/notifications');
  await b.getByRole('heading', { level: 1, name: pl['notifications.title'] }).waitFor();
  // How Polish writes these times in Boris's zone (Sofia), by his browser's own Intl.
  const words = await b.evaluate(
    ({ first, second }) => {
      const long = { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' };
      return {
        first: new Intl.DateTimeFormat('pl-PL', long).format(new Date(first)),
        second: new Intl.DateTimeFormat('pl-PL', long).format(new Date(second)),
        secondInWarsaw: new Intl.DateTimeFormat('pl-PL', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Warsaw' }).format(new Date(second)),
      };
    },
    { first: meeting.starts_at, second: secondMeeting.starts_at },
  );
  const invitation = (title) => b.locator('.notification[data-kind="meeting.invited"]').filter({ hasText: title });
  const firstText = fill(pl['notifications.text.meeting.invited'], { actor: ALICE, when: words.first, room: meeting.room.name });
  await invitation(TITLE).locator('.notification__body').getByText(firstText, { exact: true }).waitFor();
  const zoneNote = fill(pl['meetings.zone_note'], { time: words.secondInWarsaw, zone: pl['zone_of.Europe/Warsaw'] });
  const secondText = fill(pl['notifications.text.meeting.invited'], { actor: ALICE, when: `${words.second} (${zoneNote})`, room: secondMeeting.room.name });
  await invitation(SECOND).locator('.notification__body').getByText(secondText, { exact: true }).waitFor();
  // The server's English text is not what is shown.
  const stored = JSON.parse((await apiCall(b, 'GET', '/notifications?limit=5')).body).items;
  const storedFirst = stored.find((n) => n.kind === 'meeting.invited' && n.title === TITLE);
  assert.deepEqual(storedFirst.data, { starts_at: meeting.starts_at, time_zone: 'Europe/Sofia', room: meeting.room.name, actor: ALICE });
  assert.equal(await b.getByText(storedFirst.body, { exact: true }).count(), 0, 'not the English body');
  await expectAccessible(b, 'notifications worded from their data (pl)');

  // ------------------------------------------------------------ Boris leaves: offline
  await borisCtx.context.close();
  await expectInviteePresence(a, BORIS, 'offline');
  await messageA.locator('.presence[data-state="offline"]').waitFor();
  assert.equal((await authorPresence.textContent()).trim(), presenceText(bg, 'offline'));
  await expectAccessible(a, 'meeting page with someone offline (bg)');

  a.assertClean();
  b.assertClean();
  await aliceCtx.context.close();
});
