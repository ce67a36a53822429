import { test } from 'node:test';
import assert from 'node:assert/strict';
import https from 'node:https';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { startServer, newDatabase, cli, sql, adminClient, Client, DB, GOOD_PASSWORD } from './harness.mjs';

test('TLS and plain HTTP on the same port', async () => {
  const database = newDatabase();
  const key = join(database.dir, 'key.pem');
  const cert = join(database.dir, 'cert.pem');
  const r = spawnSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
    '-keyout', key, '-out', cert, '-days', '1', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const server = await startServer({ database, env: { RATUSHA_TLS_CERTIFICATE: cert, RATUSHA_TLS_PRIVATE_KEY: key, RATUSHA_LOG_LEVEL: 'warn' } });
  assert.match(server.url, /^https:/);
  const { port } = new URL(server.url);
  const res = await new Promise((resolve, reject) => {
    https.get({ host: '127.0.0.1', port, path: '/healthz', rejectUnauthorized: false }, (r2) => {
      let body = '';
      r2.on('data', (d) => { body += d; });
      r2.on('end', () => resolve({ status: r2.statusCode, headers: r2.headers, body }));
    }).on('error', reject);
  });
  assert.equal(res.status, 200);
  assert.equal(JSON.parse(res.body).status, 'ok');
  assert.match(res.headers['strict-transport-security'], /max-age=/);
  const plain = await fetch(`http://127.0.0.1:${port}/healthz`);
  assert.equal(plain.status, 200, 'plain HTTP works on the same port');
  assert.equal(plain.headers.get('strict-transport-security'), null);
});

test('kill -9 in the middle of a large import leaves all or nothing', async () => {
  const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
  const admin = await adminClient(server);
  const before = Number(sql(server.database, 'SELECT COUNT(*) FROM people'));
  let csv = 'display_name,email,kind\n';
  for (let i = 0; i < 3000; i++) csv += `Импортиран Служител ${i},import${i}@crash.example,employee\n`;
  const pending = admin.req('POST', '/api/v1/people/import', csv, { headers: { 'content-type': 'text/csv' } }).catch(() => null);
  // Kill as soon as the import has started writing, or right away if it is already done.
  await new Promise((resolve) => setTimeout(resolve, 30));
  await server.stop('SIGKILL');
  await pending;
  const after = Number(sql(server.database, 'SELECT COUNT(*) FROM people'));
  assert.ok(after === before || after === before + 3000, `people: ${before} before, ${after} after`);
  const audit = cli(server.database, ['audit', 'verify']);
  assert.equal(audit.status, 0, audit.stdout + audit.stderr);
  // And the database opens and serves again.
  const again = await startServer({ database: { ...server.database, keep: true }, demo: false, env: { RATUSHA_LOG_LEVEL: 'warn' } });
  const c = new Client(again.url);
  assert.equal((await c.post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD })).status, 200);
});

test('a migration changed after it was applied stops the start-up', { skip: DB !== 'sqlite' && 'checked once' }, async () => {
  const database = newDatabase();
  assert.equal(cli(database, ['migrate']).status, 0);
  sql(database, "UPDATE schema_migrations SET checksum = 'x' WHERE version = 1");
  const r = cli(database, ['serve', '--listen', '127.0.0.1:0']);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /checksum mismatch/);
  database.cleanup();
});
