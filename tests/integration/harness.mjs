// Starts the real `ratusha` binary on a free port with a temporary data directory, on SQLite or
// on a fresh database of the PostgreSQL cluster that run.mjs started. Cleans up after itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, readdirSync, readFileSync } from 'node:fs';
import { createServer, createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes, createHmac } from 'node:crypto';
import { after } from 'node:test';
import WebSocket from 'ws';

export const BIN = process.env.RATUSHA_BIN;
export const DB = process.env.RATUSHA_TEST_DB || 'sqlite';
if (!BIN) throw new Error('RATUSHA_BIN is not set');

const started = [];
after(async () => {
  for (const s of started.reverse()) await s.stop();
});

// A fresh database: a directory for SQLite, a new database in the test cluster for PostgreSQL.
export function newDatabase() {
  const dir = mkdtempSync(join(tmpdir(), 'ratusha-it-'));
  const env = { RATUSHA_DATA_DIR: dir };
  if (DB === 'postgresql') {
    const admin = process.env.RATUSHA_TEST_PG_ADMIN_URL;
    if (!admin) throw new Error('RATUSHA_TEST_PG_ADMIN_URL is not set (run through run.mjs)');
    const name = 'rt_' + randomBytes(6).toString('hex');
    const r = spawnSync('psql', [admin, '-v', 'ON_ERROR_STOP=1', '-qc', `CREATE DATABASE ${name}`]);
    if (r.status !== 0) throw new Error('createdb failed: ' + r.stderr);
    env.RATUSHA_DATABASE_URL = admin.replace(/\/[^/?]*(\?|$)/, `/${name}$1`);
  }
  return { dir, env, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export function cli(database, args, extraEnv = {}) {
  const r = spawnSync(BIN, args, {
    env: { ...process.env, ...database.env, ...extraEnv },
    encoding: 'utf8',
    timeout: 60000,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

// Runs SQL against the test database (for tampering tests), through sqlite3 or psql.
export function sql(database, statement) {
  const r = DB === 'postgresql'
    ? spawnSync('psql', [database.env.RATUSHA_DATABASE_URL, '-v', 'ON_ERROR_STOP=1', '-qAtc', statement], { encoding: 'utf8' })
    : spawnSync('sqlite3', ['-cmd', '.timeout 5000', join(database.dir, 'ratusha.db'), statement], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error('sql failed: ' + r.stderr);
  return r.stdout.trim();
}

export async function startServer({ database, env = {}, demo = true } = {}) {
  database = database || newDatabase();
  let admin = null;
  if (demo) {
    const r = cli(database, ['demo', '--json', '--locale', 'bg']);
    if (r.status !== 0) throw new Error('demo failed: ' + r.stderr);
    admin = JSON.parse(r.stdout).administrator;
  }
  const proc = spawn(BIN, ['serve', '--listen', '127.0.0.1:0'], {
    // Janus only where a test asks for it (RATUSHA_JANUS: 'local').
    env: { ...process.env, RATUSHA_JANUS: 'off', ...database.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; if (stderr.length > 200000) stderr = stderr.slice(-100000); });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + stderr)), 20000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/listening on (http\S+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}: ${stderr}`)); });
  });
  const server = {
    url, proc, admin, database,
    stderr: () => stderr,
    exited: new Promise((resolve) => proc.on('exit', (code, signal) => resolve({ code, signal }))),
    async stop(signal = 'SIGTERM') {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      const r = await server.exited;
      return r;
    },
  };
  started.push({ stop: async () => { await server.stop(); if (!database.keep) database.cleanup(); } });
  return server;
}

// A person's HTTP client: keeps the session cookie and sends the CSRF token on changes.
export class Client {
  constructor(base) { this.base = base; this.cookie = null; this.csrf = null; this.headers = {}; }
  async req(method, path, body, { headers = {}, raw = false } = {}) {
    const h = { ...this.headers, ...headers };
    if (this.cookie) h.cookie = this.cookie;
    if (this.csrf && method !== 'GET') h['x-csrf-token'] = this.csrf;
    let payload = body;
    if (body !== undefined && typeof body !== 'string' && !(body instanceof Uint8Array)) {
      payload = JSON.stringify(body);
      h['content-type'] ??= 'application/json';
    }
    const res = await fetch(this.base + path, { method, headers: h, body: payload, redirect: 'manual' });
    const setCookie = res.headers.get('set-cookie');
    if (setCookie) {
      const pair = setCookie.split(';')[0];
      this.cookie = pair.endsWith('=') ? null : pair;
    }
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { json = null; }
    if (json && json.csrf_token) this.csrf = json.csrf_token;
    return raw ? { res, text, json } : { status: res.status, json, text, headers: res.headers };
  }
  get(p, o) { return this.req('GET', p, undefined, o); }
  post(p, b, o) { return this.req('POST', p, b ?? {}, o); }
  patch(p, b, o) { return this.req('PATCH', p, b, o); }
  del(p, b, o) { return this.req('DELETE', p, b, o); }
}

export const GOOD_PASSWORD = 'липа над реката 7';

export async function activate(server, code, secret, password = GOOD_PASSWORD) {
  const c = new Client(server.url);
  const r = await c.post('/api/v1/activation', { access_code: code, activation_secret: secret, password });
  if (r.status !== 200) throw new Error('activation failed: ' + r.text);
  return c;
}

export async function adminClient(server) {
  return activate(server, server.admin.access_code, server.admin.activation_secret);
}

// RFC 6238 code from a base32 secret, for enrolling TOTP in tests.
export function totp(secretB32, time = Date.now() / 1000) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const ch of secretB32.replace(/=+$/, '')) bits += alphabet.indexOf(ch).toString(2).padStart(5, '0');
  const bytes = Buffer.alloc(Math.floor(bits.length / 8));
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(bits.slice(i * 8, i * 8 + 8), 2);
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(Math.floor(time / 30)));
  const h = createHmac('sha1', bytes).update(counter).digest();
  const o = h[19] & 0xf;
  const n = ((h[o] & 0x7f) << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3];
  return String(n % 1000000).padStart(6, '0');
}

export function problemSlug(json) {
  return json && typeof json.type === 'string' ? json.type.split('/').pop() : null;
}

// Polls `fn` until it returns a truthy value (which is returned) or `timeout` ms pass (throws).
export async function waitFor(fn, { timeout = 10000, interval = 50, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeout} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, interval));
  }
}

// ---------------------------------------------------------------- WebSocket

const sockets = [];
process.on('exit', () => { for (const s of sockets) s.terminate(); });

// Opens a WebSocket; resolves with a small wrapper once open, or with {refused: status}.
export function connect(srv, cookie, { origin = srv.url } = {}) {
  const headers = {};
  if (cookie) headers.cookie = cookie;
  if (origin) headers.origin = origin;
  const ws = new WebSocket(srv.url.replace(/^http/, 'ws') + '/api/v1/ws', { headers });
  sockets.push(ws);
  const messages = [];
  const waiters = [];
  let closed = null;
  const closedWaiters = [];
  ws.on('message', (data) => {
    const m = JSON.parse(String(data));
    messages.push(m);
    for (const w of [...waiters]) if (w.pred(m)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(m); }
  });
  ws.on('close', (code, reason) => { closed = { code, reason: String(reason) }; for (const w of closedWaiters) w(closed); });
  ws.on('error', () => {});
  const sock = {
    ws, messages,
    send: (obj) => ws.send(typeof obj === 'string' ? obj : JSON.stringify(obj)),
    next(pred, ms = 5000, what = 'a message') {
      const found = messages.find(pred);
      if (found) { messages.splice(messages.indexOf(found), 1); return Promise.resolve(found); }
      return new Promise((resolve, reject) => {
        const w = { pred, resolve: (m) => { clearTimeout(t); messages.splice(messages.indexOf(m), 1); resolve(m); } };
        const t = setTimeout(() => { waiters.splice(waiters.indexOf(w), 1); reject(new Error(`no ${what} within ${ms} ms; got ${JSON.stringify(messages)}`)); }, ms);
        waiters.push(w);
      });
    },
    closed(ms = 5000) {
      if (closed) return Promise.resolve(closed);
      return new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error(`not closed within ${ms} ms`)), ms);
        closedWaiters.push((c) => { clearTimeout(t); resolve(c); });
      });
    },
    isOpen: () => ws.readyState === WebSocket.OPEN,
  };
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('WebSocket neither opened nor was refused')), 10000);
    ws.on('open', () => { clearTimeout(t); resolve(sock); });
    ws.on('unexpected-response', (req, res) => { clearTimeout(t); res.resume(); ws.terminate(); resolve({ refused: res.statusCode }); });
  });
}

// ---------------------------------------------------------------- SMTP

// A free TCP port on 127.0.0.1 (for a sink that starts later than the server that uses it).
export function freePort() {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
  });
}

function accepts(port) {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port }, () => { c.destroy(); resolve(true); });
    c.on('error', () => resolve(false));
  });
}

// An SMTP server on 127.0.0.1 that keeps every message it receives: Debian's aiosmtpd with
// our handler (smtp_sink.py). Returns {url, port, messages(), stop()}; messages() are
// {from, to: [..], raw, mail} in arrival order, `mail` parsed by parseMail. Stopped (by pid)
// at the end of the test file, or earlier with stop(); a sink may later start on the same port.
export async function startSmtpSink({ port } = {}) {
  port = port || await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ratusha-smtp-'));
  const here = dirname(fileURLToPath(import.meta.url));
  const proc = spawn('/usr/bin/python3', ['-m', 'aiosmtpd', '-n', '-l', `127.0.0.1:${port}`, '-c', 'smtp_sink.Sink', dir], {
    env: { ...process.env, PYTHONPATH: here, PYTHONDONTWRITEBYTECODE: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  proc.stderr.on('data', (d) => { stderr += d; });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  let stopped = false;
  const sink = {
    url: `smtp://127.0.0.1:${port}`, port, dir, pid: proc.pid,
    messages() {
      return readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((f) => {
        const r = JSON.parse(readFileSync(join(dir, f), 'utf8'));
        const raw = Buffer.from(r.data_b64, 'base64').toString('latin1');
        return { from: r.mail_from, to: r.rcpt_tos, raw, mail: parseMail(raw) };
      });
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (proc.exitCode === null && proc.signalCode === null) process.kill(proc.pid, 'SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
  started.push({ stop: () => sink.stop() });
  await waitFor(async () => {
    if (proc.exitCode !== null) throw new Error('the SMTP sink stopped: ' + stderr);
    return accepts(port);
  }, { timeout: 15000, interval: 100, what: 'the SMTP sink' });
  return sink;
}

// RFC 2047 encoded words (B and Q) in an unfolded header value, as UTF-8 text.
export function decodeWords(value) {
  return value.replace(/\r\n[ \t]/g, ' ')
    .replace(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)\s+(?==\?)/g, '$1')
    .replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, charset, enc, text) => {
      const bytes = /b/i.test(enc)
        ? Buffer.from(text, 'base64')
        : Buffer.from(text.replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      return new TextDecoder(charset).decode(bytes);
    });
}

// A MIME entity from its raw text (latin1: one character per octet): {headers: {name: [raw
// values]}, header(name) (unfolded, encoded words decoded), param(header, name), type (lower
// case, no parameters), body (raw), bytes() (decoded Buffer), text() (decoded UTF-8), parts}.
export function parseMail(raw) {
  const split = raw.indexOf('\r\n\r\n');
  const head = split < 0 ? raw : raw.slice(0, split);
  const body = split < 0 ? '' : raw.slice(split + 4);
  const headers = {};
  let last = null;
  for (const line of head.split('\r\n')) {
    if (/^[ \t]/.test(line) && last) { last.push(last.pop() + '\r\n' + line); continue; }
    const i = line.indexOf(':');
    const name = line.slice(0, i).toLowerCase();
    (headers[name] ??= []).push(line.slice(i + 1).replace(/^ /, ''));
    last = headers[name];
  }
  const e = {
    headers, body,
    rawHeader: (name) => headers[name.toLowerCase()]?.[0],
    header(name) {
      const v = e.rawHeader(name);
      return v === undefined ? undefined : decodeWords(v);
    },
    param(name, p) {
      const v = (e.rawHeader(name) || '').replace(/\r\n[ \t]/g, ' ');
      const m = v.match(new RegExp(`;\\s*${p}="([^"]*)"`, 'i')) || v.match(new RegExp(`;\\s*${p}=([^;\\s]+)`, 'i'));
      return m ? m[1] : undefined;
    },
    bytes() {
      const cte = (e.rawHeader('content-transfer-encoding') || '7bit').toLowerCase();
      if (cte === 'base64') return Buffer.from(body.replace(/\s+/g, ''), 'base64');
      if (cte === 'quoted-printable') {
        return Buffer.from(body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
      }
      return Buffer.from(body, 'latin1');
    },
    text() { return e.bytes().toString('utf8'); },
    parts: [],
  };
  e.type = (e.rawHeader('content-type') || 'text/plain').split(';')[0].trim().toLowerCase();
  if (e.type.startsWith('multipart/')) {
    const delim = '--' + e.param('content-type', 'boundary');
    const chunks = ('\r\n' + body).split('\r\n' + delim);
    for (const c of chunks.slice(1)) {
      if (c.startsWith('--')) break;
      e.parts.push(parseMail(c.replace(/^[ \t]*\r\n/, '')));
    }
  }
  return e;
}
