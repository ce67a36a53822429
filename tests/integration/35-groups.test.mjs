// Groups of people: kept by administrators, read with people.read, validated, audited, and
// deleting one removes what documents gave it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, sql, activate, adminClient, problemSlug } from './harness.mjs';

const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
const admin = await adminClient(server);
const units = (await admin.get('/api/v1/units')).json.items;
const department = units.find((u) => u.kind === 'department');
const fieldsOf = (json) => (json.errors || []).map((e) => e.field);
const audits = (action) => Number(sql(server.database, `SELECT COUNT(*) FROM audit_log WHERE action = '${action}'`));

async function person(display_name) {
  const r = await admin.post('/api/v1/people', { display_name, kind: 'employee', unit_id: department.id });
  assert.equal(r.status, 201, r.text);
  const client = await activate(server, r.json.access_code, r.json.activation_secret);
  return { id: r.json.person.id, client };
}

test('create, rename, list and search groups; names are unique in any letter case', async () => {
  const g = await admin.post('/api/v1/groups', { name: 'Работна група „Бюджет 2027“', description: 'Подготовка на бюджета' });
  assert.equal(g.status, 201, g.text);
  assert.equal(g.json.member_count, 0);
  assert.deepEqual(g.json.members, []);
  const same = await admin.post('/api/v1/groups', { name: 'работна група „бюджет 2027“' });
  assert.equal(same.status, 409);
  assert.equal(problemSlug(same.json), 'name-taken');
  const bad = await admin.post('/api/v1/groups', { name: '', description: 'x'.repeat(1001) });
  assert.equal(bad.status, 422);
  assert.deepEqual(fieldsOf(bad.json).sort(), ['description', 'name']);
  assert.equal((await admin.post('/api/v1/groups', { name: 'a\u0007b' })).status, 422);
  assert.equal((await admin.post('/api/v1/groups', { name: 'Zespół ds. oświaty' })).status, 201);

  const renamed = await admin.patch(`/api/v1/groups/${g.json.id}`, { name: 'Работна група „Бюджет 2028“' });
  assert.equal(renamed.status, 200, renamed.text);
  assert.equal(renamed.json.name, 'Работна група „Бюджет 2028“');
  assert.equal(renamed.json.description, 'Подготовка на бюджета');
  const found = await admin.get(`/api/v1/groups?q=${encodeURIComponent('ZESPÓŁ')}`);
  assert.deepEqual(found.json.items.map((x) => x.name), ['Zespół ds. oświaty']);
  assert.equal((await admin.get('/api/v1/groups/999999')).status, 404);
  assert.ok(audits('group.created') >= 2);
  assert.equal(audits('group.updated'), 1);
});

test('members: add (once), refuse unknown and disabled people, remove; audited', async () => {
  const g = (await admin.post('/api/v1/groups', { name: 'Комисия по чл. 7' })).json;
  const ana = await person('Ана Членова');
  const add = await admin.post(`/api/v1/groups/${g.id}/members`, { person_id: ana.id });
  assert.equal(add.status, 201, add.text);
  assert.deepEqual(add.json.members.map((m) => m.display_name), ['Ана Членова']);
  assert.equal((await admin.post(`/api/v1/groups/${g.id}/members`, { person_id: ana.id })).status, 200, 'already a member');
  const nobody = await admin.post(`/api/v1/groups/${g.id}/members`, { person_id: '987654' });
  assert.equal(nobody.status, 422);
  assert.deepEqual(fieldsOf(nobody.json), ['person_id']);
  const gone = await person('Бивш Служител');
  await admin.post(`/api/v1/people/${gone.id}/disable`);
  assert.equal((await admin.post(`/api/v1/groups/${g.id}/members`, { person_id: gone.id })).status, 422);
  assert.equal((await admin.post('/api/v1/groups/999999/members', { person_id: ana.id })).status, 404);
  const removed = await admin.del(`/api/v1/groups/${g.id}/members/${ana.id}`);
  assert.equal(removed.status, 200);
  assert.equal(removed.json.member_count, 0);
  assert.equal((await admin.del(`/api/v1/groups/${g.id}/members/${ana.id}`)).status, 404);
  assert.equal(audits('group.member_added'), 1);
  assert.equal(audits('group.member_removed'), 1);
});

test('only those who manage people change groups; others cannot even list them', async () => {
  const g = (await admin.post('/api/v1/groups', { name: 'Само за администратори' })).json;
  const eve = await person('Ева Служител');
  assert.equal((await eve.client.get('/api/v1/groups')).status, 403);
  assert.equal((await eve.client.get(`/api/v1/groups/${g.id}`)).status, 403);
  assert.equal((await eve.client.post('/api/v1/groups', { name: 'Моя група' })).status, 403);
  assert.equal((await eve.client.post(`/api/v1/groups/${g.id}/members`, { person_id: eve.id })).status, 403);
  assert.equal((await eve.client.del(`/api/v1/groups/${g.id}`)).status, 403);
});

test('a group as a documents audience: members see what is shared; deleting the group takes it back', async () => {
  const g = (await admin.post('/api/v1/groups', { name: 'Екип „Архив“' })).json;
  const member = await person('Мария Архивна');
  const outsider = await person('Огнян Външен');
  await admin.post(`/api/v1/groups/${g.id}/members`, { person_id: member.id });
  const spaces = (await admin.get('/api/v1/documents/spaces')).json.items;
  const root = spaces.find((s) => s.kind === 'personal').root_id;
  const folder = (await admin.post(`/api/v1/documents/nodes/${root}/folders`, { name: 'За екипа' })).json;
  const choices = await admin.get(`/api/v1/documents/audiences?q=${encodeURIComponent('архив')}`);
  assert.ok(choices.json.items.some((a) => a.kind === 'group' && a.id === g.id && a.name === 'Екип „Архив“'));
  const share = await admin.post(`/api/v1/documents/nodes/${folder.id}/shares`, { audience: { kind: 'group', id: g.id }, right: 'view' });
  assert.equal(share.status, 201, share.text);
  assert.equal(share.json.audience.name, 'Екип „Архив“');
  assert.equal((await admin.post(`/api/v1/documents/nodes/${folder.id}/shares`, { audience: { kind: 'group', id: '987654' }, right: 'view' })).status, 422);
  assert.equal((await member.client.get(`/api/v1/documents/nodes/${folder.id}`)).status, 200);
  assert.equal((await outsider.client.get(`/api/v1/documents/nodes/${folder.id}`)).status, 404);

  assert.equal((await admin.del(`/api/v1/groups/${g.id}`)).status, 204);
  assert.equal((await member.client.get(`/api/v1/documents/nodes/${folder.id}`)).status, 404);
  assert.equal(Number(sql(server.database, `SELECT COUNT(*) FROM doc_grants WHERE audience = 'group:${g.id}'`)), 0);
  assert.equal(audits('group.deleted'), 1);
  assert.equal((await admin.get(`/api/v1/groups/${g.id}`)).status, 404);
});
