// Video and audio end to end with real parts: Ratusha starts its Janus, two Chromium pages with
// fake camera and microphone join the administrator's personal room (the guest, invited to a
// meeting there, on a phone), and each receives the other's video (framesDecoded growing) and
// audio (packets arriving). The host mutes the guest from the participants panel: the guest's
// audio stops arriving at the host and the guest is told. Someone whose browser may not use the
// camera and microphone still joins and watches. Janus killed with SIGKILL: restarted by the
// server, both pages reconnect by themselves and media flows again. axe-core on the pre-join
// screen and in the meeting, on the desktop and the phone.
//
// Media never goes over loopback: the file runs itself again inside a network namespace with a
// veth pair (tests/e2e/netns.mjs), where Janus, the server and Chromium all live.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  activate, activateAdministrator, apiCall, bg, createColleague, expectAccessible, launchBrowser, okJson, openPage, PASSWORD, PHONE, useServerAndBrowser,
} from './harness.mjs';
import { runInNamespace } from './netns.mjs';

const IFACE = process.env.RATUSHA_MEDIA_IFACE;

if (!IFACE) {
  test('media in a network namespace of its own', { timeout: 300_000 }, async (t) => {
    const run = await runInNamespace(fileURLToPath(import.meta.url));
    if (!run) return t.skip('no network namespace (not root) and no non-loopback interface');
    // The timings the inner run measured (join to first remote frame), for the log.
    for (const line of run.output.split('\n')) if (line.includes('media-timing')) t.diagnostic(line.trim());
    assert.equal(run.code, 0, `media tests in ${run.where} failed:\n${run.output.slice(-20_000)}`);
    assert.match(run.output, /# pass [1-9]/, `no media test ran in ${run.where}:\n${run.output.slice(-5_000)}`);
  });
} else {
  const FAKE_MEDIA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required'];
  const setup = useServerAndBrowser({
    env: { RATUSHA_JANUS: 'local', RATUSHA_JANUS_WS_LISTEN: '127.0.0.1:0', RATUSHA_JANUS_ICE_INTERFACES: IFACE },
    browser: { args: FAKE_MEDIA },
  });

  // Inbound totals of a page's subscriber connection: video frames decoded, audio packets.
  const inbound = (page) =>
    page.evaluate(async () => {
      const pc = window.__ratushaMedia?.subscriber;
      const out = { frames: 0, audio: 0, videoStreams: 0, audioStreams: 0 };
      if (!pc) return out;
      for (const r of (await pc.getStats()).values()) {
        if (r.type !== 'inbound-rtp') continue;
        if (r.kind === 'video') { out.frames += r.framesDecoded ?? 0; out.videoStreams += 1; }
        if (r.kind === 'audio') { out.audio += r.packetsReceived ?? 0; out.audioStreams += 1; }
      }
      return out;
    });
  const state = (page) => page.evaluate(() => window.__ratushaMedia?.state ?? null);
  async function until(fn, what, timeout = 30_000, every = 100) {
    const end = Date.now() + timeout;
    let last;
    while (Date.now() < end) {
      last = await fn();
      if (last) return last;
      await new Promise((r) => setTimeout(r, every));
    }
    throw new Error(`${what}: not within ${timeout} ms (last: ${JSON.stringify(last)})`);
  }
  // Clicks "join" and waits for the first remote video frame; returns the time it took.
  async function join(page) {
    await page.locator('#media-join').waitFor();
    const started = Date.now();
    await page.locator('#media-join').click();
    await until(async () => (await state(page)) === 'joined', 'joined');
    return started;
  }
  const flowing = (page, what, frames = 30, audio = 50) =>
    until(async () => {
      const s = await inbound(page);
      return s.frames > frames && s.audio > audio ? s : null;
    }, what);

  test('two browsers see and hear each other; the host mutes the guest; a watcher without devices; Janus restarted', { timeout: 240_000 }, async () => {
    const { baseUrl, dataDir } = setup.server;
    const { page: host } = await openPage(setup.browser);
    await activateAdministrator(host, setup.server);
    const room = (await apiCall(host, 'GET', '/rooms')).json.items.find((r) => r.kind === 'personal');
    const guestPerson = await createColleague(host, 'Борис Видеов');
    const watcherPerson = await createColleague(host, 'Вера Без Камера');
    const start = new Date();
    start.setUTCSeconds(0, 0);
    await okJson(await apiCall(host, 'POST', '/meetings', {
      title: 'Видеосреща', start: start.toISOString().slice(0, 16), duration: 3600, time_zone: 'UTC',
      invitees: [{ kind: 'person', id: guestPerson.id }, { kind: 'person', id: watcherPerson.id }],
    }), 'the meeting');

    // The host: the room page leads to the call; the pre-join screen shows the devices.
    await host.goto(`${baseUrl}/rooms/${room.id}`);
    await host.locator('#room-video a, #room-video button').first().click();
    await host.waitForURL(new RegExp(`/rooms/${room.id}/call$`));
    await host.locator('#media-prejoin').waitFor();
    await expectAccessible(host, 'pre-join (desktop)');
    const hostClicked = await join(host);

    // The guest, on a phone.
    const { page: guest } = await openPage(setup.browser, { viewport: PHONE, touch: true });
    await activate(guest, baseUrl, { accessCode: guestPerson.accessCode, activationSecret: guestPerson.activationSecret });
    await guest.goto(`${baseUrl}/rooms/${room.id}/call`);
    const guestClicked = await join(guest);

    await flowing(guest, 'the guest receives the host');
    console.log(`media-timing: guest join → first remote frame ${Date.now() - guestClicked} ms`);
    await flowing(host, 'the host receives the guest');
    console.log(`media-timing: host join → guest's video (guest joined later) ${Date.now() - hostClicked} ms`);
    // Names come from Ratusha: the host's tile for the guest says who it is.
    const guestTicket = (await apiCall(guest, 'GET', `/rooms/${room.id}/media`)).json.participants.find((p) => p.display_name === 'Борис Видеов');
    assert.ok(guestTicket, 'the guest is listed');
    await host.locator(`[data-participant="${guestTicket.id}"]`).getByText('Борис Видеов').first().waitFor();
    await expectAccessible(host, 'in the meeting (desktop)');
    await expectAccessible(guest, 'in the meeting (phone)');

    // The host mutes the guest's microphone from the participants panel.
    await host.locator('#media-participants').click();
    const row = host.locator(`#media-people [data-participant-id="${guestTicket.id}"]`);
    await row.getByRole('button', { name: new RegExp(bg['media.mute_mic']) }).click();
    await guest.locator('#media-muted-audio').waitFor();
    await until(async () => (await apiCall(host, 'GET', `/rooms/${room.id}/media`)).json.participants.find((p) => p.id === guestTicket.id)?.muted.audio, 'muted in the list');
    await new Promise((r) => setTimeout(r, 1000));  // what was in flight arrives
    const before = await inbound(host);
    await new Promise((r) => setTimeout(r, 3000));
    const afterMute = await inbound(host);
    assert.ok(afterMute.audio - before.audio < 10, `the guest's audio stopped arriving (${before.audio} → ${afterMute.audio} packets)`);
    assert.ok(afterMute.frames > before.frames + 20, 'the guest\'s video still arrives');
    // The guest still hears the host.
    const guestBefore = await inbound(guest);
    await new Promise((r) => setTimeout(r, 1500));
    assert.ok((await inbound(guest)).audio > guestBefore.audio + 20, 'the host\'s audio still reaches the guest');

    // The host records a few seconds: the guest is told; the recording becomes a document that
    // ffprobe reads as one WebM with video and audio of about that length.
    assert.equal((await apiCall(host, 'POST', `/rooms/${room.id}/media/recording`, { on: true })).status, 201);
    await guest.locator('#media-recording').waitFor();
    await new Promise((r) => setTimeout(r, 5000));
    const stopped = await apiCall(host, 'POST', `/rooms/${room.id}/media/recording`, { on: false });
    assert.equal(stopped.status, 200, stopped.body);
    await guest.locator('#media-recording').waitFor({ state: 'detached' });
    const recording = await until(async () => {
      const [r] = (await apiCall(host, 'GET', `/rooms/${room.id}/media/recordings`)).json.items;
      assert.notEqual(r.state, 'failed', r.problem);
      return r.state === 'ready' ? r : null;
    }, 'the recording stored', 120_000);
    const file = await host.evaluate(async (id) => {
      const r = await fetch(`/api/v1/documents/nodes/${id}/content`);
      return Array.from(new Uint8Array(await r.arrayBuffer()));
    }, recording.document_id);
    const path = `${mkdtempSync(`${tmpdir()}/ratusha-rec-`)}/recording.webm`;
    writeFileSync(path, Buffer.from(file));
    const probe = JSON.parse(execFileSync('ffprobe', ['-v', 'error', '-show_streams', '-show_format', '-of', 'json', path], { encoding: 'utf8' }));
    const kinds = probe.streams.map((x) => `${x.codec_type}:${x.codec_name}`).sort();
    assert.deepEqual(kinds, ['audio:opus', 'video:vp8'], JSON.stringify(probe.streams));
    const seconds = Number(probe.format.duration);
    const expected = (Date.parse(recording.stopped_at) - Date.parse(recording.started_at)) / 1000;
    assert.ok(Math.abs(seconds - expected) < 1.5, `duration ${seconds} s, recorded ${expected} s`);
    console.log(`media-timing: recording of ${expected} s → ${seconds} s WebM, ${file.length} bytes`);

    // The status page's numbers come from Janus: it receives and sends media now.
    const status = (await apiCall(host, 'GET', '/media/status')).json.instances[0];
    assert.ok(status.in_kbps > 0 && status.out_kbps > 0, JSON.stringify({ in: status.in_kbps, out: status.out_kbps }));
    assert.ok(status.connections.some((c) => c.kind === 'publisher' && c.in_kbps > 0), JSON.stringify(status.connections));

    // A council whose rules require the camera: the administrator's remote sitting is held in this
    // very room (its meeting is in the scheduler's personal room). The guest, a member, may
    // register remotely with the camera on, not with it off.
    const body = await okJson(await apiCall(host, 'POST', '/council/bodies', {
      name: 'Съвет с камери', jurisdiction: 'bg', seats: 3, term_start: '2024-01-01', time_zone: 'UTC', camera_required: true,
    }), 'the body');
    for (const [id, role] of [[(await apiCall(host, 'GET', '/me')).json.id, 'chair'], [guestPerson.id, 'member']])
      await okJson(await apiCall(host, 'POST', `/council/bodies/${body.id}/members`, { person_id: id, role, from_date: '2024-01-01' }), `seat ${role}`);
    const sitting = await okJson(await apiCall(host, 'POST', '/council/sittings', {
      body_id: body.id, title: 'Дистанционно заседание', start: start.toISOString().slice(0, 16), mode: 'remote',
    }), 'the sitting');
    assert.equal(sitting.video_room_id ?? sitting.sitting?.video_room_id, room.id, 'the sitting is held in this room');
    await okJson(await apiCall(host, 'POST', `/council/sittings/${sitting.id ?? sitting.sitting.id}/open`), 'opened');
    const sittingId = sitting.id ?? sitting.sitting.id;
    const register = () => apiCall(guest, 'POST', `/council/sittings/${sittingId}/attendance`, { remote: true, password: PASSWORD });
    const withCamera = await register();
    assert.equal(withCamera.status, 200, withCamera.body);
    assert.equal((await apiCall(guest, 'DELETE', `/council/sittings/${sittingId}/attendance`)).status, 200);
    await guest.locator('#media-camera').click();
    // Janus counts the bytes of the last second, and a busy machine takes a while to stop the
    // camera: until then a registration still succeeds (and is undone again).
    const without = await until(async () => {
      const r = await register();
      if (r.status === 200) await apiCall(guest, 'DELETE', `/council/sittings/${sittingId}/attendance`);
      return r.status === 200 ? null : r;
    }, 'refused with the camera off', 30_000, 1000);
    assert.equal(without.status, 409, without.body);
    assert.equal(without.json.type.split('/').pop(), 'camera-required');
    await guest.locator('#media-camera').click();
    await until(async () => (await register()).status === 200, 'registered again with the camera on', 30_000, 1000);

    // Someone whose browser may not use the camera and microphone joins and watches.
    const denied = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts', '--autoplay-policy=no-user-gesture-required'] });
    try {
      const { page: watcher } = await openPage(denied);
      await activate(watcher, baseUrl, { accessCode: watcherPerson.accessCode, activationSecret: watcherPerson.activationSecret });
      await watcher.goto(`${baseUrl}/rooms/${room.id}/call`);
      await join(watcher);
      await until(async () => (await inbound(watcher)).frames > 30, 'the watcher sees the others');
      await expectAccessible(watcher, 'in the meeting without devices');
      await watcher.context().close();
    } finally {
      await denied.close();
    }

    // Janus killed: the server starts it again; both pages reconnect and media flows again.
    const pid = Number(execFileSync('pgrep', ['-f', `janus -F ${dataDir}/janus`], { encoding: 'utf8' }).trim().split('\n')[0]);
    process.kill(pid, 'SIGKILL');
    await until(async () => (await state(host)) === 'reconnecting' || (await state(host)) === 'joining', 'the host notices', 20_000).catch(() => {});
    await until(async () => (await state(host)) === 'joined' && (await state(guest)) === 'joined', 'both back', 60_000);
    await flowing(host, 'the host receives again (the guest is still muted)', 30, -1);
    await flowing(guest, 'the guest receives again', 30, 50);

    await guest.locator('#media-leave').click();
    await until(async () => (await state(guest)) === 'left', 'the guest left');
  });
}
