// Media through real browsers (issue 5's first two speed targets), in a network namespace of
// its own like e2e 22 (media never goes over loopback):
//   1. join to first frame: a host publishes; a second person opens the call page, clicks
//      "join" and we time until their first remote video frame is decoded; BENCH_JOINS (20)
//      times, each a fresh page. Target: p95 < 2 s.
//   2. one room with BENCH_PUBLISHERS (10) people publishing fake camera and microphone and
//      BENCH_WATCHERS (10) watching (no devices): Janus's and Ratusha's CPU and memory over
//      BENCH_SECONDS (20), and the bitrate each watcher receives.
// Prints one JSON object on stdout. Needs root (for the namespace), Janus and Chromium.
//
//   RATUSHA_BIN=build/ratusha node bench/media_room.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import {
  activate, activateAdministrator, apiCall, createColleague, launchBrowser, openPage, startServer,
} from '../tests/e2e/harness.mjs';
import { runInNamespace } from '../tests/e2e/netns.mjs';

const IFACE = process.env.RATUSHA_MEDIA_IFACE;
const JOINS = Number(process.env.BENCH_JOINS || 20);
const PUBLISHERS = Number(process.env.BENCH_PUBLISHERS || 10);
const WATCHERS = Number(process.env.BENCH_WATCHERS || 10);
const SECONDS = Number(process.env.BENCH_SECONDS || 20);

if (!IFACE) {
  const run = await runInNamespace(fileURLToPath(import.meta.url), {}, { test: false });
  if (!run) {
    console.error('no network namespace and no non-loopback interface: skipped');
    process.exit(2);
  }
  process.stderr.write(`[media_room] ran in ${run.where}\n`);
  const json = run.output.split('\n').find((l) => l.startsWith('{"'));
  if (run.code !== 0 || !json) {
    console.error(run.output.slice(-5000));
    process.exit(1);
  }
  console.log(json);
  process.exit(0);
}

const log = (...a) => process.stderr.write(`[media_room ${new Date().toISOString().slice(11, 19)}] ${a.join(' ')}\n`);
// A small camera picture (320×180, 15 fps) and a tone, so that twenty pages on two cores can
// still encode and decode what they should: the load is on Janus, not on Chromium.
const fakeDir = mkdtempSync(`${tmpdir()}/ratusha-fake-`);
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'testsrc=size=320x180:rate=15', '-t', '10', '-pix_fmt', 'yuv420p', `${fakeDir}/camera.y4m`]);
execFileSync('ffmpeg', ['-v', 'error', '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=48000', '-t', '10', `${fakeDir}/voice.wav`]);
const FAKE = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
  `--use-file-for-fake-video-capture=${fakeDir}/camera.y4m`, `--use-file-for-fake-audio-capture=${fakeDir}/voice.wav`];
const server = await startServer({ env: { RATUSHA_JANUS: 'local', RATUSHA_JANUS_ICE_INTERFACES: IFACE, RATUSHA_LOG_LEVEL: 'warn' } });
const browser = await launchBrowser({ args: FAKE });
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] : null;
};
const state = (page) => page.evaluate(() => window.__ratushaMedia?.state ?? null);
const inbound = (page) =>
  page.evaluate(async () => {
    const pc = window.__ratushaMedia?.subscriber;
    const out = { frames: 0, bytes: 0, videos: 0 };
    if (!pc) return out;
    for (const r of (await pc.getStats()).values()) {
      if (r.type !== 'inbound-rtp') continue;
      out.bytes += r.bytesReceived ?? 0;
      if (r.kind === 'video') { out.frames += r.framesDecoded ?? 0; if ((r.framesDecoded ?? 0) > 0) out.videos += 1; }
    }
    return out;
  });
async function until(fn, what, timeout = 30_000, every = 20) {
  const end = Date.now() + timeout;
  while (Date.now() < end) {
    const v = await fn();
    if (v) return v;
    await new Promise((r) => setTimeout(r, every));
  }
  throw new Error(`${what}: not within ${timeout} ms`);
}
const TICKS = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const cpuMs = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1000) / TICKS;
};
const rssMiB = (pid) => Math.round(Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);

try {
  const { page: host } = await openPage(browser);
  await activateAdministrator(host, server);
  const room = (await apiCall(host, 'GET', '/rooms')).json.items.find((r) => r.kind === 'personal');
  const people = [];
  for (let i = 0; i < Math.max(1, PUBLISHERS + WATCHERS - 1); i++) people.push(await createColleague(host, `Участник ${i + 1}`));
  const start = new Date();
  start.setUTCSeconds(0, 0);
  await apiCall(host, 'POST', '/meetings', {
    title: 'Замерване', start: start.toISOString().slice(0, 16), duration: 7200, time_zone: 'UTC',
    invitees: people.map((p) => ({ kind: 'person', id: p.id })),
  });
  const open = async (person, { devices = true } = {}) => {
    const b = devices ? browser : await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts', '--autoplay-policy=no-user-gesture-required'] });
    const { page } = await openPage(b);
    await activate(page, server.baseUrl, { accessCode: person.accessCode, activationSecret: person.activationSecret });
    return { page, browser: b };
  };
  const call = `${server.baseUrl}/rooms/${room.id}/call`;
  await host.goto(call);
  await host.locator('#media-join').click();
  await until(async () => (await state(host)) === 'joined', 'the host joined');

  // 1. join to first remote frame
  log(`${JOINS} joins, each timed from the click to the first remote frame`);
  const joiner = (await open(people[0])).page;
  const times = [];
  for (let i = 0; i < JOINS; i++) {
    await joiner.goto(call);
    await joiner.locator('#media-join').waitFor();
    const t0 = Date.now();
    await joiner.locator('#media-join').click();
    await until(async () => (await inbound(joiner)).frames > 0, `first frame, join ${i + 1}`, 20_000, 10);
    times.push(Date.now() - t0);
    await joiner.locator('#media-leave').click();
    await until(async () => (await state(joiner)) === 'left', 'left', 10_000);
  }
  log(`join → first frame: p50 ${pct(times, 50)} ms, p95 ${pct(times, 95)} ms, max ${Math.max(...times)} ms`);

  // 2. one room: publishers and watchers
  log(`${PUBLISHERS} publishers (the host among them) and ${WATCHERS} watchers`);
  // The person timed above publishes too; then the others.
  await joiner.goto(call);
  await joiner.locator('#media-join').click();
  for (let i = 1; i < PUBLISHERS - 1; i++) {
    const { page } = await open(people[i]);
    await page.goto(call);
    await page.locator('#media-join').click();
  }
  const watchers = [];
  for (let i = 0; i < WATCHERS; i++) {
    const w = await open(people[PUBLISHERS - 1 + i], { devices: false });
    await w.page.goto(call);
    await w.page.locator('#media-join').click();
    watchers.push(w);
  }
  await until(async () => {
    for (const w of watchers) if ((await inbound(w.page)).videos < PUBLISHERS) return false;
    return true;
  }, `every watcher receives ${PUBLISHERS} videos`, 120_000, 500);
  const janus = Number(execFileSync('pgrep', ['-f', `janus -F ${server.dataDir}/janus`], { encoding: 'utf8' }).trim().split('\n')[0]);
  const ratusha = Number(execFileSync('pgrep', ['-f', `serve --data-dir ${server.dataDir}`], { encoding: 'utf8' }).trim().split('\n')[0]);
  const before = await Promise.all(watchers.map((w) => inbound(w.page)));
  const j0 = cpuMs(janus), r0 = cpuMs(ratusha), t0 = Date.now();
  // What Janus sends each subscriber connection, as the status page shows it, every 5 s.
  const sent = [];
  let sent_publish = 0, samples = 0;
  while (Date.now() - t0 < SECONDS * 1000) {
    await new Promise((r) => setTimeout(r, 5000));
    const st = (await apiCall(host, 'GET', '/media/status')).json.instances[0];
    for (const c of st.connections) if (c.kind === 'subscriber') sent.push(c.out_kbps);
    sent_publish += st.in_kbps;
    samples += 1;
  }
  const after = await Promise.all(watchers.map((w) => inbound(w.page)));
  const elapsed = (Date.now() - t0) / 1000;
  // Frames per second per video at the watchers (a page that reconnected meanwhile is left out).
  const fps = after
    .map((a, i) => (a.frames >= before[i].frames ? (a.frames - before[i].frames) / elapsed / PUBLISHERS : null))
    .filter((x) => x !== null)
    .map((x) => Math.round(x * 10) / 10);
  const result = {
    joins: JOINS,
    join_first_frame_ms: { p50: pct(times, 50), p95: pct(times, 95), max: Math.max(...times) },
    room: {
      publishers: PUBLISHERS, watchers: WATCHERS, seconds: Math.round(elapsed),
      janus_cpu_percent: Math.round(((cpuMs(janus) - j0) / (elapsed * 1000)) * 100),
      ratusha_cpu_percent: Math.round(((cpuMs(ratusha) - r0) / (elapsed * 1000)) * 100),
      janus_rss_mib: rssMiB(janus), ratusha_rss_mib: rssMiB(ratusha),
      janus_receives_kbps: Math.round(sent_publish / samples),
      subscriber_kbps: { min: Math.min(...sent), median: pct(sent, 50), max: Math.max(...sent) },
      watcher_fps_per_video: { min: Math.min(...fps), median: pct(fps, 50) },
    },
  };
  log(JSON.stringify(result.room));
  console.log(JSON.stringify(result));
  for (const w of watchers) await w.browser.close();
} finally {
  await browser.close();
  await server.stop();
  rmSync(fakeDir, { recursive: true, force: true });
}
