// Several Janus servers (janus = external): each new live session goes to the instance with the
// fewest live sessions among those that answer; one that stops answering gets no new session,
// and a meeting held on it moves to another as people join again.
//
// The two Janus servers are real ones, each started and configured by a Ratusha server of its
// own (janus = local) that shares one secret file; the server under test only knows their URLs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startServer, sql, activate, adminClient, waitFor } from './harness.mjs';

const quiet = { RATUSHA_LOG_LEVEL: 'error' };
const first = await startServer({ env: { ...quiet, RATUSHA_JANUS: 'local' }, demo: false });
const secretFile = `${first.database.env.RATUSHA_DATA_DIR}/keys/janus.secret`;
const second = await startServer({ env: { ...quiet, RATUSHA_JANUS: 'local', RATUSHA_JANUS_SECRET_FILE: secretFile }, demo: false });

// API|ADMIN|WS of the Janus a server configured (its generated transport files).
function endpoints(server) {
  const dir = `${server.database.env.RATUSHA_DATA_DIR}/janus`;
  const http = readFileSync(`${dir}/janus.transport.http.jcfg`, 'utf8');
  const ws = readFileSync(`${dir}/janus.transport.websockets.jcfg`, 'utf8');
  const port = (text, key) => text.match(new RegExp(`\\b${key} = (\\d+)`))[1];
  return {
    api: `http://127.0.0.1:${port(http, 'port')}/janus`,
    admin: `http://127.0.0.1:${port(http, 'admin_port')}/admin`,
    ws: `ws://127.0.0.1:${port(ws, 'ws_port')}`,
  };
}
const janus = [endpoints(first), endpoints(second)];

const server = await startServer({
  env: {
    ...quiet,
    RATUSHA_JANUS: 'external',
    RATUSHA_JANUS_SECRET_FILE: secretFile,
    RATUSHA_JANUS_INSTANCES: janus.map((j) => `${j.api}|${j.admin}|${j.ws}`).join(', '),
  },
});
const admin = await adminClient(server);
const department = (await admin.get('/api/v1/units')).json.items.find((u) => u.kind === 'department');
async function person(display_name) {
  const r = await admin.post('/api/v1/people', { display_name, kind: 'employee', unit_id: department.id });
  assert.equal(r.status, 201, r.text);
  return { id: r.json.person.id, client: await activate(server, r.json.access_code, r.json.activation_secret) };
}
const people = [await person('Ана Първа'), await person('Борис Втори'), await person('Вера Трета')];
const roomOf = async (who) => (await who.client.get('/api/v1/rooms')).json.items.find((r) => r.kind === 'personal');
const status = async () => (await admin.get('/api/v1/media/status')).json.instances;
const join = async (who, room) => {
  const r = await who.client.post(`/api/v1/rooms/${room.id}/media/join`);
  assert.equal(r.status, 200, r.text);
  return r.json;
};
// Which of the two Janus servers a ticket sends the browser to.
const instanceOf = (ticket) => janus.findIndex((j) => j.ws === ticket.janus.server);

test('each new meeting goes to the Janus with the fewest; both are watched', async () => {
  await waitFor(async () => (await status()).every((s) => s.up), { timeout: 20_000, what: 'both Janus answer' });
  const list = await status();
  assert.deepEqual(list.map((s) => s.api_url).sort(), janus.map((j) => j.api).sort());
  const rooms = [await roomOf(people[0]), await roomOf(people[1])];
  const tickets = [await join(people[0], rooms[0]), await join(people[1], rooms[1])];
  assert.deepEqual(tickets.map(instanceOf).sort(), [0, 1], 'one meeting on each');
  // A second connection to a meeting goes to the same Janus room.
  const again = await join(people[0], rooms[0]);
  assert.equal(instanceOf(again), instanceOf(tickets[0]));
  assert.equal(again.janus.room, tickets[0].janus.room);
  await waitFor(async () => (await status()).every((s) => s.rooms === 1), { timeout: 10_000, what: 'a room on each Janus' });
});

test('a Janus that stops answering gets no new meeting; a meeting on it moves when people join again', async () => {
  const rooms = [await roomOf(people[0]), await roomOf(people[1])];
  const before = await join(people[1], rooms[1]);
  const lost = instanceOf(before);
  // The Ratusha server that runs that Janus stops, and its Janus with it.
  await (lost === 0 ? first : second).stop();
  await waitFor(async () => (await status()).some((s) => s.api_url === janus[lost].api && !s.up), { timeout: 20_000, what: 'the lost Janus marked down' });

  // A new meeting goes to the one that answers, although it has more.
  const third = await join(people[2], await roomOf(people[2]));
  assert.equal(instanceOf(third), 1 - lost);
  // Joining the meeting that was on the lost one: a new Janus room on the other, same meeting.
  const again = await join(people[1], rooms[1]);
  assert.equal(instanceOf(again), 1 - lost, 'moved');
  assert.notEqual(again.janus.room, before.janus.room, 'a new Janus room');
  assert.equal(Number(sql(server.database, `SELECT COUNT(*) FROM audit_log WHERE action = 'media.moved' AND target = 'room:${rooms[1].id}'`)), 1);
  // The next connection finds it there too.
  const next = await join(people[1], rooms[1]);
  assert.equal(next.janus.room, again.janus.room);
  assert.equal((await people[1].client.post(`/api/v1/rooms/${rooms[1].id}/media/end`)).status, 204);
});
