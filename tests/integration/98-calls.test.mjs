// "Call a colleague now": the callee's app rings over their topic; accept opens the caller's
// personal room to them until the call ends; decline (with a word), hanging up before an
// answer and no answer in time leave a missed call or a notice; do-not-disturb does not ring.
// Only the two people on a call see it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, activate, adminClient, problemSlug, waitFor, connect } from './harness.mjs';

const RING = 5;
const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_CALL_RING_SECONDS: String(RING) } });
const admin = await adminClient(server);
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.filter((u) => u.kind === 'department')[0];
const count = (table, where = '1 = 1') => Number(sql(server.database, `SELECT COUNT(*) FROM ${table} WHERE ${where}`));
const fieldsOf = (json) => (json.errors || []).map((e) => e.field);

async function person(display_name) {
  const r = await admin.post('/api/v1/people', { display_name, kind: 'employee', unit_id: department.id });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.person.id, client: await activate(server, r.json.access_code, r.json.activation_secret) };
}
const ana = await person('Ана Обаждаща');
const boris = await person('Борис Търсен');
const vera = await person('Вера Странична');

async function watching(who) {
  const s = await connect(server, who.client.cookie);
  s.send({ type: 'subscribe', topic: `person:${who.id}`, id: 1 });
  await s.next((m) => m.type === 'subscribed');
  return s;
}
const notificationsOf = async (who, kind) => (await who.client.get('/api/v1/notifications')).json.items.filter((n) => n.kind === kind);

test('accepted: it rings, the callee enters the caller\'s room, hanging up closes it again', async () => {
  const ring = await watching(boris);
  const back = await watching(ana);
  const r = await ana.client.post('/api/v1/calls', { person_id: boris.id });
  assert.equal(r.status, 201, r.text);
  const call = r.json;
  assert.equal(call.state, 'ringing');
  assert.equal(call.caller.id, ana.id);
  assert.equal(call.callee.display_name, 'Борис Търсен');
  const rung = await ring.next((m) => m.type === 'event' && m.event === 'call.ringing', 5000, 'the ring');
  assert.equal(rung.data.id, call.id);
  // Both see it among their live calls; nobody else sees it at all.
  assert.deepEqual((await boris.client.get('/api/v1/calls?state=live')).json.items.map((c) => c.id), [call.id]);
  assert.equal((await vera.client.get(`/api/v1/calls/${call.id}`)).status, 404);
  assert.equal((await vera.client.post(`/api/v1/calls/${call.id}/accept`)).status, 404);
  assert.equal((await vera.client.get(`/api/v1/rooms/${call.room_id}`)).status, 404);
  // The caller does not answer for the callee.
  const own = await ana.client.post(`/api/v1/calls/${call.id}/accept`);
  assert.equal(own.status, 403, own.text);
  // The callee may hang up only after answering.
  assert.equal(problemSlug((await boris.client.post(`/api/v1/calls/${call.id}/end`)).json), 'not-answered');

  const accepted = await boris.client.post(`/api/v1/calls/${call.id}/accept`);
  assert.equal(accepted.status, 200, accepted.text);
  assert.equal(accepted.json.state, 'accepted');
  assert.ok(accepted.json.answered_at);
  const heard = await back.next((m) => m.type === 'event' && m.event === 'call.changed' && m.data.state === 'accepted', 5000, 'the caller hears the answer');
  assert.equal(heard.data.id, call.id);
  assert.equal((await boris.client.get(`/api/v1/rooms/${call.room_id}`)).status, 200, 'the callee enters the caller\'s personal room');
  assert.equal((await boris.client.post(`/api/v1/rooms/${call.room_id}/messages`, { body: 'Здравей!' })).status, 201, 'and its chat');
  assert.equal(problemSlug((await boris.client.post(`/api/v1/calls/${call.id}/accept`)).json), 'not-ringing');

  const ended = await boris.client.post(`/api/v1/calls/${call.id}/end`);
  assert.equal(ended.status, 200, ended.text);
  assert.equal(ended.json.state, 'ended');
  await back.next((m) => m.type === 'event' && m.event === 'call.changed' && m.data.state === 'ended', 5000, 'the caller hears the end');
  assert.equal((await boris.client.get(`/api/v1/rooms/${call.room_id}`)).status, 404, 'the room is closed to him again');
  assert.equal(problemSlug((await ana.client.post(`/api/v1/calls/${call.id}/end`)).json), 'call-over');
  assert.deepEqual((await ana.client.get('/api/v1/calls?state=live')).json.items, []);
  assert.equal((await ana.client.get('/api/v1/calls')).json.items[0].id, call.id, 'kept in the history');
  assert.equal(count('audit_log', `target = 'call:${call.id}'`), 3, 'started, accepted, ended');
  ring.ws.close();
  back.ws.close();
});

test('declined with a word: the caller hears it and finds it among the notifications', async () => {
  const call = (await ana.client.post('/api/v1/calls', { person_id: boris.id })).json;
  const long = await boris.client.post(`/api/v1/calls/${call.id}/decline`, { message: 'я'.repeat(201) });
  assert.equal(long.status, 422);
  assert.deepEqual(fieldsOf(long.json), ['message']);
  const declined = await boris.client.post(`/api/v1/calls/${call.id}/decline`, { message: 'На среща съм, ще звънна след час.' });
  assert.equal(declined.status, 200, declined.text);
  assert.equal(declined.json.state, 'declined');
  const notes = await notificationsOf(ana, 'call.declined');
  assert.equal(notes.length, 1);
  assert.equal(notes[0].data.message, 'На среща съм, ще звънна след час.');
  assert.equal(notes[0].data.actor, 'Борис Търсен');
  assert.equal((await boris.client.get(`/api/v1/rooms/${call.room_id}`)).status, 404);
  // Its meeting is cancelled: it is not in anyone's week as something still to come.
  assert.equal((await boris.client.get(`/api/v1/meetings/${call.meeting_id}`)).json.status, 'cancelled');
});

test('not answered in time: a missed call; hung up before an answer: a missed call too', async () => {
  const before = (await notificationsOf(boris, 'call.missed')).length;
  const call = (await ana.client.post('/api/v1/calls', { person_id: boris.id })).json;
  // One ringing call at a time.
  assert.equal(problemSlug((await ana.client.post('/api/v1/calls', { person_id: vera.id })).json), 'already-calling');
  await waitFor(async () => (await ana.client.get(`/api/v1/calls/${call.id}`)).json.state === 'missed', { timeout: (RING + 10) * 1000, what: 'the ring timing out' });
  assert.equal((await notificationsOf(boris, 'call.missed')).length, before + 1);
  assert.equal(problemSlug((await boris.client.post(`/api/v1/calls/${call.id}/accept`)).json), 'not-ringing', 'too late');

  const again = (await ana.client.post('/api/v1/calls', { person_id: boris.id })).json;
  const cancelled = await ana.client.post(`/api/v1/calls/${again.id}/end`);
  assert.equal(cancelled.json.state, 'cancelled');
  assert.equal((await notificationsOf(boris, 'call.missed')).length, before + 2);
  assert.equal(count('jobs', `kind = 'workspace.call-timeout' AND status = 'dead'`), 0);
});

test('do not disturb: no ring, a clear answer, a missed call', async () => {
  assert.equal((await vera.client.req('PUT', '/api/v1/me/presence', { status: 'busy', dnd: true })).status, 200);
  const ring = await watching(vera);
  const r = await ana.client.post('/api/v1/calls', { person_id: vera.id });
  assert.equal(r.status, 409, r.text);
  assert.equal(problemSlug(r.json), 'do-not-disturb');
  assert.equal((await notificationsOf(vera, 'call.missed')).length, 1);
  assert.deepEqual((await vera.client.get('/api/v1/calls?state=live')).json.items, []);
  await assert.rejects(ring.next((m) => m.type === 'event' && m.event === 'call.ringing', 800, 'a ring'), 'it did not ring');
  ring.ws.close();
  await vera.client.req('PUT', '/api/v1/me/presence', { status: 'available', dnd: false });
});

test('bad calls: oneself, nobody, the disabled, no id; an unknown state filter', async () => {
  const gone = await person('Георги Напуснал');
  await admin.post(`/api/v1/people/${gone.id}/disable`);
  for (const [body, code] of [[{ person_id: ana.id }, 'self'], [{ person_id: '999999' }, 'not_found'], [{ person_id: gone.id }, 'disabled'], [{}, 'required'], [{ person_id: 'x' }, 'invalid']]) {
    const r = await ana.client.post('/api/v1/calls', body);
    assert.equal(r.status, 422, `${JSON.stringify(body)}: ${r.text}`);
    assert.deepEqual(fieldsOf(r.json), ['person_id']);
    assert.equal(r.json.errors[0].code, code, JSON.stringify(body));
  }
  assert.equal((await ana.client.get('/api/v1/calls?state=all')).status, 422);
  assert.equal((await ana.client.get('/api/v1/calls/abc')).status, 404);
  assert.equal(count('calls', `caller_id = ${ana.id} AND state = 'ringing'`), 0, 'nothing half-made');
});

test('an accepted call nobody hung up is no longer live once its room closes', async () => {
  const call = (await ana.client.post('/api/v1/calls', { person_id: boris.id })).json;
  assert.equal((await boris.client.post(`/api/v1/calls/${call.id}/accept`)).status, 200);
  assert.equal((await ana.client.get('/api/v1/calls?state=live')).json.items.length, 1);
  // Hours later (the room's time is over):
  sql(server.database, `UPDATE meetings SET ends_at = ${Math.floor(Date.now() / 1000) - 60} WHERE id = ${call.meeting_id}`);
  assert.deepEqual((await ana.client.get('/api/v1/calls?state=live')).json.items, []);
  const ended = await ana.client.post(`/api/v1/calls/${call.id}/end`);
  assert.equal(ended.status, 200, ended.text);
  assert.ok(Number(sql(server.database, `SELECT ends_at FROM meetings WHERE id = ${call.meeting_id}`)) < Date.now() / 1000, 'not reopened');
});
