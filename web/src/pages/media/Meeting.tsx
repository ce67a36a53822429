// In the meeting: everyone's tile (grid, or one speaker large), who is speaking (an outline and
// words for screen readers), raised hands, the recording notice, "a host muted you", the
// controls at the bottom (within a thumb's reach on a phone), the participants and chat panels.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { clientFailure, failureFrom, type FormFailure } from '../../lib/forms';
import { t, tMaybe } from '../../lib/i18n';
import {
  captureCamera, captureMic, captureScreen, deviceProblem, screenShareSupported, type MediaLive, type MediaParticipant,
  type MediaRecording, type MeetingConnection, type MeetingView, type RemoteFeed,
} from '../../lib/media';
import { nodeHref } from '../../lib/documents';
import type { Session } from '../../lib/types';
import { Chat } from '../workspace/Chat';
import { AudioOut, Icon, playAllAudio, VideoView, type IconName } from './av';
import { Participants } from './Participants';

const ANNOUNCE_MS = 10_000;

type Layout = 'grid' | 'speaker';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((w) => [...w][0]!.toLocaleUpperCase())
    .join('');
}

/**
 * The live list with one entry per person. A reconnection names the connection it replaces,
 * so the server ends the old one at once; someone in the meeting twice (a second tab, a
 * connection the server has not noticed gone yet) is still shown once: the entry that
 * publishes wins, else the latest; for oneself always the current one.
 */
function onePerPerson(people: MediaParticipant[], feeds: RemoteFeed[], me: number | null, myPersonId: string): MediaParticipant[] {
  const publishing = new Set(feeds.map((f) => f.id));
  const best = new Map<string, MediaParticipant>();
  for (const p of people) {
    const mine = p.person_id === myPersonId;
    if (mine && p.id !== me) continue;
    const key = p.person_id || `id:${p.id}`;
    const other = best.get(key);
    const better =
      !other ||
      (publishing.has(p.id) && !publishing.has(other.id)) ||
      (publishing.has(p.id) === publishing.has(other.id) && p.joined_at > other.joined_at);
    if (better) best.set(key, p);
  }
  return [...best.values()];
}

/** Whose tiles to show besides one's own: the others listed, and whoever publishes unlisted. */
function otherTiles(people: MediaParticipant[], all: MediaParticipant[], feeds: RemoteFeed[], me: number | null): number[] {
  const listed = new Set(all.map((p) => p.id));
  const ids = people.filter((p) => p.id !== me).map((p) => p.id);
  for (const f of feeds) if (!listed.has(f.id) && f.id !== me) ids.push(f.id);
  return ids;
}

function failureText(message: string): FormFailure {
  return { ...clientFailure([]), message };
}

/** Why a microphone or camera asked for during the meeting is not there. */
function deviceFailure(kind: 'mic' | 'camera', error: unknown): FormFailure {
  const problem = deviceProblem(error);
  if (problem === 'denied') return failureText(t(kind === 'mic' ? 'media.mic_denied_now' : 'media.camera_denied_now'));
  return failureText(tMaybe(`media.${kind}_problem.${problem}`) ?? t(kind === 'mic' ? 'media.mic_problem.failed' : 'media.camera_problem.failed'));
}

/** A polite line for screen readers (arrivals, hands, reconnection), cleared after a while. */
function useAnnouncer(): [string, (text: string) => void] {
  const [said, setSaid] = useState('');
  const timer = useRef<number | undefined>(undefined);
  useEffect(() => () => window.clearTimeout(timer.current), []);
  return [
    said,
    (text: string) => {
      setSaid(text);
      window.clearTimeout(timer.current);
      timer.current = window.setTimeout(() => setSaid(''), ANNOUNCE_MS);
    },
  ];
}

export function Meeting({
  connection,
  view,
  session,
  roomName,
  speakerId,
  cameraId,
}: {
  connection: MeetingConnection;
  view: MeetingView;
  session: Session;
  roomName: string;
  speakerId: string;
  cameraId: string;
}) {
  const me = view.me;
  const live = view.live;
  const [layout, setLayout] = useState<Layout>('grid');
  const [pinned, setPinned] = useState<number | null>(null);
  const [active, setActive] = useState<number | null>(null);
  const [showPeople, setShowPeople] = useState(false);
  const [showChat, setShowChat] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [soundBlocked, setSoundBlocked] = useState(false);
  const [said, say] = useAnnouncer();

  const byId = new Map<number, MediaParticipant>((live?.participants ?? []).map((p) => [p.id, p]));
  const feedById = new Map<number, RemoteFeed>(view.feeds.map((f) => [f.id, f]));
  const people = onePerPerson(live?.participants ?? [], view.feeds, me?.id ?? null, session.person.id);
  const others = otherTiles(people, live?.participants ?? [], view.feeds, me?.id ?? null);
  const nameOf = (id: number) => byId.get(id)?.display_name || t('media.someone');
  const mine = me ? byId.get(me.id) : undefined;
  const talking = new Set(view.talking);
  const recording = live?.recording ?? view.room?.recording ?? false;
  const pinnedId = pinned !== null && others.includes(pinned) ? pinned : null;
  // A shared screen is shown large, unless someone pinned another picture.
  const sharerId = others.find((id) => byId.get(id)?.sharing) ?? null;
  const featuredId = pinnedId ?? sharerId;
  const mainId = featuredId ?? (active !== null && others.includes(active) ? active : others[0] ?? null);

  // The last one of the others who started talking is the speaker shown large.
  useEffect(() => {
    const speaking = view.talking.find((id) => id !== me?.id && others.includes(id));
    if (speaking !== undefined) setActive(speaking);
  }, [view.talking.join(',')]);

  // Large pictures in full quality, small ones in a lower simulcast layer.
  useEffect(() => {
    for (const id of others) {
      const big = layout === 'speaker' ? id === mainId : id === featuredId || others.length <= 4;
      connection.setQuality(id, big ? 2 : layout === 'grid' && others.length <= 9 ? 1 : 0);
    }
  });

  useAnnouncements(view, live, me?.id ?? null, session.person.id, say);

  // ---------------------------------------------------------------- the controls

  const run = async (work: () => Promise<void>) => {
    try {
      await work();
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };

  const toggleMic = async () => {
    if (view.hostMuted.audio) return say(t('media.host_muted_audio'));
    if (view.hasMic) return void run(() => connection.setMic(!view.mic).then(() => undefined));
    // No microphone at the start (refused, missing): ask for one now.
    let track: MediaStreamTrack;
    try {
      track = await captureMic();
    } catch (error) {
      setFailure(deviceFailure('mic', error));
      return;
    }
    await run(async () => {
      await connection.useMic(track);
      await connection.setMic(true);
    });
  };

  const toggleCamera = async () => {
    if (view.hostMuted.video) return say(t('media.host_muted_video'));
    if (view.camera) return void run(() => connection.setCamera(null).then(() => undefined));
    let track: MediaStreamTrack;
    try {
      track = await captureCamera(cameraId || undefined).catch(() => captureCamera());
    } catch (error) {
      setFailure(deviceFailure('camera', error));
      return;
    }
    await run(() => connection.setCamera(track).then(() => undefined));
  };

  const toggleScreen = async () => {
    if (view.sharing) return void run(() => connection.stopScreen());
    if (view.hostMuted.video) return say(t('media.host_muted_video'));
    let track: MediaStreamTrack;
    try {
      track = await captureScreen();
    } catch (error) {
      // Closing the browser's picker is no failure.
      if (deviceProblem(error) !== 'denied') setFailure(failureText(t('media.screen_failed')));
      return;
    }
    await run(() => connection.shareScreen(track));
  };

  const toggleHand = () => run(() => connection.setHand(!mine?.hand_raised));

  // Opening a panel takes the focus to its heading; closing it gives it back to its button.
  const openPanel = (which: 'people' | 'chat', open: boolean) => {
    (which === 'people' ? setShowPeople : setShowChat)(open);
    requestAnimationFrame(() => {
      const target = document.getElementById(
        open ? (which === 'people' ? 'media-participants-title' : 'chat-room-title') : which === 'people' ? 'media-participants' : 'media-chat',
      );
      if (target && open && !target.hasAttribute('tabindex')) target.setAttribute('tabindex', '-1');
      target?.focus();
    });
  };

  // ---------------------------------------------------------------- the tiles

  const tileOf = (id: number, big = false) => {
    const feed = feedById.get(id);
    const p = byId.get(id);
    const name = nameOf(id);
    return (
      <Tile
        key={id}
        id={id}
        name={name}
        track={feed?.video ?? null}
        videoOn={!!feed?.video && feed.videoOn && !p?.muted.video}
        micOff={!feed?.audio || !feed.audioOn || !!p?.muted.audio}
        speaking={talking.has(id)}
        hand={!!p?.hand_raised}
        sharing={!!p?.sharing}
        host={!!p?.host}
        big={big}
        pinned={pinnedId === id}
        onPin={() => setPinned(pinnedId === id ? null : id)}
      />
    );
  };
  const selfTile = me && (
    <Tile
      key="self"
      self
      id={me.id}
      name={mine?.display_name || me.display_name}
      track={view.localVideo}
      videoOn={!!view.localVideo}
      mirror={!view.sharing}
      micOff={!view.mic}
      speaking={talking.has(me.id)}
      hand={!!mine?.hand_raised}
      host={mine?.host ?? me.host}
      big={layout === 'speaker' && mainId === null}
    />
  );
  const gridOrder = featuredId !== null ? [featuredId, ...others.filter((id) => id !== featuredId)] : others;

  const waiting = live?.host ? live.waiting.length : 0;

  return (
    <div class={`call call--${layout}${showPeople || showChat ? ' call--panel' : ''}`} id="media-call" data-state={view.state}>
      <PageTitle title={roomName ? t('media.title', { room: roomName }) : t('media.title_plain')} />
      <div class="visually-hidden" role="status" id="media-announcer">
        {said}
      </div>
      {recording && (
        <p class="call-recording" id="media-recording">
          <span class="call-recording__dot" aria-hidden="true" />
          {t('media.recording')}
        </p>
      )}
      <div role="alert" class="call-alerts" id="media-host-alerts">
        {(view.hostMuted.audio || view.hostMuted.video) && (
          <div class="notice notice--warning">
            {view.hostMuted.audio && <p id="media-muted-audio">{t('media.host_muted_audio')}</p>}
            {view.hostMuted.video && <p id="media-muted-video">{t('media.host_muted_video')}</p>}
          </div>
        )}
      </div>
      {view.recordingNews && <RecordingNews recording={view.recordingNews} onDismiss={() => connection.dismissRecordingNews()} />}
      {view.state === 'reconnecting' && (
        <div class="notice notice--warning" id="media-reconnecting">
          <p>
            {t('media.reconnecting')}
            {view.attempt > 1 ? ` ${t('media.attempt', { n: view.attempt })}` : ''}
          </p>
        </div>
      )}
      {view.publishFailed && (
        <div class="notice notice--warning" id="media-publish-failed">
          <p>{t('media.publish_failed')}</p>
        </div>
      )}
      {soundBlocked && (
        <div class="notice notice--info" id="media-sound-blocked">
          <p>{t('media.sound_blocked')}</p>
          <button type="button" class="button button--small" onClick={() => (playAllAudio(), setSoundBlocked(false))}>
            {t('media.sound_on')}
          </button>
        </div>
      )}
      <ErrorSummary failure={failure} />

      <div class="call__body">
        <section class="call-stage" aria-labelledby="media-stage-title" id="media-stage">
          <h2 class="visually-hidden" id="media-stage-title">
            {t('media.stage')}
          </h2>
          {layout === 'grid' ? (
            <ul class={`tiles tiles--grid tiles--n${Math.min(others.length + 1, 5)}`}>
              {gridOrder.map((id) => tileOf(id, id === featuredId))}
              {selfTile}
            </ul>
          ) : (
            <>
              <ul class="tiles tiles--main">{mainId !== null ? tileOf(mainId, true) : selfTile}</ul>
              <ul class="tiles tiles--strip">
                {others.filter((id) => id !== mainId).map((id) => tileOf(id))}
                {mainId !== null && selfTile}
              </ul>
            </>
          )}
          {others.length === 0 && <p class="call-stage__alone">{t('media.alone')}</p>}
        </section>
        <div class="call__side">
          {showPeople && (
            <Participants
              connection={connection}
              live={live}
              people={people}
              me={me?.id ?? null}
              recordingsVersion={view.recordingsVersion}
              onSay={say}
              onClose={() => openPanel('people', false)}
            />
          )}
          <div
            class="call-panel call-panel--chat"
            id="media-chat-panel"
            hidden={!showChat}
            onKeyDown={(e) => {
              if (e.key === 'Escape' && !(e.target as HTMLElement).closest('dialog')) openPanel('chat', false);
            }}
          >
            <Chat
              kind="room"
              id={connection.roomId}
              people={people.map((p) => ({ id: p.person_id, display_name: p.display_name }))}
              session={session}
            />
          </div>
        </div>
      </div>

      <div class="call-controls" role="group" aria-label={t('media.controls')} id="media-controls">
        <Control
          id="media-mic"
          icon={view.mic ? 'mic' : 'micOff'}
          label={t('media.mic')}
          pressed={view.mic}
          locked={view.hostMuted.audio}
          lockedBy="media-muted-audio"
          onClick={() => void toggleMic()}
        />
        <Control
          id="media-camera"
          icon={view.camera ? 'camera' : 'cameraOff'}
          label={t('media.camera')}
          pressed={view.camera}
          locked={view.hostMuted.video}
          lockedBy="media-muted-video"
          onClick={() => void toggleCamera()}
        />
        {screenShareSupported() && (
          <Control id="media-screen" icon="screen" label={t('media.screen')} pressed={view.sharing} locked={view.hostMuted.video} onClick={() => void toggleScreen()} />
        )}
        <Control id="media-hand" icon="hand" label={t('media.hand')} pressed={!!mine?.hand_raised} onClick={() => void toggleHand()} />
        <Control
          id="media-layout"
          icon={layout === 'speaker' ? 'speaker' : 'layout'}
          label={t('media.layout_speaker')}
          pressed={layout === 'speaker'}
          onClick={() => setLayout(layout === 'speaker' ? 'grid' : 'speaker')}
        />
        <Control
          id="media-participants"
          icon="people"
          label={t('media.participants_button')}
          badge={waiting > 0 ? String(waiting) : undefined}
          ariaLabel={waiting > 0 ? t('media.participants_waiting', { count: waiting }) : undefined}
          expanded={showPeople}
          controls="media-participants-panel"
          onClick={() => openPanel('people', !showPeople)}
        />
        <Control id="media-chat" icon="chat" label={t('media.chat')} expanded={showChat} controls="media-chat-panel" onClick={() => openPanel('chat', !showChat)} />
        <Control id="media-leave" icon="leave" label={t('media.leave')} danger onClick={() => void connection.leave()} />
      </div>

      <div class="call-audio">
        {view.feeds
          .filter((f) => f.audio)
          .map((f) => (
            <AudioOut key={`${f.id}-${f.audio!.id}`} track={f.audio!} sinkId={speakerId} onBlocked={() => setSoundBlocked(true)} />
          ))}
      </div>
    </div>
  );
}

/** Says what changes: reconnection, arrivals and departures, hands, the lobby, recording, host mutes. */
function useAnnouncements(view: MeetingView, live: MediaLive | null, me: number | null, myPersonId: string, say: (text: string) => void) {
  const before = useRef<{ view: MeetingView | null; live: MediaLive | null }>({ view: null, live: null });
  useEffect(() => {
    const old = before.current;
    before.current = { view, live };
    const lines: string[] = [];
    if (!old.view) lines.push(t('media.said.joined'));
    else {
      if (old.view.state !== 'reconnecting' && view.state === 'reconnecting') lines.push(t('media.reconnecting'));
      if (old.view.state === 'reconnecting' && view.state === 'joined') lines.push(t('media.said.reconnected'));
      if (old.view.hostMuted.audio !== view.hostMuted.audio && !view.hostMuted.audio) lines.push(t('media.host_released_audio'));
      if (old.view.hostMuted.video !== view.hostMuted.video && !view.hostMuted.video) lines.push(t('media.host_released_video'));
    }
    if (old.live && live) {
      // By person: a reconnection (a new participant id) is neither an arrival nor a departure.
      const key = (p: MediaParticipant) => p.person_id || `id:${p.id}`;
      const byPerson = (list: MediaParticipant[]) => {
        const map = new Map<string, MediaParticipant>();
        for (const p of list) {
          if (p.id === me || (p.person_id && p.person_id === myPersonId)) continue;
          // Any of a person's entries with the hand up (or sharing) counts.
          const seen = map.get(key(p));
          if (!seen) map.set(key(p), p);
          else map.set(key(p), { ...seen, hand_raised: seen.hand_raised || p.hand_raised, sharing: seen.sharing || p.sharing });
        }
        return map;
      };
      const was = byPerson(old.live.participants);
      const now = byPerson(live.participants);
      for (const [k, p] of now) {
        const then = was.get(k);
        if (!then) lines.push(t('media.said.arrived', { name: p.display_name }));
        else if (p.hand_raised && !then.hand_raised) lines.push(t('media.said.hand', { name: p.display_name }));
        if (then && p.sharing && !then.sharing) lines.push(t('media.said.sharing', { name: p.display_name }));
      }
      for (const [k, p] of was) if (!now.has(k)) lines.push(t('media.said.left', { name: p.display_name }));
      const waited = new Set(old.live.waiting.map((w) => w.person_id));
      for (const w of live.waiting) if (!waited.has(w.person_id)) lines.push(t('media.said.waiting', { name: w.display_name }));
      if (live.recording !== old.live.recording) lines.push(t(live.recording ? 'media.said.recording_on' : 'media.said.recording_off'));
    }
    const news = view.recordingNews;
    if (news && news !== old.view?.recordingNews) lines.push(t(news.state === 'ready' ? 'media.recording_ready' : 'media.recording_failed'));
    if (lines.length) say(lines.join(' '));
  }, [view.state, view.hostMuted.audio, view.hostMuted.video, view.recordingNews, live]);
}

/** One's own recording is done: a link to its document (a new tab: the meeting goes on), or why it failed. */
function RecordingNews({ recording, onDismiss }: { recording: MediaRecording; onDismiss: () => void }) {
  const ready = recording.state === 'ready';
  return (
    <div class={`notice ${ready ? 'notice--info' : 'notice--warning'} call-news`} id="media-recording-news" data-state={recording.state}>
      <p>
        {ready ? t('media.recording_ready') : t('media.recording_failed')}
        {!ready && recording.problem && ` ${t('media.recording_problem', { problem: recording.problem })}`}
      </p>
      <div class="button-row button-row--tight">
        {ready && recording.document_id && (
          <a href={nodeHref(recording.document_id)} class="button button--small" target="_blank" rel="noopener" id="media-recording-news-open">
            {t('media.recording_open')}
            <span class="visually-hidden"> ({t('media.new_tab')})</span>
          </a>
        )}
        <button type="button" class="button button--small button--secondary" onClick={onDismiss}>
          {t('media.recording_news_dismiss')}
        </button>
      </div>
    </div>
  );
}

function Control({
  id,
  icon,
  label,
  ariaLabel,
  pressed,
  expanded,
  controls,
  locked = false,
  lockedBy,
  danger = false,
  badge,
  onClick,
}: {
  id: string;
  icon: IconName;
  label: string;
  ariaLabel?: string;
  pressed?: boolean;
  expanded?: boolean;
  controls?: string;
  /** A host decided it: the button stays focusable and says why nothing happens. */
  locked?: boolean;
  lockedBy?: string;
  danger?: boolean;
  badge?: string;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      id={id}
      class={`control${danger ? ' control--danger' : ''}${pressed ? ' control--on' : ''}${locked ? ' control--locked' : ''}`}
      aria-label={ariaLabel ?? label}
      aria-pressed={pressed === undefined ? undefined : pressed ? 'true' : 'false'}
      aria-expanded={expanded === undefined ? undefined : expanded ? 'true' : 'false'}
      aria-controls={controls}
      aria-disabled={locked ? 'true' : undefined}
      aria-describedby={locked && lockedBy ? lockedBy : undefined}
      onClick={onClick}
    >
      <Icon name={icon} />
      <span class="control__label">{label}</span>
      {badge && (
        <span class="control__badge" aria-hidden="true">
          {badge}
        </span>
      )}
    </button>
  );
}

function Tile({
  id,
  self = false,
  name,
  track,
  videoOn,
  mirror = false,
  micOff,
  speaking,
  hand,
  sharing = false,
  host,
  big,
  pinned = false,
  onPin,
}: {
  id: number;
  self?: boolean;
  name: string;
  track: MediaStreamTrack | null;
  videoOn: boolean;
  mirror?: boolean;
  micOff: boolean;
  speaking: boolean;
  hand: boolean;
  sharing?: boolean;
  host: boolean;
  big: boolean;
  pinned?: boolean;
  onPin?: () => void;
}) {
  return (
    <li
      class={`tile${self ? ' tile--self' : ''}${big ? ' tile--big' : ''}${speaking ? ' tile--speaking' : ''}${pinned ? ' tile--pinned' : ''}`}
      data-participant={self ? undefined : String(id)}
      data-self={self ? 'true' : undefined}
      data-speaking={speaking ? 'true' : undefined}
    >
      <VideoView track={track} class={self ? `media-self${mirror ? ' media-self--mirror' : ''}` : 'media-video'} />
      {!videoOn && (
        <div class="tile__placeholder" aria-hidden="true">
          <span class="tile__initials">{initials(name)}</span>
        </div>
      )}
      <div class="tile__bar">
        <span class="tile__name">
          {self ? t('media.you_label', { name }) : name}
          {speaking && <span class="visually-hidden">, {t('media.speaking')}</span>}
          {micOff && <span class="visually-hidden">, {t('media.mic_off')}</span>}
        </span>
        {micOff && (
          <span class="tile__icon" aria-hidden="true">
            <Icon name="micOff" />
          </span>
        )}
        {host && <span class="tile__badge">{t('media.host')}</span>}
        {sharing && (
          <span class="tile__badge tile__badge--screen">
            <Icon name="screen" />
            {t('media.presenting')}
          </span>
        )}
        {hand && (
          <span class="tile__badge tile__badge--hand">
            <Icon name="hand" />
            {t('media.hand_raised')}
          </span>
        )}
      </div>
      {onPin && (
        <button type="button" class="tile__pin" aria-pressed={pinned ? 'true' : 'false'} aria-label={t('media.pin', { name })} onClick={onPin}>
          <Icon name="pin" />
        </button>
      )}
    </li>
  );
}
