// Outgoing e-mail: the administrators' test message through the real server and an SMTP sink
// (aiosmtpd), its headers and encodings, a calendar invitation, SMTP being down (the message
// waits and goes out once the server is back, exactly once), dedupe keys, the CLI, rights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, cli, activate, adminClient, problemSlug, waitFor, freePort, startSmtpSink } from './harness.mjs';

const FROM = 'Ратуша <ratusha@example.org>';
const SUBJECT = 'Ратуша: пробно писмо / Ratusha can send e-mail';
// The sink is down at first: the server knows where it will be.
const port = await freePort();
const smtpEnv = { RATUSHA_SMTP_URL: `smtp://127.0.0.1:${port}`, RATUSHA_SMTP_FROM: FROM };
const server = await startServer({ env: { RATUSHA_LOG_LEVEL: 'error', ...smtpEnv } });
const admin = await adminClient(server);
const me = (await admin.get('/api/v1/me')).json;
let sink = null;

async function outbox(query = '') {
  const r = await admin.get('/api/v1/mail/outbox?limit=200' + query);
  assert.equal(r.status, 200, r.text);
  return r.json.items;
}
const row = async (id) => (await outbox()).find((m) => m.id === id);
const mailsFor = (messageId) => sink.messages().filter((m) => m.mail.header('message-id') === messageId);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('SMTP down: the message stays queued with attempts and the error; once the server is up it arrives exactly once', async () => {
  const r = await admin.post('/api/v1/mail/test', { to: 'down@example.org' });
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.status, 'queued');
  assert.equal(r.json.to, 'down@example.org');
  const id = r.json.id;
  const failed = await waitFor(async () => {
    const m = await row(id);
    return m && m.attempts >= 1 && m.last_error ? m : null;
  }, { timeout: 15000, interval: 100, what: 'a failed attempt' });
  assert.equal(failed.status, 'queued');
  assert.match(failed.last_error, /connect/i);
  assert.equal(failed.sent_at, null);
  assert.equal(failed.mime, undefined, 'no bodies in the list');

  sink = await startSmtpSink({ port });
  // The job retries with backoff (5 s, then 10 s).
  const sent = await waitFor(async () => {
    const m = await row(id);
    return m && m.status === 'sent' ? m : null;
  }, { timeout: 30000, interval: 200, what: 'the message sent after the server came back' });
  assert.ok(sent.attempts >= 2, `attempts ${sent.attempts}`);
  assert.equal(sent.last_error, null);
  assert.ok(Date.parse(sent.sent_at) > 0);
  await sleep(1500);
  const got = mailsFor(sent.message_id);
  assert.equal(got.length, 1, 'exactly one copy');
  assert.deepEqual(got[0].to, ['down@example.org']);
});

test('the test message arrives with correct headers, a Bulgarian subject and a stable Message-ID', async () => {
  const r = await admin.post('/api/v1/mail/test', { to: 'ivan.petrov@example.org' });
  assert.equal(r.status, 202, r.text);
  const sent = await waitFor(async () => {
    const m = await row(r.json.id);
    return m && m.status === 'sent' ? m : null;
  }, { timeout: 15000, interval: 100, what: 'the test message sent' });
  assert.equal(sent.subject, SUBJECT);
  assert.equal(sent.to, 'ivan.petrov@example.org');
  assert.equal(sent.attempts, 1);
  assert.match(sent.message_id, new RegExp(`^<${sent.id}\\.[0-9a-f]+@example\\.org>$`));
  const [msg] = await waitFor(() => { const g = mailsFor(sent.message_id); return g.length ? g : null; }, { what: 'the mail in the sink' });
  assert.equal(msg.from, 'ratusha@example.org');
  assert.deepEqual(msg.to, ['ivan.petrov@example.org']);
  const m = msg.mail;
  assert.equal(m.header('subject'), SUBJECT);
  assert.match(m.rawHeader('subject'), /^=\?UTF-8\?B\?/, 'RFC 2047 encoded');
  assert.equal(m.header('from'), FROM);
  assert.equal(m.header('to'), 'ivan.petrov@example.org');
  assert.equal(m.header('mime-version'), '1.0');
  assert.ok(Math.abs(Date.parse(m.header('date')) - Date.now()) < 60000, m.header('date'));
  assert.equal(m.type, 'text/plain');
  assert.equal(m.param('content-type', 'charset'), 'UTF-8');
  assert.match(m.text(), /^Ratusha can send e-mail\.\r\nРатуша може да изпраща електронна поща\.\r\nRatusza może/);
  // On the wire: 7-bit, CRLF only, no line over 998 octets, no header line over 78.
  assert.ok(!/[^\x00-\x7f]/.test(msg.raw), '7-bit');
  assert.ok(!/[^\r]\n/.test(msg.raw) && !/\r[^\n]/.test(msg.raw), 'CRLF only');
  const lines = msg.raw.split('\r\n');
  assert.ok(lines.every((l) => l.length <= 998));
  const head = msg.raw.slice(0, msg.raw.indexOf('\r\n\r\n')).split('\r\n');
  assert.ok(head.every((l) => l.length <= 78), head.join('\n'));

  const audit = await admin.get('/api/v1/audit?limit=50&action=mail.test');
  const entry = audit.json.items.find((e) => e.target === `mail:${sent.id}`);
  assert.ok(entry, 'queuing a test message is audited');
  assert.equal(entry.details.to, 'ivan.petrov@example.org');
  assert.equal(entry.actor_id, me.id);
});

test('without a `to` the message goes to the caller; 422 when the caller has no address', async () => {
  assert.ok(me.email, 'the demo administrator has an e-mail address');
  const r = await admin.post('/api/v1/mail/test', {});
  assert.equal(r.status, 202, r.text);
  assert.equal(r.json.to, me.email);
  const sent = await waitFor(async () => {
    const m = await row(r.json.id);
    return m && m.status === 'sent' ? m : null;
  }, { timeout: 15000, interval: 100, what: 'sent to the caller' });
  const [msg] = await waitFor(() => { const g = mailsFor(sent.message_id); return g.length ? g : null; }, { what: 'the mail' });
  assert.equal(msg.mail.header('to'), `${me.display_name} <${me.email}>`);

  const cleared = await admin.patch(`/api/v1/people/${me.id}`, { email: null });
  assert.equal(cleared.status, 200, cleared.text);
  try {
    const none = await waitFor(async () => {
      const x = await admin.post('/api/v1/mail/test', {});
      return x.status === 422 ? x : null;
    }, { timeout: 5000, what: '422 without an address' });
    assert.equal(none.json.errors[0].field, 'to');
    assert.equal(none.json.errors[0].code, 'required');
  } finally {
    assert.equal((await admin.patch(`/api/v1/people/${me.id}`, { email: me.email })).status, 200);
  }
});

test('a message with a calendar arrives as an invitation: text/calendar; method=REQUEST and invite.ics', async () => {
  const r = await admin.post('/api/v1/mail/test', { to: 'anna.nowak@example.pl', calendar: true });
  assert.equal(r.status, 202, r.text);
  const sent = await waitFor(async () => {
    const m = await row(r.json.id);
    return m && m.status === 'sent' ? m : null;
  }, { timeout: 15000, interval: 100, what: 'the invitation sent' });
  const [msg] = await waitFor(() => { const g = mailsFor(sent.message_id); return g.length ? g : null; }, { what: 'the invitation' });
  const m = msg.mail;
  assert.equal(m.type, 'multipart/mixed');
  assert.equal(m.parts.length, 2);
  const [alt, ics] = m.parts;
  assert.equal(alt.type, 'multipart/alternative');
  assert.deepEqual(alt.parts.map((p) => p.type), ['text/plain', 'text/calendar']);
  assert.equal(alt.parts[1].param('content-type', 'method'), 'REQUEST');
  assert.equal(alt.parts[1].param('content-type', 'charset'), 'UTF-8');
  const cal = alt.parts[1].text();
  assert.match(cal, /^BEGIN:VCALENDAR\r\n/);
  assert.match(cal, /\r\nMETHOD:REQUEST\r\n/);
  assert.match(cal, /\r\nSUMMARY:Ratusha: пробна покана \/ test invitation\r\n/);
  assert.match(cal.replace(/\r\n /g, ''), /ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:anna\.nowak@example\.pl/);
  assert.ok(cal.split('\r\n').every((l) => Buffer.byteLength(l) <= 75), 'iCalendar lines folded');
  assert.equal(ics.type, 'application/ics');
  assert.equal(ics.param('content-type', 'name'), 'invite.ics');
  assert.match(ics.rawHeader('content-disposition'), /^attachment;/);
  assert.equal(ics.param('content-disposition', 'filename'), 'invite.ics');
  assert.equal(ics.text(), cal, 'the same iCalendar object');
});

test('CLI: `ratusha mail test` queues for the running server; a dedupe key queued twice is one mail', async () => {
  const key = 'it-dedupe-' + Date.now();
  const args = ['mail', 'test', '--to', 'dedupe@example.org', '--dedupe-key', key];
  const a = cli(server.database, args, smtpEnv);
  assert.equal(a.status, 0, a.stderr);
  const b = cli(server.database, args, smtpEnv);
  assert.equal(b.status, 0, b.stderr);
  const idA = a.stdout.match(/queued mail (\d+) to dedupe@example\.org/)?.[1];
  assert.ok(idA, a.stdout);
  assert.equal(b.stdout.match(/queued mail (\d+)/)?.[1], idA, 'the same outbox row');
  const sent = await waitFor(async () => {
    const m = await row(idA);
    return m && m.status === 'sent' ? m : null;
  }, { timeout: 15000, interval: 100, what: 'the deduplicated message sent' });
  assert.equal(sent.dedupe_key, key);
  await sleep(1500);
  assert.equal(sink.messages().filter((m) => m.to.includes('dedupe@example.org')).length, 1, 'one mail');
  assert.equal((await outbox()).filter((m) => m.dedupe_key === key).length, 1);

  const audit = await admin.get('/api/v1/audit?limit=50&action=mail.test');
  assert.ok(audit.json.items.some((e) => e.target === `mail:${idA}` && e.address === 'cli'));

  // The CLI with mail off says so and queues nothing.
  const off = cli(server.database, ['mail', 'test', '--to', 'nobody@example.org']);
  assert.equal(off.status, 1);
  assert.match(off.stderr, /smtp_url/);
  const bad = cli(server.database, ['mail', 'test', '--to', 'not an address'], smtpEnv);
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /to: /);
});

test('the outbox list: filters, pages, refuses unknown statuses', async () => {
  const sent = await outbox('&status=sent');
  assert.ok(sent.length >= 4, `${sent.length} sent`);
  assert.ok(sent.every((m) => m.status === 'sent'));
  assert.deepEqual(Object.keys(sent[0]).sort(),
    ['attempts', 'created_at', 'dedupe_key', 'id', 'last_error', 'message_id', 'sent_at', 'status', 'subject', 'to']);
  assert.equal((await outbox('&status=failed')).length, 0);
  const page1 = await admin.get('/api/v1/mail/outbox?limit=2');
  assert.equal(page1.json.items.length, 2);
  assert.ok(page1.json.next_cursor);
  const page2 = await admin.get(`/api/v1/mail/outbox?limit=2&cursor=${page1.json.next_cursor}`);
  assert.ok(Number(page2.json.items[0].id) < Number(page1.json.items[1].id));
  const bad = await admin.get('/api/v1/mail/outbox?status=lost');
  assert.equal(bad.status, 422);
  assert.equal(bad.json.errors[0].field, 'status');
});

test('422 for a bad address, 403 for someone who is not an administrator', async () => {
  for (const to of ['not an address', 'ivan@example.org\r\nRCPT TO:<x@example.org>', 'Иван <ivan@example.org>', 'ivan@localhost']) {
    const r = await admin.post('/api/v1/mail/test', { to });
    assert.equal(r.status, 422, `${JSON.stringify(to)}: ${r.text}`);
    assert.equal(problemSlug(r.json), 'validation');
    assert.equal(r.json.errors[0].field, 'to');
  }
  assert.equal((await admin.post('/api/v1/mail/test', { to: 'a@example.org', cc: 'b@example.org' })).status, 422);
  const p = (await admin.post('/api/v1/people', { display_name: 'Без Поща', kind: 'employee', email: 'bez.poshta@example.org' })).json;
  const c = await activate(server, p.access_code, p.activation_secret);
  const post = await c.post('/api/v1/mail/test', { to: 'x@example.org' });
  assert.equal(post.status, 403);
  assert.equal(problemSlug(post.json), 'forbidden');
  assert.equal((await c.get('/api/v1/mail/outbox')).status, 403);
  const anonymous = await fetch(server.url + '/api/v1/mail/outbox');
  assert.equal(anonymous.status, 401);
});
