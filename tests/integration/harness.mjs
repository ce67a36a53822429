// Starts the real `ratusha` binary on a free port with a temporary data directory, on SQLite or
// on a fresh database of the PostgreSQL cluster that run.mjs started. Cleans up after itself.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
    env: { ...process.env, ...database.env, ...env },
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
