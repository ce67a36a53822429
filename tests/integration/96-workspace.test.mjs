// Workspace: rooms, meetings (one-off and repeating, across DST), invitations to people, units and
// groups, answers, changes and cancellation, reminders, notifications, and what the uninvited see.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, activate, adminClient, problemSlug, waitFor, connect, newDatabase, Client, GOOD_PASSWORD, DB } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
const admin = await adminClient(server);
const adminId = (await admin.get('/api/v1/me')).json.id;
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.filter((u) => u.kind === 'department')[2];
const fieldsOf = (json) => (json.errors || []).map((e) => e.field);
const count = (table, where = '1 = 1') => Number(sql(server.database, `SELECT COUNT(*) FROM ${table} WHERE ${where}`));

async function person(display_name, unit = department) {
  const r = await admin.post('/api/v1/people', { display_name, kind: 'employee', unit_id: unit.id });
  assert.equal(r.status, 201, r.text);
  const client = await activate(server, r.json.access_code, r.json.activation_secret);
  return { id: r.json.person.id, client };
}

// A wall time in Sofia some days ahead, as "YYYY-MM-DDTHH:MM" (UTC+2 in winter, +3 in summer).
function sofia(daysAhead, hour = 10, minute = 0) {
  const d = new Date(Date.now() + daysAhead * 86400e3);
  const local = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Sofia', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  return `${local}T${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

// The start of the current hour in UTC, "YYYY-MM-DDTHH:00" (for meetings that are on now).
const thisHourUtc = () => new Date().toISOString().slice(0, 13) + ':00';

const ana = await person('Ана Организатор');
const boris = await person('Борис Поканен');
const vera = await person('Вера Непоканена', units.filter((u) => u.kind === 'department')[3]);

test('rooms: everyone has a personal room; only members and administrators see a meeting room', async () => {
  const mine = await ana.client.get('/api/v1/rooms');
  assert.equal(mine.status, 200, mine.text);
  const personal = mine.json.items.find((r) => r.kind === 'personal');
  assert.equal(personal.owner_id, ana.id);
  const hall = await admin.post('/api/v1/rooms', { name: 'Зала „Възраждане“', capacity: 30, description: 'Втори етаж' });
  assert.equal(hall.status, 201, hall.text);
  assert.equal((await ana.client.post('/api/v1/rooms', { name: 'Моя зала' })).status, 403);
  assert.equal((await admin.post('/api/v1/rooms', { name: '', capacity: 0 })).status, 422);
  assert.equal((await ana.client.get(`/api/v1/rooms/${hall.json.id}`)).status, 404, 'not a member: nothing');
  assert.equal((await admin.post(`/api/v1/rooms/${hall.json.id}/members`, { person_id: ana.id })).status, 204);
  assert.equal((await ana.client.get(`/api/v1/rooms/${hall.json.id}`)).status, 200);
  assert.ok((await ana.client.get('/api/v1/rooms')).json.items.some((r) => r.id === hall.json.id));
  assert.equal((await vera.client.get(`/api/v1/rooms/${personal.id}`)).status, 404, "someone else's personal room");
  assert.equal((await ana.client.get(`/api/v1/rooms/${personal.id}`)).status, 200, 'one\'s own');
  assert.equal((await ana.client.post(`/api/v1/rooms/${personal.id}/messages`, { body: 'бележка' })).status, 201, 'its chat too');
  assert.equal((await vera.client.get(`/api/v1/rooms/${personal.id}/messages`)).status, 404);
  assert.equal(count('audit_log', `action = 'room.created'`), 1);
});

test('bad meetings: each mistake named, nothing written', async () => {
  const before = count('meetings');
  const cases = [
    [{ title: 'x', start: sofia(3), duration: -3600 }, 'duration'],
    [{ title: 'x', start: sofia(3), duration: 3 * 365 * 86400 }, 'duration'],
    [{ title: 'x', start: 'утре', duration: 3600 }, 'start'],
    [{ title: 'x', start: '2027-03-28T03:30', duration: 3600, time_zone: 'Europe/Sofia' }, 'start'],
    [{ title: 'x', start: '2020-01-01T10:00', duration: 3600 }, 'start'],
    [{ title: 'x', start: sofia(3), duration: 3600, rrule: 'FREQ=SECONDLY' }, 'rrule'],
    [{ title: 'x', start: sofia(3), duration: 3600, rrule: 'FREQ=WEEKLY\r\nATTENDEE:mailto:x@y' }, 'rrule'],
    [{ title: 'x', start: sofia(3), duration: 3600, time_zone: 'Mars/Olympus' }, 'time_zone'],
    [{ title: 'x', start: sofia(3), duration: 3600, invitees: [{ kind: 'person', id: '987654' }] }, 'invitees[0]'],
    [{ title: 'x', start: sofia(3), duration: 3600, invitees: [{ kind: 'planet', id: '1' }] }, 'invitees[0]'],
    [{ start: sofia(3), duration: 3600 }, 'title'],
  ];
  for (const [body, field] of cases) {
    const r = await ana.client.post('/api/v1/meetings', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.ok(fieldsOf(r.json).includes(field), `${field} in ${r.text}`);
  }
  const gap = await ana.client.post('/api/v1/meetings', { title: 'x', start: '2027-03-28T03:30', duration: 3600, time_zone: 'Europe/Sofia' });
  assert.equal(gap.json.errors[0].code, 'nonexistent_time');
  // A disabled person cannot be invited.
  const gone = await person('Бивш Колега');
  await admin.post(`/api/v1/people/${gone.id}/disable`);
  const disabled = await ana.client.post('/api/v1/meetings', { title: 'x', start: sofia(3), duration: 3600, invitees: [{ kind: 'person', id: gone.id }] });
  assert.equal(disabled.status, 422);
  assert.equal(count('meetings'), before);
});

test('a meeting with people, a unit and a group: invitees answer; the uninvited learn nothing', async () => {
  const group = (await admin.post('/api/v1/groups', { name: 'Екип „Среща“' })).json;
  const gala = await person('Гала Групова', units.filter((u) => u.kind === 'department')[4]);
  await admin.post(`/api/v1/groups/${group.id}/members`, { person_id: gala.id });
  const socket = await connect(server, boris.client.cookie);
  socket.send({ type: 'subscribe', topic: `person:${boris.id}`, id: 1 });
  await socket.next((m) => m.type === 'subscribed');
  const created = await ana.client.post('/api/v1/meetings', {
    title: 'Работна среща по бюджета', agenda: 'Точка 1: бюджет\nТочка 2: разни', start: sofia(2), duration: 3600,
    time_zone: 'Europe/Sofia', invitees: [{ kind: 'person', id: boris.id }, { kind: 'group', id: group.id }, { kind: 'unit', id: department.id }],
  });
  assert.equal(created.status, 201, created.text);
  const m = created.json;
  assert.equal(m.agenda, 'Точка 1: бюджет\nТочка 2: разни');
  assert.equal(m.organiser.id, ana.id);
  const names = m.invitees.map((i) => i.display_name);
  assert.ok(names.includes('Борис Поканен') && names.includes('Гала Групова'), names.join());
  assert.equal(m.invitees.find((i) => i.id === gala.id).via, `group:${group.id}`);
  assert.equal(m.invitees.find((i) => i.id === ana.id).response, 'accepted');
  assert.ok(!names.includes('Вера Непоканена'));
  // Boris hears of it at once and in his notifications.
  await socket.next((m) => m.type === 'event' && m.event === 'notification' && m.data.title === 'Работна среща по бюджета', 5000, 'a live notification');
  const notes = await boris.client.get('/api/v1/notifications');
  assert.ok(notes.json.unread >= 1);
  assert.equal(notes.json.items[0].kind, 'meeting.invited');
  socket.ws.close();

  const upcoming = await boris.client.get('/api/v1/meetings');
  assert.ok(upcoming.json.items.some((x) => x.id === m.id && x.my_response === 'needs-action'));
  const answer = await boris.client.post(`/api/v1/meetings/${m.id}/response`, { response: 'tentative', comment: 'Ще закъснея' });
  assert.equal(answer.status, 200, answer.text);
  assert.equal(answer.json.my_response, 'tentative');
  assert.equal((await boris.client.post(`/api/v1/meetings/${m.id}/response`, { response: 'maybe' })).status, 422);
  const organiserNotes = await ana.client.get('/api/v1/notifications?unread=1');
  assert.ok(organiserNotes.json.items.some((n) => n.kind === 'meeting.response' && n.body.includes('Ще закъснея')));

  // Vera was not invited: the meeting, its room and its answers do not exist for her.
  assert.equal((await vera.client.get(`/api/v1/meetings/${m.id}`)).status, 404);
  assert.equal((await vera.client.post(`/api/v1/meetings/${m.id}/response`, { response: 'accepted' })).status, 404);
  assert.equal((await vera.client.get(`/api/v1/rooms/${m.room.id}`)).status, 404);
  assert.ok(!(await vera.client.get('/api/v1/meetings')).json.items.some((x) => x.id === m.id));
  assert.equal((await boris.client.patch(`/api/v1/meetings/${m.id}`, { title: 'Чужда промяна' })).status, 403);
  // Held in Ana's own room: not even administrators read it.
  assert.equal((await admin.get(`/api/v1/meetings/${m.id}`)).status, 404);
  // Its documents: the invitees may add material, others do not see the folder.
  assert.ok(m.documents_folder_id);
  assert.equal((await boris.client.get(`/api/v1/documents/nodes/${m.documents_folder_id}`)).json.right, 'edit');
  assert.equal((await vera.client.get(`/api/v1/documents/nodes/${m.documents_folder_id}`)).status, 404);
  assert.equal(count('audit_log', `action = 'meeting.created' AND target = 'meeting:${m.id}'`), 1);
});

test('the room opens to invitees only during the meeting', async () => {
  const soon = await ana.client.post('/api/v1/meetings', {
    title: 'Сега', start: thisHourUtc(), duration: 86400 - 60, time_zone: 'UTC', invitees: [{ kind: 'person', id: boris.id }],
  });
  assert.equal(soon.status, 201, soon.text);
  assert.equal((await boris.client.get(`/api/v1/rooms/${soon.json.room.id}`)).status, 200, 'during the meeting');
  assert.equal((await vera.client.get(`/api/v1/rooms/${soon.json.room.id}`)).status, 404);
  const joinable = (await boris.client.get('/api/v1/meetings')).json.items.find((x) => x.id === soon.json.id);
  assert.equal(joinable.join_open, true);
  await ana.client.post(`/api/v1/meetings/${soon.json.id}/cancel`, { reason: 'Отменено' });
  assert.equal((await boris.client.get(`/api/v1/rooms/${soon.json.room.id}`)).status, 404, 'cancelled: closed again');
});

test('repeating: weekly at 10:00 in Sofia stays at 10:00 across the autumn change; never-ending rules are bounded', async () => {
  const weekly = await ana.client.post('/api/v1/meetings', {
    title: 'Оперативка', start: '2027-10-25T10:00', duration: 1800, time_zone: 'Europe/Sofia', rrule: 'FREQ=WEEKLY;BYDAY=MO;COUNT=4',
  });
  assert.equal(weekly.status, 201, weekly.text);
  assert.deepEqual(weekly.json.next_occurrences.slice(0, 2), ['2027-10-25T07:00:00Z', '2027-11-01T08:00:00Z']);
  const forever = await ana.client.post('/api/v1/meetings', {
    title: 'Всеки ден', start: sofia(1, 9), duration: 900, time_zone: 'Europe/Sofia', rrule: 'FREQ=DAILY',
  });
  assert.equal(forever.status, 201, forever.text);
  const n = count('meeting_occurrences', `meeting_id = ${forever.json.id}`);
  assert.ok(n >= 390 && n <= 1000, `bounded: ${n}`);
  const million = await ana.client.post('/api/v1/meetings', {
    title: 'Милион', start: sofia(1, 8), duration: 900, time_zone: 'Europe/Sofia', rrule: 'FREQ=DAILY;COUNT=1000000',
  });
  assert.equal(million.status, 201);
  assert.ok(count('meeting_occurrences', `meeting_id = ${million.json.id}`) <= 1000);
});

test('reschedule and cancel: a new time asks everyone again; the invitees are told', async () => {
  const created = await ana.client.post('/api/v1/meetings', {
    title: 'Преглед', start: sofia(5, 14), duration: 3600, time_zone: 'Europe/Sofia', invitees: [{ kind: 'person', id: boris.id }],
  });
  const id = created.json.id;
  await boris.client.post(`/api/v1/meetings/${id}/response`, { response: 'accepted' });
  const moved = await ana.client.patch(`/api/v1/meetings/${id}`, { start: sofia(6, 15) });
  assert.equal(moved.status, 200, moved.text);
  assert.equal(moved.json.sequence, 1);
  assert.equal(moved.json.invitees.find((i) => i.id === boris.id).response, 'needs-action');
  const conflict = await ana.client.post('/api/v1/meetings', {
    title: 'Застъпване', start: sofia(6, 15, 30), duration: 3600, time_zone: 'Europe/Sofia', invitees: [{ kind: 'person', id: boris.id }],
  });
  assert.equal(conflict.status, 201);
  assert.ok(conflict.json.conflicts.some((c) => c.kind === 'person' && c.id === boris.id && c.meeting_id === id), JSON.stringify(conflict.json.conflicts));
  const cancelled = await ana.client.post(`/api/v1/meetings/${id}/cancel`, { reason: 'Болест' });
  assert.equal(cancelled.json.status, 'cancelled');
  assert.equal((await ana.client.post(`/api/v1/meetings/${id}/cancel`, {})).status, 409);
  const kinds = (await boris.client.get('/api/v1/notifications')).json.items.filter((n) => n.title === 'Преглед').map((n) => n.kind);
  assert.deepEqual(kinds, ['meeting.cancelled', 'meeting.changed', 'meeting.invited']);
  // Taken off the list: told, and gone from their list.
  const again = await ana.client.post('/api/v1/meetings', { title: 'Без Борис', start: sofia(8), duration: 1800, invitees: [{ kind: 'person', id: boris.id }] });
  await ana.client.patch(`/api/v1/meetings/${again.json.id}`, { invitees: [] });
  assert.equal((await boris.client.get(`/api/v1/meetings/${again.json.id}`)).status, 404);
});

test('reminders: defaults and per meeting; sent once by the sweep, whatever runs it', async () => {
  assert.deepEqual((await boris.client.get('/api/v1/me/reminders')).json.minutes, [15]);
  assert.equal((await boris.client.req('PUT', '/api/v1/me/reminders', { minutes: [15, 15] })).status, 422);
  assert.equal((await boris.client.req('PUT', '/api/v1/me/reminders', { minutes: [99999] })).status, 422);
  assert.deepEqual((await boris.client.req('PUT', '/api/v1/me/reminders', { minutes: [15, 1440] })).json.minutes, [1440, 15]);
  // Starts in 15 minutes and a few seconds: the 15-minute reminder falls due now.
  const start = new Date(Date.now() + 15 * 60e3 + 3e3);
  start.setUTCSeconds(0, 0);
  start.setUTCMinutes(start.getUTCMinutes() + 1);
  const local = start.toISOString().slice(0, 16);
  const m = await ana.client.post('/api/v1/meetings', { title: 'Напомняне', start: local, duration: 1800, time_zone: 'UTC', invitees: [{ kind: 'person', id: boris.id }, { kind: 'person', id: vera.id }] });
  assert.equal(m.status, 201, m.text);
  // Vera wants none for this one.
  assert.deepEqual((await vera.client.req('PUT', `/api/v1/meetings/${m.json.id}/reminders`, { minutes: [] })).json.my_reminders, []);
  await waitFor(async () => {
    await admin.post('/api/v1/jobs', { kind: 'workspace.reminders' });
    return count('reminders_sent', `meeting_id = ${m.json.id} AND person_id = ${boris.id}`) === 1;
  }, { what: 'reminder sent', timeout: 90_000, interval: 1000 });
  for (let i = 0; i < 2; i++) await admin.post('/api/v1/jobs', { kind: 'workspace.reminders' });
  await new Promise((r) => setTimeout(r, 1500));
  const reminders = (await boris.client.get('/api/v1/notifications')).json.items.filter((n) => n.kind === 'meeting.reminder' && n.title === 'Напомняне');
  assert.equal(reminders.length, 1, 'once');
  assert.equal(count('reminders_sent', `meeting_id = ${m.json.id} AND person_id = ${vera.id}`), 0);
});

test('notifications: unread count, read one, read all; only one\'s own', async () => {
  const list = await boris.client.get('/api/v1/notifications');
  assert.ok(list.json.unread > 0);
  const first = list.json.items[0];
  assert.equal((await vera.client.post(`/api/v1/notifications/${first.id}/read`)).status, 404);
  assert.equal((await boris.client.post(`/api/v1/notifications/${first.id}/read`)).status, 204);
  assert.equal((await boris.client.get('/api/v1/notifications')).json.unread, list.json.unread - 1);
  assert.equal((await boris.client.post('/api/v1/notifications/read-all')).status, 204);
  assert.equal((await boris.client.get('/api/v1/notifications')).json.unread, 0);
});

test('directory: anyone finds people, units, bodies and groups to invite; not disabled people', async () => {
  const found = await vera.client.get(`/api/v1/directory?q=${encodeURIComponent('борис')}`);
  assert.equal(found.status, 200, found.text);
  assert.ok(found.json.items.some((e) => e.kind === 'person' && e.id === boris.id && e.detail === department.name));
  const bodies = units.filter((u) => u.kind === 'body');
  const body = (await vera.client.get(`/api/v1/directory?q=${encodeURIComponent(bodies[0].name.slice(0, 6))}`)).json.items.find((e) => e.kind === 'body');
  assert.ok(body, 'a council body');
  assert.deepEqual((await vera.client.get('/api/v1/directory?q=б')).json.items, [], 'two letters at least');
  assert.ok(!(await vera.client.get(`/api/v1/directory?q=${encodeURIComponent('Бивш Колега')}`)).json.items.some((e) => e.kind === 'person'));
  // A whole body invited at once: its members.
  const sitting = await ana.client.post('/api/v1/meetings', { title: 'Заседание', start: sofia(9), duration: 7200, invitees: [{ kind: 'body', id: body.id }] });
  assert.equal(sitting.status, 201, sitting.text);
  assert.ok(sitting.json.invitees.length > 1);
  assert.ok(sitting.json.invitees.every((i) => i.via === `body:${body.id}` || i.via === 'organiser'));
});

test('documents shared with a meeting reach its invitees only; others cannot watch their news', async () => {
  const m = await ana.client.post('/api/v1/meetings', { title: 'Материали за срещата', start: sofia(4), duration: 3600, invitees: [{ kind: 'person', id: boris.id }] });
  const root = (await ana.client.get('/api/v1/documents/spaces')).json.items.find((s) => s.kind === 'personal').root_id;
  const folder = (await ana.client.post(`/api/v1/documents/nodes/${root}/folders`, { name: 'За срещата' })).json;
  const choices = await ana.client.get(`/api/v1/documents/audiences?q=${encodeURIComponent('материали')}`);
  assert.ok(choices.json.items.some((c) => c.kind === 'meeting' && c.id === m.json.id));
  const share = await ana.client.post(`/api/v1/documents/nodes/${folder.id}/shares`, { audience: { kind: 'meeting', id: m.json.id }, right: 'view' });
  assert.equal(share.status, 201, share.text);
  assert.equal(share.json.audience.name, 'Материали за срещата');
  assert.equal((await boris.client.get(`/api/v1/documents/nodes/${folder.id}`)).status, 200);
  assert.equal((await vera.client.get(`/api/v1/documents/nodes/${folder.id}`)).status, 404);
  // A meeting one is not invited to cannot be named in a share.
  const other = await boris.client.post('/api/v1/meetings', { title: 'Чужда', start: sofia(4, 12), duration: 1800 });
  assert.equal((await ana.client.post(`/api/v1/documents/nodes/${folder.id}/shares`, { audience: { kind: 'meeting', id: other.json.id }, right: 'view' })).status, 422);
  // Someone else's notifications are not a topic one may watch.
  const socket = await connect(server, vera.client.cookie);
  socket.send({ type: 'subscribe', topic: `person:${boris.id}`, id: 9 });
  const refusal = await socket.next((m2) => m2.type === 'error' || m2.type === 'subscribed');
  assert.equal(refusal.type, 'error');
  socket.ws.close();
});

test('chat: invitees talk beside the meeting, with mentions and document links; the uninvited see nothing', async () => {
  const m = (await ana.client.post('/api/v1/meetings', { title: 'Чат по проекта', start: sofia(3, 11), duration: 3600, invitees: [{ kind: 'person', id: boris.id }] })).json;
  const path = `/api/v1/meetings/${m.id}/messages`;
  const sock = await connect(server, boris.client.cookie);
  sock.send({ type: 'subscribe', topic: `chat:meeting:${m.id}`, id: 1 });
  await sock.next((x) => x.type === 'subscribed');
  const spy = await connect(server, vera.client.cookie);
  spy.send({ type: 'subscribe', topic: `chat:meeting:${m.id}`, id: 2 });
  assert.equal((await spy.next((x) => x.type === 'error' || x.type === 'subscribed')).type, 'error');

  const html = '<script>alert(1)</script> @Борис виж проекта';
  const posted = await ana.client.post(path, { body: html, mentions: [boris.id] });
  assert.equal(posted.status, 201, posted.text);
  assert.equal(posted.json.body, html, 'kept as text, never markup');
  const live = await sock.next((x) => x.type === 'event' && x.event === 'chat.message');
  assert.equal(live.data.id, posted.json.id);
  assert.ok((await boris.client.get('/api/v1/notifications')).json.items.some((n) => n.kind === 'chat.mention' && n.link === `/meetings/${m.id}`));

  assert.equal((await ana.client.post(path, { body: 'x'.repeat(100 * 1024) })).status, 413, '100 kB: refused before it is read');
  const long = await ana.client.post(path, { body: 'я'.repeat(4001) });
  assert.equal(long.status, 422);
  assert.deepEqual(fieldsOf(long.json), ['body']);
  assert.equal((await ana.client.post(path, { body: '   ' })).status, 422);
  assert.equal((await ana.client.post(path, { body: 'ей', mentions: [vera.id] })).status, 422, 'only people in the conversation');
  assert.equal((await vera.client.get(path)).status, 404);
  assert.equal((await vera.client.post(path, { body: 'здрасти' })).status, 404);
  // A document link: the author must see it; its name travels with the message.
  const root = (await ana.client.get('/api/v1/documents/spaces')).json.items.find((s) => s.kind === 'personal').root_id;
  const docs = (await ana.client.post(`/api/v1/documents/nodes/${root}/folders`, { name: 'Проект' })).json;
  const linked = await ana.client.post(path, { body: 'ето го', document_id: docs.id });
  assert.equal(linked.json.document.name, 'Проект');
  assert.equal((await boris.client.post(path, { body: 'а това?', document_id: docs.id })).status, 422, 'not his to link');
  const history = await boris.client.get(path);
  assert.deepEqual(history.json.items.map((x) => x.body), ['ето го', html]);
  // Removed by its author; others cannot.
  assert.equal((await boris.client.del(`/api/v1/messages/${posted.json.id}`)).status, 403);
  assert.equal((await ana.client.del(`/api/v1/messages/${posted.json.id}`)).status, 204);
  assert.equal((await boris.client.get(path)).json.items[1].deleted, true);
  // Taken off the list: the history closes and the live news stops.
  await ana.client.patch(`/api/v1/meetings/${m.id}`, { invitees: [] });
  assert.equal((await boris.client.get(path)).status, 404);
  sock.messages.length = 0;
  await ana.client.post(path, { body: 'само за мен' });
  await new Promise((r) => setTimeout(r, 300));
  assert.ok(!sock.messages.some((x) => x.type === 'event' && x.data.body === 'само за мен'));
  sock.ws.close();
  spy.ws.close();
});

test('notifications carry what the app needs to word them in any language', async () => {
  const m = await ana.client.post('/api/v1/meetings', { title: 'Данни', start: sofia(10, 9), duration: 1800, time_zone: 'Europe/Sofia', invitees: [{ kind: 'person', id: boris.id }] });
  const note = (await boris.client.get('/api/v1/notifications')).json.items.find((n) => n.link === `/meetings/${m.json.id}`);
  assert.equal(note.kind, 'meeting.invited');
  assert.deepEqual(note.data, { starts_at: m.json.starts_at, time_zone: 'Europe/Sofia', room: m.json.room.name, actor: 'Ана Организатор' });
  await boris.client.post(`/api/v1/meetings/${m.json.id}/response`, { response: 'declined', comment: 'В отпуск съм' });
  const reply = (await ana.client.get('/api/v1/notifications')).json.items.find((n) => n.kind === 'meeting.response' && n.link === `/meetings/${m.json.id}`);
  assert.deepEqual(reply.data, { actor: 'Борис Поканен', response: 'declined', comment: 'В отпуск съм' });
});

test('presence: online when connected, busy or away when said, in a meeting when one is on, offline when gone; everyone watching hears it', async () => {
  const watcher = await connect(server, vera.client.cookie);
  watcher.send({ type: 'subscribe', topic: 'presence', id: 1 });
  await watcher.next((x) => x.type === 'subscribed');
  const heard = (state) => watcher.next((x) => x.type === 'event' && x.data.person_id === boris.id && x.data.state === state, 5000, `boris ${state}`);
  assert.deepEqual((await vera.client.get(`/api/v1/presence?ids=${boris.id}`)).json.items, [{ person_id: boris.id, state: 'offline', dnd: false }]);
  const b = await connect(server, boris.client.cookie);
  await heard('available');
  const busy = await boris.client.req('PUT', '/api/v1/me/presence', { status: 'busy', dnd: true });
  assert.deepEqual(busy.json, { person_id: boris.id, state: 'busy', dnd: true });
  const ev = await heard('busy');
  assert.equal(ev.data.dnd, true);
  assert.equal((await boris.client.req('PUT', '/api/v1/me/presence', { status: 'sleeping' })).status, 422);
  assert.equal((await vera.client.get('/api/v1/presence?ids=1,x')).status, 422);
  // In a meeting that is on and that he accepted.
  await boris.client.req('PUT', '/api/v1/me/presence', { status: 'available', dnd: false });
  const now = await ana.client.post('/api/v1/meetings', { title: 'Тече', start: thisHourUtc(), duration: 86400 - 60, time_zone: 'UTC', invitees: [{ kind: 'person', id: boris.id }] });
  await boris.client.post(`/api/v1/meetings/${now.json.id}/response`, { response: 'accepted' });
  assert.equal((await vera.client.get(`/api/v1/presence?ids=${boris.id}`)).json.items[0].state, 'in-meeting');
  b.ws.close();
  await heard('offline');
  watcher.ws.close();
});

test('calendar subscription: a secret address with one\'s meetings; replaced and taken back', async () => {
  const m = await ana.client.post('/api/v1/meetings', { title: 'В абонамента', start: '2027-05-10T09:00', duration: 3600, time_zone: 'Europe/Sofia', rrule: 'FREQ=WEEKLY;COUNT=3', invitees: [{ kind: 'person', id: boris.id }] });
  assert.deepEqual((await boris.client.get('/api/v1/me/calendar-feed')).json, { exists: false, created_at: null, last_used_at: null });
  const made = await boris.client.post('/api/v1/me/calendar-feed');
  assert.equal(made.status, 201, made.text);
  const path = new URL(made.json.url).pathname;
  const ics = await fetch(server.url + path);
  assert.equal(ics.status, 200);
  assert.match(ics.headers.get('content-type'), /^text\/calendar/);
  const text = await ics.text();
  assert.match(text, /^METHOD:PUBLISH\r$/m);
  assert.ok(text.includes(`UID:${m.json.uid}`));
  assert.match(text, /^DTSTART;TZID=Europe\/Sofia:20270510T090000\r$/m);
  assert.ok(!text.includes('Без Борис'), 'not meetings he was taken off');
  assert.equal((await boris.client.get('/api/v1/me/calendar-feed')).json.exists, true);
  // A new address replaces the old one; a revoked one answers 404.
  const again = await boris.client.post('/api/v1/me/calendar-feed');
  assert.equal((await fetch(server.url + path)).status, 404);
  assert.equal((await boris.client.del('/api/v1/me/calendar-feed')).status, 204);
  assert.equal((await fetch(server.url + new URL(again.json.url).pathname)).status, 404);
  assert.equal((await fetch(`${server.url}/api/v1/public/calendars/nonsense.ics`)).status, 404);
  assert.equal((await boris.client.del('/api/v1/me/calendar-feed')).status, 404);
});

test("a room's calendar: its meetings, for those who may see the room", async () => {
  const hall = (await admin.post('/api/v1/rooms', { name: 'Зала за календар' })).json;
  await admin.post(`/api/v1/rooms/${hall.id}/members`, { person_id: ana.id });
  const m = await ana.client.post('/api/v1/meetings', { title: 'В залата', room_id: hall.id, start: sofia(2, 13), duration: 3600, time_zone: 'Europe/Sofia' });
  assert.equal(m.status, 201, m.text);
  const cal = await ana.client.get(`/api/v1/rooms/${hall.id}/meetings`);
  assert.equal(cal.status, 200, cal.text);
  assert.deepEqual(cal.json.items.map((x) => x.title), ['В залата']);
  assert.equal((await vera.client.get(`/api/v1/rooms/${hall.id}/meetings`)).status, 404);
  assert.equal((await admin.get(`/api/v1/rooms/${hall.id}/meetings`)).json.items.length, 1);
});

test('the meetings list: words, answer, organiser, room, order and pages; a change shows at once', async () => {
  const hall = (await admin.post('/api/v1/rooms', { name: 'Зала Съединение' })).json;
  await admin.post(`/api/v1/rooms/${hall.id}/members`, { person_id: ana.id });
  const make = async (title, day, extra = {}) => {
    const r = await ana.client.post('/api/v1/meetings', {
      title, start: sofia(day, 9), duration: 1800, time_zone: 'Europe/Sofia', invitees: [{ kind: 'person', id: boris.id }], ...extra,
    });
    assert.equal(r.status, 201, r.text);
    return r.json;
  };
  const budget = await make('Бюджет 2027: капиталови разходи', 20);
  const roads = await make('Ремонт на пътища', 21, { room_id: hall.id });
  const school = await make('Училищна мрежа — Łódź', 22);
  const range = `from=${encodeURIComponent(new Date(Date.now() + 19 * 86400e3).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 24 * 86400e3).toISOString())}`;
  const list = async (client, q) => {
    const r = await client.get(`/api/v1/meetings?${range}${q ? '&' + q : ''}`);
    assert.equal(r.status, 200, r.text);
    return r.json;
  };
  const titles = (j) => j.items.map((x) => x.title);
  assert.deepEqual(titles(await list(boris.client)), [budget.title, roads.title, school.title]);
  // Words: folded (case and accents), each the start of a word in the title, room or organiser.
  assert.deepEqual(titles(await list(boris.client, 'q=' + encodeURIComponent('БЮДЖ капит'))), [budget.title]);
  assert.deepEqual(titles(await list(boris.client, 'q=lodz')), [school.title]);
  assert.deepEqual(titles(await list(boris.client, 'q=' + encodeURIComponent('съединение'))), [roads.title], 'the room name');
  assert.deepEqual(titles(await list(boris.client, 'q=' + encodeURIComponent('ана'))).length, 3, 'the organiser');
  assert.deepEqual(titles(await list(boris.client, 'q=' + encodeURIComponent('юджет'))), [], 'not the middle of a word');
  assert.deepEqual(titles(await list(boris.client, `room_id=${hall.id}`)), [roads.title]);
  assert.deepEqual(titles(await list(boris.client, 'order=desc')), [school.title, roads.title, budget.title]);
  assert.equal((await list(boris.client, 'organiser=me')).items.length, 0);
  const organised = (await list(ana.client, 'organiser=me')).items;
  assert.ok(organised.every((x) => x.organiser.id === ana.id));
  assert.ok([budget.id, roads.id, school.id].every((id) => organised.some((x) => x.id === id)));
  // Pages: the cursor goes on where the page ended, with and without words.
  const first = await list(boris.client, 'limit=2');
  assert.deepEqual(titles(first), [budget.title, roads.title]);
  assert.ok(first.next_cursor);
  const second = await list(boris.client, `limit=2&cursor=${first.next_cursor}`);
  assert.deepEqual(titles(second), [school.title]);
  assert.equal(second.next_cursor, null);
  const w1 = await list(boris.client, 'limit=1&q=' + encodeURIComponent('ана'));
  assert.deepEqual(titles(await list(boris.client, `limit=1&q=${encodeURIComponent('ана')}&cursor=${w1.next_cursor}`)), [roads.title]);
  // An answer shows in the next read of the (kept) list, and filters it.
  assert.deepEqual(titles(await list(boris.client, 'response=accepted')), []);
  assert.equal((await boris.client.post(`/api/v1/meetings/${roads.id}/response`, { response: 'accepted' })).status, 200);
  assert.deepEqual((await list(boris.client)).items.map((x) => x.my_response), ['needs-action', 'accepted', 'needs-action']);
  assert.deepEqual(titles(await list(boris.client, 'response=accepted')), [roads.title]);
  // The organiser renames; the invitee's list says so at once.
  assert.equal((await ana.client.patch(`/api/v1/meetings/${budget.id}`, { title: 'Бюджет 2027' })).status, 200);
  assert.equal(titles(await list(boris.client))[0], 'Бюджет 2027');
  // A renamed room, too (its name is in everyone's rows).
  assert.equal((await admin.patch(`/api/v1/rooms/${hall.id}`, { name: 'Зала Освобождение' })).status, 200);
  assert.equal((await list(boris.client)).items[1].room.name, 'Зала Освобождение');
  // Cancelled ones can be left out.
  assert.equal((await ana.client.post(`/api/v1/meetings/${school.id}/cancel`, { reason: '' })).status, 200);
  assert.deepEqual(titles(await list(boris.client, 'status=scheduled')), ['Бюджет 2027', roads.title]);
  // Bad input.
  for (const [q, field] of [['response=maybe', 'response'], ['status=gone', 'status'], ['order=up', 'order'], ['organiser=3', 'organiser'],
    ['room_id=x1', 'room_id'], ['cursor=zz', 'cursor'], ['q=' + 'а'.repeat(201), 'q'], ['from=yesterday', 'from']]) {
    const r = await boris.client.get(`/api/v1/meetings?${q}`);
    assert.equal(r.status, r.json.status, r.text);
    assert.ok([400, 422].includes(r.status), `${q}: ${r.status}`);
    assert.deepEqual(fieldsOf(r.json), [field], q);
  }
});

test('PostgreSQL: a change on node A shows in the list node B keeps', { skip: DB !== 'postgresql' && 'PostgreSQL only' }, async () => {
  const database = newDatabase();
  const a = await startServer({ database, env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_NODE_ID: 'node-a' } });
  const b = await startServer({ database: { ...database, keep: true }, demo: false, env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_NODE_ID: 'node-b' } });
  const onA = await adminClient(a);
  const onB = new Client(b.url);
  assert.equal((await onB.post('/api/v1/session', { access_code: a.admin.access_code, password: GOOD_PASSWORD })).status, 200);
  await waitFor(() => Number(sql(database, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")) >= 2,
    { timeout: 10000, what: 'both nodes listening' });
  const m = await onA.post('/api/v1/meetings', { title: 'Преди', start: sofia(1, 11), duration: 1800, time_zone: 'Europe/Sofia' });
  assert.equal(m.status, 201, m.text);
  assert.deepEqual((await onB.get('/api/v1/meetings')).json.items.map((x) => x.title), ['Преди']);
  assert.equal((await onA.patch(`/api/v1/meetings/${m.json.id}`, { title: 'След' })).status, 200);
  await waitFor(async () => (await onB.get('/api/v1/meetings')).json.items[0]?.title === 'След', { timeout: 5000, what: 'node B drops its copy' });
});

test('one occurrence or all following: moved, cancelled, split off; bad changes refused', async () => {
  const r = await ana.client.post('/api/v1/meetings', {
    title: 'Седмична оперативка', start: sofia(1, 9), duration: 3600, time_zone: 'Europe/Sofia', rrule: 'FREQ=WEEKLY;COUNT=6',
    invitees: [{ kind: 'person', id: boris.id }],
  });
  assert.equal(r.status, 201, r.text);
  const id = r.json.id;
  const range = `from=${encodeURIComponent(new Date(Date.now() - 3600e3).toISOString())}&to=${encodeURIComponent(new Date(Date.now() + 40 * 86400e3).toISOString())}&limit=200`;
  const mine = async (who, ids) => (await who.client.get(`/api/v1/meetings?${range}`)).json.items.filter((x) => ids.includes(x.id));
  const starts = (await mine(boris, [id])).map((x) => x.occurrence.starts_at);
  assert.equal(starts.length, 6);
  const at = (iso) => encodeURIComponent(iso);
  const occurrence = (start) => `/api/v1/meetings/${id}/occurrences/${at(start)}`;

  // The second one moves to 14:00 the same day; the others stay.
  const moved = await ana.client.patch(occurrence(starts[1]), { start: sofia(8, 14) });
  assert.equal(moved.status, 200, moved.text);
  let list = await mine(boris, [id]);
  assert.equal(list.length, 6);
  const second = list[1].occurrence;
  assert.notEqual(second.starts_at, starts[1]);
  assert.equal(Date.parse(second.starts_at) - Date.parse(starts[1]), 5 * 3600e3, '09:00 -> 14:00');
  assert.ok((await boris.client.get('/api/v1/notifications')).json.items.some((n) => n.kind === 'meeting.changed' && n.data.starts_at === second.starts_at));
  // Known now by its new start (not the old one); it can be shortened there.
  assert.equal((await ana.client.patch(occurrence(starts[1]), { duration: 1800 })).status, 404);
  assert.equal((await ana.client.patch(occurrence(second.starts_at), { duration: 1800 })).status, 200);
  assert.equal((await mine(boris, [id]))[1].occurrence.ends_at, new Date(Date.parse(second.starts_at) + 1800e3).toISOString().replace('.000Z', 'Z'));
  // Not onto another occurrence of the same meeting.
  const clash = await ana.client.patch(occurrence(starts[3]), { start: sofia(15, 9) });
  assert.equal(clash.status, 409, clash.text);
  assert.equal(problemSlug(clash.json), 'occurrence-taken');

  // The third is cancelled.
  const cancelled = await ana.client.req('DELETE', occurrence(starts[2]));
  assert.equal(cancelled.status, 200, cancelled.text);
  list = await mine(boris, [id]);
  assert.equal(list.length, 5);
  assert.ok(!list.some((x) => x.occurrence.starts_at === starts[2]));

  // From the fifth on: a new series at 11:00 with a new title; the old one ends before it.
  const split = await ana.client.patch(occurrence(starts[4]), { scope: 'following', start: sofia(29, 11), title: 'Оперативка (нов час)' });
  assert.equal(split.status, 200, split.text);
  const next = split.json;
  assert.notEqual(next.id, id);
  assert.notEqual(next.uid, r.json.uid);
  assert.equal(next.title, 'Оперативка (нов час)');
  assert.match(next.rrule, /COUNT=2/);
  assert.match((await ana.client.get(`/api/v1/meetings/${id}`)).json.rrule, /UNTIL=\d{8}T\d{6}Z/);
  list = await mine(boris, [id, next.id]);
  assert.deepEqual(list.map((x) => x.id), [id, id, id, next.id, next.id]);
  assert.equal(Date.parse(list[3].occurrence.starts_at) - Date.parse(starts[4]), 2 * 3600e3, '09:00 -> 11:00');
  assert.equal(list[3].my_response, 'needs-action', 'a new time asks again');
  assert.ok(next.invitees.some((i) => i.id === boris.id));

  // All following from the fourth of the old series: only the first two are left of it.
  const rest = await ana.client.req('DELETE', `${occurrence(starts[3])}?scope=following`);
  assert.equal(rest.status, 200, rest.text);
  assert.deepEqual((await mine(boris, [id])).length, 2);

  // Bad changes.
  const bad = [
    [occurrence(starts[0]), { scope: 'some', duration: 1800 }, 'scope'],
    [occurrence(starts[0]), {}, 'start'],
    [occurrence(starts[0]), { title: 'Само тази' }, 'title'],
    [occurrence(starts[0]), { scope: 'following', title: 'Всичко' }, 'occurrence'],
    [occurrence(starts[0]), { start: 'утре' }, 'start'],
    [occurrence(starts[0]), { duration: 60 }, 'duration'],
    [occurrence(starts[0]), { start: '2020-01-06T09:00' }, 'start'],
    [occurrence(starts[0]), { start: '2039-01-03T09:00' }, 'start'],
  ];
  for (const [path, body, fieldName] of bad) {
    const x = await ana.client.patch(path, body);
    assert.equal(x.status, 422, `${JSON.stringify(body)}: ${x.text}`);
    assert.deepEqual(fieldsOf(x.json), [fieldName], JSON.stringify(body));
  }
  assert.equal((await boris.client.patch(occurrence(starts[0]), { duration: 1800 })).status, 403, 'only the organiser');
  assert.equal((await vera.client.patch(occurrence(starts[0]), { duration: 1800 })).status, 404, 'not invited: nothing');
  assert.equal((await ana.client.patch(`/api/v1/meetings/${id}/occurrences/yesterday`, { duration: 1800 })).status, 404);
  const single = (await ana.client.post('/api/v1/meetings', { title: 'Веднъж', start: sofia(3, 9), duration: 1800, time_zone: 'Europe/Sofia' })).json;
  const once = await ana.client.patch(`/api/v1/meetings/${single.id}/occurrences/${at(single.next_occurrences[0])}`, { duration: 900 });
  assert.equal(once.status, 422, once.text);
  assert.deepEqual(fieldsOf(once.json), ['occurrence']);
  // A new time for the whole series drops its changed occurrences.
  assert.equal((await ana.client.patch(`/api/v1/meetings/${id}`, { start: sofia(1, 10), rrule: 'FREQ=WEEKLY;COUNT=6' })).status, 200);
  assert.equal(count('meeting_exceptions', `meeting_id = ${id}`), 0);
  const six = (await mine(boris, [id])).map((x) => x.occurrence.starts_at);
  assert.equal(six.length, 6);
  // The last one cancelled, then a new title from the fifth on: the cancellation goes along.
  assert.equal((await ana.client.req('DELETE', occurrence(six[5]))).status, 200);
  const renamed = await ana.client.patch(occurrence(six[4]), { scope: 'following', title: 'Оперативка (ново име)' });
  assert.equal(renamed.status, 200, renamed.text);
  const after = await mine(boris, [id, renamed.json.id]);
  assert.deepEqual(after.map((x) => x.title), [...Array(4).fill('Седмична оперативка'), 'Оперативка (ново име)']);
  assert.equal(after[4].occurrence.starts_at, six[4], 'the same time');
  assert.equal(after[4].my_response, list[0].my_response, 'a new title alone does not ask again');
});

test("a unit's head looks after that unit's meeting rooms, and only those", async () => {
  const depts = units.filter((u) => u.kind === 'department');
  const mine = depts[5] ?? depts[1];
  const other = depts[6] ?? depts[2];
  const made = await admin.post('/api/v1/people', {
    display_name: 'Галя Началник', kind: 'employee', unit_id: mine.id,
    roles: [{ role: 'employee', scope_kind: 'organisation' }, { role: 'administrator', scope_kind: 'unit', scope_id: mine.id }],
  });
  assert.equal(made.status, 201, made.text);
  const head = await activate(server, made.json.access_code, made.json.activation_secret);
  const room = await head.post('/api/v1/rooms', { name: 'Заседателна на отдела', unit_id: mine.id, capacity: 12 });
  assert.equal(room.status, 201, room.text);
  assert.equal(room.json.may_manage, true);
  assert.equal((await head.post('/api/v1/rooms', { name: 'Без отдел' })).status, 403);
  assert.equal((await head.post('/api/v1/rooms', { name: 'Чужда', unit_id: other.id })).status, 403);
  assert.ok((await head.get('/api/v1/rooms')).json.items.some((r) => r.id === room.json.id && r.may_manage));
  assert.equal((await head.post(`/api/v1/rooms/${room.json.id}/members`, { person_id: ana.id })).status, 204);
  assert.equal((await head.patch(`/api/v1/rooms/${room.json.id}`, { name: 'Заседателна 2', unit_id: mine.id })).status, 200);
  const moved = await head.patch(`/api/v1/rooms/${room.json.id}`, { name: 'Заседателна 2', unit_id: other.id });
  assert.equal(moved.status, 422, moved.text);
  assert.deepEqual(fieldsOf(moved.json), ['unit_id']);
  // A member uses the room but does not look after it; others do not see it at all.
  assert.equal((await ana.client.get(`/api/v1/rooms/${room.json.id}`)).json.may_manage, false);
  assert.equal((await ana.client.patch(`/api/v1/rooms/${room.json.id}`, { name: 'x' })).status, 403);
  assert.equal((await vera.client.patch(`/api/v1/rooms/${room.json.id}`, { name: 'x' })).status, 404);
  assert.equal((await vera.client.post(`/api/v1/rooms/${room.json.id}/members`, { person_id: vera.id })).status, 404);
  // The head books it; a room of another unit stays closed to them.
  const booked = await head.post('/api/v1/meetings', { title: 'Отделска среща', room_id: room.json.id, start: sofia(4, 15), duration: 1800, time_zone: 'Europe/Sofia' });
  assert.equal(booked.status, 201, booked.text);
  const theirs = (await admin.post('/api/v1/rooms', { name: 'Зала на друг отдел', unit_id: other.id })).json;
  assert.equal((await head.get(`/api/v1/rooms/${theirs.id}`)).status, 404);
  assert.equal((await head.post(`/api/v1/rooms/${theirs.id}/members`, { person_id: ana.id })).status, 404);
});
