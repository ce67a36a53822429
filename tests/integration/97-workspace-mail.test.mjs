// Meetings by e-mail: invitations that calendars understand (METHOD:REQUEST with the meeting's
// UID and a growing SEQUENCE), updates, cancellations (METHOD:CANCEL) and reminders, through the
// real server and an SMTP sink; each mail once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, activate, adminClient, waitFor, freePort, startSmtpSink } from './harness.mjs';

const port = await freePort();
const sink = await startSmtpSink({ port });
const server = await startServer({
  env: { RATUSHA_LOG_LEVEL: 'error', RATUSHA_SMTP_URL: sink.url, RATUSHA_SMTP_FROM: 'Ратуша <ratusha@example.org>', RATUSHA_PUBLIC_URL: 'https://ratusha.example.org' },
});
const admin = await adminClient(server);
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.find((u) => u.kind === 'department');

async function person(display_name, email) {
  const r = await admin.post('/api/v1/people', { display_name, email, kind: 'employee', unit_id: department.id });
  assert.equal(r.status, 201, r.text);
  const client = await activate(server, r.json.access_code, r.json.activation_secret);
  return { id: r.json.person.id, client, email };
}

const organiser = await person('Олга Организатор', 'olga@example.org');
const petar = await person('Петър Поканен', 'petar@example.org');
const zofia = await person('Zofia Żółkiewska', 'zofia@example.pl');

const mailsTo = (addr) => sink.messages().filter((m) => m.to.includes(addr));
// The iCalendar part of an invitation: {method (from the content type), text (unfolded)}.
function calendarOf(m) {
  const alt = m.mail.parts.find((p) => p.type === 'multipart/alternative');
  const cal = alt.parts.find((p) => p.type === 'text/calendar');
  return { method: cal.param('content-type', 'method'), text: cal.text().replace(/\r\n[ \t]/g, '') };
}
const field = (ics, name) => (ics.match(new RegExp(`^${name}[;:](.*)$`, 'm')) || [])[1];

test('invitation, change and cancellation reach each invitee once, as calendar messages', async () => {
  const created = await organiser.client.post('/api/v1/meetings', {
    title: 'Komisja budżetowa — заседание', agenda: 'Projekt uchwały', start: '2027-02-10T09:30', duration: 5400,
    time_zone: 'Europe/Warsaw', invitees: [{ kind: 'person', id: petar.id }, { kind: 'person', id: zofia.id }],
  });
  assert.equal(created.status, 201, created.text);
  const uid = created.json.uid;
  await waitFor(() => mailsTo('zofia@example.pl').length === 1 && mailsTo('petar@example.org').length === 1, { timeout: 20000, interval: 100, what: 'two invitations' });
  const invite = mailsTo('zofia@example.pl')[0];
  assert.match(invite.mail.header('subject'), /Komisja budżetowa — заседание/);
  const cal = calendarOf(invite);
  assert.equal(cal.method, 'REQUEST');
  assert.equal(field(cal.text, 'METHOD'), 'REQUEST');
  assert.equal(field(cal.text, 'UID'), uid);
  assert.equal(field(cal.text, 'SEQUENCE'), '0');
  assert.equal(field(cal.text, 'DTSTART'), '20270210T083000Z', '09:30 in Warsaw in winter');
  assert.equal(field(cal.text, 'SUMMARY'), 'Komisja budżetowa — заседание');
  assert.match(cal.text, /^ATTENDEE;.*mailto:zofia@example\.pl$/m);
  assert.match(cal.text, /^ORGANIZER;.*mailto:olga@example\.org$/m);
  assert.match(invite.mail.parts.find((p) => p.type === 'multipart/alternative').parts[0].text(), /https:\/\/ratusha\.example\.org\/meetings\//);
  assert.equal(mailsTo('olga@example.org').length, 0, 'not to the organiser');

  // Moved: everyone gets the updated invitation with a higher SEQUENCE.
  await organiser.client.patch(`/api/v1/meetings/${created.json.id}`, { start: '2027-02-11T10:00' });
  await waitFor(() => mailsTo('zofia@example.pl').length === 2, { timeout: 20000, interval: 100, what: 'the update' });
  const update = calendarOf(mailsTo('zofia@example.pl')[1]);
  assert.equal(update.method, 'REQUEST');
  assert.equal(field(update.text, 'UID'), uid);
  assert.equal(field(update.text, 'SEQUENCE'), '1');
  assert.equal(field(update.text, 'DTSTART'), '20270211T090000Z');

  // Petar taken off the list: he alone gets a cancellation.
  await organiser.client.patch(`/api/v1/meetings/${created.json.id}`, { invitees: [{ kind: 'person', id: zofia.id }] });
  await waitFor(() => mailsTo('petar@example.org').length === 3, { timeout: 20000, interval: 100, what: 'his cancellation' });
  assert.equal(calendarOf(mailsTo('petar@example.org')[2]).method, 'CANCEL');

  await organiser.client.post(`/api/v1/meetings/${created.json.id}/cancel`, { reason: 'Przeniesione' });
  await waitFor(() => mailsTo('zofia@example.pl').length === 4, { timeout: 20000, interval: 100, what: 'the cancellation' });
  const cancel = calendarOf(mailsTo('zofia@example.pl')[3]);
  assert.equal(cancel.method, 'CANCEL');
  assert.equal(field(cancel.text, 'STATUS'), 'CANCELLED');
  assert.equal(field(cancel.text, 'UID'), uid);
  await new Promise((r) => setTimeout(r, 1000));
  assert.equal(mailsTo('zofia@example.pl').length, 4, 'each once');
});

test('a repeating meeting is sent with its rule and its time zone, so calendars keep 10:00 across DST', async () => {
  const r = await organiser.client.post('/api/v1/meetings', {
    title: 'Оперативка', start: '2027-03-22T10:00', duration: 1800, time_zone: 'Europe/Sofia', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=6',
    invitees: [{ kind: 'person', id: petar.id }],
  });
  assert.equal(r.status, 201, r.text);
  await waitFor(() => mailsTo('petar@example.org').some((m) => calendarOf(m).text.includes(r.json.uid)), { timeout: 20000, interval: 100, what: 'the invitation' });
  const cal = calendarOf(mailsTo('petar@example.org').find((m) => calendarOf(m).text.includes(r.json.uid))).text;
  assert.match(cal, /^DTSTART;TZID=Europe\/Sofia:20270322T100000$/m);
  assert.match(cal, /^RRULE:FREQ=WEEKLY;COUNT=6;BYDAY=MO$/m);
  assert.match(cal, /^BEGIN:VTIMEZONE$/m);
});

test('a changed occurrence travels as RECURRENCE-ID, a cancelled one as EXDATE; "all following" as a new series', async () => {
  const r = await organiser.client.post('/api/v1/meetings', {
    title: 'Планьорка', start: '2027-04-05T09:00', duration: 1800, time_zone: 'Europe/Sofia', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=5',
    invitees: [{ kind: 'person', id: petar.id }],
  });
  assert.equal(r.status, 201, r.text);
  const uid = r.json.uid;
  const ofSeries = (id) => mailsTo('petar@example.org').filter((m) => calendarOf(m).text.includes(`UID:${id}`));
  await waitFor(() => ofSeries(uid).length === 1, { timeout: 20000, interval: 100, what: 'the invitation' });
  // 12 April 09:00 Sofia (UTC+3) moves to 15:00; 19 April is cancelled.
  const base = `/api/v1/meetings/${r.json.id}/occurrences/`;
  assert.equal((await organiser.client.patch(base + encodeURIComponent('2027-04-12T06:00:00Z'), { start: '2027-04-12T15:00' })).status, 200);
  assert.equal((await organiser.client.req('DELETE', base + encodeURIComponent('2027-04-19T06:00:00Z'))).status, 200);
  await waitFor(() => ofSeries(uid).length === 3, { timeout: 20000, interval: 100, what: 'two updates' });
  const last = calendarOf(ofSeries(uid)[2]).text;
  assert.equal(calendarOf(ofSeries(uid)[2]).method, 'REQUEST');
  assert.match(last, /^EXDATE;TZID=Europe\/Sofia:20270419T090000$/m);
  assert.match(last, /^RECURRENCE-ID;TZID=Europe\/Sofia:20270412T090000$/m);
  assert.match(last, /^DTSTART;TZID=Europe\/Sofia:20270412T150000$/m);
  assert.equal(last.match(/^BEGIN:VEVENT$/gm).length, 2, 'the series and its moved occurrence');
  assert.equal(last.match(new RegExp(`^UID:${uid}$`, 'gm')).length, 2, 'under the same UID');

  // From 26 April on at 10:00: the old series ends before it, a new one is sent.
  const split = await organiser.client.patch(base + encodeURIComponent('2027-04-26T06:00:00Z'), { scope: 'following', start: '2027-04-26T10:00' });
  assert.equal(split.status, 200, split.text);
  await waitFor(() => ofSeries(uid).length === 4 && ofSeries(split.json.uid).length === 1, { timeout: 20000, interval: 100, what: 'the split' });
  assert.match(calendarOf(ofSeries(uid)[3]).text, /^RRULE:FREQ=WEEKLY;UNTIL=20270426T055959Z;BYDAY=MO$/m);
  const next = calendarOf(ofSeries(split.json.uid)[0]).text;
  assert.match(next, /^DTSTART;TZID=Europe\/Sofia:20270426T100000$/m);
  assert.match(next, /^RRULE:FREQ=WEEKLY;COUNT=2;BYDAY=MO$/m);
});

test('a reminder by e-mail, once', async () => {
  const start = new Date(Date.now() + 15 * 60e3 + 3e3);
  start.setUTCSeconds(0, 0);
  start.setUTCMinutes(start.getUTCMinutes() + 1);
  const r = await organiser.client.post('/api/v1/meetings', {
    title: 'Кратка среща', start: start.toISOString().slice(0, 16), duration: 900, time_zone: 'UTC', invitees: [{ kind: 'person', id: petar.id }],
  });
  assert.equal(r.status, 201, r.text);
  const reminders = () => mailsTo('petar@example.org').filter((m) => /^Reminder: Кратка среща/.test(m.mail.header('subject')));
  await waitFor(async () => {
    await admin.post('/api/v1/jobs', { kind: 'workspace.reminders' });
    return reminders().length === 1;
  }, { timeout: 90000, interval: 1000, what: 'the reminder mail' });
  await admin.post('/api/v1/jobs', { kind: 'workspace.reminders' });
  await new Promise((res) => setTimeout(res, 2000));
  assert.equal(reminders().length, 1);
});
