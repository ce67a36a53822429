// Workspace: the administrator schedules a meeting through the form (an empty title is refused
// on the field; the time zone defaults to Sofia's for a Bulgarian; two colleagues found by name
// become chips) starting a little over 15 minutes ahead; the meeting page warns that one of them
// is already busy then. One invitee accepts in her own browser and the organiser's page shows it
// live; both invitees see the meeting on their dashboards (one on a phone); the reminder sweep
// (started through the admin API) makes the bell count rise live, a polite announcement is
// made, and the reminder is listed and opened; the "Join" link appears when the room opens and
// leads to the room's video meeting, whose breadcrumbs lead to the room, which links back to the
// call; someone not invited gets the not-found page (and the API says 404); the week calendar
// shows the meeting, and so does the month. Every page state is checked with axe-core, at
// desktop and phone widths, and the meeting page once in Polish. A real SMTP server on loopback
// receives the invitation and the reminder by mail.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  activateAdministrator, activateByApi, apiCall, bellName, bg, createColleague, dict, escapeRe, expectAccessible, fill, login, onPhone, openPage, PHONE, scrollWidth, useServerAndBrowser, waitForPath,
} from './harness.mjs';
import { freePort, startSmtpSink, waitFor } from '../integration/harness.mjs';

// A real SMTP server on loopback takes the invitations and the reminder by mail.
const sink = await startSmtpSink({ port: await freePort() });
const setup = useServerAndBrowser({ env: { RATUSHA_SMTP_URL: sink.url, RATUSHA_SMTP_FROM: 'Ратуша <ratusha@example.org>' } });
const pl = dict.pl;

const TITLE = 'Бюджет 2027 — работна среща';
const AGENDA = '1. Приходи от местни данъци\n2. Капиталови разходи';
const BUSY_TITLE = 'Планьорка на дирекцията';
const ALICE = 'Десислава Пенчева';
const BORIS = 'Любомир Цонев';
const VERA = 'Ралица Илиева';

const status = (page, text) => page.getByRole('status').filter({ hasText: text });
/** The bell's accessible name for `count` unread (Bulgarian plural: one / other). */

/** Checks the page at 360 px (no sideways scrolling, axe clean) and goes back to the desktop. */

/** The wall clock in Sofia at `ms`: { date: 'yyyy-mm-dd', time: 'hh:mm' }. */
function sofia(ms) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Sofia',
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    })
      .formatToParts(new Date(ms))
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}` };
}

/** Monday (yyyy-mm-dd) of the Sofia week of a Sofia day. */
function mondayOf(date) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

test('workspace: schedule, answer, dashboards, reminder, join, not invited, calendar', { timeout: 180_000 }, async () => {
  const { baseUrl } = setup.server;
  const admin = await openPage(setup.browser);
  const a = admin.page;
  await activateAdministrator(a, setup.server);

  // ------------------------------------------------------------ people, each in their own browser
  const [alice, boris, vera] = [await createColleague(a, ALICE), await createColleague(a, BORIS), await createColleague(a, VERA)];
  await Promise.all([alice, boris, vera].map((p) => activateByApi(baseUrl, p.accessCode, p.activationSecret)));
  const mailed = await apiCall(a, 'PATCH', `/people/${alice.id}`, { email: 'desislava@example.org' });
  assert.equal(mailed.status, 200, mailed.body);
  const [aliceCtx, borisCtx, veraCtx] = await Promise.all([
    openPage(setup.browser),
    openPage(setup.browser, { viewport: PHONE }),
    openPage(setup.browser),
  ]);
  const [b, c, d] = [aliceCtx.page, borisCtx.page, veraCtx.page];
  await Promise.all([login(b, baseUrl, alice.accessCode), login(c, baseUrl, boris.accessCode), login(d, baseUrl, vera.accessCode)]);
  // Everything Alice's page announces politely (the region is emptied again after a while).
  await b.evaluate(() => {
    window.announced = [];
    const region = document.getElementById('notification-announcer');
    new MutationObserver(() => {
      const text = region.textContent.trim();
      if (text) window.announced.push(text);
    }).observe(region, { childList: true, characterData: true, subtree: true });
  });

  // Boris already has a meeting at that time (so the new one warns about him).
  const busyStart = sofia(Date.now() + 20 * 60_000);
  const busy = await apiCall(a, 'POST', '/meetings', {
    title: BUSY_TITLE,
    start: `${busyStart.date}T${busyStart.time}`,
    time_zone: 'Europe/Sofia',
    duration: 3600,
    invitees: [{ kind: 'person', id: boris.id }],
  });
  assert.equal(busy.status, 201, busy.body);

  // ------------------------------------------------------------ the form
  const nav = a.getByRole('navigation', { name: bg['nav.label'] });
  await nav.getByRole('link', { name: bg['nav.calendar'] }).click();
  await waitForPath(a, '/calendar');
  await a.getByRole('heading', { level: 1, name: bg['calendar.title'] }).waitFor();
  await a.getByRole('link', { name: bg['meetings.schedule'] }).click();
  await waitForPath(a, '/meetings/new');
  await a.getByRole('heading', { level: 1, name: bg['meetings.new'] }).waitFor();
  assert.equal(await nav.getByRole('link', { name: bg['nav.calendar'] }).getAttribute('aria-current'), 'true');
  assert.equal(await a.getByLabel(bg['meetings.zone'], { exact: true }).inputValue(), 'Europe/Sofia', 'Sofia for a Bulgarian');
  await a.locator('#meeting-room option').first().waitFor({ state: 'attached' });
  assert.equal(await a.locator('#meeting-room').inputValue() !== '', true, 'a room is chosen: the personal one');
  await expectAccessible(a, 'new meeting form (bg)');

  // No title: refused in the browser, on the field and in the summary.
  const submit = a.getByRole('button', { name: bg['meetings.schedule_submit'] });
  await submit.click();
  const alert = a.locator('#meeting-form').getByRole('alert');
  await alert.getByRole('link', { name: `${bg['meetings.title_field']}: ${bg['validation.required']}` }).waitFor();
  assert.equal(await a.locator('#meeting-title').getAttribute('aria-invalid'), 'true');
  await expectAccessible(a, 'new meeting form with an error (bg)');

  await a.getByLabel(bg['meetings.title_field'], { exact: true }).fill(TITLE);
  await a.getByLabel(bg['meetings.agenda'], { exact: true }).fill(AGENDA);
  await a.getByLabel(bg['meetings.duration'], { exact: true }).selectOption('30');
  // Weekly with a weekday box shows and builds an RRULE; back to a single meeting.
  await a.getByRole('radio', { name: bg['repeat.kind.weekly'] }).check();
  await a.getByRole('group', { name: bg['repeat.days'] }).waitFor();
  await a.getByRole('radio', { name: bg['repeat.kind.none'] }).check();
  // Two invitees found by name, shown as chips with remove buttons.
  const find = a.getByLabel(bg['meetings.invitee_find'], { exact: true });
  for (const name of [ALICE, BORIS]) {
    await find.fill(name.split(' ')[1]);
    const box = a.getByRole('checkbox', { name: new RegExp(escapeRe(name)) });
    await box.check();
    await a.locator('.chips .chip__name').getByText(name, { exact: true }).waitFor();
  }
  await a.getByRole('button', { name: `${bg['meetings.invitee_remove']} — ${ALICE}` }).waitFor();
  await expectAccessible(a, 'new meeting form, filled (bg)');
  await onPhone(a, 'new meeting form, filled (bg)');

  // It starts at the first whole minute more than 15 minutes ahead: its reminder and its room
  // are due within a minute.
  const startMs = Math.ceil((Date.now() + 15 * 60_000 + 10_000) / 60_000) * 60_000;
  const start = sofia(startMs);
  await a.getByLabel(bg['meetings.date'], { exact: true }).fill(start.date);
  await a.getByLabel(bg['meetings.time'], { exact: true }).fill(start.time);
  await submit.click();
  await a.waitForURL((url) => /^\/meetings\/[^/]+$/.test(url.pathname) && url.pathname !== '/meetings/new');
  const meetingPath = new URL(a.url()).pathname;
  const meetingId = decodeURIComponent(meetingPath.split('/').pop());
  await a.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  await status(a, fill(bg['meetings.created'], { title: TITLE })).waitFor();
  const conflicts = a.locator('#meeting-conflicts');
  await conflicts.getByText(bg['meetings.conflicts_title']).waitFor();
  await conflicts.getByText(new RegExp(`${escapeRe(BORIS)}.*${escapeRe(BUSY_TITLE)}`)).waitFor();
  await a.getByText('Капиталови разходи').waitFor();
  const inviteeRow = (page, name) => page.locator('#invitees-table tbody tr').filter({ has: page.getByRole('rowheader', { name: new RegExp(escapeRe(name)) }) });
  await inviteeRow(a, ALICE).getByText(bg['meetings.response.needs-action']).waitFor();
  await inviteeRow(a, BORIS).waitFor();
  await a.getByRole('link', { name: bg['meetings.documents'] }).waitFor();
  await a.getByRole('link', { name: bg['meetings.edit'] }).waitFor();
  await expectAccessible(a, 'meeting page after scheduling, with conflicts (bg)');
  await onPhone(a, 'meeting page (bg)');

  // ------------------------------------------------------------ Alice: dashboard, answer
  await b.getByRole('link', { name: bellName(1) }).waitFor();
  const aliceItem = b.locator(`.meeting-item[data-meeting-id="${meetingId}"]`);
  await aliceItem.getByRole('link', { name: TITLE }).waitFor();
  await aliceItem.getByText(bg['meetings.response.needs-action']).waitFor();
  await expectAccessible(b, 'invitee dashboard with the meeting (bg)');
  await aliceItem.getByRole('link', { name: TITLE }).click();
  await waitForPath(b, meetingPath);
  await b.getByRole('heading', { level: 1, name: TITLE }).waitFor();
  assert.equal(await b.getByRole('link', { name: bg['meetings.edit'] }).count(), 0, 'an invitee does not edit');
  await b.getByRole('radio', { name: bg['meetings.answer.accepted'] }).check();
  await b.getByLabel(bg['meetings.comment_optional']).fill('Ще донеса справката');
  await b.getByRole('button', { name: bg['meetings.answer_submit'] }).click();
  await status(b, fill(bg['meetings.answer_saved'], { answer: bg['meetings.response.accepted'] })).waitFor();
  await expectAccessible(b, 'invitee meeting page after accepting (bg)');
  // The organiser's page follows live.
  await inviteeRow(a, ALICE).getByText(bg['meetings.response.accepted']).waitFor();
  await inviteeRow(a, ALICE).getByText('Ще донеса справката').waitFor();

  // ------------------------------------------------------------ a second language
  await b.getByRole('button', { name: 'Polski' }).click();
  await b.getByRole('heading', { level: 2, name: pl['meetings.my_answer'] }).waitFor();
  await b.getByRole('radio', { name: pl['meetings.answer.accepted'] }).waitFor();
  await b.getByRole('heading', { level: 2, name: pl['meetings.invitees'] }).waitFor();
  await b.getByRole('link', { name: new RegExp(`^${escapeRe(pl['notifications.bell.one'].split(',')[0])}`) }).waitFor();
  await expectAccessible(b, 'meeting page (pl)');
  await b.getByRole('button', { name: 'Български' }).click();
  await b.getByRole('heading', { level: 2, name: bg['meetings.my_answer'] }).waitFor();

  // ------------------------------------------------------------ Boris: dashboard on a phone
  const borisItem = c.locator(`.meeting-item[data-meeting-id="${meetingId}"]`);
  await borisItem.getByRole('link', { name: TITLE }).waitFor();
  await c.getByRole('link', { name: BUSY_TITLE }).waitFor();
  assert.ok((await scrollWidth(c)) <= PHONE.width, `the dashboard fits 360 px (${await scrollWidth(c)})`);
  await expectAccessible(c, 'invitee dashboard (phone)');

  // ------------------------------------------------------------ Vera was not invited
  await d.goto(`${baseUrl}${meetingPath}`);
  await d.getByRole('heading', { level: 1, name: bg['meetings.missing_title'] }).waitFor();
  await d.getByRole('link', { name: bg['calendar.back'] }).waitFor();
  assert.equal(await d.getByText(TITLE).count(), 0, 'nothing of the meeting shows');
  await expectAccessible(d, 'meeting not found (bg)');
  assert.equal((await apiCall(d, 'GET', `/meetings/${meetingId}`)).status, 404);

  // ------------------------------------------------------------ the week calendar
  await nav.getByRole('link', { name: bg['nav.calendar'] }).click();
  await waitForPath(a, '/calendar');
  await a.getByRole('heading', { level: 2, name: /\d/ }).waitFor();
  if (mondayOf(start.date) !== mondayOf(sofia(Date.now()).date)) {
    await a.getByRole('link', { name: bg['calendar.next'] }).click();
    await a.waitForURL((url) => url.searchParams.get('week') === mondayOf(start.date));
  }
  const day = a.locator(`.week__day[data-day="${start.date}"]`);
  await day.locator(`.meeting-item[data-meeting-id="${meetingId}"]`).getByRole('link', { name: TITLE }).waitFor();
  await expectAccessible(a, 'week calendar (bg)');
  await onPhone(a, 'week calendar (bg)');
  // The month as a table (the meeting in its day when it is this month's).
  await a.getByRole('link', { name: bg['calendar.month_view'] }).click();
  await a.locator('#month-table').waitFor();
  if (start.date.slice(0, 7) === sofia(Date.now()).date.slice(0, 7)) {
    await a.locator(`#month-table td[data-day="${start.date}"]`).getByRole('link', { name: TITLE }).waitFor();
  }
  await expectAccessible(a, 'month calendar (bg)');

  // ------------------------------------------------------------ the reminder, live
  const deadline = Date.now() + 80_000;
  for (;;) {
    const job = await apiCall(a, 'POST', '/jobs', { kind: 'workspace.reminders' });
    assert.equal(job.status, 201, job.body);
    try {
      await b.getByRole('link', { name: bellName(2) }).waitFor({ timeout: 2_000 });
      break;
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
  }
  // Announced when it came (in the language of the moment: it may have come during the Polish
  // part), with the notification's text after its kind and title.
  const said = await b.evaluate(() => window.announced);
  const expected = [bg, pl].map((l) => fill(l['notifications.arrived'], { kind: l['notifications.kind.meeting.reminder'], title: TITLE }));
  assert.ok(said.some((text) => expected.some((start) => text.startsWith(`${start}. `))), `the reminder was announced: ${JSON.stringify(said)}`);
  const invitedSaid = fill(bg['notifications.arrived'], { kind: bg['notifications.kind.meeting.invited'], title: TITLE });
  assert.ok(said.some((text) => text.startsWith(`${invitedSaid}. `)), 'so was the invitation');
  await expectAccessible(b, 'a reminder arrived (bg)');
  // ... and by mail, once, after the invitation (a calendar message with the meeting's UID).
  const toAlice = () => sink.messages().filter((m) => m.to.includes('desislava@example.org'));
  await waitFor(() => toAlice().some((m) => m.mail.header('subject').startsWith(`Reminder: ${TITLE}`)), { timeout: 30_000, interval: 200, what: 'the reminder by mail' });
  assert.equal(toAlice().filter((m) => m.mail.header('subject').startsWith('Reminder: ')).length, 1, 'one reminder mail');
  assert.ok(toAlice().some((m) => m.mail.header('subject').startsWith(`Invitation: ${TITLE}`)), 'the invitation came by mail too');
  await b.getByRole('link', { name: bellName(2) }).click();
  await waitForPath(b, '/notifications');
  await b.getByRole('heading', { level: 1, name: bg['notifications.title'] }).waitFor();
  const reminder = b.locator('.notification[data-kind="meeting.reminder"]');
  await reminder.getByText(TITLE).waitFor();
  await reminder.getByText(bg['notifications.unread']).waitFor();
  await b.locator('.notification[data-kind="meeting.invited"]').getByText(TITLE).waitFor();
  await expectAccessible(b, 'notifications, two unread (bg)');
  await onPhone(b, 'notifications (bg)');
  await reminder.getByRole('link').click();
  await waitForPath(b, meetingPath);
  await b.getByRole('link', { name: bellName(1) }).waitFor();
  await b.getByRole('link', { name: bellName(1) }).click();
  await waitForPath(b, '/notifications');
  await b.getByRole('button', { name: bg['notifications.mark_all'] }).click();
  await status(b, bg['notifications.marked_all']).waitFor();
  await b.getByRole('link', { name: bellName(0) }).waitFor();
  assert.equal(await b.locator('.notification--unread').count(), 0, 'none unread');

  // ------------------------------------------------------------ the room opens: "Join"
  const join = borisItem.getByRole('link', { name: `${bg['meetings.join']} — ${TITLE}` });
  await join.waitFor({ timeout: 60_000 });
  assert.ok((await scrollWidth(c)) <= PHONE.width, 'the dashboard with Join fits 360 px');
  await expectAccessible(c, 'invitee dashboard with Join (phone)');
  // "Join" leads to the room's video meeting; its breadcrumbs lead to the room, whose own
  // "Join the video meeting" link leads back to the call.
  const callPath = await join.getAttribute('href');
  assert.match(callPath, /^\/rooms\/[^/]+\/call$/, 'Join leads to the video meeting');
  const roomPath = callPath.replace(/\/call$/, '');
  await join.click();
  await waitForPath(c, callPath);
  await c.getByRole('heading', { level: 1 }).waitFor();
  await c.getByRole('navigation', { name: bg['docs.breadcrumbs'] }).locator(`a[href="${roomPath}"]`).click();
  await waitForPath(c, roomPath);
  await c.getByRole('heading', { level: 1 }).waitFor();
  const videoLink = c.locator('#room-video').getByRole('link', { name: bg['rooms.video_join'] });
  await videoLink.waitFor();
  assert.equal(await videoLink.getAttribute('href'), callPath, 'the room page leads to its video meeting');
  await c.locator(`.meeting-item[data-meeting-id="${meetingId}"]`).waitFor();
  await expectAccessible(c, 'room page for an invitee (phone)');

  for (const p of [a, b, c, d]) p.assertClean();
  await Promise.all([admin, aliceCtx, borisCtx, veraCtx].map((x) => x.context.close()));
});
