// 1,000 members voting in the same second: every ballot counted once. kill -9 of the server
// during a burst of 1,000 ballots: after a restart every acknowledged ballot is there (by its
// receipt and its voter), none is counted twice, the ledger verifies, and the vote goes on: those
// whose ballot was lost in flight vote again, the rest are told they have voted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, sql, cli, DB } from './harness.mjs';

const MEMBERS = 1000;
const BASE = 500000;

// A body of 1,000 (ids from BASE), everyone present, each with a token scoped council.vote (a
// hall device), and an open sitting; returns the server and the tokens.
async function congress() {
  const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'warn' } });
  const now = Math.floor(Date.now() / 1000);
  const local = new Date(now * 1000).toISOString().slice(0, 16);
  const tokens = [];
  const lines = ['BEGIN;',
    `INSERT INTO units (id, name, kind, created_at) VALUES (${BASE}, 'Сбор', 'body', ${now});`,
    `INSERT INTO council_bodies (unit_id, kind, jurisdiction, seats, term_start, time_zone, created_at, updated_at) VALUES (${BASE}, 'council', 'bg', ${MEMBERS}, '2024-01-01', 'UTC', ${now}, ${now});`,
    `INSERT INTO council_sittings (id, body_id, number, kind, mode, title, time_zone, local_start, starts_at, duration, status, opened_at, created_at, updated_at) VALUES (${BASE}, ${BASE}, 1, 'regular', 'in_person', 'Сесия', 'UTC', '${local}', ${now}, 14400, 'open', ${now}, ${now}, ${now});`];
  for (let i = 0; i < MEMBERS; i++) {
    const id = BASE + i;
    const token = randomBytes(24).toString('base64url');
    tokens.push({ id, token });
    lines.push(`INSERT INTO people (id, access_code, display_name, kind, status, locale, search_key, created_at, updated_at) VALUES (${id}, 'C${id}', 'Съветник ${i}', 'councillor', 'active', 'bg', 'съветник ${i}', ${now}, ${now});`);
    lines.push(`INSERT INTO council_memberships (id, body_id, person_id, role, from_date, created_at, updated_at) VALUES (${id}, ${BASE}, ${id}, '${i === 0 ? 'chair' : 'member'}', '2024-01-01', ${now}, ${now});`);
    lines.push(`INSERT INTO api_tokens (id, name, owner_id, token_hash, scopes, created_at, last_used_at) VALUES (${id}, 'пулт', ${id}, '${createHash('sha256').update(token).digest('hex')}', '${i === 0 ? 'council.vote,council.manage' : 'council.vote'}', ${now}, ${now});`);
    lines.push(`INSERT INTO council_attendance (sitting_id, person_id, present, remote, since) VALUES (${BASE}, ${id}, 1, 0, ${now});`);
  }
  lines.push('COMMIT;');
  const file = join(server.database.dir, 'corpus.sql');
  writeFileSync(file, lines.join('\n'));
  sql(server.database, DB === 'postgresql' ? `\\i ${file}` : `.read ${file}`);

  return { server, tokens };
}

const call = (srv, path, token, body) => fetch(srv.url + path, {
  method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body),
}).then(async (r) => ({ status: r.status, json: await r.json().catch(() => null) }));

test('1,000 members voting in the same second: every ballot counted once', async () => {
  const { server, tokens } = await congress();
  const vote = (await call(server, `/api/v1/council/sittings/${BASE}/votes`, tokens[0].token, { title: 'Бюджет' })).json.id;
  const results = await Promise.all(tokens.map((t, i) => call(server, `/api/v1/council/votes/${vote}/ballots`, t.token, { choice: i % 4 === 0 ? 'no' : 'yes' })));
  assert.deepEqual([...new Set(results.map((r) => r.status))], [201]);
  assert.equal(new Set(results.map((r) => r.json.receipt)).size, MEMBERS, 'a receipt each');
  // Once more each, all at once: nobody votes twice.
  const again = await Promise.all(tokens.slice(0, 200).map((t) => call(server, `/api/v1/council/votes/${vote}/ballots`, t.token, { choice: 'yes' })));
  assert.ok(again.every((r) => r.status === 409 && r.json.type.endsWith('/already-voted')));
  const closed = await call(server, `/api/v1/council/votes/${vote}/close`, tokens[0].token, {});
  assert.deepEqual(closed.json.tally, { yes: 750, no: 250, abstain: 0 });
  const check = cli(server.database, ['council', 'verify', '--vote', vote]);
  assert.equal(check.status, 0, check.stdout + check.stderr);
});

test('kill -9 during 1,000 ballots loses no acknowledged ballot and counts none twice', async () => {
  const { server, tokens } = await congress();
  const opened = await call(server, `/api/v1/council/sittings/${BASE}/votes`, tokens[0].token, { title: 'Решение' });
  assert.equal(opened.status, 201, JSON.stringify(opened.json));
  const vote = opened.json.id;

  // 1,000 ballots, 40 at a time; the server is killed when about half are acknowledged.
  const acknowledged = new Map();  // person id → { receipt, choice }
  let next = 0, killed = false;
  const choiceOf = (i) => (i % 3 === 0 ? 'no' : 'yes');
  const worker = async () => {
    while (next < MEMBERS && !killed) {
      const i = next++;
      try {
        const r = await call(server, `/api/v1/council/votes/${vote}/ballots`, tokens[i].token, { choice: choiceOf(i) });
        if (r.status === 201) acknowledged.set(tokens[i].id, r.json);
      } catch { /* the connection died with the server */ }
      if (!killed && acknowledged.size >= MEMBERS / 2) {
        killed = true;
        await server.stop('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: 40 }, worker));
  assert.ok(killed, 'the server was killed mid-burst');
  assert.ok(acknowledged.size >= MEMBERS / 2 && acknowledged.size < MEMBERS, `${acknowledged.size} acknowledged`);

  // Every acknowledged ballot is in the ledger (by its receipt) and in the ballots (by voter).
  const stored = new Map(sql(server.database, `SELECT person_id, choice FROM council_ballots WHERE vote_id = ${vote}`)
    .split('\n').filter(Boolean).map((l) => { const [p, c] = l.split('|'); return [Number(p), c]; }));
  const receipts = new Set(sql(server.database, `SELECT receipt FROM council_ledger WHERE vote_id = ${vote} AND kind = 'ballot'`).split('\n').filter(Boolean));
  for (const [person, ack] of acknowledged) {
    assert.equal(stored.get(person), ack.choice, `the ballot of ${person}`);
    assert.ok(receipts.has(ack.receipt), `the receipt ${ack.receipt}`);
  }
  assert.equal(receipts.size, stored.size, 'one ledger entry per stored ballot');
  assert.equal(Number(sql(server.database, `SELECT voted FROM council_votes WHERE id = ${vote}`)), stored.size);
  const check = cli(server.database, ['council', 'verify', '--vote', vote]);
  assert.equal(check.status, 0, check.stdout + check.stderr);

  // Back up: everyone who has not voted does; those stored but not acknowledged hear so.
  const again = await startServer({ database: { ...server.database, keep: true }, demo: false, env: { RATUSHA_LOG_LEVEL: 'warn' } });
  let fresh = 0, already = 0;
  for (let i = 0; i < MEMBERS; i += 1) {
    if (acknowledged.has(tokens[i].id)) continue;
    const r = await call(again, `/api/v1/council/votes/${vote}/ballots`, tokens[i].token, { choice: choiceOf(i) });
    if (r.status === 201) fresh += 1;
    else if (r.status === 409 && r.json.type.endsWith('/already-voted')) already += 1;
    else assert.fail(`${r.status} ${JSON.stringify(r.json)}`);
  }
  assert.equal(acknowledged.size + fresh + already, MEMBERS);
  assert.equal(already, stored.size - acknowledged.size, 'stored in flight: told they have voted, not counted twice');
  const closed = await call(again, `/api/v1/council/votes/${vote}/close`, tokens[0].token, {});
  assert.equal(closed.status, 200, JSON.stringify(closed.json));
  const yes = Array.from({ length: MEMBERS }, (_, i) => choiceOf(i)).filter((c) => c === 'yes').length;
  assert.deepEqual(closed.json.tally, { yes, no: MEMBERS - yes, abstain: 0 });
  assert.equal(closed.json.result, 'adopted');
  const final = cli(server.database, ['council', 'verify', '--vote', vote]);
  assert.equal(final.status, 0, final.stdout + final.stderr);
  assert.match(final.stdout, new RegExp(`${MEMBERS} ballots, result adopted`));
});
