// Video and audio through a real Janus that the server starts and watches: who gets a ticket
// (and who a clear refusal), what Janus itself accepts and refuses (forged, expired and
// other-room tokens, an old pin), the hosts' controls, the lobby, the end of a meeting, a Janus
// killed with SIGKILL and one that cannot be reached. Media itself flows in e2e 22.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import WebSocket from 'ws';
import { startServer, sql, activate, adminClient, problemSlug, waitFor, connect, freePort } from './harness.mjs';

const server = await startServer({
  env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_JANUS: 'local' },
});
const admin = await adminClient(server);
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.filter((u) => u.kind === 'department')[0];
const count = (table, where = '1 = 1') => Number(sql(server.database, `SELECT COUNT(*) FROM ${table} WHERE ${where}`));
const dataDir = server.database.env.RATUSHA_DATA_DIR;
const [tokenSecret] = readFileSync(`${dataDir}/keys/janus.secret`, 'utf8').split('\n');

async function person(display_name) {
  const r = await admin.post('/api/v1/people', { display_name, kind: 'employee', unit_id: department.id });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.person.id, client: await activate(server, r.json.access_code, r.json.activation_secret) };
}
const ana = await person('Ана Домакинова');
const boris = await person('Борис Гостенин');
const vera = await person('Вера Неканена');
const georgi = await person('Георги Чакащ');

const personalRoom = async (who) => (await who.client.get('/api/v1/rooms')).json.items.find((r) => r.kind === 'personal');
const anasRoom = await personalRoom(ana);
const status = async () => (await admin.get('/api/v1/media/status')).json;

// A meeting in `room` that is on now (or starts in `minutes`), with `invitees`.
async function meeting(organiser, invitees, { minutes = 0, room_id, duration = 3600 } = {}) {
  const start = new Date(Date.now() + minutes * 60e3);
  start.setUTCSeconds(0, 0);
  const r = await organiser.client.post('/api/v1/meetings', {
    title: 'Видеосреща', start: start.toISOString().slice(0, 16), duration, time_zone: 'UTC', room_id,
    invitees: invitees.map((p) => ({ kind: 'person', id: p.id })),
  });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// Janus's own HTTP API, as a browser would use it over WebSocket (same messages).
const janusApi = async () => (await status()).instances[0].api_url;
function sign(payload) {
  return `${payload}:${createHmac('sha1', tokenSecret).update(payload).digest('base64')}`;
}
async function janus(path, body) {
  const r = await fetch((await janusApi()) + path, {
    method: 'POST', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ transaction: Math.random().toString(36).slice(2), ...body }),
  });
  return r.json();
}
// Creates a session and a VideoRoom handle with `token`; returns ids or the error.
async function session(token, opaqueId) {
  const s = await janus('', { janus: 'create', token });
  if (s.janus !== 'success') return { error: s.error };
  const h = await janus(`/${s.data.id}`, { janus: 'attach', plugin: 'janus.plugin.videoroom', token, opaque_id: opaqueId });
  if (h.janus !== 'success') return { error: h.error };
  return { session: s.data.id, handle: h.data.id, token };
}
// Sends a join and waits for its answer (an asynchronous request: ack, then an event).
async function joinJanus(s, body) {
  const ack = await janus(`/${s.session}/${s.handle}`, { janus: 'message', token: s.token, body: { request: 'join', ...body } });
  if (ack.janus !== 'ack') return ack;
  const api = await janusApi();
  for (let i = 0; i < 20; i++) {
    const r = await fetch(`${api}/${s.session}?maxev=1&token=${encodeURIComponent(s.token)}`);
    const ev = await r.json();
    const events = Array.isArray(ev) ? ev : [ev];
    const mine = events.find((e) => e.janus === 'event' && e.sender === s.handle && e.plugindata);
    if (mine) return mine.plugindata.data;
  }
  throw new Error('no answer from Janus to the join');
}
const roomExists = async (id) => {
  const s = await session(sign(`${Math.floor(Date.now() / 1000) + 60},janus,janus.plugin.videoroom`));
  const r = await janus(`/${s.session}/${s.handle}`, { janus: 'message', token: s.token, body: { request: 'exists', room: id } });
  return r.plugindata.data.exists;
};
const publisherJoin = (ticket, overrides = {}) => ({
  ptype: 'publisher', room: ticket.janus.room, id: ticket.participant.id, display: ticket.participant.display_name,
  pin: ticket.janus.pin, token: ticket.janus.room_token, ...overrides,
});

test('status: the server started Janus 1.1.2 and watches it; only administrators see it', async () => {
  const st = await status();
  assert.equal(st.available, true);
  assert.equal(st.instances.length, 1);
  assert.equal(st.instances[0].up, true, JSON.stringify(st));
  assert.equal(st.instances[0].version, '1.1.2');
  assert.equal((await ana.client.get('/api/v1/media/status')).status, 403);
  // The generated configuration keeps Janus closed: signed tokens, one plugin, its APIs local.
  const conf = readFileSync(`${dataDir}/janus/janus.jcfg`, 'utf8');
  assert.match(conf, /token_auth = true/);
  assert.match(readFileSync(`${dataDir}/janus/janus.transport.http.jcfg`, 'utf8'), /ip = "127\.0\.0\.1"/);
  const metrics = await (await fetch(server.url + '/metrics')).text();
  assert.match(metrics, /ratusha_janus_up 1/);
  assert.match(metrics, /ratusha_janus_sessions [1-9]/, 'our own control session at least');
  assert.match(metrics, /ratusha_janus_receive_kbps \d+/);
  assert.match(metrics, /ratusha_janus_send_kbps \d+/);
  // Janus's handles are walked once for everyone who asks within a few seconds.
  const [one, two] = [await status(), await status()];
  assert.ok(one.instances[0].measured_at, JSON.stringify(one.instances[0]));
  assert.equal(two.instances[0].measured_at, one.instances[0].measured_at);
});

test('tickets: the owner of a personal room hosts it; others learn nothing, an invitee only while the meeting is on', async () => {
  const r = await ana.client.post(`/api/v1/rooms/${anasRoom.id}/media/join`);
  assert.equal(r.status, 200, r.text);
  const t = r.json;
  assert.equal(t.state, 'admitted');
  assert.equal(t.participant.host, true);
  assert.equal(t.participant.display_name, 'Ана Домакинова');
  assert.ok(Number.isSafeInteger(t.participant.id) && Number.isSafeInteger(t.janus.room));
  assert.equal(t.janus.server, '/janus', 'Janus is relayed on our own origin');
  assert.match(t.janus.token, /^\d+,janus,janus\.plugin\.videoroom:[A-Za-z0-9+/]+=*$/);
  assert.match(t.janus.room_token, new RegExp(`^\\d+,janus\\.plugin\\.videoroom,room=${t.janus.room}:`));
  assert.equal(t.janus.opaque_id, `ratusha:${t.participant.id}`);
  // No Janus secret in the ticket: not the room's, not the admin key.
  const secrets = readFileSync(`${dataDir}/keys/janus.secret`, 'utf8').split('\n').filter(Boolean);
  for (const s of secrets) assert.ok(!r.text.includes(s));
  assert.ok(await roomExists(t.janus.room));

  // Vera is neither a member nor invited: the room does not exist for her.
  const no = await vera.client.post(`/api/v1/rooms/${anasRoom.id}/media/join`);
  assert.equal(no.status, 404, no.text);
  assert.equal((await vera.client.get(`/api/v1/rooms/${anasRoom.id}/media`)).status, 404);
  // Boris is invited to a meeting there in two hours: not yet, and he is told when.
  const later = await meeting(ana, [boris], { minutes: 120 });
  const early = await boris.client.post(`/api/v1/rooms/${anasRoom.id}/media/join`);
  assert.equal(early.status, 409, early.text);
  assert.equal(problemSlug(early.json), 'meeting-not-open');
  assert.equal(Date.parse(early.json.opens_at), Date.parse(later.starts_at) - 15 * 60e3);
  // Moved to now, he may enter (not as host).
  const now = new Date(); now.setUTCSeconds(0, 0);
  const moved = await ana.client.patch(`/api/v1/meetings/${later.id}`, { start: now.toISOString().slice(0, 16) });
  assert.equal(moved.status, 200, moved.text);
  const in_ = await boris.client.post(`/api/v1/rooms/${anasRoom.id}/media/join`);
  assert.equal(in_.status, 200, in_.text);
  assert.equal(in_.json.participant.host, false);
  assert.equal(in_.json.janus.room, t.janus.room, 'one live room per workspace room');
  // Both are listed, with names from Ratusha.
  const live = (await boris.client.get(`/api/v1/rooms/${anasRoom.id}/media`)).json;
  assert.deepEqual(live.participants.map((p) => p.display_name).sort(), ['Ана Домакинова', 'Борис Гостенин']);
  assert.equal(live.host, false);
  // A meeting that has ended: gone.
  const past = await meeting(ana, [georgi], { minutes: -120, duration: 1800 });
  assert.ok(past.id);
  const over = await georgi.client.post(`/api/v1/rooms/${anasRoom.id}/media/join`);
  assert.equal(over.status, 410, over.text);
  assert.equal(problemSlug(over.json), 'meeting-ended');
  // Joins are audited.
  assert.ok(count('audit_log', `action = 'media.joined' AND target = 'room:${anasRoom.id}'`) >= 2);
});

test('the relay at /janus: signed-in people from this site reach the WebSocket API of Janus, nobody else', async () => {
  const t = (await ana.client.post(`/api/v1/rooms/${anasRoom.id}/media/join`)).json;
  const wsUrl = server.url.replace(/^http/, 'ws') + '/janus';
  const open = (headers) => new Promise((resolve) => {
    const ws = new WebSocket(wsUrl, 'janus-protocol', { headers });
    ws.on('open', () => resolve({ ws }));
    ws.on('unexpected-response', (req, res) => { res.resume(); resolve({ refused: res.statusCode }); });
    ws.on('error', (e) => resolve({ error: e.message }));
  });
  assert.equal((await open({ origin: server.url })).refused, 401, 'not signed in');
  assert.equal((await open({ origin: 'https://evil.example', cookie: ana.client.cookie })).refused, 403, 'another site');
  const { ws } = await open({ origin: server.url, cookie: ana.client.cookie });
  assert.ok(ws, 'signed in: open');
  assert.equal(ws.protocol, 'janus-protocol');
  const answer = (msg) => new Promise((resolve) => {
    ws.once('message', (d) => resolve(JSON.parse(String(d))));
    ws.send(JSON.stringify({ transaction: 'x1', ...msg }));
  });
  const created = await answer({ janus: 'create', token: t.janus.token });
  assert.equal(created.janus, 'success', JSON.stringify(created));
  const refused = await answer({ janus: 'create', token: 'forged' });
  assert.equal(refused.error?.code, 403);
  ws.close();
});

test('a connection refreshes its room token, a reconnect replaces the old connection, waiting can be given up, the departed are swept, an unknown id is dropped', async () => {
  const room = await personalRoom(ana);
  const first = (await ana.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  const base = `/api/v1/rooms/${room.id}/media`;
  const fresh = await ana.client.post(`${base}/participants/${first.participant.id}/token`);
  assert.equal(fresh.status, 200, fresh.text);
  assert.match(fresh.json.room_token, new RegExp(`,janus\\.plugin\\.videoroom,room=${first.janus.room}:`));
  assert.equal(fresh.json.pin, first.janus.pin);
  // Only for one's own live connection.
  assert.equal((await boris.client.post(`${base}/participants/${first.participant.id}/token`)).status, 404);
  const second = (await ana.client.post(`${base}/join`, { replaces: first.participant.id })).json;
  const live = (await ana.client.get(base)).json.participants.map((p) => p.id);
  assert.ok(live.includes(second.participant.id) && !live.includes(first.participant.id), 'the old connection is gone');
  assert.equal((await ana.client.post(`${base}/participants/${first.participant.id}/token`)).status, 404);
  assert.equal((await ana.client.post(`${base}/join`, { replaces: 'x' })).status, 422);

  // A server that marks as left after 5 s: a ticket nobody used in Janus is swept; one whose
  // connection is in Janus stays.
  const quick = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_JANUS: 'local', RATUSHA_MEDIA_DEPARTED_AFTER: '5' } });
  const a = await adminClient(quick);
  const own = (await a.get('/api/v1/rooms')).json.items.find((r) => r.kind === 'personal');
  const unused = (await a.post(`/api/v1/rooms/${own.id}/media/join`)).json;
  const used = (await a.post(`/api/v1/rooms/${own.id}/media/join`)).json;
  const api = (await a.get('/api/v1/media/status')).json.instances[0].api_url;
  const post = async (path, body) => (await fetch(api + path, { method: 'POST', body: JSON.stringify({ transaction: 't', ...body }) })).json();
  const s = await post('', { janus: 'create', token: used.janus.token });
  const h = await post(`/${s.data.id}`, { janus: 'attach', plugin: 'janus.plugin.videoroom', token: used.janus.token });
  await post(`/${s.data.id}/${h.data.id}`, { janus: 'message', token: used.janus.token, body: { request: 'join', ...publisherJoin(used) } });
  const keep = setInterval(() => post(`/${s.data.id}`, { janus: 'keepalive', token: used.janus.token }), 5000);
  try {
    await waitFor(async () => {
      const ids = (await a.get(`/api/v1/rooms/${own.id}/media`)).json.participants.map((p) => p.id);
      return !ids.includes(unused.participant.id) && ids.includes(used.participant.id);
    }, { timeout: 40000, interval: 500, what: 'the unused ticket swept, the used one kept' });

    // A join token opens the room, not an id: a second connection that joins under an id no
    // ticket gave is dropped by the next sweep (and the ticket's own connection stays).
    const fresh = (await a.post(`/api/v1/rooms/${own.id}/media/participants/${used.participant.id}/token`)).json;
    const intruder = used.participant.id + 1;
    const s2 = await post('', { janus: 'create', token: used.janus.token });
    const h2 = await post(`/${s2.data.id}`, { janus: 'attach', plugin: 'janus.plugin.videoroom', token: used.janus.token });
    await post(`/${s2.data.id}/${h2.data.id}`, { janus: 'message', token: used.janus.token, body: { request: 'join', ...publisherJoin(used, { id: intruder, display: 'Никой', token: fresh.room_token, pin: fresh.pin }) } });
    const inJanus = async () => {
      const r = await post(`/${s.data.id}/${h.data.id}`, { janus: 'message', token: used.janus.token, body: { request: 'listparticipants', room: used.janus.room } });
      return (r.plugindata?.data?.participants ?? []).map((p) => p.id);
    };
    await waitFor(async () => (await inJanus()).includes(intruder), { timeout: 10000, what: 'the intruder in the room' });
    await waitFor(async () => !(await inJanus()).includes(intruder), { timeout: 30000, interval: 500, what: 'the intruder dropped' });
    assert.ok((await inJanus()).includes(used.participant.id), 'the ticket\'s own connection stays');
    assert.equal(Number(sql(quick.database, `SELECT COUNT(*) FROM audit_log WHERE action = 'media.dropped_unknown' AND target = 'room:${own.id}'`)), 1);
  } finally {
    clearInterval(keep);
  }
});

test('Janus refuses what Ratusha did not sign: forged, expired, other-room tokens and an old pin', async () => {
  const t = (await ana.client.post(`/api/v1/rooms/${anasRoom.id}/media/join`)).json;
  // The ticket works as given.
  const ok = await session(t.janus.token, t.janus.opaque_id);
  assert.ok(ok.session, JSON.stringify(ok.error));
  const joined = await joinJanus(ok, publisherJoin(t));
  assert.equal(joined.videoroom, 'joined', JSON.stringify(joined));
  assert.equal(joined.id, t.participant.id);

  // A forged core token (changed expiry, old signature) and an expired one: no session at all.
  const [payload, sig] = t.janus.token.split(':');
  const forged = await session(`${Number(payload.split(',')[0]) + 3600},janus,janus.plugin.videoroom:${sig}`);
  assert.equal(forged.error?.code, 403, JSON.stringify(forged));
  const expired = await session(sign(`${Math.floor(Date.now() / 1000) - 5},janus,janus.plugin.videoroom`));
  assert.equal(expired.error?.code, 403, JSON.stringify(expired));
  const noPlugin = await session(sign(`${Math.floor(Date.now() / 1000) + 60},janus`));
  assert.equal(noPlugin.error?.code, 405, JSON.stringify(noPlugin));

  // A room token for another room, an expired one, none, a wrong pin: 433 from the VideoRoom.
  const borisRoom = await personalRoom(boris);
  const other = (await boris.client.post(`/api/v1/rooms/${borisRoom.id}/media/join`)).json;
  const s = await session(t.janus.token);
  for (const [what, body] of [
    ['a token for another room', publisherJoin(t, { id: undefined, token: other.janus.room_token })],
    ['an expired room token', publisherJoin(t, { id: undefined, token: sign(`${Math.floor(Date.now() / 1000) - 1},janus.plugin.videoroom,room=${t.janus.room}`) })],
    ['no token', publisherJoin(t, { id: undefined, token: undefined })],
    ['a wrong pin', publisherJoin(t, { id: undefined, pin: 'guess' })],
  ]) {
    const r = await joinJanus(s, body);
    assert.equal(r.error_code, 433, `${what}: ${JSON.stringify(r)}`);
  }
  // Someone may not make rooms in Janus with a ticket: creating needs the admin key.
  const made = await janus(`/${s.session}/${s.handle}`, { janus: 'message', token: s.token, body: { request: 'create', room: 4242 } });
  assert.notEqual(made.plugindata.data.videoroom, 'created');
});

test('hosts: mute, remove (their Janus session ends, an old ticket stops working), lock; others may not', async () => {
  const room = await personalRoom(ana);
  const host = (await ana.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  const t = (await boris.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  assert.equal(t.state, 'admitted');
  const bs = await session(t.janus.token, t.janus.opaque_id);
  assert.equal((await joinJanus(bs, publisherJoin(t))).videoroom, 'joined');
  // The status names his connection (its opaque id is the one his ticket gave), once walked again.
  await waitFor(async () => (await status()).instances[0].connections.some((c) => c.participant === t.participant.id && c.display_name === 'Борис Гостенин' && c.room_id === room.id && c.kind === 'publisher'),
    { timeout: 20_000, interval: 1000, what: 'his connection in the status' });
  const base = `/api/v1/rooms/${room.id}/media/participants/${t.participant.id}`;
  assert.equal((await boris.client.post(`${base}/streams`, { streams: [{ mid: '0', type: 'audio' }, { mid: '1', type: 'video' }] })).status, 204);
  for (const bad of [{ streams: [{ mid: '0', type: 'smell' }] }, { streams: [{ mid: '<b>', type: 'audio' }] }, { streams: 'x' }, {}])
    assert.equal((await boris.client.post(`${base}/streams`, bad)).status, 422, JSON.stringify(bad));
  // Someone else's connection is not yours to describe or to leave.
  assert.equal((await ana.client.post(`${base}/streams`, { streams: [] })).status, 404);

  // A participant may not use the hosts' controls.
  const hostBase = `/api/v1/rooms/${room.id}/media/participants/${host.participant.id}`;
  assert.equal((await boris.client.post(`${hostBase}/mute`, { kind: 'audio' })).status, 403);
  assert.equal((await boris.client.post(`/api/v1/rooms/${room.id}/media/lock`, { locked: true })).status, 403);
  assert.equal((await boris.client.post(`/api/v1/rooms/${room.id}/media/end`)).status, 403);
  assert.equal((await ana.client.post(`${base}/mute`, { kind: 'smell' })).status, 422);

  // Mute: Boris hears about it on the meeting's topic; the list shows it; it is audited.
  const ws = await connect(server, boris.client.cookie);
  ws.send({ type: 'subscribe', topic: `media:${room.id}`, id: 1 });
  await ws.next((m) => m.type === 'subscribed');
  const muted = await ana.client.post(`${base}/mute`, { kind: 'audio', muted: true });
  assert.equal(muted.status, 204, muted.text);
  const heard = await ws.next((m) => m.type === 'event' && m.event === 'media.muted', 5000, 'the mute event');
  assert.equal(heard.data.participant, t.participant.id);
  assert.equal(heard.data.kind, 'audio');
  const live = (await ana.client.get(`/api/v1/rooms/${room.id}/media`)).json;
  assert.equal(live.participants.find((p) => p.id === t.participant.id).muted.audio, true);
  assert.equal(count('audit_log', `action = 'media.muted' AND target = 'room:${room.id}'`), 1);
  // Reconnecting does not undo it: the new connection is muted too.
  const rejoined = (await boris.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  assert.deepEqual(rejoined.participant.muted, { audio: true, video: false });
  assert.equal((await boris.client.post(`/api/v1/rooms/${room.id}/media/leave`, { participant: rejoined.participant.id })).status, 204);

  // Remove: his Janus session is gone (what he receives too), his ticket's pin no longer opens
  // the room, he cannot get a new ticket, and he stops hearing the meeting's events.
  const removed = await ana.client.post(`${base}/remove`);
  assert.equal(removed.status, 204, removed.text);
  await ws.next((m) => m.type === 'event' && m.event === 'media.removed', 5000, 'the removal event');
  const keep = await janus(`/${bs.session}`, { janus: 'keepalive', token: bs.token });
  assert.equal(keep.error?.code, 458, JSON.stringify(keep));
  const again = await session(t.janus.token);
  assert.equal((await joinJanus(again, publisherJoin(t, { id: undefined }))).error_code, 433, 'the old pin');
  const refused = await boris.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(refused.status, 403, refused.text);
  assert.equal(problemSlug(refused.json), 'removed');
  assert.equal((await boris.client.post(`/api/v1/rooms/${room.id}/media/leave`, { participant: t.participant.id })).status, 204);
  assert.equal(count('audit_log', `action = 'media.removed' AND target = 'room:${room.id}'`), 1);
  ws.ws.close();

  // Lock: nobody new (Georgi, invited now), the host still can; unlocked, Georgi can.
  await meeting(ana, [georgi]);
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/lock`, { locked: true })).status, 204);
  const locked = await georgi.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(locked.status, 409, locked.text);
  assert.equal(problemSlug(locked.json), 'room-locked');
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/join`)).status, 200);
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/lock`, { locked: false })).status, 204);
  assert.equal((await georgi.client.post(`/api/v1/rooms/${room.id}/media/join`)).status, 200);
});

test('end for everyone: Janus drops the room, everyone is out, removals are forgotten, the next meeting gets a new room', async () => {
  const room = await personalRoom(ana);
  const before = (await ana.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  assert.ok(await roomExists(before.janus.room));
  const ws = await connect(server, ana.client.cookie);
  ws.send({ type: 'subscribe', topic: `media:${room.id}`, id: 1 });
  await ws.next((m) => m.type === 'subscribed');
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/end`)).status, 204);
  await ws.next((m) => m.type === 'event' && m.event === 'media.ended', 5000, 'the end event');
  assert.equal(await roomExists(before.janus.room), false);
  assert.equal(count('media_participants', `room_id = ${room.id} AND left_at IS NULL`), 0);
  assert.equal(count('audit_log', `action = 'media.ended' AND target = 'room:${room.id}'`), 1);
  // Boris (removed earlier) may come to the next session.
  const next = await boris.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(next.status, 200, next.text);
  assert.notEqual(next.json.janus.room, before.janus.room);
  assert.ok(await roomExists(next.json.janus.room));
});

test('what a participant shows: a raised hand and a shared screen, their own only, gone when they leave', async () => {
  const room = await personalRoom(ana);
  const host = (await ana.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  const t = (await boris.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  assert.equal(t.state, 'admitted');
  const me = t.participant.id;
  const base = `/api/v1/rooms/${room.id}/media`;
  const shown = async () => {
    const p = (await ana.client.get(base)).json.participants.find((x) => x.id === me);
    return p && { hand: p.hand_raised, sharing: p.sharing };
  };
  assert.deepEqual(await shown(), { hand: false, sharing: false });
  const ws = await connect(server, ana.client.cookie);
  ws.send({ type: 'subscribe', topic: `media:${room.id}`, id: 1 });
  await ws.next((m) => m.type === 'subscribed');
  assert.equal((await boris.client.post(`${base}/hand`, { participant: me, raised: true })).status, 204);
  assert.equal((await boris.client.post(`${base}/screen`, { participant: me, sharing: true })).status, 204);
  await ws.next((m) => m.type === 'event' && m.event === 'media.changed', 5000, 'the others hear of it');
  assert.deepEqual(await shown(), { hand: true, sharing: true });
  // Bad input, and someone else's connection.
  for (const bad of [{ participant: me, sharing: 'yes' }, { participant: me }, { sharing: true }, { participant: 'x', sharing: true }, { participant: me, sharing: true, extra: 1 }])
    assert.equal((await boris.client.post(`${base}/screen`, bad)).status, 422, JSON.stringify(bad));
  assert.equal((await boris.client.post(`${base}/hand`, { participant: me, raised: 1 })).status, 422);
  assert.equal((await ana.client.post(`${base}/screen`, { participant: me, sharing: false })).status, 404, 'not hers to change');
  assert.equal((await boris.client.post(`${base}/screen`, { participant: host.participant.id, sharing: true })).status, 404);
  // A host stops his video: the screen went with it, and sharing again is not announced.
  assert.equal((await ana.client.post(`${base}/participants/${me}/mute`, { kind: 'video', muted: true })).status, 204);
  assert.deepEqual(await shown(), { hand: true, sharing: false });
  assert.equal((await boris.client.post(`${base}/screen`, { participant: me, sharing: true })).status, 204);
  assert.deepEqual(await shown(), { hand: true, sharing: false });
  assert.equal((await ana.client.post(`${base}/participants/${me}/mute`, { kind: 'video', muted: false })).status, 204);
  assert.equal((await boris.client.post(`${base}/screen`, { participant: me, sharing: true })).status, 204);
  assert.deepEqual(await shown(), { hand: true, sharing: true });
  // Leaving takes both away; the next connection starts with neither.
  assert.equal((await boris.client.post(`${base}/leave`, { participant: me })).status, 204);
  assert.equal(count('media_participants', `janus_id = ${me} AND (hand_raised <> 0 OR sharing <> 0)`), 0, 'cleared when he left');
  const again = (await boris.client.post(`${base}/join`)).json;
  const next = (await ana.client.get(base)).json.participants.find((x) => x.id === again.participant.id);
  assert.deepEqual([next.hand_raised, next.sharing], [false, false]);
  assert.equal((await boris.client.post(`${base}/leave`, { participant: again.participant.id })).status, 204);
  assert.equal((await ana.client.post(`${base}/end`)).status, 204);
  ws.ws.close();
});

test('lobby: a meeting room with a lobby keeps people waiting until a host admits or refuses them', async () => {
  const created = await admin.post('/api/v1/rooms', { name: 'Зала с фоайе', lobby: true, unit_id: department.id });
  assert.equal(created.status, 201, created.text);
  const room = created.json;
  assert.equal((await admin.post(`/api/v1/rooms/${room.id}/members`, { person_id: ana.id })).status, 204);
  await meeting(ana, [georgi, vera], { room_id: room.id });
  const ws = await connect(server, georgi.client.cookie);
  ws.send({ type: 'subscribe', topic: `person:${georgi.id}`, id: 1 });
  await ws.next((m) => m.type === 'subscribed');
  const wait = await georgi.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(wait.status, 202, wait.text);
  assert.equal(wait.json.state, 'waiting');
  assert.equal(wait.json.janus, undefined, 'no credentials while waiting');
  // The organiser hosts the meeting there and sees who waits; Vera, a guest of it, does not.
  const hostView = (await ana.client.get(`/api/v1/rooms/${room.id}/media`)).json;
  assert.equal(hostView.host, true);
  assert.deepEqual(hostView.waiting.map((w) => w.display_name), ['Георги Чакащ']);
  assert.deepEqual((await vera.client.get(`/api/v1/rooms/${room.id}/media`)).json.waiting, []);
  assert.equal((await vera.client.post(`/api/v1/rooms/${room.id}/media/lobby/${georgi.id}`, { admit: true })).status, 403);
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/lobby/${georgi.id}`, { admit: 'yes' })).status, 422);
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/lobby/${vera.id}`, { admit: true })).status, 404);
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/lobby/${georgi.id}`, { admit: true })).status, 204);
  const told = await ws.next((m) => m.type === 'event' && m.event === 'media.admitted', 5000, 'admitted');
  assert.equal(told.data.room_id, room.id);
  const inside = await georgi.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(inside.status, 200, inside.text);
  // The administrator keeps the room without being a member: the room's chat opens to her
  // while she is in its video meeting (the chat beside the video), not before.
  const chat = `/api/v1/rooms/${room.id}/messages`;
  assert.equal((await admin.get(chat)).status, 404, 'not in the meeting yet');
  const keeper = await admin.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(keeper.status, 200, keeper.text);
  assert.equal(keeper.json.participant.host, true);
  assert.equal((await admin.post(chat, { body: 'Добре дошли.' })).status, 201);
  assert.equal((await georgi.client.get(chat)).json.items[0].body, 'Добре дошли.');
  assert.equal((await admin.post(`/api/v1/rooms/${room.id}/media/leave`, { participant: keeper.json.participant.id })).status, 204);
  // Vera asks, gives up (gone from the list), asks again and is refused. A "no" answers that
  // request only: she may knock again, and waits again.
  const waitingNames = async () => (await ana.client.get(`/api/v1/rooms/${room.id}/media`)).json.waiting.map((w) => w.display_name);
  assert.equal((await vera.client.post(`/api/v1/rooms/${room.id}/media/join`)).status, 202);
  assert.equal((await vera.client.post(`/api/v1/rooms/${room.id}/media/leave`)).status, 204);
  assert.deepEqual(await waitingNames(), []);
  assert.equal((await vera.client.post(`/api/v1/rooms/${room.id}/media/join`)).status, 202);
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/lobby/${vera.id}`, { admit: false })).status, 204);
  assert.deepEqual(await waitingNames(), []);
  assert.equal((await ana.client.post(`/api/v1/rooms/${room.id}/media/lobby/${vera.id}`, { admit: true })).status, 404, 'no request left to answer');
  const again = await vera.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(again.status, 202, again.text);
  assert.deepEqual(await waitingNames(), ['Вера Неканена'], 'waiting again');
  assert.equal(count('audit_log', `action IN ('media.admitted', 'media.refused') AND target = 'room:${room.id}'`), 2);
  ws.ws.close();
});

test('recording: hosts only, a notice for everyone, stopped by the end of the meeting; with nothing sent it fails clearly', async () => {
  const room = await personalRoom(ana);
  const t = (await ana.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  assert.equal(t.state, 'admitted');
  const base = `/api/v1/rooms/${room.id}/media`;
  assert.equal((await ana.client.post(`${base}/recording`, { on: false })).status, 409);
  assert.equal((await ana.client.post(`${base}/recording`, { on: 'yes' })).status, 422);
  await meeting(ana, [georgi]);
  assert.equal((await georgi.client.post(`${base}/recording`, { on: true })).status, 403);
  const started = await ana.client.post(`${base}/recording`, { on: true });
  assert.equal(started.status, 201, started.text);
  assert.equal(started.json.state, 'recording');
  assert.equal((await ana.client.post(`${base}/recording`, { on: true })).status, 409);
  // Everyone who comes in learns it is on, before and after joining.
  const g = await georgi.client.post(`${base}/join`);
  assert.equal(g.json.room.recording, true);
  assert.equal((await georgi.client.get(base)).json.recording, true);
  // Ending the meeting stops it; nobody sent media, so the job says nothing was recorded.
  assert.equal((await ana.client.post(`${base}/end`)).status, 204);
  await waitFor(async () => {
    await admin.post('/api/v1/jobs', { kind: 'media.recording' }).catch(() => {});
    const items = (await ana.client.get(`${base}/recordings`)).json.items;
    return items[0]?.state === 'failed';
  }, { timeout: 20000, interval: 300, what: 'the recording job' });
  const [rec] = (await ana.client.get(`${base}/recordings`)).json.items;
  assert.match(rec.problem, /nothing was recorded/);
  assert.ok(rec.stopped_at && Date.parse(rec.stopped_at) >= Date.parse(rec.started_at));
  assert.equal((await vera.client.get(`${base}/recordings`)).status, 404);
  for (const action of ['media.recording_started', 'media.recording_failed'])
    assert.equal(count('audit_log', `action = '${action}' AND target = 'room:${room.id}'`), 1, action);
});

test('Janus killed with SIGKILL: started again, the room is made again on the next join', async () => {
  const room = await personalRoom(ana);
  const before = (await ana.client.post(`/api/v1/rooms/${room.id}/media/join`)).json;
  const pid = Number(execFileSync('pgrep', ['-f', `janus -F ${dataDir}/janus`], { encoding: 'utf8' }).trim().split('\n')[0]);
  assert.ok(pid > 0);
  process.kill(pid, 'SIGKILL');
  await waitFor(async () => {
    const st = (await status()).instances[0];
    return st.up && st.restarts >= 1;
  }, { timeout: 20000, interval: 200, what: 'Janus back' });
  const after = await ana.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(after.status, 200, after.text);
  assert.equal(after.json.janus.room, before.janus.room, 'the same session goes on');
  assert.ok(await roomExists(after.json.janus.room), 'made again in the new Janus');
  const s = await session(after.json.janus.token, after.json.janus.opaque_id);
  assert.equal((await joinJanus(s, publisherJoin(after.json))).videoroom, 'joined');
});

test('TURN: coturn relays for the credentials in the ticket, and refuses forged or expired ones', async () => {
  const port = await freePort();
  const dir = mkdtempSync(`${tmpdir()}/ratusha-turn-`);
  writeFileSync(`${dir}/secret`, 'turn-shared-secret\n');
  const turn = spawn('turnserver', ['-n', '--listening-ip=127.0.0.1', `--listening-port=${port}`, '--use-auth-secret',
    '--static-auth-secret=turn-shared-secret', '--realm=ratusha', '--no-tls', '--no-dtls', '--no-cli',
    '--allow-loopback-peers', '--relay-ip=127.0.0.1', '--min-port=46000', '--max-port=46999', `--log-file=${dir}/turn.log`],
  { stdio: 'ignore' });
  try {
    const withTurn = await startServer({
      env: {
        RATUSHA_LOG_LEVEL: 'warn', RATUSHA_JANUS: 'local', RATUSHA_STUN_URLS: `stun:127.0.0.1:${port}`,
        RATUSHA_TURN_URLS: `turn:127.0.0.1:${port}?transport=udp`, RATUSHA_TURN_SECRET_FILE: `${dir}/secret`,
      },
    });
    const c = await adminClient(withTurn);
    const own = (await c.get('/api/v1/rooms')).json.items.find((r) => r.kind === 'personal');
    const t = (await c.post(`/api/v1/rooms/${own.id}/media/join`)).json;
    assert.deepEqual(t.ice_servers[0], { urls: [`stun:127.0.0.1:${port}`] });
    const relay = t.ice_servers[1];
    assert.deepEqual(relay.urls, [`turn:127.0.0.1:${port}?transport=udp`]);
    const [expiry, person] = relay.username.split(':');
    assert.ok(Number(expiry) > Date.now() / 1000 + 3600, 'valid for the meeting');
    assert.equal(person, (await c.get('/api/v1/me')).json.id);
    // coturn's own client allocates a relay with them and sends data through it.
    const uclient = (user, password) => spawnSync('turnutils_uclient',
      ['-y', '-n', '2', '-m', '1', '-l', '50', '-u', user, '-w', password, '-p', String(port), '127.0.0.1'],
      { encoding: 'utf8', timeout: 30000 });
    const ok = uclient(relay.username, relay.credential);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    assert.match(ok.stdout, /tot_recv_bytes ~ [1-9]/);
    assert.notEqual(uclient(relay.username, 'forged').status, 0);
    const past = `${Math.floor(Date.now() / 1000) - 60}:${person}`;
    const pastCredential = createHmac('sha1', 'turn-shared-secret').update(past).digest('base64');
    assert.notEqual(uclient(past, pastCredential).status, 0, 'an expired credential');
  } finally {
    turn.kill('SIGTERM');
  }
});

test('Janus unreachable or not configured: a clear 503, nothing half-made; media off: everything else works', async () => {
  const port = await freePort();
  const external = await startServer({
    env: {
      RATUSHA_LOG_LEVEL: 'error', RATUSHA_JANUS: 'external',
      RATUSHA_JANUS_INSTANCES: `http://127.0.0.1:${port}/janus|http://127.0.0.1:${port}/admin|ws://127.0.0.1:${port}/`,
      RATUSHA_JANUS_SECRET_FILE: `${dataDir}/keys/janus.secret`,
    },
  });
  const c = await adminClient(external);
  const own = (await c.get('/api/v1/rooms')).json.items.find((r) => r.kind === 'personal');
  const r = await c.post(`/api/v1/rooms/${own.id}/media/join`);
  assert.equal(r.status, 503, r.text);
  assert.equal(problemSlug(r.json), 'media-unavailable');
  assert.ok(Number(r.headers.get('retry-after')) > 0);
  assert.equal(Number(sql(external.database, 'SELECT COUNT(*) FROM media_participants')), 0);
  const st = (await c.get('/api/v1/media/status')).json;
  assert.equal(st.instances[0].up, false);

  const off = await startServer({ env: { RATUSHA_LOG_LEVEL: 'error', RATUSHA_JANUS: 'off' } });
  const o = await adminClient(off);
  const mine = (await o.get('/api/v1/rooms')).json.items.find((x) => x.kind === 'personal');
  const no = await o.post(`/api/v1/rooms/${mine.id}/media/join`);
  assert.equal(no.status, 503, no.text);
  assert.equal((await o.get(`/api/v1/rooms/${mine.id}/media`)).json.available, false);
});
