import { test } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import { startServer, cli, Client, adminClient, problemSlug, BIN } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
const admin = await adminClient(server);
const { hostname, port } = new URL(server.url);

// Sends raw bytes and collects whatever comes back until the server closes or `ms` pass.
function raw(bytes, { ms = 3000, keepOpen = false } = {}) {
  return new Promise((resolve) => {
    const s = net.connect(Number(port), hostname);
    let data = '';
    let closed = false;
    const done = () => { s.destroy(); resolve({ data, closed }); };
    s.on('data', (d) => { data += d; });
    s.on('close', () => { closed = true; done(); });
    s.on('error', () => {});
    s.on('connect', () => { if (bytes) s.write(bytes); });
    if (!keepOpen) setTimeout(done, ms);
    else setTimeout(done, ms);
  });
}

test('health, readiness and metrics', async () => {
  const c = new Client(server.url);
  assert.deepEqual((await c.get('/healthz')).json, { status: 'ok' });
  const ready = await c.get('/readyz');
  assert.equal(ready.status, 200);
  assert.equal(ready.json.status, 'ready');
  const m = await c.get('/metrics');
  assert.match(m.text, /ratusha_http_requests_total\{method="GET",route="\/readyz",status="200"\} \d+/);
  assert.match(m.text, /ratusha_http_request_duration_seconds_bucket\{method="GET",route="\/healthz",le="0.005"\}/);
  assert.match(m.text, /ratusha_websockets_open \d+/);
  assert.match(m.text, /ratusha_db_pool_size \d+/);
});

test('OpenAPI document lists exactly the routes the server has', async () => {
  const doc = (await new Client(server.url).get('/api/v1/openapi.json')).json;
  assert.equal(doc.openapi, '3.1.0');
  const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`)).sort();
  const r = cli(server.database, ['routes']);
  assert.equal(r.status, 0, r.stderr);
  const table = JSON.parse(r.stdout).map((x) => `${x.method} ${x.path}`).sort();
  assert.deepEqual(documented, table);
});

test('every response has a request id; a sane incoming one is echoed', async () => {
  const a = await new Client(server.url).get('/healthz');
  assert.match(a.headers.get('x-request-id'), /^[0-9a-f]{16}$/);
  assert.ok(Math.abs(Date.parse(a.headers.get('date')) - Date.now()) < 5000, 'a Date header');
  const b = await new Client(server.url).get('/healthz', { headers: { 'x-request-id': 'trace-42' } });
  assert.equal(b.headers.get('x-request-id'), 'trace-42');
  const c = await new Client(server.url).get('/healthz', { headers: { 'x-request-id': 'bad id<script>' } });
  assert.notEqual(c.headers.get('x-request-id'), 'bad id<script>');
});

test('malformed JSON, invalid UTF-8, wrong media type, unknown and mistyped fields', async () => {
  const bad = await admin.req('POST', '/api/v1/people', '{"display_name": ', { headers: { 'content-type': 'application/json' } });
  assert.equal(bad.status, 400);
  assert.equal(problemSlug(bad.json), 'malformed-json');
  const utf = await admin.req('POST', '/api/v1/people', Buffer.from('{"display_name":"\xff\xfe"}', 'latin1'), { headers: { 'content-type': 'application/json' } });
  assert.equal(utf.status, 400);
  const media = await admin.req('POST', '/api/v1/people', 'display_name=x', { headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(media.status, 415);
  const fields = await admin.post('/api/v1/people', { display_name: 42, kind: 'wizard', extra: 1 });
  assert.equal(fields.status, 422);
  const byField = Object.fromEntries(fields.json.errors.map((e) => [e.field, e.code]));
  assert.equal(byField.extra, 'unknown_field');
  assert.equal(byField.display_name, 'wrong_type');
  const missing = await admin.post('/api/v1/people', {});
  assert.equal(missing.json.errors[0].field, 'display_name');
  assert.equal(missing.json.errors[0].code, 'required');
});

test('SQL metacharacters are just text', async () => {
  const name = "Robert'); DROP TABLE people;-- \" ` \\ %_";
  const r = await admin.post('/api/v1/people', { display_name: name, kind: 'guest' });
  assert.equal(r.status, 201);
  assert.equal(r.json.person.display_name, name);
  const found = await admin.get('/api/v1/people?q=' + encodeURIComponent("'); DROP"));
  assert.equal(found.json.items.length, 1);
  assert.equal(found.json.items[0].display_name, name);
  const pct = await admin.get('/api/v1/people?q=' + encodeURIComponent('%_'));
  assert.equal(pct.json.items.length, 1, '% and _ match literally');
  assert.equal((await admin.get('/api/v1/people?limit=200')).status, 200, 'the table is still there');
});

test('unknown route 404, wrong method 405, both as problems', async () => {
  const a = await admin.get('/api/v1/nothing-here');
  assert.equal(a.status, 404);
  assert.equal(a.headers.get('content-type'), 'application/problem+json');
  const b = await admin.req('PUT', '/api/v1/people', {});
  assert.equal(b.status, 405);
  const ws = await admin.get('/api/v1/ws');
  assert.equal(ws.status, 426);
});

test('an oversized body gets 413, oversized headers 431', async () => {
  // Over a raw socket: some clients report an early answer to an unfinished upload as an error.
  const big = JSON.stringify({ display_name: 'x'.repeat(70 * 1024) });
  const r = await raw(`POST /api/v1/people HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${big.length}\r\n\r\n${big}`);
  assert.match(r.data, /^HTTP\/1\.1 413 /);
  assert.match(r.data, /payload-too-large/);
  const chunked = await raw(`POST /api/v1/people HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n${(70 * 1024).toString(16)}\r\n${'y'.repeat(70 * 1024)}\r\n0\r\n\r\n`);
  assert.match(chunked.data, /^HTTP\/1\.1 413 /, 'a chunked body over the limit too');
  const res = await raw(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20000)}\r\n\r\n`);
  assert.match(res.data, /^HTTP\/1\.1 431 /);
});

test('protocol garbage closes the connection', async () => {
  const res = await raw('\x16\x03\x01 hello there\r\n\r\n');
  assert.equal(res.closed, true);
  assert.doesNotMatch(res.data, /HTTP\/1\.1 500/);
});

test('a slow-loris client is cut off', async () => {
  const start = Date.now();
  const res = await raw('GET /healthz HTTP/1.1\r\nHost: x\r\n', { ms: 20000, keepOpen: true });
  assert.equal(res.closed, true, 'the server closed the half-sent request');
  assert.ok(Date.now() - start < 19000);
});

test('path traversal against static files finds nothing', async () => {
  for (const p of ['/../../etc/passwd', '/%2e%2e/%2e%2e/etc/passwd', '/assets/..%2f..%2f..%2fetc%2fpasswd', '/.env', '/a/../../etc/passwd']) {
    const res = await raw(`GET ${p} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.doesNotMatch(res.data, /root:/, p);
    assert.match(res.data, /^HTTP\/1\.1 (404|400) /, p);
  }
});

test('keep-alive: several requests on one connection', async () => {
  const req = 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
  const res = await raw(req + req + req, { ms: 1000 });
  assert.equal((res.data.match(/HTTP\/1\.1 200/g) || []).length, 3);
});

test('SIGTERM: finishes, closes and exits 0', async () => {
  const s = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
  const { code, signal } = await s.stop('SIGTERM');
  assert.equal(signal, null);
  assert.equal(code, 0);
});

test('--version and --help', async () => {
  const { spawnSync } = await import('node:child_process');
  const v = spawnSync(BIN, ['--version'], { encoding: 'utf8' });
  assert.match(v.stdout, /^ratusha \d+\.\d+\.\d+/);
  const h = spawnSync(BIN, ['user', 'add', '--help'], { encoding: 'utf8' });
  assert.equal(h.status, 0);
  assert.match(h.stdout, /--name/);
});

test('the web app: index revalidated, hashed assets cached forever, precompressed, SPA fallback', async () => {
  const index = await fetch(server.url + '/');
  assert.equal(index.status, 200);
  assert.match(index.headers.get('content-type'), /^text\/html/);
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  const asset = html.match(/\/assets\/[^"]+\.js/)[0];
  const res = await raw(`GET ${asset} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip, br\r\nConnection: close\r\n\r\n`, { ms: 2000 });
  assert.match(res.data, /^HTTP\/1\.1 200 /);
  assert.match(res.data, /\r\nContent-Encoding: br\r\n/i);
  assert.match(res.data, /\r\nContent-Type: text\/javascript; charset=utf-8\r\n/i);
  assert.match(res.data, /\r\nCache-Control: public, max-age=31536000, immutable\r\n/i);
  assert.match(res.data, /\r\nVary: Accept-Encoding\r\n/i);
  const etag = res.data.match(/\r\nETag: ("[^"]+")\r\n/i)[1];
  const again = await raw(`GET ${asset} HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\nIf-None-Match: ${etag}\r\nConnection: close\r\n\r\n`, { ms: 2000 });
  assert.match(again.data, /^HTTP\/1\.1 304 /);
  const route = await fetch(server.url + '/admin/people');
  assert.equal(route.status, 200, 'client-side routes get the app');
  assert.match(await route.text(), /<div id="app"|<!doctype html/i);
  assert.equal((await fetch(server.url + '/assets/missing.js')).status, 404, 'a missing asset is a real 404');
});
