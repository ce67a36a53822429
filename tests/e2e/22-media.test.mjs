// Video and audio end to end with real parts: Ratusha starts its Janus, two Chromium pages with
// fake camera and microphone join the administrator's personal room (the guest, invited to a
// meeting there, on a phone), and each receives the other's video (framesDecoded growing) and
// audio (packets arriving). The host mutes the guest from the participants panel: the guest's
// audio stops arriving at the host and the guest is told. Someone whose browser refuses the
// camera joins with sound alone; refused both, she still joins and watches. The network under the media drops for a while,
// and Janus is killed with SIGKILL (restarted by the server): both times both pages reconnect
// by themselves and media flows again. axe-core on the pre-join screen and in the meeting, on
// the desktop and the phone. A second test takes a meeting room with a lobby through the host's
// tools, the layouts, simulcast and screen sharing.
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
  activate, activateAdministrator, apiCall, bg, createColleague, expectAccessible, launchBrowser, login, okJson, openPage, PASSWORD, PHONE, scrollWidth, useServerAndBrowser,
} from './harness.mjs';
import { runInNamespace } from './netns.mjs';

const IFACE = process.env.RATUSHA_MEDIA_IFACE;

if (!IFACE) {
  test('media in a network namespace of its own', { timeout: 600_000 }, async (t) => {
    const run = await runInNamespace(fileURLToPath(import.meta.url));
    if (!run) return t.skip('no network namespace (not root) and no non-loopback interface');
    // The timings the inner run measured (join to first remote frame), for the log.
    for (const line of run.output.split('\n')) if (line.includes('media-timing')) t.diagnostic(line.trim());
    assert.equal(run.code, 0, `media tests in ${run.where} failed:\n${run.output.slice(-20_000)}`);
    assert.match(run.output, /# pass [1-9]/, `no media test ran in ${run.where}:\n${run.output.slice(-5_000)}`);
  });
} else {
  // Chromium's own fake microphone beeps briefly twice a second: too little for Janus's average
  // audio level to call anyone talking. Instead, a voice-like sound that never falls silent (a
  // 180 Hz tone with harmonics, its pitch gliding and its loudness rising and falling 4 times a
  // second), so that the speaking indicator has something to show.
  const VOICE = `${mkdtempSync(`${tmpdir()}/ratusha-voice-`)}/voice.wav`;
  writeFileSync(VOICE, voiceWav(3));
  const FAKE_MEDIA = [
    '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--autoplay-policy=no-user-gesture-required',
    `--use-file-for-fake-audio-capture=${VOICE}`,
  ];
  const setup = useServerAndBrowser({
    env: { RATUSHA_JANUS: 'local', RATUSHA_JANUS_WS_LISTEN: '127.0.0.1:0', RATUSHA_JANUS_ICE_INTERFACES: IFACE },
    browser: { args: FAKE_MEDIA },
  });

  // The administrator hosts both tests: activated by the first, signed in by the second.
  let hostActivated = false;
  async function hostPage() {
    const { page } = await openPage(setup.browser);
    if (hostActivated) await login(page, setup.server.baseUrl, setup.server.demo.administrator.access_code);
    else await activateAdministrator(page, setup.server);
    hostActivated = true;
    return page;
  }

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
    const host = await hostPage();
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
    // The pre-join check: the camera's picture, the devices to choose from, the microphone's level.
    await until(async () => (await host.locator('#media-preview').evaluate((v) => v.videoWidth)) > 0, 'the preview shows the camera');
    assert.ok((await host.locator('#media-camera-select option').count()) >= 1, 'cameras listed');
    assert.ok((await host.locator('#media-mic-select option').count()) >= 1, 'microphones listed');
    await until(async () => Number(await host.locator('#media-level').getAttribute('aria-valuenow')) > 10, 'the level meter hears the microphone');
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
    assert.ok((await scrollWidth(guest)) <= PHONE.width, 'nothing scrolls sideways on the phone');
    // The controls fit on the phone: each is on screen.
    for (const id of ['media-mic', 'media-camera', 'media-hand', 'media-participants', 'media-chat', 'media-leave']) {
      const box = await guest.locator(`#${id}`).boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= PHONE.width && box.y + box.height <= PHONE.height, `#${id} on screen: ${JSON.stringify(box)}`);
    }

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

    // A browser that asks before using devices, and is refused. First the camera only: told so,
    // and joins with sound alone (the guest is muted, so any sound the host hears is hers).
    const denied = await launchBrowser({ args: ['--use-fake-device-for-media-stream', '--deny-permission-prompts', '--autoplay-policy=no-user-gesture-required'] });
    try {
      const micOnly = await denied.newContext({ permissions: ['microphone'] });
      const speaker = await micOnly.newPage();
      await activate(speaker, baseUrl, { accessCode: watcherPerson.accessCode, activationSecret: watcherPerson.activationSecret });
      await speaker.goto(`${baseUrl}/rooms/${room.id}/call`);
      await speaker.locator('#media-device-problems').waitFor();
      await until(async () => Number(await speaker.locator('#media-level').getAttribute('aria-valuenow')) > 10, 'her microphone works');
      await expectAccessible(speaker, 'pre-join without a camera');
      const heard = await inbound(host);
      await join(speaker);
      await until(async () => {
        const now = await inbound(host);
        return now.audioStreams > heard.audioStreams && now.audio > heard.audio + 50 ? now : null;
      }, 'the host hears the one without a camera');
      await micOnly.close();

      // Then neither: she joins and watches.
      const { page: watcher } = await openPage(denied);
      await login(watcher, baseUrl, watcherPerson.accessCode);
      await watcher.goto(`${baseUrl}/rooms/${room.id}/call`);
      await join(watcher);
      await until(async () => (await inbound(watcher)).frames > 30, 'the watcher sees the others');
      await expectAccessible(watcher, 'in the meeting without devices');
      await watcher.context().close();
    } finally {
      await denied.close();
    }

    // The network under the media drops (its address is gone for a while; the pages still
    // reach the server over loopback): the pages notice the silence, and once the network is
    // back they reconnect by themselves and media flows again.
    const address = execFileSync('ip', ['-4', '-o', 'addr', 'show', 'dev', IFACE], { encoding: 'utf8' }).match(/inet (\S+)/)[1];
    execFileSync('ip', ['addr', 'del', address, 'dev', IFACE]);
    try {
      // Each notices on its own (and may be joined again, waiting for media, when the other does).
      const noticed = new Set();
      await until(async () => {
        for (const [who, page] of [['host', host], ['guest', guest]]) if ((await state(page)) !== 'joined') noticed.add(who);
        return noticed.size === 2;
      }, 'both notice the drop', 45_000, 250);
    } finally {
      execFileSync('ip', ['addr', 'add', address, 'dev', IFACE]);
    }
    const dropped = Date.now();
    await until(async () => (await state(host)) === 'joined' && (await state(guest)) === 'joined', 'both back after the drop', 90_000);
    await flowing(host, 'the host receives again after the drop', 30, -1);
    await flowing(guest, 'the guest receives again after the drop', 30, 50);
    console.log(`media-timing: network back → both receiving again ${Date.now() - dropped} ms`);

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

  // A meeting room with a lobby, three colleagues and the host's tools, all in the browser: who
  // waits is admitted or refused; the host's connection takes a fresh room token when the first
  // one comes in long after the host joined; a raised hand and the speaking indicator reach the
  // host; the speaker layout and pinning choose which simulcast layer arrives; a screen is shared
  // in place of the camera; a recording is started and stopped from the panel and listed; the
  // chat beside the video and the administrators' status page; the room is locked, a
  // participant removed and the meeting ended for all.
  test('lobby, hand, speaker, layouts and pinning with simulcast, screen, recording, lock, remove, end', { timeout: 300_000 }, async () => {
    const { baseUrl } = setup.server;
    const host = await hostPage();
    const room = await okJson(await apiCall(host, 'POST', '/rooms', { name: 'Зала с чакалня', lobby: true }), 'the room');
    const people = {};
    for (const [key, name] of [['g', 'Галя Чакаща'], ['t', 'Тодор Трети'], ['r', 'Румен Отказан']]) {
      people[key] = await createColleague(host, name);
      await okJson(await apiCall(host, 'POST', `/rooms/${room.id}/members`, { person_id: people[key].id }), `${name} a member`);
    }
    const pageOf = async (who) => {
      const { page } = await openPage(setup.browser);
      await activate(page, baseUrl, { accessCode: people[who].accessCode, activationSecret: people[who].activationSecret });
      await page.goto(`${baseUrl}/rooms/${room.id}/call`);
      return page;
    };
    const live = async () => (await apiCall(host, 'GET', `/rooms/${room.id}/media`)).json;
    const idOf = async (name) => (await until(async () => (await live()).participants.find((p) => p.display_name === name), `${name} listed`)).id;
    const videoWidth = (page, selector) => page.locator(selector).first().evaluate((v) => v.videoWidth).catch(() => 0);

    await host.goto(`${baseUrl}/rooms/${room.id}/call`);
    const hostJoined = await join(host);
    await host.locator('#media-participants').click();
    await host.locator('#media-lobby-list').waitFor();

    // Two knock; the host refuses one, who is told.
    const g = await pageOf('g');
    await g.locator('#media-join').click();
    await g.locator('#media-lobby').waitFor();
    await expectAccessible(g, 'waiting in the lobby');
    const r = await pageOf('r');
    await r.locator('#media-join').click();
    await r.locator('#media-lobby').waitFor();
    const waiting = (who) => host.locator(`#media-lobby-list [data-person-id="${people[who].id}"]`);
    await waiting('g').waitFor();
    await expectAccessible(host, 'the host sees who waits');
    await waiting('r').getByRole('button', { name: new RegExp(`^${bg['media.refuse']}`) }).click();
    await r.locator('#media-ended[data-reason="refused"]').waitFor();
    await r.locator('#media-join-again').getByText(bg['media.ask_again']).waitFor();
    await waiting('r').waitFor({ state: 'detached' });

    // The first one comes in long after the host joined: the host's connection needs a fresh
    // room token (the ticket's is valid 60 s) to receive her.
    const late = 50_000 - (Date.now() - hostJoined);
    if (late > 0) await new Promise((resolve) => setTimeout(resolve, late));
    await waiting('g').getByRole('button', { name: new RegExp(`^${bg['media.admit']}`) }).click();
    await until(async () => (await state(g)) === 'joined', 'admitted and joined');
    await flowing(host, 'the host receives the late one');
    await flowing(g, 'she receives the host');
    const gId = await idOf('Галя Чакаща');

    // Her raised hand shows on her tile and in the list, and goes when she lowers it.
    await g.locator('#media-hand').click();
    await until(async () => (await g.locator('#media-hand').getAttribute('aria-pressed')) === 'true', 'her hand button pressed');
    await host.locator(`[data-participant="${gId}"] .tile__badge--hand`).waitFor();
    await host.locator(`#media-people [data-participant-id="${gId}"] .badge--hand`).waitFor();
    await g.locator('#media-hand').click();
    await host.locator(`[data-participant="${gId}"] .tile__badge--hand`).waitFor({ state: 'detached' });
    // Janus's audio levels: her (fake, beeping) microphone makes her tile say she speaks.
    await host.locator(`[data-participant="${gId}"][data-speaking="true"]`).waitFor({ timeout: 30_000 });

    // A third comes in; in the speaker layout the pinned one arrives in the top simulcast layer
    // and the one in the strip in the lowest; pinning the other swaps them.
    const t3 = await pageOf('t');
    await t3.locator('#media-join').click();
    await t3.locator('#media-lobby').waitFor();
    await waiting('t').getByRole('button', { name: new RegExp(`^${bg['media.admit']}`) }).click();
    await until(async () => (await state(t3)) === 'joined', 'the third joined');
    const tId = await idOf('Тодор Трети');
    await flowing(t3, 'the third receives the others', 60);
    await host.locator('#media-layout').click();
    await host.locator('#media-call.call--speaker').waitFor();
    const pin = (id) => host.locator(`[data-participant="${id}"] .tile__pin`).click();
    const tileVideo = (id) => `[data-participant="${id}"] video`;
    const sizes = async () => ({ g: await videoWidth(host, tileVideo(gId)), t: await videoWidth(host, tileVideo(tId)) });
    await pin(tId);
    await host.locator(`.tiles--main [data-participant="${tId}"]`).waitFor();
    let seen = await until(async () => { const w = await sizes(); return w.t >= 2 * w.g && w.g > 0 ? w : null; }, 'the pinned third in the top layer, her in the lowest', 30_000, 250);
    await expectAccessible(host, 'speaker layout, pinned');
    await pin(gId);
    await host.locator(`.tiles--main [data-participant="${gId}"]`).waitFor();
    seen = { before: seen, after: await until(async () => { const w = await sizes(); return w.g >= 2 * w.t && w.t > 0 ? w : null; }, 'pinning her swaps the layers', 30_000, 250) };
    console.log(`media-timing: simulcast widths at the host ${JSON.stringify(seen)}`);

    // She shares her screen in place of her camera: her own view shows it; the host, with
    // nobody pinned, sees her screen large, marked as a shared screen, and receives it; stopping
    // brings the camera back.
    await pin(gId);  // unpinned again
    await until(async () => (await host.locator('.tile__pin[aria-pressed="true"]').count()) === 0, 'nobody pinned');
    const cameraWidth = await videoWidth(g, '[data-self] video');
    await g.locator('#media-screen').click();
    await until(async () => (await g.locator('#media-screen').getAttribute('aria-pressed')) === 'true', 'sharing');
    await host.locator(`.tiles--main [data-participant="${gId}"] .tile__badge--screen`).getByText(bg['media.presenting']).waitFor();
    await host.locator(`#media-people [data-participant-id="${gId}"] .badge--screen`).waitFor();
    await expectAccessible(host, 'a shared screen');
    await g.locator('[data-self] video.media-self:not(.media-self--mirror)').waitFor();
    const screenWidth = await until(async () => { const w = await videoWidth(g, '[data-self] video'); return w !== cameraWidth && w > 0 ? w : null; }, 'her view shows the screen');
    await until(async () => (await videoWidth(host, tileVideo(gId))) > cameraWidth, `the host receives the wider screen (${screenWidth} px)`, 30_000, 250);
    await g.locator('#media-screen').click();
    await until(async () => (await g.locator('#media-screen').getAttribute('aria-pressed')) === 'false', 'sharing stopped');
    await g.locator('[data-self] video.media-self--mirror').waitFor();
    await host.locator(`[data-participant="${gId}"] .tile__badge--screen`).waitFor({ state: 'detached' });
    await until(async () => (await videoWidth(host, tileVideo(gId))) <= cameraWidth, 'the camera again at the host', 30_000, 250);

    // Recording from the panel: asked first, everyone told, listed when ready.
    await host.locator('#media-record').click();
    await host.locator('#media-record-confirm').click();
    await g.locator('#media-recording').waitFor();
    await t3.locator('#media-recording').waitFor();
    await host.locator('#media-record[aria-pressed="true"]').waitFor();
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await host.locator('#media-record').click();
    await g.locator('#media-recording').waitFor({ state: 'detached' });
    await host.locator('#media-recordings li[data-state="ready"]').waitFor({ timeout: 120_000 });
    await expectAccessible(host, 'a recording listed');

    // The refused one may ask again: waits again, and gives up waiting.
    await r.locator('#media-join-again').click();
    await r.locator('#media-join').click();
    await r.locator('#media-lobby').waitFor();
    await waiting('r').waitFor();
    await r.locator('#media-stop-waiting').click();
    await waiting('r').waitFor({ state: 'detached' });
    await r.waitForURL(new RegExp(`/rooms/${room.id}$`));

    // The workspace chat beside the video: what she writes reaches the host's panel.
    await g.locator('#media-chat').click();
    const gBox = g.locator('#media-chat-panel').getByLabel(bg['chat.message'], { exact: true });
    await gBox.fill('Виждате ли екрана ми?');
    await gBox.press('Enter');
    await host.locator('#media-chat').click();
    await host.locator('#media-chat-panel .chat-message').filter({ hasText: 'Виждате ли екрана ми?' }).waitFor();
    await expectAccessible(host, 'chat beside the video');

    // The administrators' status page: the Janus is up, with this meeting's three people.
    const statusPage = await host.context().newPage();
    await statusPage.goto(`${baseUrl}/admin/media`);
    const janusRow = statusPage.locator('#media-status-table tbody tr[data-up="true"]');
    await janusRow.waitFor();
    await until(async () => Number(await janusRow.locator('td').nth(3).textContent()) >= 3, 'three people counted', 30_000, 500);
    const kbit = async (cell) => Number((await cell.textContent()).replace(/\D/g, ''));
    assert.ok((await kbit(janusRow.locator('td[data-kbps="in"]'))) > 0, 'Janus receives');
    // Her own camera and microphone, by name, with what Janus receives from her.
    const hers = statusPage.locator('#media-status-connections tr[data-kind="publisher"]').filter({ hasText: 'Галя Чакаща' });
    await hers.waitFor();
    await until(async () => (await kbit(hers.locator('td[data-kbps="in"]'))) > 0, 'her bitrate shown', 30_000, 500);
    await expectAccessible(statusPage, 'media status');
    await statusPage.close();

    // Locked: asked again, and told the room is locked.
    await host.locator('#media-lock').click();
    await host.locator('#media-lock[aria-pressed="true"]').waitFor();
    await r.goto(`${baseUrl}/rooms/${room.id}/call`);
    await r.locator('#media-join').click();
    await r.locator('#media-ended[data-reason="problem"]').getByText(bg['problem.room-locked']).waitFor();
    await expectAccessible(r, 'refused: the room is locked');

    // The third is removed: told so, with no way back in this session.
    await host.locator(`#media-people [data-participant-id="${tId}"]`).getByRole('button', { name: new RegExp(`^${bg['media.remove']}`) }).click();
    await host.locator('#media-remove-confirm').click();
    await t3.locator('#media-ended[data-reason="removed"]').waitFor();
    assert.equal(await t3.locator('#media-join-again').count(), 0, 'no "join again" after removal');
    await host.locator(`[data-participant="${tId}"]`).waitFor({ state: 'detached' });

    // The end for all.
    await host.locator('#media-end').click();
    await host.locator('#media-end-confirm').click();
    await g.locator('#media-ended[data-reason="ended_by_host"], #media-ended[data-reason="ended"]').waitFor();
    await expectAccessible(g, 'the meeting ended');
    assert.equal((await live()).participants.length, 0, 'nobody left in the room');
    for (const page of [g, r, t3]) await page.context().close();
  });
}

/** `seconds` of a mono 48 kHz 16-bit WAV that sounds (to a level meter) like someone talking. */
function voiceWav(seconds) {
  const rate = 48_000;
  const n = rate * seconds;
  const wav = Buffer.alloc(44 + n * 2);
  wav.write('RIFF', 0); wav.writeUInt32LE(36 + n * 2, 4); wav.write('WAVE', 8);
  wav.write('fmt ', 12); wav.writeUInt32LE(16, 16); wav.writeUInt16LE(1, 20); wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(rate, 24); wav.writeUInt32LE(rate * 2, 28); wav.writeUInt16LE(2, 32); wav.writeUInt16LE(16, 34);
  wav.write('data', 36); wav.writeUInt32LE(n * 2, 40);
  let phase = 0;
  for (let i = 0; i < n; i++) {
    const t = i / rate;
    phase += (2 * Math.PI * (180 + 30 * Math.sin(2 * Math.PI * 3 * t))) / rate;
    let v = 0;
    for (let h = 1; h <= 5; h++) v += Math.sin(h * phase) / h;
    const loudness = 0.35 * (0.65 + 0.35 * Math.sin(2 * Math.PI * 4 * t));
    wav.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v * loudness)) * 32_000), 44 + i * 2);
  }
  return wav;
}
