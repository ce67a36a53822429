// The audit log: what is recorded, how it is listed and filtered, and that `ratusha audit verify`
// notices every kind of tampering done directly in the database.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, cli, sql, DB, Client, activate, adminClient, GOOD_PASSWORD, problemSlug } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
const admin = await adminClient(server);
const adminId = (await admin.get('/api/v1/me')).json.id;

// Everything the log holds, newest first, walked with the cursor.
async function walk(limit, query = '') {
  const out = [];
  let cursor = null;
  for (let pages = 0; ; pages++) {
    assert.ok(pages < 1000, 'the walk ends');
    const r = await admin.get(`/api/v1/audit?limit=${limit}${query}${cursor ? '&cursor=' + encodeURIComponent(cursor) : ''}`);
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= limit);
    out.push(...r.json.items);
    cursor = r.json.next_cursor;
    if (!cursor) return out;
  }
}
const audit = async (query) => {
  const r = await admin.get('/api/v1/audit?limit=200&' + query);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
};
const seconds = (iso) => new Date(Math.floor(Date.parse(iso) / 1000) * 1000).toISOString().replace('.000Z', 'Z');

// The actions of this file, done once; the tests below look for them.
const before = Date.now();
const good = await new Client(server.url).post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD });
assert.equal(good.status, 200);
const bad = await new Client(server.url).post('/api/v1/session', { access_code: server.admin.access_code, password: 'certainly not the password' });
assert.equal(bad.status, 401);
const created = (await admin.post('/api/v1/people', { display_name: 'Одитиран Човек', kind: 'employee' })).json;
const personId = created.person.id;
const reset = (await admin.post(`/api/v1/people/${personId}/reset-code`)).json;
assert.ok(reset.access_code);
const roles = await admin.patch(`/api/v1/people/${personId}`, { roles: [{ role: 'clerk' }] });
assert.equal(roles.status, 200);

test('logins, a failed login, person created, code reset and roles change are recorded, newest first', async () => {
  const items = await audit('');
  const seqs = items.map((e) => Number(e.id));
  for (let i = 1; i < seqs.length; i++) assert.ok(seqs[i] < seqs[i - 1], 'newest first');
  assert.deepEqual(items.slice(0, 5).map((e) => e.action),
    ['person.roles_changed', 'person.code_reset', 'person.created', 'session.login_failed', 'session.login']);
  const [rolesE, resetE, createdE, failedE, loginE] = items;
  for (const e of items.slice(0, 5)) {
    assert.match(e.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.ok(Date.parse(e.at) >= before - 1000);
    assert.equal(typeof e.details, 'object');
  }
  assert.equal(loginE.actor_id, adminId);
  assert.equal(loginE.target, `person:${adminId}`);
  assert.equal(failedE.actor_name, 'anonymous');
  assert.equal(failedE.actor_id, null, 'whoever tried the code is unknown');
  assert.equal(failedE.target, `person:${adminId}`, 'the person whose code was tried is the target');
  assert.equal(failedE.details.access_code, server.admin.access_code);
  assert.equal(failedE.details.reason, 'password');
  assert.equal(createdE.target, `person:${personId}`);
  assert.equal(createdE.actor_id, adminId);
  assert.equal(createdE.details.display_name, 'Одитиран Човек');
  assert.equal(createdE.details.access_code, created.access_code);
  assert.ok(!JSON.stringify(items).includes(created.activation_secret), 'no activation secret in the log');
  assert.deepEqual(resetE.details, { old_access_code: created.access_code, access_code: reset.access_code });
  assert.deepEqual(rolesE.details.after, [{ role: 'clerk', scope_kind: 'organisation', scope_id: null }]);
  assert.deepEqual(rolesE.details.before, [{ role: 'employee', scope_kind: 'organisation', scope_id: null }]);
});

test('filter by action, by action prefix and by actor', async () => {
  const failed = await audit('action=session.login_failed');
  assert.equal(failed.length, 1);
  assert.equal(failed[0].action, 'session.login_failed');

  const person = await audit('action=person.');
  assert.ok(person.length > 0);
  for (const e of person) assert.ok(e.action.startsWith('person.'), e.action);
  const actions = new Set(person.map((e) => e.action));
  for (const a of ['person.created', 'person.code_reset', 'person.roles_changed', 'person.activated']) assert.ok(actions.has(a), a);
  assert.equal(person.filter((e) => e.target === `person:${personId}`).length, 3);

  const byAdmin = await audit(`actor_id=${adminId}`);
  assert.ok(byAdmin.length >= 5);
  for (const e of byAdmin) assert.equal(e.actor_id, adminId);
  assert.ok(byAdmin.some((e) => e.action === 'person.created' && e.target === `person:${personId}`));
  assert.ok(byAdmin.some((e) => e.action === 'session.login'));
  const nobody = await audit('actor_id=987654');
  assert.deepEqual(nobody, []);
  assert.equal((await admin.get('/api/v1/audit?actor_id=abc')).status, 422);
  assert.deepEqual(await audit('action=person.nothing_like_this'), []);
});

test('filter by time: from is inclusive, to exclusive; a plain date means the whole day', async () => {
  const [createdE] = await audit('action=person.created&limit=1');
  const boundary = seconds(createdE.at);
  const next = seconds(new Date(Date.parse(boundary) + 1000).toISOString());
  const check = async (query, includes, pred) => {
    const items = await audit(query);
    assert.equal(items.some((e) => e.id === createdE.id), includes, `${query} ${includes ? 'lists' : 'leaves out'} the entry at ${createdE.at}`);
    for (const e of items) assert.ok(pred(Date.parse(e.at)), `${query}: ${e.at}`);
    return items;
  };
  await check('from=' + encodeURIComponent(boundary), true, (t) => t >= Date.parse(boundary));
  await check('from=' + encodeURIComponent(next), false, (t) => t >= Date.parse(next));
  await check('to=' + encodeURIComponent(boundary), false, (t) => t < Date.parse(boundary));
  await check('to=' + encodeURIComponent(next), true, (t) => t < Date.parse(next));
  const window = await check(`from=${encodeURIComponent(boundary)}&to=${encodeURIComponent(next)}`, true,
    (t) => t >= Date.parse(boundary) && t < Date.parse(next));
  assert.ok(window.length >= 1);

  const day = createdE.at.slice(0, 10);
  await check(`from=${day}&to=${day}`, true, (t) => new Date(t).toISOString().startsWith(day));
  assert.deepEqual(await audit('from=2001-01-01&to=2001-01-02'), []);
  const invalid = await admin.get('/api/v1/audit?from=yesterday');
  assert.equal(invalid.status, 422);
  assert.equal(invalid.json.errors[0].field, 'from');
});

// Entries carry millisecond times; a bound taken from an entry's own `at` must be exact.
test('from/to honour the milliseconds of the times the log itself returns', async () => {
  const items = await audit('');
  const e = items.find((x) => !x.at.endsWith('.999Z'));
  const justAfter = new Date(Date.parse(e.at) + 1).toISOString();
  const from = await audit('from=' + encodeURIComponent(justAfter));
  assert.ok(!from.some((x) => x.id === e.id), `from=${justAfter} must not list the entry at ${e.at}`);
  const to = await audit('to=' + encodeURIComponent(justAfter));
  assert.ok(to.some((x) => x.id === e.id), `to=${justAfter} must list the entry at ${e.at}`);
});

test('cursor paging walks the whole log without gaps or repeats', async () => {
  const small = await walk(7);
  const big = await walk(200);
  assert.deepEqual(small.map((e) => e.id), big.map((e) => e.id));
  const seqs = small.map((e) => Number(e.id));
  const n = Number(sql(server.database, 'SELECT COUNT(*) FROM audit_log'));
  assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => n - i), 'every seq from newest to 1');
  const filtered = await walk(2, '&action=person.');
  assert.deepEqual(filtered.map((e) => e.id), (await audit('action=person.')).map((e) => e.id));
  assert.equal((await admin.get('/api/v1/audit?cursor=not-a-cursor')).status, 422);
});

test('a non-administrator may not read the audit log', async () => {
  const p = (await admin.post('/api/v1/people', { display_name: 'Любопитен Служител', kind: 'employee' })).json;
  const c = await activate(server, p.access_code, p.activation_secret);
  const r = await c.get('/api/v1/audit');
  assert.equal(r.status, 403);
  assert.equal(problemSlug(r.json), 'forbidden');
  assert.equal((await new Client(server.url).get('/api/v1/audit')).status, 401);
});

test('backup writes a readable copy of the database', async (t) => {
  if (DB === 'postgresql' && spawnSync('pg_dump', ['--version']).status !== 0) {
    t.skip('pg_dump is not on PATH');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'ratusha-backup-'));
  try {
    const file = join(dir, 'copy.db');
    const r = cli(server.database, ['backup', '--output', file]);
    assert.equal(r.status, 0, r.stderr);
    assert.ok(statSync(file).size > 0);
    if (DB === 'sqlite') {
      const q = spawnSync('sqlite3', [file, 'select count(*) from people'], { encoding: 'utf8' });
      assert.equal(q.status, 0, q.stderr);
      assert.equal(Number(q.stdout.trim()), Number(sql(server.database, 'SELECT COUNT(*) FROM people')));
      assert.ok(Number(q.stdout.trim()) >= 111);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

// ---- tampering: the database is changed behind the server's back ----

function verify(database) {
  const r = cli(database, ['audit', 'verify']);
  return { ...r, out: r.stdout + r.stderr };
}

// SQLite: the server must not hold the file while we change it. PostgreSQL: it may keep running.
async function quiesce(s) {
  if (DB === 'sqlite') await s.stop();
}

test('audit verify: an intact log passes; an edited entry is named', async () => {
  const ok = verify(server.database);
  assert.equal(ok.status, 0, ok.out);
  assert.match(ok.stdout, /intact: \d+ entries verified/);
  const [createdE] = await audit('action=person.created&limit=1');
  await quiesce(server);
  sql(server.database, `UPDATE audit_log SET details = '{"display_name":"Някой Друг"}' WHERE seq = ${createdE.id}`);
  const broken = verify(server.database);
  assert.equal(broken.status, 1, broken.out);
  assert.match(broken.stdout, new RegExp(`\\bentry ${createdE.id}\\b`));
  assert.match(broken.stdout, /changed/);
});

async function freshTampered(statements) {
  const s = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
  const n = Number(sql(s.database, 'SELECT MAX(seq) FROM audit_log'));
  assert.ok(n > 20);
  assert.equal(verify(s.database).status, 0);
  await quiesce(s);
  for (const st of statements(n)) sql(s.database, st);
  return { s, n, r: verify(s.database) };
}

test('audit verify: a deleted middle entry is found', async () => {
  let mid;
  const { r } = await freshTampered((n) => { mid = Math.floor(n / 2); return [`DELETE FROM audit_log WHERE seq = ${mid}`]; });
  assert.equal(r.status, 1, r.out);
  assert.match(r.stdout, new RegExp(`\\bentry ${mid + 1}\\b`));
});

test('audit verify: two entries with swapped positions are found', async () => {
  const { r } = await freshTampered(() => [
    'UPDATE audit_log SET seq = -1 WHERE seq = 10',
    'UPDATE audit_log SET seq = 10 WHERE seq = 15',
    'UPDATE audit_log SET seq = 15 WHERE seq = -1',
  ]);
  assert.equal(r.status, 1, r.out);
  assert.match(r.stdout, /\bentry (10|15)\b/);
});

test('audit verify: a removed newest entry is found', async () => {
  const { r } = await freshTampered((n) => [`DELETE FROM audit_log WHERE seq = ${n}`]);
  assert.equal(r.status, 1, r.out);
  assert.match(r.stdout, /removed/);
});
