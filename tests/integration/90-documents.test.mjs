// Documents: spaces, folders, streamed and resumable uploads, downloads with ranges, versions,
// sharing and what others learn (nothing), guest links, trash and holds, search, integrity,
// virus scanning and real-time notices, against the real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { spawn } from 'node:child_process';
import { connect as tcpConnect } from 'node:net';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, existsSync, rmSync, chmodSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, sql, cli, activate, adminClient, problemSlug, waitFor, connect } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_MAX_UPLOAD: '4M' } });
const admin = await adminClient(server);
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.find((u) => u.kind === 'department');
const otherDepartment = units.filter((u) => u.kind === 'department')[1];

const sha256 = (buf) => createHash('sha256').update(buf).digest('hex');
const count = (table, where = '1 = 1') => Number(sql(server.database, `SELECT COUNT(*) FROM ${table} WHERE ${where}`));
const stagingFiles = (srv = server) => readdirSync(join(srv.database.dir, 'files', 'staging'));
const blobPath = (srv, sha) => join(srv.database.dir, 'files', 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha);

async function person(name, unit = department) {
  const r = await admin.post('/api/v1/people', { display_name: name, kind: 'employee', unit_id: unit.id });
  assert.equal(r.status, 201, r.text);
  const client = await activate(server, r.json.access_code, r.json.activation_secret);
  return { id: r.json.person.id, client };
}

// Sends raw bytes (the client's text decoding would damage them).
async function upload(client, folderId, name, bytes, { headers = {}, srv = server } = {}) {
  const h = { cookie: client.cookie, 'x-csrf-token': client.csrf, 'content-type': 'application/octet-stream', ...headers };
  const res = await fetch(`${srv.url}/api/v1/documents/nodes/${folderId}/files?name=${encodeURIComponent(name)}`,
    { method: 'POST', headers: h, body: bytes });
  const text = await res.text();
  return { status: res.status, json: text ? JSON.parse(text) : null, text, headers: res.headers };
}

async function download(client, path, headers = {}, srv = server) {
  const res = await fetch(srv.url + path, { headers: { ...(client ? { cookie: client.cookie } : {}), ...headers } });
  return { status: res.status, headers: res.headers, body: Buffer.from(await res.arrayBuffer()) };
}

async function personalRoot(client) {
  const r = await client.get('/api/v1/documents/spaces');
  assert.equal(r.status, 200, r.text);
  const personal = r.json.items.find((s) => s.kind === 'personal');
  assert.ok(personal, 'everyone has a personal space');
  return personal.root_id;
}

async function folder(client, parent, name) {
  const r = await client.post(`/api/v1/documents/nodes/${parent}/folders`, { name });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

const adminRoot = await personalRoot(admin);
const TEXT = Buffer.from('Протоколът на Общинския съвет — заседание № 12.\nZażółć gęślą jaźń: uchwała budżetowa.\n');

test('spaces: a personal space (manage) and the unit spaces (edit) appear on first use', async () => {
  const alice = await person('Алиса Пространствена');
  const r = await alice.client.get('/api/v1/documents/spaces');
  const kinds = r.json.items.map((s) => `${s.kind}:${s.right}`);
  assert.equal(kinds[0], 'personal:manage');
  assert.ok(kinds.includes('unit:edit'), kinds.join());
  assert.ok(r.json.items.some((s) => s.kind === 'unit' && s.name === department.name));
  // Asking again creates nothing new.
  const before = count('doc_spaces');
  await alice.client.get('/api/v1/documents/spaces');
  assert.equal(count('doc_spaces'), before);
});

test('folders: Cyrillic names, a duplicate name (any case) is refused, listing puts folders first', async () => {
  const parent = await folder(admin, adminRoot, 'Заседания 2026');
  await folder(admin, parent.id, 'Юни');
  const dup = await admin.post(`/api/v1/documents/nodes/${parent.id}/folders`, { name: 'юни' });
  assert.equal(dup.status, 409);
  assert.equal(problemSlug(dup.json), 'name-taken');
  await upload(admin, parent.id, 'аа-бележка.txt', Buffer.from('бележка'));
  const list = await admin.get(`/api/v1/documents/nodes/${parent.id}/children`);
  assert.deepEqual(list.json.items.map((n) => n.kind), ['folder', 'file']);
  const node = await admin.get(`/api/v1/documents/nodes/${parent.id}`);
  assert.deepEqual(node.json.path.map((p) => p.id), [adminRoot]);
  assert.equal(node.json.space.kind, 'personal');
});

test('upload and download: bytes intact, type detected by content, UTF-8 file name, fingerprint', async () => {
  const f = await folder(admin, adminRoot, 'Качване');
  // The client claims an image; the content is text and is served as such.
  const r = await upload(admin, f.id, 'Протокол № 12 – ŁÓDŹ.txt', TEXT, { headers: { 'content-type': 'image/png' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.kind, 'file');
  assert.equal(r.json.size, TEXT.length);
  assert.equal(r.json.sha256, sha256(TEXT));
  assert.match(r.json.fingerprint, /^([0-9A-F]{4} ){7}[0-9A-F]{4}$/);
  assert.ok(r.json.content_type.startsWith('text/plain'), r.json.content_type);
  assert.equal(r.json.version, 1);
  const d = await download(admin, `/api/v1/documents/nodes/${r.json.id}/content`);
  assert.equal(d.status, 200);
  assert.ok(d.body.equals(TEXT));
  assert.equal(d.headers.get('x-content-type-options'), 'nosniff');
  const cd = d.headers.get('content-disposition');
  assert.match(cd, /^attachment; filename="[^"]+"; filename\*=UTF-8''/);
  assert.equal(decodeURIComponent(cd.split("UTF-8''")[1]), 'Протокол № 12 – ŁÓDŹ.txt');
  assert.equal(d.headers.get('etag'), `"${sha256(TEXT)}"`);
  const notModified = await download(admin, `/api/v1/documents/nodes/${r.json.id}/content`, { 'if-none-match': `"${sha256(TEXT)}"` });
  assert.equal(notModified.status, 304);
  const audit = sql(server.database, `SELECT action FROM audit_log WHERE target = 'document:${r.json.id}' ORDER BY id`);
  assert.deepEqual(audit.split('\n'), ['documents.uploaded', 'documents.downloaded']);
});

test('ranges: a slice, a suffix, an open end, unsatisfiable, If-Range with another tag', async () => {
  const f = await folder(admin, adminRoot, 'Диапазони');
  const bytes = Buffer.from(Array.from({ length: 5000 }, (_, i) => i % 251));
  const r = await upload(admin, f.id, 'data.bin', bytes);
  const path = `/api/v1/documents/nodes/${r.json.id}/content`;
  const slice = await download(admin, path, { range: 'bytes=100-199' });
  assert.equal(slice.status, 206);
  assert.equal(slice.headers.get('content-range'), 'bytes 100-199/5000');
  assert.ok(slice.body.equals(bytes.subarray(100, 200)));
  const suffix = await download(admin, path, { range: 'bytes=-10' });
  assert.ok(suffix.body.equals(bytes.subarray(4990)));
  const open = await download(admin, path, { range: 'bytes=4000-' });
  assert.equal(open.headers.get('content-range'), 'bytes 4000-4999/5000');
  assert.equal(open.body.length, 1000);
  const beyond = await download(admin, path, { range: 'bytes=9000-' });
  assert.equal(beyond.status, 416);
  assert.equal(beyond.headers.get('content-range'), 'bytes */5000');
  const stale = await download(admin, path, { range: 'bytes=0-9', 'if-range': '"something-else"' });
  assert.equal(stale.status, 200);
  assert.equal(stale.body.length, 5000);
  // Ranges after the first do not fill the audit log.
  assert.equal(count('audit_log', `target = 'document:${r.json.id}' AND action = 'documents.downloaded'`), 1);
});

test('versions: same name makes version 2; old versions download and restore; who and when', async () => {
  const f = await folder(admin, adminRoot, 'Версии');
  const v1 = await upload(admin, f.id, 'решение.txt', Buffer.from('първи вариант'));
  const v2 = await upload(admin, f.id, 'РЕШЕНИЕ.txt', Buffer.from('втори вариант'));
  assert.equal(v2.status, 200, 'a new version, not a new file');
  assert.equal(v2.json.id, v1.json.id);
  assert.equal(v2.json.version, 2);
  const list = await admin.get(`/api/v1/documents/nodes/${v1.json.id}/versions`);
  assert.deepEqual(list.json.items.map((v) => v.number), [2, 1]);
  assert.ok(list.json.items.every((v) => v.created_by.display_name && v.created_at));
  const old = await download(admin, `/api/v1/documents/nodes/${v1.json.id}/content?version=1`);
  assert.equal(old.body.toString(), 'първи вариант');
  const restored = await admin.post(`/api/v1/documents/nodes/${v1.json.id}/versions/1/restore`);
  assert.equal(restored.status, 200, restored.text);
  assert.equal(restored.json.version, 3);
  const now = await download(admin, `/api/v1/documents/nodes/${v1.json.id}/content`);
  assert.equal(now.body.toString(), 'първи вариант');
  const again = await admin.get(`/api/v1/documents/nodes/${v1.json.id}/versions`);
  assert.equal(again.json.items[0].restored_from, 1);
  const missing = await admin.post(`/api/v1/documents/nodes/${v1.json.id}/versions/9/restore`);
  assert.equal(missing.status, 404);
  for (const v of ['1abc', '0', '-1', '99'])
    assert.equal((await download(admin, `/api/v1/documents/nodes/${v1.json.id}/content?version=${v}`)).status, 404, v);
  const feed = await admin.get('/api/v1/documents/activity');
  assert.ok(feed.json.items.some((a) => a.node_id === v1.json.id && a.action === 'version-restored'));
  assert.ok(count('audit_log', `action = 'documents.version_restored' AND target = 'document:${v1.json.id}'`) === 1);
  // The same content is stored once.
  assert.equal(count('doc_blobs', `sha256 = '${sha256(Buffer.from('първи вариант'))}'`), 1);
});

test('bad names and bodies: 4xx problems and nothing left behind', async () => {
  const f = await folder(admin, adminRoot, 'Лоши');
  const nodes = count('doc_nodes');
  const blobs = count('doc_blobs');
  for (const name of ['../../etc/passwd', 'a/b.txt', 'back\\slash', 'нов\nред.txt', 'tab\u0007.txt', 'x'.repeat(1000), '..', '   ', 'evil\u202Etxt.exe']) {
    const r = await upload(admin, f.id, name, Buffer.from('x'));
    assert.equal(r.status, 422, `${JSON.stringify(name)}: ${r.text}`);
    assert.equal(r.headers.get('content-type'), 'application/problem+json');
  }
  const empty = await upload(admin, f.id, 'празен.txt', Buffer.alloc(0));
  assert.equal(empty.status, 422);
  assert.equal(problemSlug(empty.json), 'empty-file');
  const big = await upload(admin, f.id, 'голям.bin', Buffer.alloc(5 * 1024 * 1024, 7));
  assert.equal(big.status, 413, big.text);
  const wrong = await upload(admin, f.id, 'контролна-сума.txt', Buffer.from('съдържание'),
    { headers: { 'content-digest': `sha-256=:${createHash('sha256').update('друго').digest('base64')}:` } });
  assert.equal(wrong.status, 422);
  assert.equal(problemSlug(wrong.json), 'checksum-mismatch');
  const right = await upload(admin, f.id, 'контролна-сума.txt', Buffer.from('съдържание'),
    { headers: { 'content-digest': `sha-256=:${createHash('sha256').update('съдържание').digest('base64')}:` } });
  assert.equal(right.status, 201, right.text);
  assert.equal(count('doc_nodes'), nodes + 1);
  assert.equal(count('doc_blobs'), blobs + 1);
  assert.deepEqual(stagingFiles(), [], 'no partial files');
  const noName = await admin.post(`/api/v1/documents/nodes/${f.id}/files`, 'x', { headers: { 'content-type': 'text/plain' } });
  assert.equal(noName.status, 422);
  const noFolder = await upload(admin, 999999, 'a.txt', Buffer.from('x'));
  assert.equal(noFolder.status, 404);
});

// Writes a request head by hand and returns what the server sends back before any body.
function rawHead(head, { waitMs = 3000 } = {}) {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const sock = tcpConnect(Number(port), hostname, () => sock.write(head));
    let got = '';
    const done = () => { sock.destroy(); resolve(got); };
    sock.on('data', (d) => { got += d; if (/\r\n\r\n/.test(got) && !got.startsWith('HTTP/1.1 100')) done(); if (got.startsWith('HTTP/1.1 100')) done(); });
    sock.on('error', reject);
    setTimeout(done, waitMs);
  });
}

test('uploads are refused from the header alone; "Expect: 100-continue" is answered', async () => {
  const f = await folder(admin, adminRoot, 'Очакване');
  const head = (client) => `POST /api/v1/documents/nodes/${f.id}/files?name=a.bin HTTP/1.1\r\nHost: x\r\n` +
    (client ? `Cookie: ${client.cookie}\r\nX-CSRF-Token: ${client.csrf}\r\n` : '') +
    'Content-Type: application/octet-stream\r\nContent-Length: 3000000\r\nExpect: 100-continue\r\n\r\n';
  // Nobody logged in: refused at once, no body needed.
  assert.match(await rawHead(head(null)), /^HTTP\/1\.1 401 /);
  // A folder the caller cannot see: 404 before the body.
  const eve = await person('Ева Без Права');
  assert.match(await rawHead(head(eve.client)), /^HTTP\/1\.1 404 /);
  // Allowed: the server asks for the body.
  assert.match(await rawHead(head(admin)), /^HTTP\/1\.1 100 Continue/);
  await waitFor(() => stagingFiles().length === 0, { what: 'an abandoned upload leaves nothing behind' });
});

test('resumable upload: chunks, a resent chunk, out of order, early complete, wrong checksum', async () => {
  const f = await folder(admin, adminRoot, 'Големи');
  const data = Buffer.from(Array.from({ length: 300000 }, (_, i) => (i * 7) % 256));
  const begin = await admin.post('/api/v1/documents/uploads', { folder_id: f.id, name: 'запис.bin', size: data.length, sha256: sha256(data) });
  assert.equal(begin.status, 201, begin.text);
  const id = begin.json.id;
  const chunk = (offset, end) => fetch(`${server.url}/api/v1/documents/uploads/${id}`, {
    method: 'PATCH', body: data.subarray(offset, end),
    headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'upload-offset': String(offset), 'content-type': 'application/offset+octet-stream' },
  }).then(async (r) => ({ status: r.status, json: await r.json() }));
  let r = await chunk(0, 100000);
  assert.equal(r.status, 200);
  assert.equal(r.json.received, 100000);
  r = await chunk(0, 100000);  // the answer was lost; the client sends it again
  assert.equal(r.status, 200);
  assert.equal(r.json.received, 100000);
  r = await chunk(200000, 300000);  // out of order
  assert.equal(r.status, 409);
  assert.equal(r.json.received, 100000);
  const early = await admin.post(`/api/v1/documents/uploads/${id}/complete`);
  assert.equal(early.status, 409);
  assert.equal((await admin.get(`/api/v1/documents/uploads/${id}`)).json.received, 100000);
  r = await chunk(100000, 300000);
  assert.equal(r.json.received, 300000);
  const done = await admin.post(`/api/v1/documents/uploads/${id}/complete`);
  assert.equal(done.status, 201, done.text);
  const d = await download(admin, `/api/v1/documents/nodes/${done.json.id}/content`);
  assert.ok(d.body.equals(data));
  assert.equal((await admin.get(`/api/v1/documents/uploads/${id}`)).status, 404);

  // A wrong announced checksum: refused at the end, nothing kept.
  const bad = await admin.post('/api/v1/documents/uploads', { folder_id: f.id, name: 'лош.bin', size: 10, sha256: '0'.repeat(64) });
  await fetch(`${server.url}/api/v1/documents/uploads/${bad.json.id}`, {
    method: 'PATCH', body: Buffer.alloc(10, 1), headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'upload-offset': '0' },
  });
  const badDone = await admin.post(`/api/v1/documents/uploads/${bad.json.id}/complete`);
  assert.equal(badDone.status, 422);
  assert.equal(problemSlug(badDone.json), 'checksum-mismatch');
  assert.equal(count('doc_uploads'), 0);
  assert.deepEqual(stagingFiles(), []);
  // Too much data, and somebody else's upload.
  const third = await admin.post('/api/v1/documents/uploads', { folder_id: f.id, name: 'трети.bin', size: 5 });
  const tooMuch = await fetch(`${server.url}/api/v1/documents/uploads/${third.json.id}`, {
    method: 'PATCH', body: Buffer.alloc(6), headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'upload-offset': '0' },
  });
  assert.equal(tooMuch.status, 422);
  const stranger = await person('Чужд Качващ');
  assert.equal((await stranger.client.get(`/api/v1/documents/uploads/${third.json.id}`)).status, 404);
  assert.equal((await admin.del(`/api/v1/documents/uploads/${third.json.id}`)).status, 204);
  assert.deepEqual(stagingFiles(), []);
});

test('sharing: others learn nothing until shared; view, edit, unit shares; unshare takes it back', async () => {
  const bob = await person('Борис Споделен', otherDepartment);
  const carol = await person('Каролина Отдел', department);
  const f = await folder(admin, adminRoot, 'Поверително');
  const file = await upload(admin, f.id, 'доклад.txt', Buffer.from('таен доклад'));
  for (const path of [`/api/v1/documents/nodes/${f.id}`, `/api/v1/documents/nodes/${f.id}/children`,
    `/api/v1/documents/nodes/${file.json.id}/content`, `/api/v1/documents/nodes/${file.json.id}/versions`,
    `/api/v1/documents/nodes/${file.json.id}/shares`]) {
    const r = await bob.client.get(path);
    assert.equal(r.status, 404, path);
  }
  assert.equal((await upload(bob.client, f.id, 'вмъкнат.txt', Buffer.from('x'))).status, 404);
  assert.equal((await bob.client.get('/api/v1/documents/search?q=доклад')).json.items.length, 0);

  const nobody = await admin.post(`/api/v1/documents/nodes/${f.id}/shares`, { audience: { kind: 'person', id: '987654' }, right: 'view' });
  assert.equal(nobody.status, 422);
  const badRight = await admin.post(`/api/v1/documents/nodes/${f.id}/shares`, { audience: { kind: 'person', id: bob.id }, right: 'owner' });
  assert.equal(badRight.status, 422);
  const share = await admin.post(`/api/v1/documents/nodes/${f.id}/shares`, { audience: { kind: 'person', id: bob.id }, right: 'view' });
  assert.equal(share.status, 201, share.text);
  assert.equal(share.json.audience.name, 'Борис Споделен');

  const seen = await bob.client.get(`/api/v1/documents/nodes/${file.json.id}`);
  assert.equal(seen.status, 200);
  assert.equal(seen.json.right, 'view');
  assert.deepEqual(seen.json.path.map((p) => p.id), [f.id], 'nothing above the shared folder');
  const d = await download(bob.client, `/api/v1/documents/nodes/${file.json.id}/content`);
  assert.equal(d.body.toString(), 'таен доклад');
  assert.ok((await bob.client.get('/api/v1/documents/shared')).json.items.some((n) => n.id === f.id));
  const refused = await upload(bob.client, f.id, 'вмъкнат.txt', Buffer.from('x'));
  assert.equal(refused.status, 403);
  assert.equal((await bob.client.del(`/api/v1/documents/nodes/${file.json.id}`)).status, 403);
  assert.equal((await bob.client.post(`/api/v1/documents/nodes/${f.id}/shares`, { audience: { kind: 'person', id: carol.id }, right: 'view' })).status, 403);

  // A unit: everyone in it.
  assert.equal((await carol.client.get(`/api/v1/documents/nodes/${f.id}`)).status, 404);
  const unitShare = await admin.post(`/api/v1/documents/nodes/${f.id}/shares`, { audience: { kind: 'unit', id: department.id }, right: 'edit' });
  assert.equal(unitShare.status, 201, unitShare.text);
  assert.equal((await upload(carol.client, f.id, 'от-каролина.txt', Buffer.from('принос'))).status, 201);

  assert.equal((await admin.del(`/api/v1/documents/shares/${share.json.id}`)).status, 204);
  assert.equal((await bob.client.get(`/api/v1/documents/nodes/${file.json.id}/content`)).status, 404);
  const actions = sql(server.database, `SELECT action FROM audit_log WHERE target = 'document:${f.id}' ORDER BY id`).split('\n');
  assert.deepEqual(actions.filter((a) => a.includes('shared')), ['documents.shared', 'documents.shared', 'documents.unshared']);
  // The space's own access cannot be removed as if it were a share.
  const rootShares = await admin.get(`/api/v1/documents/nodes/${adminRoot}/shares`);
  const inherent = rootShares.json.items.find((g) => g.inherent);
  assert.equal((await admin.del(`/api/v1/documents/shares/${inherent.id}`)).status, 409);
  // ... nor lowered by sharing with the same audience.
  const downgrade = await admin.post(`/api/v1/documents/nodes/${adminRoot}/shares`,
    { audience: { kind: inherent.audience.kind, id: inherent.audience.id }, right: 'view' });
  assert.equal(downgrade.status, 409, downgrade.text);
  assert.equal(problemSlug(downgrade.json), 'implicit-grant');
  assert.equal((await admin.get(`/api/v1/documents/nodes/${adminRoot}`)).json.right, 'manage');
});

test('API tokens reach documents only with the documents scopes; read-only tokens cannot change', async () => {
  const f = await folder(admin, adminRoot, 'За машини');
  const file = await upload(admin, f.id, 'данни.txt', Buffer.from('машинно четене'));
  const token = async (scopes) => {
    const r = await admin.post('/api/v1/tokens', { name: `Документи ${scopes.join(' ')}`, scopes });
    assert.equal(r.status, 201, r.text);
    return { authorization: `Bearer ${r.json.secret}` };
  };
  const none = await token(['people.read']);
  const read = await token(['documents.read']);
  const write = await token(['documents.read', 'documents.write']);
  const get = (h, path) => fetch(server.url + path, { headers: h });
  assert.equal((await get(none, '/api/v1/documents/spaces')).status, 403);
  assert.equal((await get(none, `/api/v1/documents/nodes/${file.json.id}/content`)).status, 403);
  const r = await get(read, `/api/v1/documents/nodes/${file.json.id}/content`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'машинно четене');
  const post = (h, name) => fetch(`${server.url}/api/v1/documents/nodes/${f.id}/files?name=${encodeURIComponent(name)}`,
    { method: 'POST', headers: { ...h, 'content-type': 'application/octet-stream' }, body: Buffer.from('от машина') });
  assert.equal((await post(read, 'четящ.txt')).status, 403);
  assert.equal((await post(write, 'пишещ.txt')).status, 201);
  assert.equal(count('doc_nodes', `parent_id = ${f.id} AND deleted_at IS NULL`), 2);
});

test('guest links: expiry, password, revocation; only files; the guest downloads without an account', async () => {
  const f = await folder(admin, adminRoot, 'За гости');
  const file = await upload(admin, f.id, 'покана.txt', Buffer.from('Заповядайте!'));
  const future = new Date(Date.now() + 86400e3).toISOString();
  assert.equal((await admin.post(`/api/v1/documents/nodes/${file.json.id}/links`, { expires_at: '2000-01-01T00:00:00Z' })).status, 422);
  assert.equal((await admin.post(`/api/v1/documents/nodes/${f.id}/links`, { expires_at: future })).status, 422);
  const open = await admin.post(`/api/v1/documents/nodes/${file.json.id}/links`, { expires_at: future });
  assert.equal(open.status, 201, open.text);
  const token = open.json.token;
  const meta = await fetch(`${server.url}/api/v1/public/links/${token}`).then((r) => r.json());
  assert.equal(meta.name, 'покана.txt');
  assert.equal(meta.needs_password, false);
  const d = await download(null, `/api/v1/public/links/${token}/content`);
  assert.equal(d.status, 200);
  assert.equal(d.body.toString(), 'Заповядайте!');
  const unlockOpen = await fetch(`${server.url}/api/v1/public/links/${token}/unlock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'каквото и да е' }) });
  assert.equal(unlockOpen.status, 409, 'a link without a password has nothing to unlock');

  const locked = await admin.post(`/api/v1/documents/nodes/${file.json.id}/links`, { expires_at: future, password: 'тайна-дума-9' });
  const lt = locked.json.token;
  assert.equal((await download(null, `/api/v1/public/links/${lt}/content`)).status, 401);
  const wrong = await fetch(`${server.url}/api/v1/public/links/${lt}/unlock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'не е тя' }) });
  assert.equal(wrong.status, 401);
  const right = await fetch(`${server.url}/api/v1/public/links/${lt}/unlock`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password: 'тайна-дума-9' }) }).then((r) => r.json());
  const got = await download(null, right.download_url);
  assert.equal(got.status, 200);
  assert.equal(got.body.toString(), 'Заповядайте!');
  // One character of the key changed (to another one: the same would not be a forgery).
  const forged = await download(null, right.download_url.replace(/key=(.)/, (_, c) => `key=${c === 'A' ? 'B' : 'A'}`));
  assert.equal(forged.status, 401);

  assert.equal((await admin.del(`/api/v1/documents/links/${open.json.id}`)).status, 204);
  assert.equal((await download(null, `/api/v1/public/links/${token}/content`)).status, 404);
  sql(server.database, `UPDATE doc_links SET expires_at = 1 WHERE id = ${locked.json.id}`);
  const expired = await fetch(`${server.url}/api/v1/public/links/${lt}`);
  assert.equal(expired.status, 410);
  assert.equal((await fetch(`${server.url}/api/v1/public/links/${'B'.repeat(26)}`)).status, 404);
  assert.ok(count('audit_log', `action = 'documents.link_downloaded'`) >= 2);
  assert.equal(count('audit_log', `action = 'documents.link_password_failed'`), 1);
});

test('guest links: guessing a password shuts the link for a while after five wrong tries', async () => {
  const f = await folder(admin, adminRoot, 'Пазени');
  const file = await upload(admin, f.id, 'ключ.txt', Buffer.from('зад ключ'));
  const future = new Date(Date.now() + 86400e3).toISOString();
  const link = await admin.post(`/api/v1/documents/nodes/${file.json.id}/links`, { expires_at: future, password: 'вярна-парола-7' });
  const unlock = (password) => fetch(`${server.url}/api/v1/public/links/${link.json.token}/unlock`,
    { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ password }) });
  for (let i = 0; i < 5; i++) assert.equal((await unlock(`грешна-${i}-парола`)).status, 401);
  const blocked = await unlock('вярна-парола-7');
  assert.equal(blocked.status, 429, 'even the right password waits');
  assert.ok(Number(blocked.headers.get('retry-after')) > 0);
  sql(server.database, `UPDATE doc_links SET unlock_blocked_until = 1 WHERE id = ${link.json.id}`);
  assert.equal((await unlock('вярна-парола-7')).status, 200);
  assert.equal(Number(sql(server.database, `SELECT unlock_failures FROM doc_links WHERE id = ${link.json.id}`)), 0);
});

// A zip with stored (uncompressed) entries, as office files are: enough for libmagic and unzip.
function storedZip(entries) {
  const locals = [];
  const centrals = [];
  let offset = 0;
  for (const [name, text] of entries) {
    const data = Buffer.from(text);
    const nameBuf = Buffer.from(name);
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); local.writeUInt16LE(20, 4); local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18); local.writeUInt32LE(data.length, 22); local.writeUInt16LE(nameBuf.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0); central.writeUInt16LE(20, 4); central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16); central.writeUInt32LE(data.length, 20); central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBuf.length, 28); central.writeUInt32LE(offset, 42);
    locals.push(local, nameBuf, data);
    centrals.push(central, nameBuf);
    offset += 30 + nameBuf.length + data.length;
  }
  const dir = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); end.writeUInt16LE(entries.length, 8); end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(dir.length, 12); end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dir, end]);
}

test('office documents: the text of OpenDocument and Word files is found; words split across runs too', async () => {
  const f = await folder(admin, adminRoot, 'Офис');
  const odt = storedZip([
    ['mimetype', 'application/vnd.oasis.opendocument.text'],
    ['content.xml', '<?xml version="1.0"?><office:document-content xmlns:office="o" xmlns:text="t"><office:body><office:text>'
      + '<text:p>Uchwała w sprawie <text:span>przebudowy</text:span> ulicy Długiej</text:p></office:text></office:body></office:document-content>'],
  ]);
  const docx = storedZip([
    ['[Content_Types].xml', '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'],
    ['_rels/.rels', '<?xml version="1.0"?><Relationships/>'],
    ['word/document.xml', '<?xml version="1.0"?><w:document xmlns:w="w"><w:body><w:p><w:r><w:t>Докладна за ремонт на чита</w:t></w:r><w:r><w:t>лище &amp; библиотека</w:t></w:r></w:p></w:body></w:document>'],
  ]);
  const a = await upload(admin, f.id, 'uchwała.odt', odt);
  assert.equal(a.status, 201, a.text);
  assert.equal(a.json.content_type, 'application/vnd.oasis.opendocument.text');
  const b = await upload(admin, f.id, 'докладна.docx', docx);
  assert.equal(b.status, 201, b.text);
  assert.match(b.json.content_type, /^application\/vnd\.openxmlformats-officedocument\.wordprocessingml/);
  const find = async (q) => (await admin.get(`/api/v1/documents/search?q=${encodeURIComponent(q)}`)).json.items.map((n) => n.name);
  await waitFor(async () => (await find('przebudowy dlugiej')).includes('uchwała.odt'), { what: 'ODT text indexed' });
  await waitFor(async () => (await find('читалище')).includes('докладна.docx'), { what: 'DOCX text indexed' });
  assert.ok((await find('БИБЛИОТЕКА')).includes('докладна.docx'));
});

test('active content is never served as part of the site: HTML and SVG are attachments', async () => {
  const f = await folder(admin, adminRoot, 'Активно');
  for (const [name, body] of [['page.html', '<html><script>alert(1)</script></html>'], ['pic.svg', '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>']]) {
    const r = await upload(admin, f.id, name, Buffer.from(body));
    const d = await download(admin, `/api/v1/documents/nodes/${r.json.id}/content?inline=1`);
    assert.equal(d.headers.get('content-type'), 'application/octet-stream', name);
    assert.match(d.headers.get('content-disposition'), /^attachment/);
    assert.match(d.headers.get('content-security-policy'), /sandbox/);
  }
  const pdf = await upload(admin, f.id, 'doc.pdf', minimalPdf('Inline preview'));
  const p = await download(admin, `/api/v1/documents/nodes/${pdf.json.id}/content?inline=1`);
  assert.equal(p.headers.get('content-type'), 'application/pdf');
  assert.match(p.headers.get('content-disposition'), /^inline/);
  assert.equal(p.headers.get('x-frame-options'), 'SAMEORIGIN');
});

test('search: names and contents, Bulgarian and Polish without case or accents, filtered by access', async () => {
  const f = await folder(admin, adminRoot, 'Търсене');
  await upload(admin, f.id, 'Бюджет 2027.txt', TEXT);
  await upload(admin, f.id, 'resolution.pdf', minimalPdf('Budget resolution for the municipal council'));
  const find = async (client, q) => (await client.get(`/api/v1/documents/search?q=${encodeURIComponent(q)}`)).json.items.map((n) => n.name);
  assert.ok((await find(admin, 'бюджет')).includes('Бюджет 2027.txt'), 'by name');
  await waitFor(async () => (await find(admin, 'ОБЩИНСКИЯ')).includes('Бюджет 2027.txt'), { what: 'content indexed' });
  assert.ok((await find(admin, 'протокол')).includes('Бюджет 2027.txt'), 'prefix, case');
  assert.ok((await find(admin, 'zazolc gesla')).includes('Бюджет 2027.txt'), 'Polish without accents');
  assert.ok((await find(admin, 'GĘŚLĄ')).includes('Бюджет 2027.txt'), 'Polish with accents, upper case');
  await waitFor(async () => (await find(admin, 'municipal')).includes('resolution.pdf'), { what: 'PDF text indexed' });
  const stranger = await person('Дора Непосветена');
  assert.deepEqual(await find(stranger.client, 'бюджет'), []);
  // Shared below the top: found by the one it is shared with, and only that.
  const sub = await folder(admin, f.id, 'Подпапка');
  await upload(admin, sub.id, 'сподЕлен отчет.txt', Buffer.from('отчет'));
  await admin.post(`/api/v1/documents/nodes/${sub.id}/shares`, { audience: { kind: 'person', id: stranger.id }, right: 'view' });
  assert.deepEqual(await find(stranger.client, 'отчет'), ['сподЕлен отчет.txt']);
  assert.deepEqual(await find(stranger.client, 'бюджет'), []);
  // Many better-ranked matches in the trash: the one live match still comes.
  const bin = await folder(admin, f.id, 'За изхвърляне');
  for (let i = 0; i < 60; i++) await upload(admin, bin.id, `кошница ${i}.txt`, Buffer.from('кошница кошница кошница'));
  const filler = Array.from({ length: 200 }, (_, i) => `дума${i}`).join(' ');
  await upload(admin, f.id, 'единствена.txt', Buffer.from(`кошница ${filler}`));
  await waitFor(async () => (await find(admin, 'кошница')).length >= 1 && (await find(admin, 'дума199')).length === 1, { what: 'indexed' });
  assert.equal((await admin.del(`/api/v1/documents/nodes/${bin.id}`)).status, 204);
  const live = await admin.get(`/api/v1/documents/search?q=${encodeURIComponent('кошница')}&limit=1`);
  assert.deepEqual(live.json.items.map((n) => n.name), ['единствена.txt']);
  const empty = await admin.get('/api/v1/documents/search?q=%20%21');
  assert.equal(empty.status, 422);
});

test('trash: delete hides, restore brings back; a legal hold blocks deletion', async () => {
  const f = await folder(admin, adminRoot, 'Кошче');
  const sub = await folder(admin, f.id, 'Вътре');
  const file = await upload(admin, sub.id, 'стар.txt', Buffer.from('стар'));
  assert.equal((await admin.del(`/api/v1/documents/nodes/${f.id}`)).status, 204);
  assert.equal((await admin.get(`/api/v1/documents/nodes/${file.json.id}/content`)).status, 404);
  assert.ok(!(await admin.get(`/api/v1/documents/nodes/${adminRoot}/children`)).json.items.some((n) => n.id === f.id));
  const trash = await admin.get('/api/v1/documents/trash');
  const item = trash.json.items.find((n) => n.id === f.id);
  assert.ok(item && item.purge_at);
  assert.ok(!trash.json.items.some((n) => n.id === file.json.id), 'only what was deleted, not its contents');
  // A new folder may take the name meanwhile; restoring then asks for a rename.
  const twin = await folder(admin, adminRoot, 'Кошче');
  assert.equal((await admin.post(`/api/v1/documents/nodes/${f.id}/restore`)).status, 409);
  await admin.del(`/api/v1/documents/nodes/${twin.id}`);
  assert.equal((await admin.post(`/api/v1/documents/nodes/${f.id}/restore`)).status, 200);
  assert.equal((await download(admin, `/api/v1/documents/nodes/${file.json.id}/content`)).body.toString(), 'стар');

  const hold = await admin.req('PUT', `/api/v1/documents/nodes/${file.json.id}/hold`, { held: true, reason: 'Дело 12/2026' });
  assert.equal(hold.status, 200, hold.text);
  assert.equal(hold.json.legal_hold, true);
  const blocked = await admin.del(`/api/v1/documents/nodes/${f.id}`);
  assert.equal(blocked.status, 409);
  assert.equal(problemSlug(blocked.json), 'legal-hold');
  assert.equal((await admin.req('PUT', `/api/v1/documents/nodes/${file.json.id}/hold`, { held: true })).status, 422);
  assert.equal((await admin.req('PUT', `/api/v1/documents/nodes/${file.json.id}/hold`, { held: false })).status, 200);
  assert.equal((await admin.del(`/api/v1/documents/nodes/${f.id}`)).status, 204);
});

test('activity and real time: people watching a folder hear of new material; others hear nothing', async () => {
  const dana = await person('Дана Наблюдаваща', otherDepartment);
  const f = await folder(admin, adminRoot, 'Материали за заседание');
  const watcher = await connect(server, admin.cookie);
  watcher.send({ type: 'subscribe', topic: `documents:${f.id}`, id: 1 });
  await watcher.next((m) => m.type === 'subscribed');
  const outsider = await connect(server, dana.client.cookie);
  outsider.send({ type: 'subscribe', topic: `documents:${f.id}`, id: 2 });
  const refusal = await outsider.next((m) => m.type === 'error');
  assert.match(refusal.problem.type, /not-found/);

  // Shared, subscribed, then unshared: the next event does not reach her.
  const share = await admin.post(`/api/v1/documents/nodes/${f.id}/shares`, { audience: { kind: 'person', id: dana.id }, right: 'view' });
  outsider.send({ type: 'subscribe', topic: `documents:${f.id}`, id: 3 });
  await outsider.next((m) => m.type === 'subscribed');
  await upload(admin, f.id, 'дневен ред.txt', Buffer.from('т. 1'));
  const ev = await outsider.next((m) => m.type === 'event' && m.data.action === 'uploaded');
  assert.equal(ev.data.name, 'дневен ред.txt');
  assert.equal(ev.data.space_name, (await admin.get(`/api/v1/documents/nodes/${f.id}`)).json.space.name);
  await admin.del(`/api/v1/documents/shares/${share.json.id}`);
  outsider.messages.length = 0;
  await upload(admin, f.id, 'проект на решение.txt', Buffer.from('т. 2'));
  await watcher.next((m) => m.type === 'event' && m.data.name === 'проект на решение.txt');
  await new Promise((r) => setTimeout(r, 200));
  assert.ok(!outsider.messages.some((m) => m.type === 'event' && m.data.name === 'проект на решение.txt'), 'no news after unshare');

  const feed = await admin.get('/api/v1/documents/activity');
  assert.ok(feed.json.items.some((a) => a.action === 'uploaded' && a.name === 'проект на решение.txt'));
  const hers = await dana.client.get('/api/v1/documents/activity');
  assert.ok(!hers.json.items.some((a) => a.name === 'проект на решение.txt'));
  watcher.ws.close();
  outsider.ws.close();
});

test('integrity: documents verify finds damaged and missing blobs; backups carry the blobs', async () => {
  const db = server.database;
  const f = await folder(admin, adminRoot, 'Цялост');
  const content = Buffer.from('проверка на цялост ' + Date.now());
  await upload(admin, f.id, 'цялост.txt', content);
  let r = cli(db, ['documents', 'verify']);
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /documents intact/);
  const out = join(db.dir, 'backup.db');
  r = cli(db, ['backup', '--output', out]);
  assert.equal(r.status, 0, r.stderr);
  const sha = sha256(content);
  assert.ok(existsSync(join(`${out}.files`, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha)));
  const p = blobPath(server, sha);
  chmodSync(p, 0o640);
  appendFileSync(p, 'tampered');
  r = cli(db, ['documents', 'verify']);
  assert.equal(r.status, 1);
  assert.match(r.stdout, new RegExp(`DAMAGED  ${sha}`));
  rmSync(p);
  r = cli(db, ['documents', 'verify']);
  assert.match(r.stdout, new RegExp(`MISSING  ${sha}`));
  // The backup's copy is a separate, intact file.
  assert.equal(sha256(readFileSync(join(`${out}.files`, 'blobs', sha.slice(0, 2), sha.slice(2, 4), sha))), sha);
});

test('purge: after the trash period the rows and the unused bytes are gone; a hold keeps them', async () => {
  const srv = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_TRASH_DAYS: '0' } });
  const a = await adminClient(srv);
  const root = await personalRoot(a);
  const kept = Buffer.from('задържан ' + Date.now());
  const gone = Buffer.from('изтрит ' + Date.now());
  const f1 = await upload(a, root, 'изтрит.txt', gone, { srv });
  const f2 = await upload(a, root, 'задържан.txt', kept, { srv });
  await a.req('PUT', `/api/v1/documents/nodes/${f2.json.id}/hold`, { held: true, reason: 'проверка' });
  assert.equal((await a.del(`/api/v1/documents/nodes/${f1.json.id}`)).status, 204);
  await waitFor(() => Number(sql(srv.database, `SELECT COUNT(*) FROM doc_nodes WHERE id = ${f1.json.id}`)) === 0, { what: 'purged' });
  assert.ok(!existsSync(blobPath(srv, sha256(gone))), 'bytes removed');
  assert.equal(sql(srv.database, `SELECT COUNT(*) FROM audit_log WHERE action = 'documents.purged'`), '1');
  assert.equal((await a.del(`/api/v1/documents/nodes/${f2.json.id}`)).status, 409, 'held');
  assert.ok(existsSync(blobPath(srv, sha256(kept))));
});

test('quota: a full space refuses uploads with 507', async () => {
  const srv = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_PERSONAL_QUOTA: '1K' } });
  const a = await adminClient(srv);
  const root = await personalRoot(a);
  assert.equal((await upload(a, root, 'малък.txt', Buffer.alloc(600, 65), { srv })).status, 201);
  const full = await upload(a, root, 'втори.txt', Buffer.alloc(600, 66), { srv });
  assert.equal(full.status, 507, full.text);
  assert.equal(problemSlug(full.json), 'space-quota');
  assert.deepEqual(stagingFiles(srv), []);
  // Restoring an old version stores it again, so it counts too.
  const v2 = await upload(a, root, 'малък.txt', Buffer.alloc(300, 67), { srv });
  assert.equal(v2.json.version, 2, v2.text);
  const restore = await a.post(`/api/v1/documents/nodes/${v2.json.id}/versions/1/restore`);
  assert.equal(restore.status, 507, restore.text);
  assert.equal((await a.get(`/api/v1/documents/nodes/${v2.json.id}`)).json.version, 2);
});

test('ClamAV: the EICAR test file is refused and audited; clean files pass', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ratusha-clamd-'));
  const eicar = 'X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*';
  // A signature database of our own: the EICAR file's MD5 and size (Debian ships no signatures;
  // freshclam would download them).
  writeFileSync(join(dir, 'eicar.hdb'), `${createHash('md5').update(eicar).digest('hex')}:${eicar.length}:Eicar-Test-Signature\n`);
  const sock = join(dir, 'clamd.sock');
  writeFileSync(join(dir, 'clamd.conf'), [`LocalSocket ${sock}`, `DatabaseDirectory ${dir}`, 'Foreground yes',
    `LogFile ${join(dir, 'clamd.log')}`, `PidFile ${join(dir, 'clamd.pid')}`, `User ${process.getuid() === 0 ? 'root' : process.env.USER}`].join('\n') + '\n');
  const clamd = spawn('/usr/sbin/clamd', ['-c', join(dir, 'clamd.conf')], { stdio: 'ignore' });
  t.after(() => { clamd.kill(); rmSync(dir, { recursive: true, force: true }); });
  await waitFor(() => existsSync(sock), { timeout: 30000, what: 'clamd socket' });
  const srv = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn', RATUSHA_CLAMAV_SOCKET: sock } });
  const a = await adminClient(srv);
  const root = await personalRoot(a);
  const bad = await upload(a, root, 'eicar.com.txt', Buffer.from(eicar), { srv });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(problemSlug(bad.json), 'infected');
  assert.match(bad.json.detail, /Eicar-Test-Signature/);
  assert.equal(sql(srv.database, `SELECT COUNT(*) FROM doc_nodes WHERE name = 'eicar.com.txt'`), '0');
  assert.equal(sql(srv.database, `SELECT COUNT(*) FROM audit_log WHERE action = 'documents.infected_refused'`), '1');
  assert.deepEqual(stagingFiles(srv), []);
  const good = await upload(a, root, 'чист.txt', Buffer.from('нищо лошо'), { srv });
  assert.equal(good.status, 201, good.text);
  assert.match(sql(srv.database, `SELECT details FROM audit_log WHERE action = 'documents.uploaded'`), /"scan":"clean"/);
  // The scanner is down: uploads wait rather than go through unscanned.
  clamd.kill();
  await waitFor(() => clamd.exitCode !== null || clamd.signalCode !== null, { what: 'clamd stopped' });
  const down = await upload(a, root, 'по-късно.txt', Buffer.from('после'), { srv });
  assert.equal(down.status, 503);
  assert.equal(problemSlug(down.json), 'scanner-unavailable');
});

// A one-page PDF with the text in Helvetica, so pdftotext can read it.
function minimalPdf(text) {
  const stream = `BT /F1 18 Tf 72 720 Td (${text}) Tj ET`;
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let out = '%PDF-1.4\n';
  const offsets = [];
  objs.forEach((o, i) => { offsets.push(out.length); out += `${i + 1} 0 obj\n${o}\nendobj\n`; });
  const xref = out.length;
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`;
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

