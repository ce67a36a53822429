// The council: bodies with seats and memberships over time, sittings and agendas, attendance
// and quorum (BG-Q), votes with majorities from LAW.md, ballots each once and only by those
// entitled, results at the close, the ledger anyone can check, receipts, and secret ballots
// that nothing in the data links to their voters.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { startServer, sql, cli, activate, adminClient, problemSlug, connect, Client, GOOD_PASSWORD, DB } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
const admin = await adminClient(server);
const count = (table, where = '1 = 1') => Number(sql(server.database, `SELECT COUNT(*) FROM ${table} WHERE ${where}`));
const fieldsOf = (json) => (json.errors || []).map((e) => e.field);
const today = new Date().toISOString().slice(0, 10);

async function person(display_name, kind = 'councillor') {
  const r = await admin.post('/api/v1/people', { display_name, kind });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.person.id, name: display_name, code: r.json.access_code, client: await activate(server, r.json.access_code, r.json.activation_secret) };
}

// A body of five seats (BG: quorum 3), its chair, a deputy, three members and a clerk.
const body = (await admin.post('/api/v1/council/bodies', {
  name: 'Общински съвет – Тестово', jurisdiction: 'bg', seats: 5, term_start: '2023-11-06', time_zone: 'Europe/Sofia',
})).json;
const group = (await admin.post(`/api/v1/council/bodies/${body.id}/groups`, { name: 'Група „Тест“', short_name: 'Т' })).json;
const chair = await person('Цветан Председателски');
const deputy = await person('Десислава Заместничка');
const members = [await person('Мирослав Първи'), await person('Милена Втора'), await person('Матей Трети')];
const clerk = await person('Клара Деловодна', 'employee');
const outsider = await person('Огнян Външен', 'employee');
const everyone = [chair, deputy, ...members];
async function seat(p, role, extra = {}) {
  const r = await admin.post(`/api/v1/council/bodies/${body.id}/members`, { person_id: p.id, role, from_date: '2023-11-06', group_id: group.id, ...extra });
  assert.equal(r.status, 201, r.text);
  return r.json;
}
await seat(chair, 'chair', { seat: '1' });
await seat(deputy, 'deputy_chair', { seat: '2' });
for (const [i, m] of members.entries()) await seat(m, 'member', { seat: String(i + 3) });
await seat(clerk, 'clerk', { group_id: null });

test('bodies: validated, set up by administrators only, members kept over time', async () => {
  const bad = await admin.post('/api/v1/council/bodies', { name: 'X', jurisdiction: 'de', seats: 5, term_start: '2023-02-30', time_zone: 'Mars/Base' });
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(fieldsOf(bad.json).sort(), ['jurisdiction', 'term_start', 'time_zone']);
  assert.deepEqual(fieldsOf((await admin.post('/api/v1/council/bodies', { name: 'X', seats: 0, term_start: '2023-01-01' })).json), ['seats']);
  assert.equal((await chair.client.post('/api/v1/council/bodies', { name: 'Мой съвет', seats: 3, term_start: '2024-01-01' })).status, 403);

  // The demo's council came with the migration of bodies and its members.
  const list = (await chair.client.get('/api/v1/council/bodies')).json.items;
  assert.ok(list.some((b) => b.id === body.id && b.seats === 5 && b.jurisdiction === 'bg'));
  const demo = list.find((b) => b.kind === 'council' && b.id !== body.id);
  assert.equal(demo.seats, 51);
  assert.equal((await admin.get(`/api/v1/council/bodies/${demo.id}/members`)).json.items.filter((m) => m.role !== 'clerk').length, 51);

  // A sixth voting member does not fit in five seats; nobody holds two seats at once.
  const extra = await person('Евгени Излишен');
  assert.equal(problemSlug((await admin.post(`/api/v1/council/bodies/${body.id}/members`, { person_id: extra.id, role: 'member', from_date: '2024-01-01' })).json), 'seats-taken');
  assert.equal(problemSlug((await admin.post(`/api/v1/council/bodies/${body.id}/members`, { person_id: chair.id, role: 'member', from_date: '2024-01-01' })).json), 'membership-overlaps');
  const badDates = await admin.post(`/api/v1/council/bodies/${body.id}/members`, { person_id: extra.id, role: 'clerk', from_date: '2024-05-01', to_date: '2024-04-01' });
  assert.deepEqual(fieldsOf(badDates.json), ['to_date']);

  // Who was a member on a given date: a clerk whose place ended is listed then, not now.
  const past = await admin.post(`/api/v1/council/bodies/${body.id}/members`, { person_id: extra.id, role: 'clerk', from_date: '2023-11-06', to_date: '2024-03-31' });
  assert.equal(past.status, 201, past.text);
  const names = async (on) => (await admin.get(`/api/v1/council/bodies/${body.id}/members?on=${on}`)).json.items.map((m) => m.person.display_name);
  assert.ok((await names('2024-03-31')).includes('Евгени Излишен'));
  assert.ok(!(await names('2024-04-01')).includes('Евгени Излишен'));
  assert.ok(!(await names(today)).includes('Евгени Излишен'));
  assert.equal((await names('all')).length, 7);
  assert.equal((await admin.get(`/api/v1/council/bodies/${body.id}/members?on=2024-13-01`)).status, 422);
  assert.ok(count('audit_log', `action = 'council.member_added' AND target = 'body:${body.id}'`) >= 7);

  // A place that ends by date (overnight) takes its identity roles with it at the next sweep.
  const later = await admin.post(`/api/v1/council/bodies/${body.id}/members`, { person_id: extra.id, role: 'clerk', from_date: '2024-04-01' });
  assert.equal(later.status, 201, later.text);
  assert.equal(count('role_assignments', `person_id = ${extra.id} AND scope_kind = 'body'`), 1);
  const yesterday = new Date(Date.now() - 86400e3).toISOString().slice(0, 10);
  sql(server.database, `UPDATE council_memberships SET to_date = '${yesterday}' WHERE id = ${later.json.id}`);
  assert.equal((await admin.post('/api/v1/jobs', { kind: 'council.roles' })).status, 201);
  for (let i = 0; i < 100 && count('role_assignments', `person_id = ${extra.id} AND scope_kind = 'body'`) > 0; i++)
    await new Promise((r) => setTimeout(r, 100));
  // Members get the body's roles in identity (documents, invitations), and only while in office.
  const me = (await chair.client.get('/api/v1/me')).json;
  assert.ok(JSON.stringify(me).includes('chair'), JSON.stringify(me));
  assert.equal(count('role_assignments', `person_id = ${extra.id} AND scope_kind = 'body'`), 0);
});

let sitting;
test('sittings: the clerk schedules and prepares the agenda; only the chair opens it; then the agenda is locked', async () => {
  const start = new Date(Date.now() + 3600e3);
  const wall = new Date(start.getTime() + 2 * 3600e3).toISOString().slice(0, 16); // Sofia is UTC+2 in winter
  assert.equal((await outsider.client.post('/api/v1/council/sittings', { body_id: body.id, title: 'Заседание', start: wall })).status, 403);
  const bad = await clerk.client.post('/api/v1/council/sittings', { body_id: body.id, title: 'Заседание', start: '2026-13-40T10:00', mode: 'zoom' });
  assert.equal(bad.status, 422, bad.text);
  assert.deepEqual(fieldsOf(bad.json).sort(), ['mode', 'start']);
  assert.deepEqual(fieldsOf((await clerk.client.post('/api/v1/council/sittings', { body_id: body.id, title: '', start: wall })).json), ['title']);
  const r = await clerk.client.post('/api/v1/council/sittings', { body_id: body.id, title: 'Редовно заседание', start: wall, mode: 'hybrid', place: 'Зала 1' });
  assert.equal(r.status, 201, r.text);
  sitting = r.json;
  assert.equal(sitting.number, 1);
  assert.equal(sitting.status, 'scheduled');
  assert.equal(sitting.quorum.needed, 3, 'BG-Q: more than half of 5');
  assert.equal(sitting.attendees.length, 5, 'the clerk does not count');
  assert.ok(sitting.meeting_id, 'the members are invited through a meeting');
  const meeting = (await members[0].client.get(`/api/v1/meetings/${sitting.meeting_id}`)).json;
  assert.equal(meeting.invitees.length, 6, 'members and the clerk are invited');

  const budget = await clerk.client.post(`/api/v1/council/sittings/${sitting.id}/items`, { title: 'Бюджет 2027', rapporteur: 'Кмет', draft: 'Приема бюджета…', majority: 'BG-M2' });
  assert.equal(budget.status, 201, budget.text);
  assert.equal(budget.json.named_required, true, 'BG-M2: always a named vote');
  const park = await clerk.client.post(`/api/v1/council/sittings/${sitting.id}/items`, { title: 'Парк „Тест“', majority: { id: 'custom', base: 'present', num: 1, den: 3, strict: false } });
  assert.equal(park.status, 422, 'a third of those present would let a minority decide');
  assert.deepEqual(fieldsOf(park.json), ['majority']);
  const ok = await clerk.client.post(`/api/v1/council/sittings/${sitting.id}/items`, { title: 'Парк „Тест“', position: 1 });
  assert.equal(ok.json.majority.id, 'BG-M1');
  assert.equal(ok.json.position, 1);
  // Each item has its materials: the clerk adds, the members read, others do not see them.
  const folder = budget.json.materials_folder_id;
  assert.ok(folder);
  const upload = await clerk.client.req('POST', `/api/v1/documents/nodes/${folder}/files?name=${encodeURIComponent('Проект на бюджет.txt')}`, 'Бюджет 2027: приходи и разходи', { headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(upload.status, 201, upload.text);
  assert.equal((await members[0].client.get(`/api/v1/documents/nodes/${folder}/children`)).json.items[0].name, 'Проект на бюджет.txt');
  assert.equal((await members[0].client.req('POST', `/api/v1/documents/nodes/${folder}/files?name=x.txt`, 'x', { headers: { 'content-type': 'application/octet-stream' } })).status, 403, 'members read');
  assert.equal((await outsider.client.get(`/api/v1/documents/nodes/${folder}/children`)).status, 404);
  assert.equal((await members[0].client.post(`/api/v1/council/sittings/${sitting.id}/items`, { title: 'Моя точка' })).status, 403);

  // Any of the body's clerks and chairs changes the sitting and its meeting, not only whoever
  // scheduled it; members do not.
  assert.equal((await members[0].client.patch(`/api/v1/council/sittings/${sitting.id}`, { place: 'Кафе' })).status, 403);
  const moved = await chair.client.patch(`/api/v1/council/sittings/${sitting.id}`, { place: 'Зала 2' });
  assert.equal(moved.status, 200, moved.text);
  assert.equal((await members[0].client.get(`/api/v1/meetings/${sitting.meeting_id}`)).json.agenda, 'Зала 2');
  assert.equal((await clerk.client.post(`/api/v1/council/sittings/${sitting.id}/open`)).status, 403);
  const opened = await chair.client.post(`/api/v1/council/sittings/${sitting.id}/open`);
  assert.equal(opened.status, 200, opened.text);
  assert.equal(opened.json.status, 'open');
  assert.deepEqual(opened.json.items.map((i) => i.title), ['Парк „Тест“', 'Бюджет 2027']);
  assert.equal(problemSlug((await clerk.client.post(`/api/v1/council/sittings/${sitting.id}/items`, { title: 'Късна точка' })).json), 'agenda-locked');
  assert.equal(problemSlug((await clerk.client.patch(`/api/v1/council/items/${ok.json.id}`, { title: 'Друго' })).json), 'agenda-locked');
});

test('attendance: remote members prove who they are; the quorum follows arrivals and departures live', async () => {
  const ws = await connect(server, members[0].client.cookie);
  ws.send({ type: 'subscribe', topic: `council:${sitting.id}`, id: 1 });
  await ws.next((m) => m.type === 'subscribed');
  assert.equal((await clerk.client.post(`/api/v1/council/sittings/${sitting.id}/attendance`, {})).status, 403, 'a clerk is not a member');
  const wrong = await members[0].client.post(`/api/v1/council/sittings/${sitting.id}/attendance`, { remote: true, password: 'грешна' });
  assert.equal(wrong.status, 422);
  assert.deepEqual(fieldsOf(wrong.json), ['password']);
  const remote = await members[0].client.post(`/api/v1/council/sittings/${sitting.id}/attendance`, { remote: true, password: GOOD_PASSWORD });
  assert.equal(remote.status, 200, remote.text);
  assert.equal(remote.json.me.present, true);
  await ws.next((m) => m.type === 'event' && m.event === 'council.changed' && m.data.what === 'attendance', 5000, 'the arrival');
  assert.equal(remote.json.quorum.present, 1);
  assert.equal(remote.json.quorum.quorate, false);
  assert.equal((await chair.client.post(`/api/v1/council/sittings/${sitting.id}/attendance`, {})).json.quorum.present, 2);
  // Without quorum no vote opens.
  assert.equal(problemSlug((await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { title: 'Проба' })).json), 'no-quorum');
  // The chair's roll call marks the others; only members can be marked.
  const roll = await chair.client.post(`/api/v1/council/sittings/${sitting.id}/roll-call`, { marks: [{ person_id: deputy.id, present: true }, { person_id: members[1].id, present: true }, { person_id: members[2].id, present: true }] });
  assert.equal(roll.status, 200, roll.text);
  assert.equal(roll.json.quorum.present, 5);
  assert.equal(roll.json.quorum.quorate, true);
  assert.equal((await chair.client.post(`/api/v1/council/sittings/${sitting.id}/roll-call`, { marks: [{ person_id: outsider.id, present: true }] })).status, 422);
  assert.equal((await members[1].client.post(`/api/v1/council/sittings/${sitting.id}/roll-call`, { marks: [] })).status, 403);
  // Leaving and coming back are logged with times.
  assert.equal((await members[2].client.del(`/api/v1/council/sittings/${sitting.id}/attendance`)).json.quorum.present, 4);
  const log = (await clerk.client.get(`/api/v1/council/sittings/${sitting.id}/attendance-log`)).json.items;
  assert.deepEqual(log.map((e) => [e.display_name, e.event, e.how, e.remote]), [
    ['Мирослав Първи', 'arrived', 'self', true],
    ['Цветан Председателски', 'arrived', 'self', false],
    ['Десислава Заместничка', 'arrived', 'roll_call', false],
    ['Милена Втора', 'arrived', 'roll_call', false],
    ['Матей Трети', 'arrived', 'roll_call', false],
    ['Матей Трети', 'left', 'self', false],
  ]);
  ws.ws.close();
});

test('speakers: points of order first, the chair orders, gives and takes the floor with a time limit', async () => {
  const ask = (p, body) => p.client.post(`/api/v1/council/sittings/${sitting.id}/speakers`, body);
  const speech = await ask(members[0], { kind: 'speech' });
  assert.equal(speech.status, 201, speech.text);
  assert.equal(problemSlug((await ask(members[0], { kind: 'speech' })).json), 'already-waiting');
  assert.equal((await ask(outsider, {})).status, 403);
  assert.deepEqual(fieldsOf((await ask(members[1], { kind: 'shout' })).json), ['kind']);
  const second = (await ask(members[1], { kind: 'speech' })).json;
  const order = (await ask(deputy, { kind: 'point_of_order' })).json;
  // The chair puts the mayor (not a member) on the list as a rapporteur.
  assert.equal((await ask(members[1], { kind: 'reply', person_id: outsider.id })).status, 403);
  const mayor = (await ask(chair, { kind: 'speech', person_id: outsider.id })).json;
  assert.equal(mayor.display_name, 'Огнян Външен');
  let view = (await members[0].client.get(`/api/v1/council/sittings/${sitting.id}`)).json;
  assert.deepEqual(view.speakers.map((x) => x.display_name), ['Десислава Заместничка', 'Мирослав Първи', 'Милена Втора', 'Огнян Външен'], 'a point of order first');
  assert.ok(view.server_time);
  // The chair's order of the speeches.
  const sp = `/api/v1/council/sittings/${sitting.id}/speakers/order`;
  assert.deepEqual(fieldsOf((await chair.client.post(sp, { ids: [second.id] })).json), ['ids']);
  assert.equal((await members[0].client.post(sp, { ids: [order.id, mayor.id, second.id, speech.json.id] })).status, 403);
  const ordered = await chair.client.post(sp, { ids: [order.id, mayor.id, second.id, speech.json.id] });
  assert.equal(ordered.status, 200, ordered.text);
  assert.deepEqual(ordered.json.items.map((x) => x.display_name), ['Десислава Заместничка', 'Огнян Външен', 'Милена Втора', 'Мирослав Първи']);

  assert.equal((await members[0].client.post(`/api/v1/council/speakers/${order.id}/floor`, {})).status, 403);
  const floor = await chair.client.post(`/api/v1/council/speakers/${order.id}/floor`, { seconds: 90 });
  assert.equal(floor.status, 200, floor.text);
  assert.equal(floor.json.status, 'speaking');
  assert.equal(Date.parse(floor.json.ends_at) - Date.parse(floor.json.started_at), 90000);
  const next = (await chair.client.post(`/api/v1/council/speakers/${mayor.id}/floor`, {})).json;
  assert.equal(next.time_limit, 300, 'a speech: five minutes unless the chair says otherwise');
  view = (await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json;
  assert.equal(view.speakers.find((x) => x.id === order.id).status, 'done', 'one speaker at a time');
  assert.equal(problemSlug((await chair.client.post(`/api/v1/council/speakers/${order.id}/floor`, {})).json), 'not-waiting');
  assert.equal((await outsider.client.post(`/api/v1/council/speakers/${mayor.id}/done`)).json.status, 'done', 'a speaker may end');
  // Taking a request back: one's own, or the chair strikes it.
  assert.equal((await members[0].client.del(`/api/v1/council/speakers/${second.id}`)).status, 403);
  assert.equal((await members[1].client.del(`/api/v1/council/speakers/${second.id}`)).status, 204);
  assert.equal((await chair.client.del(`/api/v1/council/speakers/${speech.json.id}`)).status, 204);
  view = (await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json;
  assert.deepEqual(view.speakers.map((x) => [x.display_name, x.status]), [['Десислава Заместничка', 'done'], ['Огнян Външен', 'done']]);
  assert.equal(count('audit_log', `action LIKE 'council.floor_%' AND target = 'sitting:${sitting.id}'`), 9, 'four requests, two floors given, one ended, two taken back');
});

let parkVote;
test('a named vote: only those present and without a conflict vote, each once; the result at the close', async () => {
  let view = (await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json;
  const park = view.items.find((i) => i.title === 'Парк „Тест“');
  const budget = view.items.find((i) => i.title === 'Бюджет 2027');
  // Милена declares a conflict of interest on the park before its vote.
  assert.equal((await members[1].client.post(`/api/v1/council/items/${park.id}/conflicts`, { note: 'Съпругът ми е изпълнител.' })).status, 204);
  assert.equal(problemSlug((await members[1].client.post(`/api/v1/council/items/${park.id}/conflicts`, {})).json), 'already-declared');
  assert.equal((await outsider.client.post(`/api/v1/council/items/${park.id}/conflicts`, {})).status, 403);
  // A BG-M2 item cannot be voted openly without names.
  assert.deepEqual(fieldsOf((await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { item_id: budget.id, kind: 'open' })).json), ['kind']);
  assert.equal((await members[0].client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { item_id: park.id })).status, 403);

  const opened = await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { item_id: park.id });
  assert.equal(opened.status, 201, opened.text);
  parkVote = opened.json;
  assert.equal(parkVote.kind, 'named');
  assert.equal(parkVote.majority.id, 'BG-M1');
  assert.equal(parkVote.present, 4);
  assert.equal(parkVote.entitled, 3, 'four present, one with a conflict');
  assert.equal(parkVote.tally, null, 'no counts while it is open');
  assert.equal(problemSlug((await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { title: 'Втори' })).json), 'vote-open');
  assert.equal(problemSlug((await members[1].client.post(`/api/v1/council/items/${park.id}/conflicts`, {})).json), 'vote-open');

  const cast = (p, choice) => p.client.post(`/api/v1/council/votes/${parkVote.id}/ballots`, { choice });
  assert.equal(problemSlug((await cast(members[2], 'yes')).json), 'not-present');
  assert.equal(problemSlug((await cast(members[1], 'yes')).json), 'conflict-of-interest');
  assert.equal((await cast(outsider, 'yes')).status, 403);
  assert.deepEqual(fieldsOf((await cast(chair, 'maybe')).json), ['choice']);
  const a = await cast(chair, 'yes');
  assert.equal(a.status, 201, a.text);
  assert.match(a.json.receipt, /^[A-Z2-7]{4}(-[A-Z2-7]{4}){3}$/);
  assert.equal(problemSlug((await cast(chair, 'no')).json), 'already-voted', 'this body does not allow changing');
  assert.equal((await cast(deputy, 'yes')).status, 201);
  // The chair sees who has voted, not how.
  const progress = (await chair.client.get(`/api/v1/council/votes/${parkVote.id}/voters`)).json.items;
  assert.deepEqual(progress.filter((v) => v.voted).map((v) => v.name).sort(), ['Десислава Заместничка', 'Цветан Председателски']);
  assert.ok(progress.every((v) => v.choice === null));

  assert.equal((await members[0].client.post(`/api/v1/council/votes/${parkVote.id}/close`)).status, 403);
  const closed = await deputy.client.post(`/api/v1/council/votes/${parkVote.id}/close`);
  assert.equal(closed.status, 200, closed.text);
  // BG-M1 with P = 4: yes ≥ 3 needed; 2 yes is rejected even with nobody against.
  assert.equal(closed.json.result, 'rejected');
  assert.deepEqual(closed.json.tally, { yes: 2, no: 0, abstain: 0 });
  assert.equal(problemSlug((await cast(members[0], 'yes')).json), 'vote-closed');
  assert.equal(problemSlug((await deputy.client.post(`/api/v1/council/votes/${parkVote.id}/close`)).json), 'vote-closed');
  const named = (await outsider.client.get(`/api/v1/council/votes/${parkVote.id}/voters`)).json.items;
  assert.deepEqual(named.map((v) => [v.name, v.status, v.choice]), [
    ['Десислава Заместничка', 'entitled', 'yes'],
    ['Матей Трети', 'absent', null],
    ['Милена Втора', 'conflict', null],
    ['Мирослав Първи', 'entitled', null],
    ['Цветан Председателски', 'entitled', 'yes'],
  ]);
  view = (await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json;
  assert.equal(view.items.find((i) => i.id === park.id).status, 'done');
  assert.equal(view.conflicts[0].display_name, 'Милена Втора');

  // A repeated vote on the chair's motion keeps the first and says why.
  assert.deepEqual(fieldsOf((await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { item_id: park.id, repeat_of: parkVote.id })).json), ['repeat_reason']);
  const again = await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { item_id: park.id, repeat_of: parkVote.id, repeat_reason: 'Техническа грешка в залата' });
  assert.equal(again.status, 201, again.text);
  for (const p of [chair, deputy, members[0]]) assert.equal((await p.client.post(`/api/v1/council/votes/${again.json.id}/ballots`, { choice: 'yes' })).status, 201);
  const second = (await chair.client.post(`/api/v1/council/votes/${again.json.id}/close`)).json;
  assert.equal(second.result, 'adopted');
  assert.equal(second.repeat_of, parkVote.id);
  assert.equal((await chair.client.get(`/api/v1/council/votes/${parkVote.id}`)).json.result, 'rejected', 'the first is kept');
});

test('the ledger: published at the close, checked by the command line and from the export; receipts; tampering found', async () => {
  const anon = { get: (p) => fetch(server.url + p).then(async (r) => ({ status: r.status, json: await r.json().catch(() => null) })) };
  const ledger = await anon.get(`/api/v1/public/council/votes/${parkVote.id}/ledger`);
  assert.equal(ledger.status, 200);
  assert.deepEqual(ledger.json.entries.map((e) => e.kind), ['opened', 'ballot', 'ballot', 'closed']);
  assert.ok(JSON.parse(ledger.json.entries[1].payload).name, 'named votes carry names');
  const receipt = ledger.json.entries[1].receipt;
  const looked = await anon.get(`/api/v1/public/council/receipts/${receipt.toLowerCase().replaceAll('-', '')}`);
  assert.equal(looked.status, 200);
  assert.equal(looked.json.choice, 'yes');
  assert.equal(looked.json.vote_id, parkVote.id);
  assert.equal((await anon.get('/api/v1/public/council/receipts/AAAA-BBBB-CCCC-DDDD')).status, 404, 'a forged receipt');
  assert.equal((await anon.get('/api/v1/public/council/receipts/not-a-receipt')).status, 422);

  const ok = cli(server.database, ['council', 'verify']);
  assert.equal(ok.status, 0, ok.stdout + ok.stderr);
  assert.match(ok.stdout, new RegExp(`vote ${parkVote.id}: intact, 4 entries, 2 ballots, result rejected`));
  // The export alone is enough: no database needed.
  const file = join(server.database.dir, 'ledger.json');
  writeFileSync(file, JSON.stringify(ledger.json));
  const fromFile = cli({ env: {} }, ['council', 'verify', '--file', file]);
  assert.equal(fromFile.status, 0, fromFile.stdout + fromFile.stderr);
  // And the independent check, which shares no code with the server (Python's standard library).
  const independent = (f) => spawnSync('python3', [join(process.env.RATUSHA_SOURCE_DIR, 'tools/verify_vote.py'), f], { encoding: 'utf8' });
  const py = independent(file);
  assert.equal(py.status, 0, py.stdout + py.stderr);
  assert.match(py.stdout, /intact: 2 ballots, .* result rejected/);
  const forged = structuredClone(ledger.json);
  forged.entries[1].payload = forged.entries[1].payload.replace('"yes"', '"no"');
  writeFileSync(file, JSON.stringify(forged));
  const caught = cli({ env: {} }, ['council', 'verify', '--file', file]);
  assert.equal(caught.status, 1);
  assert.match(caught.stdout, /entry 2: its hash is wrong/);
  assert.match(independent(file).stdout, /entry 2: its hash is wrong/);
  // A forger who recomputes the hashes still lacks the server's key.
  const resealed = structuredClone(ledger.json);
  resealed.entries[1].payload = forged.entries[1].payload;
  let prev = '0'.repeat(64);
  for (const e of resealed.entries) {
    e.prev_hash = prev;
    e.hash = createHash('sha256').update(`ratusha-vote-ledger/1\n${e.vote_id}\n${e.seq}\n${e.kind}\n${e.prev_hash}\n${e.payload}`).digest('hex');
    prev = e.hash;
  }
  writeFileSync(file, JSON.stringify(resealed));
  assert.match(independent(file).stdout, /entry 2: its signature is not the key's/);
  assert.match(cli({ env: {} }, ['council', 'verify', '--file', file]).stdout, /entry 2: its signature is not the server's/);

  // Someone with the database changes a ballot: the chain no longer holds.
  sql(server.database, `UPDATE council_ledger SET payload = REPLACE(payload, '"yes"', '"no"') WHERE vote_id = ${parkVote.id} AND seq = 3`);
  const broken = cli(server.database, ['council', 'verify', '--vote', parkVote.id]);
  assert.equal(broken.status, 1);
  assert.match(broken.stdout, /BROKEN: entry 3/);
  sql(server.database, `UPDATE council_ledger SET payload = REPLACE(payload, '"no"', '"yes"') WHERE vote_id = ${parkVote.id} AND seq = 3`);
  assert.equal(cli(server.database, ['council', 'verify', '--vote', parkVote.id]).status, 0);
});

test('published without login: sittings, votes with named lists, each councillor\'s record, CSV and Atom', async () => {
  const get = (p) => fetch(server.url + p).then(async (r) => ({ status: r.status, type: r.headers.get('content-type'), text: await r.text() }));
  const vote = await get(`/api/v1/public/council/votes/${parkVote.id}`);
  assert.equal(vote.status, 200);
  const v = JSON.parse(vote.text);
  assert.equal(v.result, 'rejected');
  assert.deepEqual(v.named_list.map((x) => [x.name, x.choice]), [
    ['Десислава Заместничка', 'yes'], ['Матей Трети', null], ['Милена Втора', null], ['Мирослав Първи', null], ['Цветан Председателски', 'yes'],
  ]);
  const csv = await get(`/api/v1/public/council/votes/${parkVote.id}?format=csv`);
  assert.match(csv.type, /^text\/csv/);
  const rows = csv.text.trim().split('\r\n');
  assert.equal(rows.length, 6, 'a header and one row per member');
  assert.match(rows[0], /^"sitting","vote","title"/);
  assert.ok(rows.some((r) => r.includes('"Цветан Председателски"') && r.endsWith('"yes"')));
  assert.equal((await get(`/api/v1/public/council/votes/${parkVote.id}?format=xml`)).status, 422);

  const sittingPage = JSON.parse((await get(`/api/v1/public/council/sittings/${sitting.id}`)).text);
  assert.ok(sittingPage.items.some((i) => i.title === 'Бюджет 2027'));
  assert.ok(sittingPage.votes.some((x) => x.id === parkVote.id && x.named_list.length === 5));
  assert.equal(sittingPage.conflicts[0].display_name, 'Милена Втора', 'declared conflicts are public (BG-C)');
  // Each item's materials are published too: listed on the sitting and downloadable without login.
  const budgetItem = sittingPage.items.find((i) => i.title === 'Бюджет 2027');
  assert.deepEqual(budgetItem.materials.map((f) => f.name), ['Проект на бюджет.txt']);
  const material = await get(budgetItem.materials[0].url);
  assert.equal(material.status, 200);
  assert.equal(material.text, 'Бюджет 2027: приходи и разходи');
  // Only that: a folder, a private document, nothing at all.
  assert.equal((await get(`/api/v1/public/documents/nodes/${budgetItem.materials_folder_id}/content`)).status, 404);
  const mine = (await admin.get('/api/v1/documents/spaces')).json.items.find((x) => x.kind === 'personal');
  const secret = await admin.req('POST', `/api/v1/documents/nodes/${mine.root_id}/files?name=private.txt`, 'не за публиката', { headers: { 'content-type': 'application/octet-stream' } });
  assert.equal(secret.status, 201, secret.text);
  assert.equal((await get(`/api/v1/public/documents/nodes/${secret.json.id}/content`)).status, 404);
  assert.equal((await get('/api/v1/public/documents/nodes/999999999/content')).status, 404);
  assert.ok(JSON.parse((await get(`/api/v1/public/council/sittings?body_id=${body.id}`)).text).items.some((x) => x.id === sitting.id));

  const record = JSON.parse((await get(`/api/v1/public/council/people/${chair.id}/votes`)).text);
  assert.equal(record.display_name, 'Цветан Председателски');
  assert.ok(record.items.some((e) => e.vote_id === parkVote.id && e.choice === 'yes' && e.result === 'rejected'));
  const absent = JSON.parse((await get(`/api/v1/public/council/people/${members[2].id}/votes`)).text);
  assert.ok(absent.items.some((e) => e.vote_id === parkVote.id && e.status === 'absent' && e.choice === null));
  assert.equal((await get(`/api/v1/public/council/people/${outsider.id}/votes`)).status, 404, 'only councillors have a public record');

  const feed = await get('/api/v1/public/council/feed.atom');
  assert.match(feed.type, /^application\/atom\+xml/);
  assert.match(feed.text, /<feed xmlns="http:\/\/www.w3.org\/2005\/Atom">/);
  assert.match(feed.text, /Парк „Тест“/);
  assert.match(feed.text, new RegExp(`/api/v1/public/council/votes/${parkVote.id}\\?format=csv`));
});

test('a secret election: ballots that nothing links to voters, a winner by BG-E', async () => {
  const r = await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { title: 'Избор на председател', candidates: ['Цветан Председателски', 'Десислава Заместничка'] });
  assert.equal(r.status, 201, r.text);
  const v = r.json;
  assert.equal(v.kind, 'secret');
  assert.equal(v.majority.id, 'BG-E');
  assert.deepEqual(v.options, ['Цветан Председателски', 'Десислава Заместничка', 'abstain']);
  const voters = [chair, deputy, members[0], members[1]];
  const choices = ['Десислава Заместничка', 'Цветан Председателски', 'Цветан Председателски', 'Цветан Председателски'];
  const receipts = [];
  for (const [i, p] of voters.entries()) {
    const c = await p.client.post(`/api/v1/council/votes/${v.id}/ballots`, { choice: choices[i] });
    assert.equal(c.status, 201, c.text);
    receipts.push(c.json.receipt);
    assert.equal(c.json.seq, 0, 'a secret ballot enters the ledger at the close');
  }
  // Kept and looked up by its receipt before the close too.
  assert.equal((await fetch(`${server.url}/api/v1/public/council/receipts/${receipts[1]}`).then((x) => x.json())).choice, 'Цветан Председателски');
  // Who has voted: the chair sees it; a member sees only themself.
  assert.equal((await chair.client.get(`/api/v1/council/votes/${v.id}/voters`)).json.items.filter((x) => x.voted).length, 4);
  assert.deepEqual((await members[0].client.get(`/api/v1/council/votes/${v.id}/voters`)).json.items.filter((x) => x.voted).map((x) => x.person_id), [members[0].id]);
  assert.equal(problemSlug((await members[0].client.post(`/api/v1/council/votes/${v.id}/ballots`, { choice: 'abstain' })).json), 'already-voted');
  const closed = (await chair.client.post(`/api/v1/council/votes/${v.id}/close`)).json;
  // BG-E: more than half of all 5 councillors, 3 votes for the winner.
  assert.equal(closed.result, 'adopted');
  assert.deepEqual(closed.tally, { 'Цветан Председателски': 3, 'Десислава Заместничка': 1, abstain: 0 });
  const voterList = (await chair.client.get(`/api/v1/council/votes/${v.id}/voters`)).json.items;
  assert.ok(voterList.every((x) => x.choice === null), 'a secret vote never shows choices');
  assert.deepEqual((await fetch(`${server.url}/api/v1/public/council/votes/${v.id}`).then((x) => x.json())).named_list, [], 'published by counts only');

  // Looking for any link in the data: none of the ballot rows or ledger entries names a voter,
  // carries a time, or follows the order of casting.
  const ballotCols = sql(server.database, DB === 'postgresql'
    ? "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'council_secret_ballots'"
    : "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('council_secret_ballots') ORDER BY name)");
  assert.equal(ballotCols, 'ballot,choice,receipt,signature,vote_id');
  const voterCols = sql(server.database, DB === 'postgresql'
    ? "SELECT string_agg(column_name, ',' ORDER BY column_name) FROM information_schema.columns WHERE table_name = 'council_vote_voters'"
    : "SELECT group_concat(name, ',') FROM (SELECT name FROM pragma_table_info('council_vote_voters') ORDER BY name)");
  assert.equal(voterCols, 'group_name,name,person_id,status,vote_id,voted');
  const ledger = (await fetch(`${server.url}/api/v1/public/council/votes/${v.id}/ledger`).then((x) => x.json())).entries;
  // The ballots entered the ledger at the close, in the order of their random ids: the chain
  // says nothing about who voted when.
  assert.deepEqual(ledger.map((e) => e.kind), ['opened', 'ballot', 'ballot', 'ballot', 'ballot', 'closed']);
  const ids = ledger.filter((e) => e.kind === 'ballot').map((e) => JSON.parse(e.payload).ballot);
  assert.deepEqual(ids, [...ids].sort());
  for (const e of ledger.filter((x) => x.kind === 'ballot')) {
    assert.deepEqual(Object.keys(JSON.parse(e.payload)).sort(), ['ballot', 'choice']);
    assert.match(JSON.parse(e.payload).ballot, /^[A-Za-z0-9_-]{22}$/, 'a random ballot id');
  }
  // Rows are kept in an order of their own, not the order of casting.
  const order = DB === 'postgresql' ? 'ctid' : 'rowid';
  const ballotOrder = sql(server.database, `SELECT ballot FROM council_secret_ballots WHERE vote_id = ${v.id} ORDER BY ${order}`).split('\n');
  assert.deepEqual(ballotOrder, [...ballotOrder].sort());
  const voterOrder = sql(server.database, `SELECT person_id FROM council_vote_voters WHERE vote_id = ${v.id} ORDER BY ${order}`).split('\n').map(Number);
  assert.deepEqual(voterOrder, [...voterOrder].sort((a, b) => a - b));
  if (DB === 'postgresql') {
    // One transaction wrote every row: row versions do not tell the order either.
    assert.equal(sql(server.database, `SELECT COUNT(DISTINCT xmin::text) FROM council_vote_voters WHERE vote_id = ${v.id}`), '1');
    assert.equal(sql(server.database, `SELECT COUNT(DISTINCT xmin::text) FROM council_secret_ballots WHERE vote_id = ${v.id}`), '1');
  }
  assert.equal(count('audit_log', `target = 'vote:${v.id}'`), 2, 'opened and closed: no audit entry per ballot');
  assert.equal(count('audit_log', "action LIKE '%ballot%'"), 0);
  // Each voter can still look up their own ballot.
  const mine = await fetch(`${server.url}/api/v1/public/council/receipts/${receipts[0]}`).then((x) => x.json());
  assert.equal(mine.choice, 'Десислава Заместничка');
  assert.equal(cli(server.database, ['council', 'verify', '--vote', v.id]).status, 0);
  const file = join(server.database.dir, 'secret.json');
  writeFileSync(file, JSON.stringify(await fetch(`${server.url}/api/v1/public/council/votes/${v.id}/ledger`).then((x) => x.json())));
  const py = spawnSync('python3', [join(process.env.RATUSHA_SOURCE_DIR, 'tools/verify_vote.py'), file], { encoding: 'utf8' });
  assert.equal(py.status, 0, py.stdout + py.stderr);
  assert.match(py.stdout, /result adopted, elected Цветан Председателски/);
});

test('the agenda changes during the sitting only by an adopted vote', async () => {
  const before = (await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json.items.length;
  assert.equal((await clerk.client.post(`/api/v1/council/sittings/${sitting.id}/agenda-changes`, { kind: 'add', item: { title: 'Извънредна точка' } })).status, 403);
  const v = await chair.client.post(`/api/v1/council/sittings/${sitting.id}/agenda-changes`, { kind: 'add', position: 1, item: { title: 'Извънредна точка' } });
  assert.equal(v.status, 201, v.text);
  assert.ok(v.json.agenda_change_id);
  const pending = (await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json;
  assert.equal(pending.items.length, before, 'nothing changes before the vote');
  assert.equal(pending.pending_agenda_changes[0].kind, 'add');
  for (const p of [chair, deputy, members[0]]) assert.equal((await p.client.post(`/api/v1/council/votes/${v.json.id}/ballots`, { choice: 'yes' })).status, 201);
  assert.equal((await chair.client.post(`/api/v1/council/votes/${v.json.id}/close`)).json.result, 'adopted');
  const after = (await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json;
  assert.equal(after.items.length, before + 1);
  assert.equal(after.items[0].title, 'Извънредна точка');
  assert.equal(after.items[0].added_by_vote, v.json.id);
  // Rejected, nothing happens.
  const w = (await chair.client.post(`/api/v1/council/sittings/${sitting.id}/agenda-changes`, { kind: 'withdraw', item_id: after.items[0].id })).json;
  assert.equal((await chair.client.post(`/api/v1/council/votes/${w.id}/close`)).json.result, 'rejected');
  assert.equal((await chair.client.get(`/api/v1/council/sittings/${sitting.id}`)).json.items[0].status, 'pending');
});

test('PL-N: when the devices fail the clerk enters the named list, marked as such', async () => {
  const v = (await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { title: 'Гласуване с поименно извикване' })).json;
  const list = { ballots: [
    { person_id: chair.id, choice: 'yes' }, { person_id: deputy.id, choice: 'no' },
    { person_id: members[2].id, choice: 'yes' }, { person_id: outsider.id, choice: 'yes' },
  ] };
  assert.equal((await members[0].client.post(`/api/v1/council/votes/${v.id}/named-list`, list)).status, 403);
  assert.deepEqual(fieldsOf((await clerk.client.post(`/api/v1/council/votes/${v.id}/named-list`, { ballots: [{ person_id: chair.id }] })).json), ['ballots[0].choice']);
  assert.deepEqual(fieldsOf((await clerk.client.post(`/api/v1/council/votes/${v.id}/named-list`, { ballots: [{ person_id: chair.id, choice: 'yes' }, { person_id: chair.id, choice: 'no' }] })).json), ['ballots[1].person_id']);
  const r = await clerk.client.post(`/api/v1/council/votes/${v.id}/named-list`, list);
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json.items.map((b) => b.problem), [null, null, 'not-present', 'forbidden']);
  assert.ok(r.json.items[0].receipt);
  assert.equal(problemSlug((await chair.client.post(`/api/v1/council/votes/${v.id}/ballots`, { choice: 'no' })).json), 'already-voted');
  assert.equal((await members[0].client.post(`/api/v1/council/votes/${v.id}/ballots`, { choice: 'yes' })).status, 201, 'members with devices still vote');
  const closed = (await chair.client.post(`/api/v1/council/votes/${v.id}/close`)).json;
  assert.equal(closed.manual, true);
  assert.deepEqual(closed.tally, { yes: 2, no: 1, abstain: 0 });
  const ledger = await fetch(`${server.url}/api/v1/public/council/votes/${v.id}/ledger`).then((x) => x.json());
  const entered = ledger.entries.filter((e) => e.kind === 'ballot').map((e) => JSON.parse(e.payload).entered_by ?? null);
  assert.deepEqual(entered, [clerk.id, clerk.id, null]);
  assert.equal(cli(server.database, ['council', 'verify', '--vote', v.id]).status, 0);
  assert.equal(count('audit_log', `action = 'council.named_list_entered' AND target = 'vote:${v.id}'`), 1);
  // Never for a secret vote.
  const secret = (await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { title: 'Тайно', kind: 'secret' })).json;
  assert.equal(problemSlug((await clerk.client.post(`/api/v1/council/votes/${secret.id}/named-list`, list)).json), 'secret-vote');
  // The chair's browser is gone: the vote stays open and is closed from another device.
  await chair.client.del('/api/v1/session');
  assert.equal((await chair.client.get(`/api/v1/council/votes/${secret.id}`)).status, 401);
  assert.equal((await fetch(`${server.url}/api/v1/council/votes/${secret.id}`, { headers: { cookie: deputy.client.cookie } }).then((r) => r.json())).status, 'open');
  const phone = new Client(server.url);
  assert.equal((await phone.post('/api/v1/session', { access_code: chair.code, password: GOOD_PASSWORD })).status, 200);
  assert.equal((await phone.post(`/api/v1/council/votes/${secret.id}/close`)).json.status, 'closed');
  chair.client = phone;
});

test('many members voting at once: every ballot counted once, a double click counted once', async () => {
  // A body of 40 (no quorum trouble), everyone present, all voting at the same moment.
  const big = (await admin.post('/api/v1/council/bodies', { name: 'Голям съвет', jurisdiction: 'pl', seats: 40, term_start: '2024-05-07', time_zone: 'Europe/Warsaw' })).json;
  const people = [];
  for (let i = 0; i < 40; i++) {
    const p = await person(`Radny ${i}`);
    assert.equal((await admin.post(`/api/v1/council/bodies/${big.id}/members`, { person_id: p.id, role: i === 0 ? 'chair' : 'member', from_date: '2024-05-07' })).status, 201);
    people.push(p);
  }
  const wall = new Date(Date.now() + 3600e3).toISOString().slice(0, 16);
  const s = (await people[0].client.post('/api/v1/council/sittings', { body_id: big.id, title: 'Sesja', start: wall })).json;
  await people[0].client.post(`/api/v1/council/sittings/${s.id}/open`);
  await people[0].client.post(`/api/v1/council/sittings/${s.id}/roll-call`, { marks: people.map((p) => ({ person_id: p.id, present: true })) });
  const board = await connect(server, people[0].client.cookie);
  board.send({ type: 'subscribe', topic: `council:${s.id}`, id: 1 });
  await board.next((m) => m.type === 'subscribed');
  const v = (await people[0].client.post(`/api/v1/council/sittings/${s.id}/votes`, { title: 'Uchwała' })).json;
  assert.equal(v.majority.id, 'PL-M1');
  // A token votes only with the council.vote scope (a device in the hall), never by default.
  const tokenFor = (scopes) => {
    const token = randomBytes(24).toString('base64url');
    sql(server.database, `INSERT INTO api_tokens (name, owner_id, token_hash, scopes, created_at) VALUES ('t', ${people[39].id}, '${createHash('sha256').update(token).digest('hex')}', '${scopes}', 0)`);
    return token;
  };
  const byToken = (token) => fetch(`${server.url}/api/v1/council/votes/${v.id}/ballots`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"choice":"yes"}' });
  assert.equal((await byToken(tokenFor('documents.read'))).status, 403);
  const results = await Promise.all(people.flatMap((p, i) => {
    const choice = i % 4 === 3 ? 'no' : 'yes';
    const one = () => p.client.post(`/api/v1/council/votes/${v.id}/ballots`, { choice });
    return i % 5 === 0 ? [one(), one()] : [one()];
  }));
  assert.equal(results.filter((r) => r.status === 201).length, 40);
  assert.equal(results.filter((r) => r.status === 409).length, 8);
  assert.ok(results.every((r) => r.status === 201 || r.status === 409), results.map((r) => r.status).join());
  // The count goes out a few times a second, not once per ballot.
  await board.next((m) => m.type === 'event' && m.event === 'council.vote_progress' && m.data.voted === 40, 5000, 'all 40 counted');
  const closed = (await people[0].client.post(`/api/v1/council/votes/${v.id}/close`)).json;
  assert.deepEqual(closed.tally, { yes: 30, no: 10, abstain: 0 });
  const news = await board.next((m) => m.type === 'event' && m.event === 'council.vote_closed', 5000, 'the result');
  assert.deepEqual(news.data.tally, closed.tally, 'the result travels with the news');
  assert.equal(news.data.result, 'adopted');
  board.ws.close();
  assert.equal(closed.result, 'adopted');
  assert.equal(cli(server.database, ['council', 'verify', '--vote', v.id]).status, 0);
});

test('changing one\'s vote where the body allows it: the last ballot counts, even when several arrive at once', async () => {
  assert.equal((await admin.patch(`/api/v1/council/bodies/${body.id}`, { vote_change: true })).status, 200);
  const v = (await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { title: 'Промяна на гласа' })).json;
  assert.equal(v.vote_change, true);
  const choices = ['yes', 'no', 'abstain', 'no', 'yes', 'no'];
  const answers = await Promise.all(choices.map((choice) => members[0].client.post(`/api/v1/council/votes/${v.id}/ballots`, { choice })));
  assert.ok(answers.every((a) => a.status === 201), answers.map((a) => a.text).join());
  assert.equal(answers.filter((a) => !a.json.changed).length, 1, 'one first ballot, the rest changes');
  const last = answers.reduce((a, b) => (a.json.seq > b.json.seq ? a : b)).json.choice;
  const closed = (await chair.client.post(`/api/v1/council/votes/${v.id}/close`)).json;
  assert.deepEqual(closed.tally, { yes: 0, no: 0, abstain: 0, [last]: 1 });
  assert.equal(closed.voted, 1);
  const check = cli(server.database, ['council', 'verify', '--vote', v.id]);
  assert.equal(check.status, 0, check.stdout + check.stderr);
  // A token without council.manage does not run the sitting.
  const token = randomBytes(24).toString('base64url');
  sql(server.database, `INSERT INTO api_tokens (name, owner_id, token_hash, scopes, created_at) VALUES ('t', ${chair.id}, '${createHash('sha256').update(token).digest('hex')}', 'council.vote', 0)`);
  const byToken = await fetch(`${server.url}/api/v1/council/sittings/${sitting.id}/votes`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: '{"title":"x"}' });
  assert.equal(byToken.status, 403);
  assert.equal((await admin.patch(`/api/v1/council/bodies/${body.id}`, { vote_change: false })).status, 200);
});

test('a vote with a time limit closes by itself', async () => {
  const v = (await chair.client.post(`/api/v1/council/sittings/${sitting.id}/votes`, { title: 'Кратко гласуване', duration: 10 })).json;
  assert.ok(v.closes_at);
  assert.equal((await chair.client.post(`/api/v1/council/votes/${v.id}/ballots`, { choice: 'yes' })).status, 201);
  let closed;
  for (let i = 0; i < 60; i++) {
    closed = (await chair.client.get(`/api/v1/council/votes/${v.id}`)).json;
    if (closed.status === 'closed') break;
    await new Promise((res) => setTimeout(res, 500));
  }
  assert.equal(closed.status, 'closed');
  assert.equal(closed.result, 'rejected');
  assert.equal(closed.closed_at >= v.closes_at, true);
  // Closing the sitting: the chair, once no vote is open; everyone present leaves.
  const done = await chair.client.post(`/api/v1/council/sittings/${sitting.id}/close`);
  assert.equal(done.status, 200, done.text);
  assert.equal(done.json.quorum.present, 0);
  assert.equal(problemSlug((await chair.client.post(`/api/v1/council/sittings/${sitting.id}/attendance`, {})).json), 'sitting-not-open');
});

test('draft minutes: an editable ODF text and a PDF, Cyrillic and Polish letters intact', async () => {
  const path = `/api/v1/council/sittings/${sitting.id}/minutes`;
  assert.equal((await outsider.client.get(path)).status, 403);
  assert.equal((await members[0].client.get(path)).status, 403, 'a member does not draft the minutes');
  assert.deepEqual(fieldsOf((await clerk.client.get(`${path}?format=doc`)).json), ['format']);
  const fetchBytes = async (p) => {
    const r = await fetch(server.url + p, { headers: { cookie: clerk.client.cookie } });
    return { status: r.status, type: r.headers.get('content-type'), bytes: Buffer.from(await r.arrayBuffer()) };
  };
  const odt = await fetchBytes(path);
  assert.equal(odt.status, 200);
  assert.equal(odt.type, 'application/vnd.oasis.opendocument.text');
  // OpenDocument: "mimetype" first and stored, so that programs recognise the file.
  assert.equal(odt.bytes.subarray(30, 38).toString(), 'mimetype');
  assert.equal(odt.bytes.subarray(38, 77).toString(), 'application/vnd.oasis.opendocument.text');
  const file = join(server.database.dir, 'minutes.odt');
  writeFileSync(file, odt.bytes);
  const content = spawnSync('unzip', ['-p', file, 'content.xml'], { encoding: 'utf8' }).stdout;
  for (const text of ['ПРОТОКОЛ № 1', 'Общински съвет – Тестово', 'Парк „Тест“', 'Милена Втора декларира конфликт на интереси', 'Цветан Председателски', 'НЕ СЕ ПРИЕМА', 'поименно', 'Огнян Външен — изказване'])
    assert.ok(content.includes(text), `${text} in the minutes`);
  assert.equal(spawnSync('unzip', ['-tq', file]).status, 0, 'a sound ZIP');

  const pdf = await fetchBytes(`${path}?format=pdf`);
  assert.equal(pdf.type, 'application/pdf');
  assert.equal(pdf.bytes.subarray(0, 5).toString(), '%PDF-');
  writeFileSync(join(server.database.dir, 'minutes.pdf'), pdf.bytes);
  const text = spawnSync('pdftotext', ['-layout', join(server.database.dir, 'minutes.pdf'), '-'], { encoding: 'utf8' }).stdout;
  for (const t of ['ПРОТОКОЛ № 1', 'Цветан Председателски', 'Парк „Тест“', 'ПРИЕТО', 'Присъствие'])
    assert.ok(text.includes(t), `${t} in the PDF text`);
  const pl = spawnSync('pdftotext', ['-', '-'], { input: (await fetchBytes(`${path}?format=pdf&lang=pl`)).bytes, encoding: 'utf8' }).stdout;
  for (const t of ['PROTOKÓŁ NR 1', 'Głosowanie nr', 'Obecność', 'wstrzymał się'])
    assert.ok(pl.includes(t), `${t} in the Polish PDF`);
});
