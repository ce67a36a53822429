// Real time: the WebSocket at /api/v1/ws, its checks, topics, limits and shutdown; on PostgreSQL
// also events crossing from one node to another through LISTEN/NOTIFY.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newDatabase, sql, DB, Client, activate, adminClient, GOOD_PASSWORD, waitFor, connect } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
const admin = await adminClient(server);
const adminId = (await admin.get('/api/v1/me')).json.id;


async function subscribe(sock, topic, id) {
  sock.send({ type: 'subscribe', topic, id });
  return sock.next((m) => m.id === id, 5000, `the answer to subscribe ${topic}`);
}

async function newActive(display_name) {
  const p = (await admin.post('/api/v1/people', { display_name, kind: 'employee' })).json;
  const client = await activate(server, p.access_code, p.activation_secret);
  return { id: p.person.id, code: p.access_code, client };
}

const clerk = await newActive('Служител Наблюдател');

test('the upgrade needs a session and the same Origin', async () => {
  const none = await connect(server, null);
  assert.equal(none.refused, 401);
  const foreign = await connect(server, admin.cookie, { origin: 'http://evil.example' });
  assert.equal(foreign.refused, 403);
  const noOrigin = await connect(server, admin.cookie, { origin: null });
  assert.equal(noOrigin.refused, 403);
  const ok = await connect(server, admin.cookie);
  assert.equal(ok.refused, undefined);
  ok.ws.close();
});

test('an open WebSocket outlives the 15 s allowed for a request header', async () => {
  const sock = await connect(server, admin.cookie);
  const sub = await subscribe(sock, `person:${adminId}`, 1);
  assert.equal(sub.type, 'subscribed');
  await new Promise((r) => setTimeout(r, 16500));
  assert.ok(sock.isOpen(), 'still open');
  sock.send({ type: 'ping' });
  await sock.next((m) => m.type === 'pong', 5000, 'a pong');
  sock.ws.close();
});

test('topics: own person yes, someone else not found, audit only for administrators', async () => {
  const s = await connect(server, clerk.client.cookie);
  const own = await subscribe(s, `person:${clerk.id}`, '1');
  assert.deepEqual(own, { type: 'subscribed', topic: `person:${clerk.id}`, id: '1' });
  const other = await subscribe(s, `person:${adminId}`, '2');
  assert.equal(other.type, 'error');
  assert.match(other.problem.type, /\/not-found$/);
  const auditTopic = await subscribe(s, 'audit', '3');
  assert.equal(auditTopic.type, 'error');
  assert.match(auditTopic.problem.type, /\/not-found$/);
  const unknown = await subscribe(s, 'nonsense:1', '4');
  assert.equal(unknown.type, 'error');
  s.ws.close();
});

test('an administrator watching audit gets audit.appended when something is audited', async () => {
  const s = await connect(server, admin.cookie);
  assert.equal((await subscribe(s, 'audit', 'a')).type, 'subscribed');
  const r = await new Client(server.url).post('/api/v1/session', { access_code: clerk.code, password: 'wrong password, by someone else' });
  assert.equal(r.status, 401);
  const ev = await s.next((m) => m.type === 'event' && m.data?.action === 'session.login_failed', 5000, 'audit.appended');
  assert.equal(ev.topic, 'audit');
  assert.equal(ev.event, 'audit.appended');
  assert.equal(ev.data.target, `person:${clerk.id}`);
  assert.equal(ev.data.details.access_code, clerk.code);
  assert.ok(Number(ev.data.id) > 0);
  s.ws.close();
});

test('ping gets pong; malformed JSON gets an error and the connection stays open', async () => {
  const s = await connect(server, clerk.client.cookie);
  s.send({ type: 'ping' });
  assert.deepEqual(await s.next((m) => m.type === 'pong'), { type: 'pong' });
  s.send('{"type": "subscribe", ');
  const err = await s.next((m) => m.type === 'error');
  assert.match(err.problem.type, /\/malformed-json$/);
  s.send('[1, 2, 3]');
  assert.equal((await s.next((m) => m.type === 'error')).type, 'error');
  assert.ok(s.isOpen());
  s.send({ type: 'ping' });
  assert.deepEqual(await s.next((m) => m.type === 'pong'), { type: 'pong' }, 'still answering');
  s.ws.close();
});

test('a message over 64 KiB closes the connection with 1009', async () => {
  const s = await connect(server, clerk.client.cookie);
  s.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(64 * 1024) }));
  const c = await s.closed(5000);
  assert.equal(c.code, 1009);
  const fine = await connect(server, clerk.client.cookie);
  fine.send(JSON.stringify({ type: 'ping', pad: 'x'.repeat(60 * 1024) }));
  assert.equal((await fine.next((m) => m.type === 'pong')).type, 'pong', 'a message under the limit is fine');
  fine.ws.close();
});

// Access is checked when the socket opens; taking it away must also stop what the socket shows.
test('a disabled administrator stops receiving audit events on a socket opened before', async () => {
  const p = (await admin.post('/api/v1/people', {
    display_name: 'Втори Администратор', kind: 'employee', roles: [{ role: 'administrator' }],
  })).json;
  const second = await activate(server, p.access_code, p.activation_secret);
  const theirs = await connect(server, second.cookie);
  assert.equal((await subscribe(theirs, 'audit', 'x')).type, 'subscribed');
  const ours = await connect(server, admin.cookie);
  assert.equal((await subscribe(ours, 'audit', 'y')).type, 'subscribed');
  assert.equal((await admin.post(`/api/v1/people/${p.person.id}/disable`)).status, 200);
  assert.equal((await second.get('/api/v1/me')).status, 401, 'their HTTP session ended');
  const marker = `person:${clerk.id}`;
  await new Client(server.url).post('/api/v1/session', { access_code: clerk.code, password: 'another wrong password' });
  await ours.next((m) => m.type === 'event' && m.data?.target === marker && m.data.action === 'session.login_failed');
  if (theirs.isOpen()) {
    // Flush: anything delivered with the event above is queued before this pong.
    theirs.send({ type: 'ping' });
    await theirs.next((m) => m.type === 'pong').catch(() => {});
  }
  const leaked = theirs.messages.filter((m) => m.type === 'event' && m.data?.target === marker);
  assert.deepEqual(leaked.map((m) => `${m.data.action} ${m.data.target}`), [], 'no audit events after being disabled');
  theirs.ws.close();
  ours.ws.close();
});

// The bounded queue lives in net/ and does not depend on the database. It runs on SQLite only:
// there audited writes are fast enough to fill the kernel's socket buffers within seconds.
test('a client that stops reading is disconnected; the server does not buffer for it without bound', { timeout: 120_000, skip: DB !== 'sqlite' && 'SQLite only (see above)' }, async () => {
  const slow = await connect(server, admin.cookie);
  assert.equal((await subscribe(slow, 'audit', 'slow')).type, 'subscribed');
  slow.ws._socket.pause();  // stop reading: the kernel buffers fill, then the server's queue
  const long = 'Бавен Читател '.repeat(14).slice(0, 190);
  let events = 0;
  const deadline = Date.now() + 90_000;
  const gaveUp = () => /websocket client too slow/.test(server.stderr());
  // Bounded: at most 40,000 audited changes or 90 s, four at a time.
  while (!gaveUp() && events < 40_000 && Date.now() < deadline) {
    const results = await Promise.all([0, 1, 2, 3].map((k) => admin.patch('/api/v1/me', { display_name: `${long} ${events + k}` })));
    for (const r of results) assert.equal(r.status, 200, r.text);
    events += 4;
  }
  assert.ok(gaveUp(), `the server kept queueing after ${events} events`);
  slow.ws._socket.resume();
  const closed = await slow.closed(30_000);
  assert.equal(closed.code, 1008);
  const received = slow.messages.filter((m) => m.type === 'event').length;
  assert.ok(received < events, `received ${received} of ${events}: the rest was dropped, not buffered`);
  // Others are unaffected.
  const fine = await connect(server, admin.cookie);
  assert.equal((await subscribe(fine, 'audit', 'fine')).type, 'subscribed');
  fine.ws.close();
  await admin.patch('/api/v1/me', { display_name: 'Георги Петров' });
});

test('PostgreSQL: an event on node A reaches a WebSocket on node B', { skip: DB !== 'postgresql' && 'PostgreSQL only' }, async () => {
  const database = newDatabase();
  const a = await startServer({ database, env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_NODE_ID: 'node-a' } });
  const b = await startServer({ database: { ...database, keep: true }, demo: false, env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_NODE_ID: 'node-b' } });
  await adminClient(a);
  const onB = new Client(b.url);
  assert.equal((await onB.post('/api/v1/session', { access_code: a.admin.access_code, password: GOOD_PASSWORD })).status, 200);
  // Both nodes LISTEN before anything is published (each has a dedicated connection for it).
  await waitFor(() => Number(sql(database, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND query ILIKE 'LISTEN%'")) >= 2,
    { timeout: 10000, what: 'both nodes listening' });
  const s = await connect(b, onB.cookie);
  assert.equal((await subscribe(s, 'audit', 'b')).type, 'subscribed');
  const r = await new Client(a.url).post('/api/v1/session', { access_code: 'GAB-2222-2222', password: 'failed on node A' });
  assert.equal(r.status, 401);
  const ev = await s.next((m) => m.type === 'event' && m.data?.action === 'session.login_failed', 5000, 'the event from node A');
  assert.equal(ev.event, 'audit.appended');
  assert.equal(ev.data.target, 'access_code:GAB-2222-2222');
  s.ws.close();
});

test('SIGTERM closes connected clients with 1001 and the server exits 0', async () => {
  const s1 = await connect(server, admin.cookie);
  const s2 = await connect(server, clerk.client.cookie);
  assert.equal((await subscribe(s1, 'audit', 'z')).type, 'subscribed');
  const stopped = server.stop('SIGTERM');
  const [c1, c2] = await Promise.all([s1.closed(10000), s2.closed(10000)]);
  assert.equal(c1.code, 1001);
  assert.equal(c2.code, 1001);
  const { code, signal } = await stopped;
  assert.equal(signal, null);
  assert.equal(code, 0);
});
