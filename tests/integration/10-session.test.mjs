import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, Client, activate, adminClient, GOOD_PASSWORD, totp, problemSlug, sql } from './harness.mjs';

const server = await startServer();

test('activation: the secret works once, then code + password log in', async () => {
  const { access_code, activation_secret } = server.admin;
  const weak = await new Client(server.url).post('/api/v1/activation', { access_code, activation_secret, password: 'password1234' });
  assert.equal(weak.status, 422);
  assert.equal(weak.json.errors[0].field, 'password');
  assert.equal(weak.json.errors[0].code, 'breached');

  const c = await activate(server, access_code, activation_secret);
  const me = await c.get('/api/v1/me');
  assert.equal(me.status, 200);
  assert.equal(me.json.status, 'active');
  assert.ok(me.json.permissions.includes('people.manage'));

  const replay = await new Client(server.url).post('/api/v1/activation', { access_code, activation_secret, password: GOOD_PASSWORD });
  assert.equal(replay.status, 400);
  assert.equal(problemSlug(replay.json), 'activation-invalid');

  const login = await new Client(server.url).post('/api/v1/session', { access_code: access_code.toLowerCase(), password: GOOD_PASSWORD });
  assert.equal(login.status, 200);
  assert.match(login.headers.get('set-cookie'), /^__Host-ratusha_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Secure/);
  assert.ok(login.json.csrf_token.length >= 20);
});

test('wrong password and unknown code get the same 401; changes nothing', async () => {
  const a = await new Client(server.url).post('/api/v1/session', { access_code: server.admin.access_code, password: 'not the password!' });
  const b = await new Client(server.url).post('/api/v1/session', { access_code: 'GAB-2222-2222', password: 'not the password!' });
  assert.equal(a.status, 401);
  assert.equal(b.status, 401);
  assert.equal(problemSlug(a.json), 'login-failed');
  assert.equal(a.json.detail, b.json.detail);
  assert.equal(a.headers.get('content-type'), 'application/problem+json');
});

test('CSRF: cookie requests that change things need the token', async () => {
  const c = await new Client(server.url);
  await c.post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD });
  const token = c.csrf;
  c.csrf = null;
  const none = await c.patch('/api/v1/me', { locale: 'pl' });
  assert.equal(none.status, 403);
  assert.equal(problemSlug(none.json), 'csrf');
  c.csrf = token.slice(0, -1) + (token.endsWith('A') ? 'B' : 'A');
  const wrong = await c.patch('/api/v1/me', { locale: 'pl' });
  assert.equal(wrong.status, 403);
  c.csrf = token;
  assert.equal((await c.get('/api/v1/me')).json.locale, 'bg', 'refused requests changed nothing');
  const ok = await c.patch('/api/v1/me', { locale: 'pl' });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.locale, 'pl');
});

test('logout ends the session on the server', async () => {
  const c = new Client(server.url);
  await c.post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD });
  const cookie = c.cookie;
  assert.equal((await c.del('/api/v1/session')).status, 204);
  const replay = new Client(server.url);
  replay.cookie = cookie;
  const r = await replay.get('/api/v1/me');
  assert.equal(r.status, 401);
  assert.equal(problemSlug(r.json), 'unauthenticated');
});

test('TOTP: enrol, then login asks for it, refuses wrong and replayed codes', async () => {
  const admin = await adminClient(server).catch(() => null) || new Client(server.url);
  if (!admin.cookie) await admin.post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD });
  // A fresh person so this test stands alone.
  const created = await admin.post('/api/v1/people', { display_name: 'Тест Тотпов', kind: 'employee' });
  assert.equal(created.status, 201);
  const p = await activate(server, created.json.access_code, created.json.activation_secret);
  const setup = await p.post('/api/v1/me/totp');
  assert.equal(setup.status, 200);
  assert.match(setup.json.otpauth_uri, /^otpauth:\/\/totp\//);
  assert.match(setup.json.qr_svg, /^<svg /);
  const bad = await p.post('/api/v1/me/totp/confirm', { code: '000000' === totp(setup.json.secret) ? '111111' : '000000' });
  assert.equal(bad.status, 422);
  const ok = await p.post('/api/v1/me/totp/confirm', { code: totp(setup.json.secret) });
  assert.equal(ok.status, 200);
  assert.equal(ok.json.recovery_codes.length, 10);
  const stored = sql(server.database, `SELECT totp_secret FROM people WHERE access_code = '${created.json.access_code}'`);
  assert.match(stored, /^v1:/, 'the TOTP secret is stored sealed');
  assert.ok(!stored.includes(setup.json.secret), 'not in the clear');

  const code = created.json.access_code;
  const step1 = await new Client(server.url).post('/api/v1/session', { access_code: code, password: GOOD_PASSWORD });
  assert.equal(step1.status, 401);
  assert.equal(problemSlug(step1.json), 'totp-required');
  const wrong = await new Client(server.url).post('/api/v1/session', { access_code: code, password: GOOD_PASSWORD, totp: '999999' === totp(setup.json.secret) ? '888888' : '999999' });
  assert.equal(problemSlug(wrong.json), 'login-failed');
  // The confirm above used the current step; the next valid code is from the next step window.
  const recovery = await new Client(server.url).post('/api/v1/session', { access_code: code, password: GOOD_PASSWORD, totp: ok.json.recovery_codes[0] });
  assert.equal(recovery.status, 200, 'a recovery code logs in');
  const again = await new Client(server.url).post('/api/v1/session', { access_code: code, password: GOOD_PASSWORD, totp: ok.json.recovery_codes[0] });
  assert.equal(again.status, 401, 'a recovery code works once');
  const reused = await new Client(server.url).post('/api/v1/session', { access_code: code, password: GOOD_PASSWORD, totp: totp(setup.json.secret) });
  assert.equal(reused.status, 401, 'the code used to confirm cannot be replayed');
});

test('sessions: list and log out everywhere', async () => {
  const a = new Client(server.url);
  const b = new Client(server.url);
  for (const c of [a, b]) assert.equal((await c.post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD })).status, 200);
  const list = await a.get('/api/v1/me/sessions');
  assert.equal(list.status, 200);
  assert.ok(list.json.items.length >= 2);
  assert.equal(list.json.items.filter((s) => s.current).length, 1);
  assert.equal((await a.del('/api/v1/me/sessions')).status, 204);
  assert.equal((await b.get('/api/v1/me')).status, 401);
});

test('login is rate limited per access code with a soft lockout', async () => {
  const admin = new Client(server.url);
  await admin.post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD });
  const created = await admin.post('/api/v1/people', { display_name: 'Лимит Проба', kind: 'employee' });
  await activate(server, created.json.access_code, created.json.activation_secret);
  const code = created.json.access_code;
  const statuses = [];
  for (let i = 0; i < 6; i++) {
    const r = await new Client(server.url).post('/api/v1/session', { access_code: code, password: 'wrong password ' + i });
    statuses.push(r.status);
  }
  assert.deepEqual(statuses, [401, 401, 401, 401, 401, 429]);
  const locked = await new Client(server.url).post('/api/v1/session', { access_code: code, password: GOOD_PASSWORD });
  assert.equal(locked.status, 429, 'even the right password waits out the lockout');
  assert.ok(Number(locked.headers.get('retry-after')) > 0);
});

// Keep this last in the file: afterwards every login from this address waits out the lockout.
test('login is rate limited per address too, across different codes', async () => {
  const statuses = [];
  for (let i = 0; i < 32; i++) {
    // Well-formed codes that do not exist: the per-code limit never triggers.
    const r = await new Client(server.url).post('/api/v1/session', { access_code: `GAB-AAAA-AA${'23456789ABCDEFGHJKMNPQRSTVWXYZ'[i % 30]}${i % 10}`, password: 'guessing ' + i });
    statuses.push(r.status);
  }
  // Earlier tests in this file already failed some logins from this address.
  const first = statuses.indexOf(429);
  assert.ok(first > 0 && first <= 30, statuses.join(','));
  assert.ok(statuses.slice(0, first).every((s) => s === 401), statuses.join(','));
  assert.ok(statuses.slice(first).every((s) => s === 429), 'once locked, it stays locked');
  const admin = await new Client(server.url).post('/api/v1/session', { access_code: server.admin.access_code, password: GOOD_PASSWORD });
  assert.equal(admin.status, 429, 'the address is locked out for everyone');
});
