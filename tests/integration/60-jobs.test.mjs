// Background jobs: queued by hand, run by the server, claimed again after a lost lease, dead
// letters and retry; on PostgreSQL two nodes sharing one queue run each job exactly once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, newDatabase, cli, sql, DB, Client, activate, adminClient, GOOD_PASSWORD, problemSlug, waitFor } from './harness.mjs';

const NODE = 'jobs-node-a';
const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'error', RATUSHA_NODE_ID: NODE } });
const admin = await adminClient(server);

const now = () => Math.floor(Date.now() / 1000);
async function jobs(client, status) {
  const r = await client.get('/api/v1/jobs?limit=200' + (status ? `&status=${status}` : ''));
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}
const waitStatus = (id, status, timeout = 20000, client = admin) =>
  waitFor(async () => (await jobs(client, status)).find((j) => j.id === id), { timeout, interval: 100, what: `job ${id} ${status}` });
async function auditOf(client, action, target) {
  const r = await client.get(`/api/v1/audit?limit=200&action=${action}`);
  assert.equal(r.status, 200, r.text);
  return r.json.items.filter((e) => !target || e.target === target);
}
function insertJob(database, cols) {
  const names = Object.keys(cols).join(', ');
  const values = Object.values(cols).map((v) => (typeof v === 'string' ? `'${v}'` : String(v))).join(', ');
  // SQLite: the server's worker writes every second, so wait for the lock instead of failing.
  const st = `INSERT INTO jobs (${names}) VALUES (${values}) RETURNING id`;
  return sql(database, DB === 'sqlite' ? `PRAGMA busy_timeout = 10000; ${st}` : st).split('\n').pop();
}

let doneJobId;

test('an administrator queues audit.verify; it runs and records audit.verified {ok: true}', async () => {
  const r = await admin.post('/api/v1/jobs', { kind: 'audit.verify' });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'audit.verify');
  assert.ok(['queued', 'running', 'done'].includes(r.json.status), r.json.status);
  const id = r.json.id;
  const done = await waitStatus(id, 'done');
  assert.equal(done.last_error, null);
  assert.equal(done.attempts, 1);
  doneJobId = id;
  const [entry, ...more] = await auditOf(admin, 'audit.verified', `job:${id}`);
  assert.ok(entry, 'audit.verified is in the log');
  assert.equal(more.length, 0);
  assert.equal(entry.details.ok, true);
  assert.ok(entry.details.checked > 100, `checked ${entry.details.checked}`);
  const queued = await auditOf(admin, 'job.queued', `job:${id}`);
  assert.equal(queued.length, 1, 'queuing is audited');
});

test('only known kinds, only administrators', async () => {
  const r = await admin.post('/api/v1/jobs', { kind: 'anything-else' });
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].field, 'kind');
  assert.equal((await admin.post('/api/v1/jobs', {})).status, 422);
  assert.equal((await admin.get('/api/v1/jobs?status=sleeping')).status, 422);
  const p = (await admin.post('/api/v1/people', { display_name: 'Без Задачи', kind: 'employee' })).json;
  const c = await activate(server, p.access_code, p.activation_secret);
  const post = await c.post('/api/v1/jobs', { kind: 'audit.verify' });
  assert.equal(post.status, 403);
  assert.equal(problemSlug(post.json), 'forbidden');
  assert.equal((await c.get('/api/v1/jobs')).status, 403);
  assert.equal((await c.post(`/api/v1/jobs/${doneJobId}/retry`)).status, 403);
});

test('a job whose node died is claimed again when its lease has expired', async () => {
  const t = now();
  const id = insertJob(server.database, {
    kind: 'audit.verify', payload: '{}', status: 'running', run_at: t - 20, attempts: 1, max_attempts: 5,
    lease_owner: 'dead-node', lease_expires_at: t - 10, created_at: t, updated_at: t,
  });
  const done = await waitStatus(id, 'done');
  assert.equal(done.attempts, 2);
  assert.equal(sql(server.database, `SELECT lease_owner FROM jobs WHERE id = ${id}`), NODE);
  const entries = await auditOf(admin, 'audit.verified', `job:${id}`);
  assert.equal(entries.length, 1);
  assert.equal(entries[0].details.ok, true);
});

test('a running job with a live lease is left alone', async () => {
  const t = now();
  const id = insertJob(server.database, {
    kind: 'audit.verify', payload: '{}', status: 'running', run_at: t - 20, attempts: 1, max_attempts: 5,
    lease_owner: 'busy-node', lease_expires_at: t + 3600, created_at: t, updated_at: t,
  });
  // Another job queued after it runs to the end: the worker has looked at the queue since.
  const later = (await admin.post('/api/v1/jobs', { kind: 'audit.verify' })).json.id;
  await waitStatus(later, 'done');
  const row = sql(server.database, `SELECT status || ' ' || lease_owner || ' ' || attempts FROM jobs WHERE id = ${id}`);
  assert.equal(row, 'running busy-node 1');
});

test('a job without a handler dies, is listed and audited; retry re-queues it; done jobs cannot be retried', async () => {
  const t = now();
  const id = insertJob(server.database, {
    kind: 'no.such.handler', payload: '{}', status: 'queued', run_at: t - 1, attempts: 0, max_attempts: 1,
    created_at: t, updated_at: t,
  });
  const dead = await waitStatus(id, 'dead');
  assert.equal(dead.kind, 'no.such.handler');
  assert.equal(dead.attempts, 1);
  assert.match(dead.last_error, /no\.such\.handler/);
  const [entry] = await auditOf(admin, 'job.dead', `job:${id}`);
  assert.ok(entry, 'job.dead is audited');
  assert.equal(entry.details.kind, 'no.such.handler');

  const r = await admin.post(`/api/v1/jobs/${id}/retry`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.id, id);
  // The worker is woken by the retry and may already have taken the job again.
  assert.ok(['queued', 'running', 'dead'].includes(r.json.status), r.json.status);
  if (r.json.status === 'queued') assert.equal(r.json.attempts, 0);
  // It was really queued again: it runs and dies a second time.
  await waitFor(async () => (await auditOf(admin, 'job.dead', `job:${id}`)).length === 2, { timeout: 20000, interval: 100, what: 'the second death' });
  assert.equal((await waitStatus(id, 'dead')).attempts, 1);

  const again = await admin.post(`/api/v1/jobs/${doneJobId}/retry`);
  assert.equal(again.status, 409);
  assert.equal(problemSlug(again.json), 'conflict');
  assert.equal((await admin.post('/api/v1/jobs/987654/retry')).status, 404);
});

test('PostgreSQL: two nodes on one queue run each of 20 jobs exactly once', { skip: DB !== 'postgresql' && 'PostgreSQL only' }, async () => {
  const database = newDatabase();
  const a = await startServer({ database, env: { RATUSHA_LOG_LEVEL: 'error', RATUSHA_NODE_ID: 'node-a' } });
  const b = await startServer({ database: { ...database, keep: true }, demo: false, env: { RATUSHA_LOG_LEVEL: 'error', RATUSHA_NODE_ID: 'node-b' } });
  const onA = await adminClient(a);
  const onB = new Client(b.url);
  assert.equal((await onB.post('/api/v1/session', { access_code: a.admin.access_code, password: GOOD_PASSWORD })).status, 200);
  const ids = [];
  for (let i = 0; i < 20; i++) {
    const r = await (i % 2 ? onB : onA).post('/api/v1/jobs', { kind: 'audit.verify' });
    assert.equal(r.status, 201, r.text);
    ids.push(r.json.id);
  }
  await waitFor(async () => {
    const done = new Set((await jobs(onA, 'done')).map((j) => j.id));
    return ids.every((id) => done.has(id));
  }, { timeout: 20000, interval: 200, what: 'all 20 jobs done' });
  const verified = await auditOf(onB, 'audit.verified');
  assert.equal(verified.length, 20, 'exactly 20 audit.verified entries');
  assert.deepEqual(verified.map((e) => e.target).sort(), ids.map((id) => `job:${id}`).sort());
  for (const e of verified) assert.equal(e.details.ok, true, `${e.target}: ${JSON.stringify(e.details)}`);
  const rows = sql(database, `SELECT attempts || ' ' || lease_owner FROM jobs WHERE id IN (${ids.join(',')})`).split('\n');
  for (const row of rows) assert.match(row, /^1 node-[ab]$/, 'each job was claimed once');
  const v = cli(database, ['audit', 'verify']);
  assert.equal(v.status, 0, v.stdout + v.stderr);
});
