// Browser-test harness: starts a real `ratusha` (demo data, temp dir, free port), drives
// Debian's Chromium through playwright-core, and checks every page with axe-core.
//
//   RATUSHA_BIN=build/ratusha node --test tests/e2e/
//
// Each test file calls useServerAndBrowser() once: one server and one browser for the whole
// file, stopped at the end; every person gets a fresh browser context.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before } from 'node:test';
import { fileURLToPath } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium } from 'playwright-core';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const WEB_DIST = path.join(REPO, 'web', 'dist');
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 360, height: 740 };
export const PASSWORD = 'Correct horse battery staple 42';

/** The UI's own dictionaries: tests find things by the words a person reads. */
export const dict = Object.fromEntries(
  ['bg', 'pl', 'en'].map((l) => [
    l,
    JSON.parse(readFileSync(path.join(REPO, 'web', 'src', 'i18n', `${l}.json`), 'utf8')),
  ]),
);
export const bg = dict.bg;

// ---------------------------------------------------------------- server

function runToEnd(bin, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(out);
      else reject(new Error(`${path.basename(bin)} ${args.join(' ')} exited ${code}\n${err}${out}`));
    });
  });
}

function parseDemo(stdout) {
  const text = stdout.trim();
  try {
    return JSON.parse(text);
  } catch {
    // Tolerate log lines around the object.
    const start = text.indexOf('{');
    const end = text.lastIndexOf('}');
    if (start >= 0 && end > start) return JSON.parse(text.slice(start, end + 1));
    throw new Error(`demo printed no JSON object:\n${stdout}`);
  }
}

/**
 * Creates a temp data dir with the demo municipality and starts `ratusha serve` on a free
 * port; `env` adds variables to the server's environment (e.g. RATUSHA_IDLE_TIMEOUT).
 * Returns { baseUrl, demo, stop(), log() }.
 */
export async function startServer({ env = {} } = {}) {
  const bin = process.env.RATUSHA_BIN;
  assert.ok(bin, 'set RATUSHA_BIN to the ratusha server binary');
  assert.ok(existsSync(path.join(WEB_DIST, 'index.html')), 'web/dist is missing: run `npm run build` first');
  const dataDir = await mkdtemp(path.join(tmpdir(), 'ratusha-e2e-'));
  let proc = null;
  let output = '';
  const stop = async () => {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      const timer = setTimeout(() => proc.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    }
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    const demo = parseDemo(
      await runToEnd(bin, ['demo', '--data-dir', dataDir, '--locale', 'bg', '--json']),
    );
    assert.ok(demo.administrator?.access_code, 'demo JSON has administrator.access_code');
    assert.ok(demo.administrator?.activation_secret, 'demo JSON has administrator.activation_secret');

    proc = spawn(
      bin,
      ['serve', '--data-dir', dataDir, '--listen', '127.0.0.1:0', '--web-dir', WEB_DIST],
      // Janus only where a test asks for it (RATUSHA_JANUS: 'local').
      { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RATUSHA_JANUS: 'off', ...env } },
    );
    const baseUrl = await new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`no "listening on" line within 20 s:\n${output}`)),
        20_000,
      );
      const onData = (chunk) => {
        output += chunk;
        const match = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(output);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]);
        }
      };
      proc.stdout.on('data', onData);
      proc.stderr.on('data', (chunk) => (output += chunk));
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        reject(new Error(`ratusha serve exited (${code ?? signal}) before listening:\n${output}`));
      });
    });
    // Keep reading so the pipes never fill up; the tail helps when a test fails.
    proc.stdout.on('data', (chunk) => (output = (output + chunk).slice(-20_000)));
    return { baseUrl, demo, dataDir, stop, log: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

// ---------------------------------------------------------------- browser

/** `args`: more Chromium flags (the media test's fake camera and microphone). */
export async function launchBrowser({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...args,
    ],
  });
}

/**
 * Starts a server (`startServer(options)`) and a browser before the file's tests and closes
 * both after them. Returns `{ server, browser }`, filled in once `before` has run.
 */
export function useServerAndBrowser(options = {}) {
  const setup = { server: null, browser: null };
  before(async () => {
    setup.server = await startServer(options);
    setup.browser = await launchBrowser(options.browser);
  });
  after(async () => {
    await setup.browser?.close();
    await setup.server?.stop();
  });
  return setup;
}

/**
 * A fresh context (one person) and a page that records script errors and CSP violations;
 * call `page.assertClean()` at the end of the test. `touch: true` emulates a phone's touch screen.
 */
export async function openPage(browser, { viewport = DESKTOP, touch = false } = {}) {
  const context = await browser.newContext({ viewport, locale: 'bg-BG', timezoneId: 'Europe/Sofia', hasTouch: touch, isMobile: touch });
  // Generous: only to catch hangs (the machine may be busy compiling next to the tests).
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) {
      problems.push(`CSP: ${message.text()}`);
    }
  });
  page.assertClean = () => assert.deepEqual(problems, [], 'no script errors or CSP violations');
  return { context, page };
}

const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Runs axe-core on the page as it is now; fails listing every violation. */
export async function expectAccessible(page, label) {
  const results = await new AxeBuilder({ page }).withTags(AXE_TAGS).analyze();
  if (results.violations.length) {
    const lines = [];
    for (const v of results.violations) {
      lines.push(`[${v.impact}] ${v.id}: ${v.help} (${v.helpUrl})`);
      for (const node of v.nodes) lines.push(`    ${node.target.join(' ')} — ${node.failureSummary?.replace(/\n/g, ' ')}`);
    }
    console.error(`axe violations on ${label} (${page.url()}):\n${lines.join('\n')}`);
  }
  assert.equal(results.violations.length, 0, `axe: ${label} has ${results.violations.length} violation(s)`);
}

/** Waits until the URL path is `pathname`. */
export async function waitForPath(page, pathname) {
  await page.waitForURL((url) => url.pathname === pathname);
}

export async function htmlLang(page) {
  return page.evaluate(() => document.documentElement.lang);
}

// ---------------------------------------------------------------- TOTP (RFC 6238)

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

export function base32Decode(text) {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '');
  let bits = 0;
  let value = 0;
  const out = [];
  for (const ch of clean) {
    const index = BASE32.indexOf(ch);
    if (index < 0) throw new Error(`not base32: ${ch}`);
    value = (value << 5) | index;
    bits += 5;
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP for `secret` (base32) at time `ms` (HMAC-SHA1, 30 s step). */
export function totp(secret, ms = Date.now(), step = 30, digits = 6) {
  const counter = Math.floor(ms / 1000 / step);
  const message = Buffer.alloc(8);
  message.writeBigUInt64BE(BigInt(counter));
  const mac = createHmac('sha1', base32Decode(secret)).update(message).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits;
  return String(binary).padStart(digits, '0');
}

/** A 6-digit code that is valid in none of the steps around now. */
export function wrongTotp(secret) {
  const now = Date.now();
  const valid = new Set([-2, -1, 0, 1, 2].map((k) => totp(secret, now + k * 30_000)));
  for (let n = 100000; ; n += 7919) {
    const candidate = String(n % 1_000_000).padStart(6, '0');
    if (!valid.has(candidate)) return candidate;
  }
}

/**
 * A current code that was not used before (servers refuse a code twice): when the current
 * time step's code is in `used`, wait for the next step to begin.
 */
export async function freshTotp(secret, used) {
  for (;;) {
    const code = totp(secret);
    if (!used.has(code)) {
      used.add(code);
      return code;
    }
    const untilNextStep = 30_000 - (Date.now() % 30_000) + 250;
    await new Promise((resolve) => setTimeout(resolve, untilNextStep));
  }
}

// ---------------------------------------------------------------- flows

/**
 * Activates a person on /activate with code + secret + PASSWORD. When the server offers
 * two-step verification: enrols if it is required (then the app goes straight to the set-up,
 * with no way to skip it) or `enrol` is true, else skips.
 * Returns { totpSecret, recoveryCodes, usedCodes, totpRequired }.
 */
export async function activate(page, baseUrl, { accessCode, activationSecret, enrol = false, check = null }) {
  await page.goto(`${baseUrl}/activate`);
  await page.locator('#act-code').fill(accessCode);
  await page.locator('#act-secret').fill(activationSecret);
  await page.locator('#act-password').fill(PASSWORD);
  await page.locator('#act-repeat').fill(PASSWORD);
  if (check) await check('activation form');
  await page.getByRole('button', { name: bg['activate.submit'] }).click();
  const offered = page.getByRole('heading', { level: 1, name: bg['activate.done_title'] });
  const required = page.getByRole('heading', { level: 1, name: bg['totp.required_title'] });
  await offered.or(required).waitFor();
  const totpRequired = (await required.count()) > 0;
  const usedCodes = new Set();
  if (totpRequired) {
    assert.equal(await page.getByRole('button', { name: bg['totp.offer_skip'] }).count(), 0, 'no way to skip');
  } else {
    if (check) await check('activation done, two-step offer');
    if (!enrol) {
      await page.getByRole('button', { name: bg['totp.offer_skip'] }).click();
      await waitForPath(page, '/');
      return { totpSecret: null, recoveryCodes: [], usedCodes, totpRequired };
    }
    await page.getByRole('button', { name: bg['totp.offer_enrol'] }).click();
  }
  const secretBox = page.locator('#totp-secret');
  await secretBox.waitFor();
  const totpSecret = (await secretBox.textContent()).replace(/\s+/g, '');
  assert.match(totpSecret, /^[A-Z2-7]+=*$/, 'the TOTP secret is shown in base32');
  const qr = page.getByRole('img', { name: bg['totp.qr_alt'] });
  assert.match(await qr.getAttribute('src'), /^data:image\/svg\+xml;base64,/, 'QR code as a data: image');
  if (check) await check('TOTP enrolment');
  await page.locator('#totp-confirm-code').fill(await freshTotp(totpSecret, usedCodes));
  await page.getByRole('button', { name: bg['totp.confirm'] }).click();
  const list = page.getByTestId('recovery-codes');
  await list.waitFor();
  const recoveryCodes = (await list.locator('li').allTextContents()).map((s) => s.trim());
  assert.equal(recoveryCodes.length, 10, 'ten recovery codes are shown');
  if (check) await check('recovery codes');
  await page.getByRole('button', { name: bg['totp.recovery_done'] }).click();
  await waitForPath(page, '/');
  return { totpSecret, recoveryCodes, usedCodes, totpRequired };
}

/** `activate()` for the demo administrator of `server` (from `startServer`). */
export function activateAdministrator(page, server, options = {}) {
  const { access_code: accessCode, activation_secret: activationSecret } = server.demo.administrator;
  return activate(page, server.baseUrl, { accessCode, activationSecret, ...options });
}

/**
 * Activates a person through the API alone (no browser), so that a test can start from the
 * login page. Returns the Session.
 */
export async function activateByApi(baseUrl, accessCode, activationSecret) {
  const response = await fetch(`${baseUrl}/api/v1/activation`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ access_code: accessCode, activation_secret: activationSecret, password: PASSWORD }),
  });
  assert.equal(response.status, 200, `activation of ${accessCode}: ${await response.clone().text()}`);
  const session = await response.json();
  session.cookie = response.headers.get('set-cookie')?.split(';')[0];
  return session;
}

/** The JSON of an apiCall answer that must have succeeded (`what` names it when it did not). */
export async function okJson(answer, what) {
  assert.ok(answer.status >= 200 && answer.status < 300, `${what}: ${answer.status} ${answer.body}`);
  return answer.json;
}

/** Logs in on /login; with a TOTP secret, answers the second step. */
export async function login(page, baseUrl, accessCode, { totpSecret = null, usedCodes = new Set() } = {}) {
  await page.goto(`${baseUrl}/login`);
  await page.locator('#login-code').fill(accessCode);
  await page.locator('#login-password').fill(PASSWORD);
  await page.getByRole('button', { name: bg['login.submit'] }).click();
  if (totpSecret) {
    await page.locator('#login-totp').waitFor();
    await page.locator('#login-totp').fill(await freshTotp(totpSecret, usedCodes));
    await page.getByRole('button', { name: bg['login.submit'] }).click();
  }
  await waitForPath(page, '/');
  await page.getByRole('heading', { level: 1, name: bg['dashboard.title'] }).waitFor();
}

// ---------------------------------------------------------------- API from a page

/** Calls the API with the page's session (and its CSRF token for changes): {status, body, json}. */
export async function apiCall(page, method, path, body) {
  const answer = await page.evaluate(
    async ({ method, path, body }) => {
      const session = await (await fetch('/api/v1/session')).json();
      const r = await fetch(`/api/v1${path}`, {
        method,
        headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': session.csrf_token },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: r.status, body: await r.text() };
    },
    { method, path, body },
  );
  let json = null;
  try {
    json = answer.body ? JSON.parse(answer.body) : null;
  } catch {
    // not JSON (a calendar, an empty answer): the text is in `body`
  }
  return { ...answer, json };
}

/** An employee of a department, made by the administrator on `page`: {id, accessCode, activationSecret, unitName}. */
export async function createColleague(page, displayName) {
  const units = (await apiCall(page, 'GET', '/units')).json.items;
  const unit = units.find((u) => u.kind === 'department') ?? units[0];
  const answer = await apiCall(page, 'POST', '/people', {
    display_name: displayName,
    kind: 'employee',
    unit_id: unit.id,
    roles: [{ role: 'employee' }],
    locale: 'bg',
  });
  assert.equal(answer.status, 201, `POST /people: ${answer.body}`);
  const { person, access_code: accessCode, activation_secret: activationSecret } = answer.json;
  return { id: person.id, accessCode, activationSecret, unitName: person.unit_name };
}

/** A dictionary message with its `{name}` parameters put in. */
export const fill = (text, params = {}) => text.replace(/\{(\w+)\}/g, (whole, key) => (key in params ? String(params[key]) : whole));
/** Text matched literally inside a regular expression. */
export const escapeRe = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** How wide the page's content is (more than the viewport: it scrolls sideways). */
export const scrollWidth = (page) => page.evaluate(() => document.scrollingElement.scrollWidth);
/** The name of the bell in the header with `count` unread notifications (Bulgarian). */
export const bellName = (count) =>
  count === 0 ? bg['notifications.bell_none'] : fill(bg[count === 1 ? 'notifications.bell.one' : 'notifications.bell.other'], { count });

/**
 * The page at phone width, in whatever language it shows: the menu button appears, nothing
 * scrolls sideways, axe-core finds nothing; then back to the desktop width.
 */
export async function onPhone(page, label) {
  await page.setViewportSize(PHONE);
  await page.getByRole('button', { name: dict[await page.evaluate(() => document.documentElement.lang)]['layout.menu'] }).waitFor();
  const width = await scrollWidth(page);
  assert.ok(width <= PHONE.width, `${label} fits ${PHONE.width} px (scrollWidth ${width})`);
  await expectAccessible(page, `${label} (phone)`);
  await page.setViewportSize(DESKTOP);
}
