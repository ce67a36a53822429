// External guests: invited by e-mail to one meeting with a link that works once and until the
// meeting's next occurrence ends. Looking at the link does not use it; entering does, and the
// guest's session sees that meeting (and its chat), nothing else, and ends with it. Used,
// expired and revoked links are refused; a colleague's address is not a guest's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, activate, adminClient, problemSlug, waitFor, freePort, startSmtpSink, Client } from './harness.mjs';

const sink = await startSmtpSink({ port: await freePort() });
const server = await startServer({
  env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_SMTP_URL: sink.url, RATUSHA_SMTP_FROM: 'Ратуша <ratusha@example.org>', RATUSHA_PUBLIC_URL: 'https://ratusha.example.org' },
});
const admin = await adminClient(server);
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.find((u) => u.kind === 'department');
const count = (table, where = '1 = 1') => Number(sql(server.database, `SELECT COUNT(*) FROM ${table} WHERE ${where}`));
const fieldsOf = (json) => (json.errors || []).map((e) => e.field);

async function person(display_name, email) {
  const r = await admin.post('/api/v1/people', { display_name, email, kind: 'employee', unit_id: department.id });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.person.id, client: await activate(server, r.json.access_code, r.json.activation_secret) };
}
const ana = await person('Ана Домакин', 'ana@example.org');
const boris = await person('Борис Колега', 'boris@example.org');

const tomorrow = () => {
  const d = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date(Date.now() + 86400e3));
  return `${d}T10:00`;
};
// On now (from the start of this hour, for two hours): its guests' links work now.
const thisHourUtc = () => new Date().toISOString().slice(0, 13) + ':00';
const meeting = (await ana.client.post('/api/v1/meetings', { title: 'Среща с изпълнителя', start: thisHourUtc(), duration: 7200, time_zone: 'UTC' })).json;
const other = (await ana.client.post('/api/v1/meetings', { title: 'Вътрешна среща', start: tomorrow(), duration: 1800, time_zone: 'Europe/Sofia' })).json;
const tokenOf = (url) => new URL(url).pathname.split('/').pop();
const invite = (email, display_name) => ana.client.post(`/api/v1/meetings/${meeting.id}/guests`, { email, display_name });

test('a guest is invited by mail, enters once, and sees only that meeting', async () => {
  const r = await invite('Jan.Kowalski@example.pl', 'Jan Kowalski');
  assert.equal(r.status, 201, r.text);
  const g = r.json;
  assert.match(g.url, /^https:\/\/ratusha\.example\.org\/guest\/[A-Za-z0-9_-]{30,}$/);
  assert.equal(g.email, 'jan.kowalski@example.pl');
  assert.equal(g.used_at, null);
  assert.ok(Math.abs(Date.parse(g.expires_at) - Date.now() - 30 * 86400e3) < 60e3, 'good for 30 days');
  assert.equal(Date.parse(meeting.starts_at) - Date.parse(g.opens_at), 15 * 60e3, 'from 15 minutes before the meeting');
  assert.deepEqual((await ana.client.get(`/api/v1/meetings/${meeting.id}/guests`)).json.items.map((x) => x.id), [g.id]);
  assert.equal((await ana.client.get(`/api/v1/meetings/${meeting.id}/guests`)).json.items[0].url, undefined, 'the link is shown once');
  // The invitation: a calendar message with the guest's own link in the text.
  await waitFor(() => sink.messages().some((m) => m.to.includes('jan.kowalski@example.pl')), { timeout: 20000, interval: 100, what: 'the invitation' });
  const mail = sink.messages().find((m) => m.to.includes('jan.kowalski@example.pl'));
  const alt = mail.mail.parts.find((p) => p.type === 'multipart/alternative');
  assert.ok(alt.parts[0].text().includes(g.url), 'the link is in the mail');
  assert.ok(alt.parts.some((p) => p.type === 'text/calendar'));

  // Looking does not use it (mail scanners open links).
  const token = tokenOf(g.url);
  const anon = new Client(server.url);
  for (let i = 0; i < 2; i++) {
    const look = await anon.get(`/api/v1/public/guest-links/${token}`);
    assert.equal(look.status, 200, look.text);
    assert.equal(look.json.state, 'valid');
    assert.equal(look.json.meeting.title, 'Среща с изпълнителя');
    assert.equal(look.json.display_name, 'Jan Kowalski');
  }
  const guest = new Client(server.url);
  const entered = await guest.post(`/api/v1/public/guest-links/${token}`);
  assert.equal(entered.status, 200, entered.text);
  assert.equal(entered.json.meeting_id, meeting.id);
  assert.equal(entered.json.person.kind, 'guest');
  assert.equal(Date.parse(entered.json.absolute_expires_at), Date.parse(meeting.starts_at) + 7200e3, 'the session ends with the meeting');
  assert.ok(guest.cookie);

  // What the guest may see: the meeting and its chat; not the directory, not other meetings.
  assert.equal((await guest.get(`/api/v1/meetings/${meeting.id}`)).status, 200);
  assert.equal((await guest.post(`/api/v1/meetings/${meeting.id}/messages`, { body: 'Dzień dobry!' })).status, 201);
  assert.equal((await guest.get('/api/v1/directory?q=%D0%B0%D0%BD')).status, 403);
  assert.equal((await guest.get(`/api/v1/meetings/${other.id}`)).status, 404);
  assert.equal((await guest.post('/api/v1/meetings', { title: 'x', start: tomorrow(), duration: 1800 })).status, 403, 'guests do not organise');
  assert.equal((await guest.post('/api/v1/calls', { person_id: ana.id })).status, 403, 'nor call people');
  const mine = (await guest.get('/api/v1/meetings?to=' + encodeURIComponent(new Date(Date.now() + 3 * 86400e3).toISOString()))).json.items;
  assert.ok(mine.some((x) => x.id === meeting.id && x.my_response === 'accepted'));
  assert.equal((await guest.get(`/api/v1/meetings/${meeting.id}/guests`)).status, 403);

  // Once only.
  const again = await new Client(server.url).post(`/api/v1/public/guest-links/${token}`);
  assert.equal(again.status, 410, again.text);
  assert.equal(problemSlug(again.json), 'link-used');
  assert.equal((await anon.get(`/api/v1/public/guest-links/${token}`)).json.state, 'used');

  // Taken off the list: the meeting closes to them.
  assert.equal((await ana.client.req('DELETE', `/api/v1/meetings/${meeting.id}/guests/${g.id}`)).status, 204);
  assert.equal((await guest.get(`/api/v1/meetings/${meeting.id}`)).status, 404);
  assert.equal((await anon.get(`/api/v1/public/guest-links/${token}`)).status, 404);
  assert.equal(count('audit_log', `action IN ('meeting.guest_invited', 'meeting.guest_link_used', 'meeting.guest_revoked')`), 3);
});

test('an expired link, an early one and a replaced one are refused; bad invitations named', async () => {
  const early = await ana.client.post(`/api/v1/meetings/${other.id}/guests`, { email: 'early@example.de', display_name: 'Frühe Gästin' });
  assert.equal(early.status, 201, early.text);
  assert.equal((await new Client(server.url).get(`/api/v1/public/guest-links/${tokenOf(early.json.url)}`)).json.state, 'early');
  const tooSoon = await new Client(server.url).post(`/api/v1/public/guest-links/${tokenOf(early.json.url)}`);
  assert.equal(tooSoon.status, 409, tooSoon.text);
  assert.equal(problemSlug(tooSoon.json), 'link-early');
  assert.equal((await new Client(server.url).get(`/api/v1/public/guest-links/${tokenOf(early.json.url)}`)).json.state, 'early', 'not used up');
  // The meeting is moved to now: the same link follows it.
  assert.equal((await ana.client.patch(`/api/v1/meetings/${other.id}`, { start: thisHourUtc(), time_zone: 'UTC', duration: 3600 })).status, 200);
  const inNow = await new Client(server.url).post(`/api/v1/public/guest-links/${tokenOf(early.json.url)}`);
  assert.equal(inNow.status, 200, inNow.text);
  // Taken off the meeting's list by a change of invitees: the link is as good as taken back.
  const dropped = await ana.client.post(`/api/v1/meetings/${other.id}/guests`, { email: 'dropped@example.de', display_name: 'Weg' });
  assert.equal((await ana.client.patch(`/api/v1/meetings/${other.id}`, { invitees: [] })).status, 200);
  assert.equal((await new Client(server.url).post(`/api/v1/public/guest-links/${tokenOf(dropped.json.url)}`)).status, 404);
  const r = await invite('eva@example.cz', 'Eva Nováková');
  assert.equal(r.status, 201, r.text);
  sql(server.database, `UPDATE meeting_guest_links SET expires_at = 1000 WHERE id = ${r.json.id}`);
  const token = tokenOf(r.json.url);
  assert.equal((await new Client(server.url).get(`/api/v1/public/guest-links/${token}`)).json.state, 'expired');
  const late = await new Client(server.url).post(`/api/v1/public/guest-links/${token}`);
  assert.equal(late.status, 410, late.text);
  assert.equal(problemSlug(late.json), 'link-expired');
  // A new invitation replaces an unused earlier one.
  const first = await invite('petr@example.cz', 'Petr Novák');
  const second = await invite('petr@example.cz', 'Petr Novák');
  assert.equal(second.status, 201);
  assert.equal((await new Client(server.url).post(`/api/v1/public/guest-links/${tokenOf(first.json.url)}`)).status, 404);
  assert.equal((await new Client(server.url).post(`/api/v1/public/guest-links/${tokenOf(second.json.url)}`)).status, 200);
  assert.equal((await new Client(server.url).post('/api/v1/public/guest-links/' + 'A'.repeat(43))).status, 404);

  for (const [body, field, code] of [
    [{ email: 'boris@example.org', display_name: 'Борис' }, 'email', 'colleague'],
    [{ email: 'not an address', display_name: 'X' }, 'email', 'invalid'],
    [{ email: 'x@example.org', display_name: '' }, 'display_name', 'required'],
  ]) {
    const bad = await ana.client.post(`/api/v1/meetings/${meeting.id}/guests`, body);
    assert.equal(bad.status, 422, `${JSON.stringify(body)}: ${bad.text}`);
    assert.deepEqual(fieldsOf(bad.json), [field]);
    assert.equal(bad.json.errors[0].code, code);
  }
  assert.equal((await boris.client.post(`/api/v1/meetings/${meeting.id}/guests`, { email: 'y@example.org', display_name: 'Y' })).status, 404, 'not invited: nothing');
  assert.equal(count('people', `email = 'x@example.org'`), 0, 'nothing half-made');
});
