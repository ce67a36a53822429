// Administration of people: create, validate, list, search, roles, disable/enable, code reset,
// CSV import and API tokens, against the real server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, Client, activate, adminClient, GOOD_PASSWORD, problemSlug } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
const admin = await adminClient(server);
const adminId = (await admin.get('/api/v1/me')).json.id;
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.find((u) => u.kind === 'department');

const CODE = /^GAB-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/;
const peopleCount = () => Number(sql(server.database, 'SELECT COUNT(*) FROM people'));
const login = (access_code, password = GOOD_PASSWORD) =>
  new Client(server.url).post('/api/v1/session', { access_code, password });
const fieldsOf = (json) => (json.errors || []).map((e) => e.field);

async function create(body) {
  const r = await admin.post('/api/v1/people', { kind: 'employee', ...body });
  assert.equal(r.status, 201, r.text);
  return r.json;
}

// A person who has activated their account; returns their id, code and logged-in client.
async function activePerson(display_name, extra = {}) {
  const c = await create({ display_name, ...extra });
  const client = await activate(server, c.access_code, c.activation_secret);
  return { id: c.person.id, code: c.access_code, client };
}

test('create: 201, a well-formed access code, the secret is shown only once', async () => {
  const r = await admin.post('/api/v1/people', {
    display_name: 'Радослава Създадена', email: 'radoslava.created@example.org', kind: 'employee',
    unit_id: department.id, locale: 'bg',
  });
  assert.equal(r.status, 201, r.text);
  const { person, access_code, activation_secret } = r.json;
  assert.match(access_code, CODE);
  assert.equal(person.access_code, access_code);
  assert.match(activation_secret, /^[2-9A-HJKMNP-TV-Z]{4}(-[2-9A-HJKMNP-TV-Z]{4}){3}$/);
  assert.equal(person.status, 'pending');
  assert.equal(person.display_name, 'Радослава Създадена');
  assert.equal(person.unit_id, department.id);
  assert.equal(person.unit_name, department.name);
  assert.deepEqual(person.roles, [{ role: 'employee', scope_kind: 'organisation', scope_id: null }]);

  const got = await admin.get(`/api/v1/people/${person.id}`);
  assert.equal(got.status, 200);
  assert.equal(got.json.id, person.id);
  assert.equal(got.json.access_code, access_code);
  assert.equal('activation_secret' in got.json, false);
  assert.ok(!got.text.includes(activation_secret), 'GET /people/{id} does not reveal the secret');
  const listed = await admin.get('/api/v1/people?q=' + encodeURIComponent('Създадена'));
  assert.equal(listed.json.items.length, 1);
  assert.ok(!listed.text.includes(activation_secret), 'the list does not reveal the secret');
});

test('validation: each wrong field is named, nothing is created', async () => {
  const before = peopleCount();
  const cases = [
    [{ kind: 'employee' }, 'display_name', 'required'],
    [{ display_name: 'Лош Вид', kind: 'wizard' }, 'kind', 'invalid'],
    [{ display_name: 'Лош Имейл', kind: 'employee', email: 'not-an-email' }, 'email', 'invalid'],
    [{ display_name: 'Лоша Роля', kind: 'employee', roles: [{ role: 'emperor' }] }, 'roles[0].role', 'invalid'],
    [{ display_name: 'Лош Обхват', kind: 'employee', roles: [{ role: 'clerk', scope_kind: 'unit', scope_id: '987654' }] },
      'roles[0].scope_id', null],
    [{ display_name: 'Лоша Единица', kind: 'employee', unit_id: '987654' }, 'unit_id', null],
  ];
  for (const [body, field, code] of cases) {
    const r = await admin.post('/api/v1/people', body);
    assert.equal(r.status, 422, `${field}: ${r.text}`);
    assert.equal(problemSlug(r.json), 'validation');
    const e = r.json.errors.find((x) => x.field === field);
    assert.ok(e, `errors[] names ${field}: ${JSON.stringify(r.json.errors)}`);
    if (code) assert.equal(e.code, code);
  }
  assert.equal(peopleCount(), before);
});

test('duplicate e-mail (any letter case) is refused with code taken', async () => {
  await create({ display_name: 'Първи Имейл', email: 'same.mail@example.org' });
  const before = peopleCount();
  const r = await admin.post('/api/v1/people', { display_name: 'Втори Имейл', kind: 'employee', email: 'Same.Mail@Example.org' });
  assert.equal(r.status, 422, r.text);
  const e = r.json.errors.find((x) => x.field === 'email');
  assert.equal(e.code, 'taken');
  assert.equal(peopleCount(), before);
});

test('cursor pagination walks every person once, in order, and ends with null', async () => {
  const expected = sql(server.database, 'SELECT id FROM people ORDER BY id').split('\n').map(String);
  assert.ok(expected.length >= 111, `the demo has at least 111 people (${expected.length})`);
  const seen = [];
  let cursor = null;
  let pages = 0;
  for (;;) {
    const r = await admin.get('/api/v1/people?limit=25' + (cursor ? '&cursor=' + encodeURIComponent(cursor) : ''));
    assert.equal(r.status, 200, r.text);
    assert.ok(r.json.items.length <= 25);
    seen.push(...r.json.items.map((p) => p.id));
    pages++;
    assert.ok(pages <= expected.length / 25 + 2, 'the walk ends');
    cursor = r.json.next_cursor;
    if (cursor === null) break;
    assert.equal(r.json.items.length, 25, 'only the last page is short');
  }
  assert.equal(new Set(seen).size, seen.length, 'no duplicates');
  assert.deepEqual(seen, expected, 'no gaps, ascending');
  const bad = await admin.get('/api/v1/people?cursor=garbage');
  assert.equal(bad.status, 422);
  assert.equal((await admin.get('/api/v1/people?limit=0')).status, 422);
  assert.equal((await admin.get('/api/v1/people?limit=201')).status, 422);
});

test('search q: by name, e-mail (any case) and access code', async () => {
  const c = await create({ display_name: 'Зорница Търсенова', email: 'zornitsa.search@example.org' });
  const q = async (text) => (await admin.get('/api/v1/people?limit=200&q=' + encodeURIComponent(text))).json.items.map((p) => p.id);
  assert.deepEqual(await q('Търсенова'), [c.person.id]);
  assert.deepEqual(await q('zornitsa.search'), [c.person.id]);
  assert.deepEqual(await q('ZORNITSA.Search'), [c.person.id]);
  assert.deepEqual(await q(c.access_code), [c.person.id]);
  assert.deepEqual(await q('no such person anywhere'), []);
  const long = await admin.get('/api/v1/people?q=' + 'я'.repeat(101));
  assert.equal(long.status, 422);
  assert.equal(long.json.errors[0].field, 'q');
});

// Names in this product are Cyrillic and Polish: a search typed in lower case must still find
// "Търсенова" / "Łukasiewicz", as it does for Latin letters.
test('search q is case-insensitive for Cyrillic and Polish letters too', async () => {
  const bg = await create({ display_name: 'Стилияна Главнобуквена' });
  const pl = await create({ display_name: 'Łucja Śliwińska-Źdźbło' });
  const q = async (text) => (await admin.get('/api/v1/people?q=' + encodeURIComponent(text))).json.items.map((p) => p.id);
  assert.deepEqual(await q('Главнобуквена'), [bg.person.id], 'exact case');
  assert.deepEqual(await q('главнобуквена'), [bg.person.id], 'Cyrillic in lower case');
  assert.deepEqual(await q('ŚLIWIŃSKA'), [pl.person.id], 'Polish in upper case');
});

test('filter status: pending, active, disabled; a bad value is 422', async () => {
  const pending = await create({ display_name: 'Статус Чакащ' });
  const active = await activePerson('Статус Активен');
  const disabled = await activePerson('Статус Спрян');
  assert.equal((await admin.post(`/api/v1/people/${disabled.id}/disable`)).status, 200);
  const ids = async (status) => {
    const r = await admin.get(`/api/v1/people?limit=200&q=${encodeURIComponent('Статус')}&status=${status}`);
    assert.equal(r.status, 200);
    for (const p of r.json.items) assert.equal(p.status, status);
    return r.json.items.map((p) => p.id);
  };
  assert.deepEqual(await ids('pending'), [pending.person.id]);
  assert.deepEqual(await ids('active'), [active.id]);
  assert.deepEqual(await ids('disabled'), [disabled.id]);
  const all = await admin.get('/api/v1/people?limit=200&status=active');
  assert.ok(all.json.items.some((p) => p.id === adminId));
  const bad = await admin.get('/api/v1/people?status=sleeping');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.errors[0].field, 'status');
});

test('a non-administrator: 403 on the list and on create, 404 on others, 200 on themself', async () => {
  const me = await activePerson('Обикновен Служител');
  const list = await me.client.get('/api/v1/people');
  assert.equal(list.status, 403);
  assert.equal(problemSlug(list.json), 'forbidden');
  const before = peopleCount();
  const post = await me.client.post('/api/v1/people', { display_name: 'Не Бива', kind: 'employee' });
  assert.equal(post.status, 403);
  assert.equal(peopleCount(), before);
  const other = await me.client.get(`/api/v1/people/${adminId}`);
  assert.equal(other.status, 404);
  assert.equal(problemSlug(other.json), 'not-found');
  const own = await me.client.get(`/api/v1/people/${me.id}`);
  assert.equal(own.status, 200);
  assert.equal(own.json.id, me.id);
  assert.equal((await me.client.patch(`/api/v1/people/${me.id}`, { roles: [{ role: 'administrator' }] })).status, 403);
  assert.equal((await me.client.post(`/api/v1/people/${adminId}/disable`)).status, 403);
});

test('PATCH roles: changed, and audited with before and after', async () => {
  const c = await create({ display_name: 'Роля Променена' });
  const id = c.person.id;
  const r = await admin.patch(`/api/v1/people/${id}`, { roles: [{ role: 'clerk' }, { role: 'councillor', scope_kind: 'body', scope_id: units.find((u) => u.kind === 'body').id }] });
  assert.equal(r.status, 200, r.text);
  const body = units.find((u) => u.kind === 'body');
  const after = [{ role: 'clerk', scope_kind: 'organisation', scope_id: null }, { role: 'councillor', scope_kind: 'body', scope_id: body.id }];
  assert.deepEqual(r.json.roles, after);
  assert.deepEqual((await admin.get(`/api/v1/people/${id}`)).json.roles, after);
  const audit = await admin.get('/api/v1/audit?action=person.roles_changed');
  const entry = audit.json.items.find((e) => e.target === `person:${id}`);
  assert.ok(entry, 'person.roles_changed is in the audit log');
  assert.equal(entry.actor_id, adminId);
  assert.deepEqual(entry.details.before, [{ role: 'employee', scope_kind: 'organisation', scope_id: null }]);
  assert.deepEqual(entry.details.after, after);
  const bad = await admin.patch(`/api/v1/people/${id}`, { roles: [{ role: 'clerk', scope_kind: 'unit', scope_id: '987654' }] });
  assert.equal(bad.status, 422);
  assert.deepEqual(fieldsOf(bad.json), ['roles[0].scope_id']);
  assert.deepEqual((await admin.get(`/api/v1/people/${id}`)).json.roles, after, 'a refused change changes nothing');
});

test('disable ends the live session at once and blocks login; enable lets them back', async () => {
  const p = await activePerson('Изключен Временно');
  assert.equal((await p.client.get('/api/v1/me')).status, 200);
  const r = await admin.post(`/api/v1/people/${p.id}/disable`);
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.status, 'disabled');
  const me = await p.client.get('/api/v1/me');
  assert.equal(me.status, 401);
  assert.equal(problemSlug(me.json), 'unauthenticated');
  const denied = await login(p.code);
  assert.equal(denied.status, 401);
  assert.equal(problemSlug(denied.json), 'login-failed');

  const self = await admin.post(`/api/v1/people/${adminId}/disable`);
  assert.equal(self.status, 409);
  assert.equal(problemSlug(self.json), 'conflict');
  assert.equal((await admin.get('/api/v1/me')).status, 200, 'the administrator is still in');

  const en = await admin.post(`/api/v1/people/${p.id}/enable`);
  assert.equal(en.status, 200);
  assert.equal(en.json.status, 'active');
  assert.equal((await p.client.get('/api/v1/me')).status, 401, 'the old session stays ended');
  assert.equal((await login(p.code)).status, 200);
  assert.equal((await admin.post('/api/v1/people/987654/disable')).status, 404);
});

test('reset-code: the old code stops working, sessions end, the new code activates', async () => {
  const p = await activePerson('Нулиран Код');
  const r = await admin.post(`/api/v1/people/${p.id}/reset-code`);
  assert.equal(r.status, 200, r.text);
  const { access_code, activation_secret, person } = r.json;
  assert.match(access_code, CODE);
  assert.notEqual(access_code, p.code);
  assert.equal(person.access_code, access_code);
  assert.equal(person.status, 'pending');
  assert.equal((await p.client.get('/api/v1/me')).status, 401, 'the old session ended');
  const old = await login(p.code);
  assert.equal(old.status, 401);
  assert.equal(problemSlug(old.json), 'login-failed');
  assert.equal((await login(access_code)).status, 401, 'the old password does not carry over');
  const again = await activate(server, access_code, activation_secret, 'нова парола за нулиран 9');
  const me = await again.get('/api/v1/me');
  assert.equal(me.json.id, p.id);
  assert.equal(me.json.status, 'active');
  assert.equal((await login(access_code, 'нова парола за нулиран 9')).status, 200);
});

test('CSV import: Cyrillic and Polish names, a quoted comma; one code per row', async () => {
  const before = peopleCount();
  const csv = [
    'display_name,email,kind,unit,role',
    `Иван Импортов,ivan.import@example.org,employee,${department.name},employee`,
    'Żaneta Łukasiewicz-Źródło,zaneta.import@example.org,councillor,,councillor',
    '"Kowalski, Jan",jan.import@example.org,guest,,',
    '',
  ].join('\r\n');
  const r = await admin.req('POST', '/api/v1/people/import', csv, { headers: { 'content-type': 'text/csv; charset=utf-8' } });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.created.length, 3);
  const names = r.json.created.map((c) => c.person.display_name);
  assert.deepEqual(names, ['Иван Импортов', 'Żaneta Łukasiewicz-Źródło', 'Kowalski, Jan']);
  const codes = r.json.created.map((c) => c.access_code);
  for (const c of r.json.created) {
    assert.match(c.access_code, CODE);
    assert.equal(c.person.access_code, c.access_code);
    assert.ok(c.activation_secret.length >= 16);
  }
  assert.equal(new Set(codes).size, 3);
  assert.equal(r.json.created[0].person.unit_id, department.id);
  assert.equal(r.json.created[1].person.kind, 'councillor');
  assert.equal(r.json.created[2].person.email, 'jan.import@example.org');
  assert.equal(peopleCount(), before + 3);
  const stored = await admin.get(`/api/v1/people/${r.json.created[1].person.id}`);
  assert.equal(stored.json.display_name, 'Żaneta Łukasiewicz-Źródło');
  // The imported codes work.
  await activate(server, codes[2], r.json.created[2].activation_secret);
});

test('CSV import with errors in rows 3 and 5 lists them and creates nobody', async () => {
  const before = peopleCount();
  const csv = [
    'display_name,email,kind,unit,role',
    'Добър Първи,good.first@example.org,employee,,',
    'Лош Вид,bad.kind@example.org,wizard,,',
    'Добър Втори,twice@example.org,employee,,',
    'Лоша Единица,twice@example.org,employee,Няма Такава Дирекция,',
  ].join('\n');
  const r = await admin.req('POST', '/api/v1/people/import', csv, { headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 422, r.text);
  assert.equal(problemSlug(r.json), 'validation');
  const rows = [...new Set(r.json.errors.map((e) => e.row))].sort();
  assert.deepEqual(rows, [3, 5]);
  const has = (row, field) => r.json.errors.some((e) => e.row === row && e.field === field);
  assert.ok(has(3, 'kind'), 'row 3: kind');
  assert.ok(has(5, 'unit'), 'row 5: unit');
  assert.ok(has(5, 'email'), 'row 5: e-mail twice in the file');
  assert.equal(peopleCount(), before, 'nothing created');
  assert.equal((await admin.get('/api/v1/people?q=' + encodeURIComponent('Добър'))).json.items.length, 0);
});

// The e-mail check of POST /people ignores letter case (see 'duplicate e-mail' above); the same
// address twice in one import file, differing only in case, must be refused the same way.
test('CSV import: the same e-mail twice in a file in different letter case is refused', async () => {
  const before = peopleCount();
  const csv = 'display_name,email,kind\nЕдин Случай,Case.Twice@example.org,employee\nДруг Случай,case.twice@example.org,employee\n';
  const r = await admin.req('POST', '/api/v1/people/import', csv, { headers: { 'content-type': 'text/csv' } });
  assert.equal(r.status, 422, r.text);
  assert.ok(r.json.errors.some((e) => e.row === 3 && e.field === 'email'));
  assert.equal(peopleCount(), before);
});

test('CSV import: wrong content type is 415; a non-administrator is 403', async () => {
  const csv = 'display_name,email,kind,unit,role\nX Y,,employee,,\n';
  const r = await admin.req('POST', '/api/v1/people/import', csv, { headers: { 'content-type': 'application/json' } });
  assert.equal(r.status, 415);
  assert.equal(problemSlug(r.json), 'unsupported-media-type');
  const p = await activePerson('Импорт Забранен');
  const f = await p.client.req('POST', '/api/v1/people/import', csv, { headers: { 'content-type': 'text/csv' } });
  assert.equal(f.status, 403);
});

test('API tokens: secret once, scope limits, revoke, refused scopes', async () => {
  const r = await admin.post('/api/v1/tokens', { name: 'Четене на хора', scopes: ['people.read'] });
  assert.equal(r.status, 201, r.text);
  const { token, secret } = r.json;
  assert.ok(typeof secret === 'string' && secret.length >= 32);
  assert.deepEqual(token.scopes, ['people.read']);
  assert.equal(token.name, 'Четене на хора');
  const list = await admin.get('/api/v1/tokens');
  assert.ok(list.json.items.some((t) => t.id === token.id));
  assert.ok(!list.text.includes(secret), 'the list does not show the secret');

  const bot = new Client(server.url);
  bot.headers = { authorization: `Bearer ${secret}` };
  const read = await bot.get('/api/v1/people?limit=5');
  assert.equal(read.status, 200, read.text);
  assert.equal(read.json.items.length, 5);
  const before = peopleCount();
  const write = await bot.post('/api/v1/people', { display_name: 'Робот Създател', kind: 'guest' });
  assert.equal(write.status, 403);
  assert.equal(problemSlug(write.json), 'forbidden');
  assert.equal(peopleCount(), before);
  assert.equal((await bot.get('/api/v1/audit')).status, 403, 'audit.read is not in the token');

  assert.equal((await admin.del(`/api/v1/tokens/${token.id}`)).status, 204);
  const revoked = await bot.get('/api/v1/people');
  assert.equal(revoked.status, 401);
  assert.equal(problemSlug(revoked.json), 'unauthenticated');
  assert.equal((await admin.del(`/api/v1/tokens/${token.id}`)).status, 404, 'revoking twice');

  const unknown = await admin.post('/api/v1/tokens', { name: 'Непознат', scopes: ['people.read', 'people.destroy'] });
  assert.equal(unknown.status, 422);
  assert.deepEqual(fieldsOf(unknown.json), ['scopes[1]']);
  assert.equal((await admin.post('/api/v1/tokens', { name: 'Празен', scopes: [] })).status, 422);

  // A token that may manage tokens cannot hand out a scope it does not have itself.
  const mgr = await admin.post('/api/v1/tokens', { name: 'Управител', scopes: ['tokens.manage', 'people.read'] });
  assert.equal(mgr.status, 201);
  const mbot = new Client(server.url);
  mbot.headers = { authorization: `Bearer ${mgr.json.secret}` };
  const escalate = await mbot.post('/api/v1/tokens', { name: 'Ескалация', scopes: ['audit.read'] });
  assert.equal(escalate.status, 422, escalate.text);
  assert.deepEqual(fieldsOf(escalate.json), ['scopes[0]']);
  const narrower = await mbot.post('/api/v1/tokens', { name: 'По-тесен', scopes: ['people.read'] });
  assert.equal(narrower.status, 201, 'a scope it has is fine');

  const p = await activePerson('Без Токени');
  assert.equal((await p.client.post('/api/v1/tokens', { name: 'x', scopes: ['people.read'] })).status, 403);
});

test('settings: organisation name and roles that must use TOTP; a required role without TOTP means no permissions', async () => {
  const c = admin;
  const ok = await c.patch('/api/v1/settings', { totp_required_roles: ['guest'], organisation_name: 'Община Габрово (тест)' });
  assert.equal(ok.status, 200);
  assert.deepEqual(ok.json.totp_required_roles, ['guest']);
  const bad = await c.patch('/api/v1/settings', { totp_required_roles: ['wizard'] });
  assert.equal(bad.status, 422);
  const session = await c.get('/api/v1/session');
  assert.equal(session.json.organisation_name, 'Община Габрово (тест)');
  // A guest (the required role) without TOTP may only look after their own account.
  const guest = (await c.post('/api/v1/people', { display_name: 'Гост Без Код', kind: 'guest' })).json;
  const g = await activate(server, guest.access_code, guest.activation_secret);
  const gs = await g.get('/api/v1/session');
  assert.equal(gs.json.totp_enrolment_required, true);
  assert.deepEqual(gs.json.person.permissions, []);
  assert.equal((await c.patch('/api/v1/settings', { totp_required_roles: [] })).status, 200);
  const after = await g.get('/api/v1/session');
  assert.equal(after.json.totp_enrolment_required, false);
});
