// Video and audio meetings in rooms: the media API's shapes and calls, the browser's devices,
// and `MeetingConnection`, which owns one person's presence in a room's meeting — the join
// ticket, the Janus session, the publisher handle (own microphone, camera or screen) and ONE
// multistream subscriber handle for everyone else — and keeps it alive: reconnection with
// back-off (each new join naming the connection it replaces), a fresh room token and pin every
// few minutes and before a late subscriber join, a fresh ticket before the core token expires,
// the lobby, what hosts do to us, and news of one's own recordings.
// Loaded only with the call page (it pulls in janus-gateway).
import { api, Problem } from './api';
import { JanusError, JanusSession, type JanusMessage, type Jsep, type PluginHandle, type TrackSpec } from './janus';
import { watch } from './realtime';
import { createStore, type Store } from './store';

const enc = encodeURIComponent;

// ---------------------------------------------------------------- the API

export type MediaKind = 'audio' | 'video';

export interface MediaRoom {
  id: string;
  name: string;
  locked: boolean;
  lobby: boolean;
  recording: boolean;
}

export interface MediaTicket {
  state: 'admitted';
  room: MediaRoom;
  /** `muted` (not in the contract, sent by the server): what a host has muted, kept over a rejoin. */
  participant: { id: number; display_name: string; host: boolean; muted?: { audio?: boolean; video?: boolean } };
  janus: { server: string; room: number; pin: string; token: string; room_token: string; opaque_id: string };
  ice_servers: RTCIceServer[];
  expires_at: string;
}

export interface MediaWaiting {
  state: 'waiting';
  room: MediaRoom;
}

export interface MediaParticipant {
  /** The Janus feed id. */
  id: number;
  person_id: string;
  display_name: string;
  host: boolean;
  hand_raised: boolean;
  /** Shares their screen now (sent in place of the camera). */
  sharing: boolean;
  muted: { audio: boolean; video: boolean };
  joined_at: string;
}

export interface MediaWaitingPerson {
  person_id: string;
  display_name: string;
  asked_at: string;
}

export interface MediaLive {
  available: boolean;
  locked: boolean;
  lobby: boolean;
  recording: boolean;
  host: boolean;
  participants: MediaParticipant[];
  waiting: MediaWaitingPerson[];
}

/** A fresh room token (valid 60 s) and the room's current pin, for one's own live connection. */
export interface MediaRoomToken {
  room_token: string;
  pin: string;
  expires_at: string;
}

export type RecordingState = 'recording' | 'processing' | 'ready' | 'failed';

export interface MediaRecording {
  id: string;
  state: RecordingState;
  started_by: { id: string; display_name: string };
  started_at: string;
  stopped_at: string | null;
  /** The WebM stored as a document (state `ready`). */
  document_id: string | null;
  size: number | null;
  /** Why it failed (state `failed`), in the server's words. */
  problem: string;
}

const path = (roomId: string) => `/rooms/${enc(roomId)}/media`;

export const mediaApi = {
  /** `replaces`: one's previous connection (a reconnect), which the server then marks as left. */
  join: (roomId: string, replaces: number | null = null) =>
    api.post<MediaTicket | MediaWaiting>(`${path(roomId)}/join`, replaces ? { replaces } : {}),
  live: async (roomId: string) => readLive(await api.get<unknown>(path(roomId))),
  streams: (roomId: string, participant: number, streams: { mid: string; type: MediaKind }[]) =>
    api.post<void>(`${path(roomId)}/participants/${participant}/streams`, { streams }),
  /** 404: that connection is no longer in the meeting; 410: the meeting is over for this person. */
  token: (roomId: string, participant: number) => api.post<MediaRoomToken>(`${path(roomId)}/participants/${participant}/token`, {}),
  leave: (roomId: string, participant: number, keepalive = false) =>
    api.post<void>(`${path(roomId)}/leave`, { participant }, { keepalive }),
  /** Stop waiting in the lobby. */
  withdraw: (roomId: string, keepalive = false) => api.post<void>(`${path(roomId)}/leave`, {}, { keepalive }),
  recording: (roomId: string, on: boolean) => api.post<MediaRecording>(`${path(roomId)}/recording`, { on }),
  recordings: async (roomId: string) => readRecordings(await api.get<unknown>(`${path(roomId)}/recordings`)),
  hand: (roomId: string, participant: number, raised: boolean) => api.post<void>(`${path(roomId)}/hand`, { participant, raised }),
  /** Tells the others that one's video is a shared screen now (or no longer). */
  screen: (roomId: string, participant: number, sharing: boolean) => api.post<void>(`${path(roomId)}/screen`, { participant, sharing }),
  mute: (roomId: string, participant: number, kind: MediaKind, muted: boolean) =>
    api.post<void>(`${path(roomId)}/participants/${participant}/mute`, { kind, muted }),
  remove: (roomId: string, participant: number) => api.post<void>(`${path(roomId)}/participants/${participant}/remove`, {}),
  lock: (roomId: string, locked: boolean) => api.post<void>(`${path(roomId)}/lock`, { locked }),
  end: (roomId: string) => api.post<void>(`${path(roomId)}/end`, {}),
  lobby: (roomId: string, personId: string, admit: boolean) => api.post<void>(`${path(roomId)}/lobby/${enc(personId)}`, { admit }),
};

/** The live state, tolerant of missing members (a half-built server must not break the page). */
function readLive(data: unknown): MediaLive {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const list = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]).filter((x) => x && typeof x === 'object') : []);
  return {
    available: d.available !== false,
    locked: d.locked === true,
    lobby: d.lobby === true,
    recording: d.recording === true,
    host: d.host === true,
    participants: list(d.participants).map((p) => {
      const muted = (p.muted && typeof p.muted === 'object' ? p.muted : {}) as Record<string, unknown>;
      return {
        id: Number(p.id),
        person_id: String(p.person_id ?? ''),
        display_name: typeof p.display_name === 'string' ? p.display_name : '',
        host: p.host === true,
        hand_raised: p.hand_raised === true,
        sharing: p.sharing === true,
        muted: { audio: muted.audio === true, video: muted.video === true },
        joined_at: typeof p.joined_at === 'string' ? p.joined_at : '',
      };
    }),
    waiting: list(d.waiting).map((w) => ({
      person_id: String(w.person_id ?? ''),
      display_name: typeof w.display_name === 'string' ? w.display_name : '',
      asked_at: typeof w.asked_at === 'string' ? w.asked_at : '',
    })),
  };
}

const RECORDING_STATES: RecordingState[] = ['recording', 'processing', 'ready', 'failed'];

/** The room's recordings, the latest first (tolerant like `readLive`). */
function readRecordings(data: unknown): MediaRecording[] {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const items = Array.isArray(d.items) ? (d.items as Record<string, unknown>[]).filter((x) => x && typeof x === 'object') : [];
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return items.map((r) => {
    const by = (r.started_by && typeof r.started_by === 'object' ? r.started_by : {}) as Record<string, unknown>;
    const state = RECORDING_STATES.find((s) => s === r.state) ?? 'failed';
    return {
      id: String(r.id ?? ''),
      state,
      started_by: { id: String(by.id ?? ''), display_name: text(by.display_name) },
      started_at: text(r.started_at),
      stopped_at: typeof r.stopped_at === 'string' ? r.stopped_at : null,
      document_id: typeof r.document_id === 'string' && r.document_id ? r.document_id : null,
      size: typeof r.size === 'number' ? r.size : null,
      problem: text(r.problem),
    };
  });
}

/** The media API names its refusals in `code`; else the slug of the problem's `type`. */
export function mediaCode(error: unknown): string {
  if (!(error instanceof Problem)) return error instanceof JanusError ? 'janus' : 'unknown';
  return typeof error.data.code === 'string' && error.data.code ? error.data.code : error.slug;
}

// ---------------------------------------------------------------- devices

export type DeviceProblem = 'denied' | 'missing' | 'busy' | 'unsupported' | 'failed';

export function deviceProblem(error: unknown): DeviceProblem {
  const name = error && typeof error === 'object' && 'name' in error ? String((error as { name: unknown }).name) : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'denied';
    case 'NotFoundError':
    case 'OverconstrainedError':
      return 'missing';
    case 'NotReadableError':
    case 'AbortError':
      return 'busy';
    default:
      return 'failed';
  }
}

export const devicesSupported = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getUserMedia;
export const screenShareSupported = () => typeof navigator !== 'undefined' && !!navigator.mediaDevices?.getDisplayMedia;
export const speakerChoiceSupported = () => typeof HTMLMediaElement !== 'undefined' && 'setSinkId' in HTMLMediaElement.prototype;

const micConstraints = (deviceId?: string): MediaTrackConstraints => ({
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  echoCancellation: true,
  noiseSuppression: true,
  autoGainControl: true,
});
// 960×540 is sharp enough for a tile or a speaker view, and its three simulcast layers fit in
// about 1 Mbit/s (a room's bitrate cap would starve the top layer of a 720p camera).
const cameraConstraints = (deviceId?: string): MediaTrackConstraints => ({
  ...(deviceId ? { deviceId: { exact: deviceId } } : {}),
  width: { ideal: 960 },
  height: { ideal: 540 },
  frameRate: { ideal: 24, max: 30 },
});
const SIMULCAST = { high: 700_000, medium: 250_000, low: 80_000 };

export async function captureMic(deviceId?: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ audio: micConstraints(deviceId) });
  return stream.getAudioTracks()[0]!;
}

export async function captureCamera(deviceId?: string): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getUserMedia({ video: cameraConstraints(deviceId) });
  return stream.getVideoTracks()[0]!;
}

/** Both at once (one permission question), else each on its own so that one missing device
 * or one refusal does not cost the other. */
export async function captureBoth(): Promise<{
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  micProblem: DeviceProblem | null;
  cameraProblem: DeviceProblem | null;
}> {
  if (!devicesSupported()) return { mic: null, camera: null, micProblem: 'unsupported', cameraProblem: 'unsupported' };
  try {
    const stream = await navigator.mediaDevices.getUserMedia({ audio: micConstraints(), video: cameraConstraints() });
    return { mic: stream.getAudioTracks()[0] ?? null, camera: stream.getVideoTracks()[0] ?? null, micProblem: null, cameraProblem: null };
  } catch {
    /* try them one by one */
  }
  const one = async (capture: () => Promise<MediaStreamTrack>) => {
    try {
      return { track: await capture(), problem: null };
    } catch (error) {
      return { track: null, problem: deviceProblem(error) };
    }
  };
  const mic = await one(() => captureMic());
  const camera = await one(() => captureCamera());
  return { mic: mic.track, camera: camera.track, micProblem: mic.problem, cameraProblem: camera.problem };
}

export async function captureScreen(): Promise<MediaStreamTrack> {
  const stream = await navigator.mediaDevices.getDisplayMedia({ video: { frameRate: { ideal: 15, max: 30 } }, audio: false });
  const track = stream.getVideoTracks()[0]!;
  // Text on slides and documents stays sharp rather than smooth.
  track.contentHint = 'detail';
  return track;
}

// ---------------------------------------------------------------- the connection

export type MediaState = 'prejoin' | 'joining' | 'joined' | 'reconnecting' | 'waiting' | 'left' | 'removed' | 'ended' | 'failed';

/**
 * Why the meeting is over for this person (the page words it). `gone`: the server no longer
 * counts this connection as in the meeting (found on the regular token renewal).
 */
export type EndReason = 'left' | 'removed' | 'gone' | 'ended' | 'ended_by_host' | 'refused' | 'problem';

const FINAL: MediaState[] = ['left', 'removed', 'ended', 'failed'];

export interface RemoteFeed {
  /** The Janus feed id (= participants[].id of the live state). */
  id: number;
  audio: MediaStreamTrack | null;
  video: MediaStreamTrack | null;
  /** Media is arriving (a track with nothing coming is "muted": camera or microphone off). */
  audioOn: boolean;
  videoOn: boolean;
}

export interface MeetingView {
  state: MediaState;
  reason: EndReason | null;
  /** What made the join fail (state `failed`, reason `problem`). */
  problem: unknown;
  room: MediaRoom | null;
  me: MediaTicket['participant'] | null;
  live: MediaLive | null;
  feeds: RemoteFeed[];
  /** Feed ids talking now (own included). */
  talking: number[];
  mic: boolean;
  camera: boolean;
  sharing: boolean;
  /** Own picture for the self view: the screen while sharing, else the camera when on. */
  localVideo: MediaStreamTrack | null;
  hasMic: boolean;
  hasCamera: boolean;
  /** A host muted this person's microphone / stopped their camera (they cannot undo it). */
  hostMuted: { audio: boolean; video: boolean };
  /** Janus refused our media (the room's publisher limit): we watch and listen only. */
  publishFailed: boolean;
  /** Reconnection attempts since the connection was lost. */
  attempt: number;
  /** Grows whenever the room's recordings may have changed (the list reads them again). */
  recordingsVersion: number;
  /** One's own recording of this room was made (or failed) since the last dismissal. */
  recordingNews: MediaRecording | null;
}

interface FeedInfo {
  dummy: boolean;
  streams: { mid: string; type: string; disabled: boolean }[];
}

/** What the browser tests read (see the task): the live PeerConnections and the state. */
interface MediaProbe {
  publisher: RTCPeerConnection | null;
  subscriber: RTCPeerConnection | null;
  state: string;
}
declare global {
  interface Window {
    __ratushaMedia?: MediaProbe;
  }
}

/**
 * The Janus address as janus.js needs it. A path ("/janus") means Janus reached through
 * Ratusha's own origin (a WebSocket relay) — the only one the CSP (connect-src 'self') lets the
 * page connect to: ws(s)://<this host>/janus, secure when the page is.
 */
export function janusUrl(server: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  if (server.startsWith('//')) return `${scheme}${server}`;
  if (!server.startsWith('/')) return server;
  return `${scheme}//${location.host}${server}`;
}

export function setProbe(state: MediaState): void {
  window.__ratushaMedia = { publisher: null, subscriber: null, state };
}

/**
 * A room token is good for 60 s from when the server made it: an older one than this (the
 * first person alone, subscribing when someone arrives later) is replaced before use.
 */
const ROOM_TOKEN_MS = 45_000;
/**
 * While joined, a fresh room token and pin this often (`…/participants/{id}/token`): ready for
 * a subscriber join, and the server checks that we may still be there. A failed request is
 * tried again sooner.
 */
const TOKEN_EVERY_MS = 4 * 60_000;
const TOKEN_RETRY_MS = 30_000;
/** 409 meeting-changed (ended or started again while joining): joined again at once, this often. */
const MAX_CHANGED_JOINS = 3;
const JOIN_TIMEOUT_MS = 15_000;
const ICE_DISCONNECTED_MS = 8_000;
/** A PeerConnection not up after this long (no usable network path) is started again. */
const CONNECT_TIMEOUT_MS = 15_000;
/** No new frames (video) or packets (audio) for this long: that camera or microphone is off. */
const FLOW_STALL_MS = 2_500;
const MAX_BACKOFF_S = 10;
/** Renew the ticket this long before the core token expires. */
const RENEW_BEFORE_MS = 60_000;
/** A join request that hangs (a dead network holds TCP for minutes) counts as failed. */
const REQUEST_TIMEOUT_MS = 10_000;

function timeLimit<T>(work: Promise<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = window.setTimeout(() => reject(new Problem({ slug: 'network', status: 0 })), REQUEST_TIMEOUT_MS);
    work.then(resolve, reject).finally(() => window.clearTimeout(timer));
  });
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : null);

export interface LocalMedia {
  mic: MediaStreamTrack | null;
  camera: MediaStreamTrack | null;
  micOn: boolean;
  cameraOn: boolean;
}

export class MeetingConnection {
  readonly store: Store<MeetingView>;
  private state: MediaState = 'prejoin';
  private reason: EndReason | null = null;
  private problem: unknown = null;
  private room: MediaRoom | null = null;
  private ticket: MediaTicket | null = null;
  /** When the ticket's room token (or the latest fresh one) arrived. */
  private tokenAt = 0;
  /** A host removed someone or (un)locked the room since: the pin we hold may be old. */
  private pinStale = false;
  private tokenTimer: number | undefined;
  private changedJoins = 0;
  private everJoined = false;
  private live: MediaLive | null = null;
  private liveSeq = 0;
  private liveTimer: number | undefined;

  // Janus: everything below belongs to one generation; callbacks of an older one are ignored.
  private gen = 0;
  private session: JanusSession | null = null;
  private publisher: PluginHandle | null = null;
  private subscriber: PluginHandle | null = null;
  private privateId: number | null = null;
  private publishing = false;
  /** An offer is on its way to Janus: track changes wait for its answer (then `syncSenders`). */
  private negotiating = false;
  private publishFailed = false;
  private feeds = new Map<number, FeedInfo>();
  /** `feed/mid` of the publisher streams asked for on the subscriber. */
  private asked = new Set<string>();
  private subState: 'none' | 'joining' | 'joined' = 'none';
  /** Subscriber joins refused in a row (tried once more with a fresh token and pin). */
  private subRefusals = 0;
  /** Subscriber mid → what it carries. */
  private subStreams = new Map<string, { feed: number; type: string }>();
  private midTracks = new Map<string, MediaStreamTrack>();
  private midLive = new Map<string, boolean>();
  private quality = new Map<string, number>();
  private flow = new Map<string, { count: number; at: number }>();
  private flowTimer: number | undefined;
  private talking = new Set<number>();
  /** Offers and answers of the subscriber one after the other. */
  private subChain: Promise<void> = Promise.resolve();

  private local: LocalMedia;
  private screen: MediaStreamTrack | null = null;
  private hostMuted = { audio: false, video: false };
  private recordingsVersion = 0;
  private recordingNews: MediaRecording | null = null;

  private attempt = 0;
  private retryTimer: number | undefined;
  private joinTimer: number | undefined;
  private renewTimer: number | undefined;
  private iceTimers = new Map<string, number>();
  private connectTimers = new Map<string, number>();
  private unwatchPerson: () => void;
  private watchingPerson = true;
  private unwatchRoom: (() => void) | null = null;
  private readonly onOnline = () => {
    if (this.retryTimer === undefined) return;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    void this.enter('again');
  };

  constructor(
    readonly roomId: string,
    personId: string,
    local: LocalMedia,
  ) {
    this.local = { ...local };
    if (local.mic) local.mic.enabled = local.micOn;
    this.store = createStore<MeetingView>(this.view());
    const self = this;
    window.__ratushaMedia = {
      get publisher() {
        return self.publisher?.pc ?? null;
      },
      get subscriber() {
        return self.subscriber?.pc ?? null;
      },
      get state() {
        return self.state;
      },
    };
    // From the start, so that an admission from the lobby is never missed.
    // While waiting, a lost (or late) subscription may have missed the answer: ask again.
    const askAgain = () => {
      if (this.state === 'waiting') void this.enter('first');
    };
    const stop = watch(
      `person:${personId}`,
      (event) => {
        if (String(event.data.room_id ?? '') !== roomId) return;
        // One's own recording of this room was turned into a document (or could not be).
        if (event.event === 'media.recording_ready' || event.event === 'media.recording_failed') {
          this.recordingNews = readRecordings({ items: [event.data.recording] })[0] ?? null;
          this.recordingsVersion++;
          this.emit();
          return;
        }
        if (this.state !== 'waiting') return;
        if (event.event === 'media.admitted') void this.enter('first');
        else if (event.event === 'media.refused') this.finish('failed', 'refused');
      },
      askAgain,
      askAgain,
    );
    this.unwatchPerson = () => {
      if (this.watchingPerson) stop();
      this.watchingPerson = false;
    };
    window.addEventListener('online', this.onOnline);
  }

  // ---------------------------------------------------------------- what the page calls

  /** Asks to join (the pre-join screen's "Join"). */
  join(): Promise<void> {
    return this.enter('first');
  }

  /**
   * Leaves for good (the "Leave" button, or the page going away): the connection leaves, and
   * from the lobby the request to come in is withdrawn.
   */
  async leave(withdraw = true): Promise<void> {
    if (this.final()) return;
    const me = this.ticket?.participant;
    const waiting = withdraw && this.state === 'waiting';
    this.finish('left', 'left');
    await Promise.all([
      me ? mediaApi.leave(this.roomId, me.id).catch(() => undefined) : null,
      waiting ? mediaApi.withdraw(this.roomId).catch(() => undefined) : null,
    ]);
  }

  /** The lobby's "Stop waiting": the hosts no longer see the request (throws when it failed). */
  async stopWaiting(): Promise<void> {
    if (this.final()) return;
    await mediaApi.withdraw(this.roomId);
    await this.leave(false);
  }

  /** The tab is closing: requests that outlive the page. */
  leaveOnUnload(): void {
    if (this.final()) return;
    const me = this.ticket?.participant;
    if (me) void mediaApi.leave(this.roomId, me.id, true).catch(() => undefined);
    if (this.state === 'waiting') void mediaApi.withdraw(this.roomId, true).catch(() => undefined);
    this.finish('left', 'left');
  }

  /** The notice about one's finished recording was read. */
  dismissRecordingNews(): void {
    this.recordingNews = null;
    this.emit();
  }

  /** Microphone on or off; false when a host has muted it. */
  async setMic(on: boolean): Promise<boolean> {
    if (on && this.hostMuted.audio) return false;
    this.local.micOn = on && !!this.local.mic;
    if (this.local.mic) this.local.mic.enabled = this.local.micOn;
    this.emit();
    await this.sendTrack('audio', this.local.micOn ? this.local.mic : null);
    return true;
  }

  /** Another microphone (device choice) or one found after all. */
  async useMic(track: MediaStreamTrack): Promise<void> {
    const old = this.local.mic;
    this.local.mic = track;
    track.enabled = this.local.micOn && !this.hostMuted.audio;
    if (old && old !== track) old.stop();
    await this.sendTrack('audio', track.enabled ? track : null);
    this.emit();
  }

  /** Camera on (with the track the page captured) or off (the camera is released). */
  async setCamera(track: MediaStreamTrack | null): Promise<boolean> {
    if (track && this.hostMuted.video) {
      track.stop();
      return false;
    }
    const old = this.local.camera;
    this.local.camera = track;
    this.local.cameraOn = !!track;
    this.emit();
    if (!this.screen) await this.sendTrack('video', track);
    if (old && old !== track) old.stop();
    this.emit();
    return true;
  }

  /** Shares the screen in place of the camera (same video m-line: see `sendTrack`). */
  async shareScreen(track: MediaStreamTrack): Promise<void> {
    if (this.hostMuted.video) {
      track.stop();
      return;
    }
    this.screen?.stop();
    this.screen = track;
    // The browser's own "Stop sharing" ends the track.
    track.addEventListener('ended', () => {
      if (this.screen === track) void this.stopScreen();
    });
    this.emit();
    await this.sendTrack('video', track);
    this.emit();
    void this.tellSharing();
  }

  async stopScreen(): Promise<void> {
    const track = this.screen;
    if (!track) return;
    this.screen = null;
    track.stop();
    this.emit();
    await this.sendTrack('video', this.local.cameraOn ? this.local.camera : null);
    this.emit();
    void this.tellSharing();
  }

  async setHand(raised: boolean): Promise<void> {
    await this.tell('hand_raised', raised, (id) => mediaApi.hand(this.roomId, id, raised));
  }

  /** Tells the others whether our video is a screen (they show it large); the picture goes anyway. */
  private async tellSharing(): Promise<void> {
    const sharing = !!this.screen;
    await this.tell('sharing', sharing, (id) => mediaApi.screen(this.roomId, id, sharing)).catch(() => undefined);
  }

  /** Something the others see about us: sent, then shown in our own list at once. */
  private async tell(field: 'hand_raised' | 'sharing', on: boolean, send: (participant: number) => Promise<void>): Promise<void> {
    const me = this.ticket?.participant;
    if (!me) return;
    await send(me.id);
    if (this.live) {
      this.live = { ...this.live, participants: this.live.participants.map((p) => (p.id === me.id ? { ...p, [field]: on } : p)) };
      this.emit();
    }
  }

  /** Reads the live state again (after a host action). */
  refreshLive(): void {
    void this.loadLive();
  }

  /**
   * Which simulcast layer to receive of a feed's video: 2 for the big picture, 0 for small
   * tiles (saves the downlink on a phone).
   */
  setQuality(feed: number, substream: 0 | 1 | 2): void {
    const sub = this.subscriber;
    if (!sub || this.subState !== 'joined') return;
    for (const [mid, s] of this.subStreams) {
      if (s.feed !== feed || s.type !== 'video' || this.quality.get(mid) === substream) continue;
      this.quality.set(mid, substream);
      void sub.send({ request: 'configure', mid, substream }).catch(() => this.quality.delete(mid));
    }
  }

  /** The page is gone without a goodbye (e.g. navigation): same as leaving. */
  dispose(): void {
    void this.leave();
    this.unwatchPerson();
  }

  // ---------------------------------------------------------------- joining

  private final(): boolean {
    return FINAL.includes(this.state);
  }

  private setState(state: MediaState): void {
    this.state = state;
    this.emit();
  }

  /**
   * POST join, then Janus. `first`: a refusal is shown (state failed); `again` (after a lost
   * connection): anything but a definite refusal is tried again later. A join after an earlier
   * ticket (a reconnection, the ticket renewed) names the connection it replaces, so that the
   * server marks it as left at once (no ghost in the list).
   */
  private async enter(mode: 'first' | 'again'): Promise<void> {
    if (this.final()) return;
    const gen = ++this.gen;
    this.clearJoinTimer();
    if (mode === 'first') this.setState('joining');
    let answer: MediaTicket | MediaWaiting;
    try {
      answer = await timeLimit(mediaApi.join(this.roomId, this.ticket?.participant.id ?? null));
    } catch (error) {
      if (gen === this.gen) this.refused(error, mode);
      return;
    }
    if (gen !== this.gen || this.final()) return;
    this.changedJoins = 0;
    this.room = answer.room;
    if (answer.state === 'waiting') {
      this.teardown();
      this.setState('waiting');
      return;
    }
    if (this.state === 'waiting') this.setState('joining');
    try {
      await this.connect(answer, gen);
    } catch (error) {
      if (gen !== this.gen) return;
      this.teardown();
      if (mode === 'first' && !this.everJoined) this.fail(error);
      else this.retryLater();
    }
  }

  private refused(error: unknown, mode: 'first' | 'again'): void {
    switch (mediaCode(error)) {
      case 'removed':
        return this.finish('removed', 'removed');
      case 'meeting-ended':
        return this.finish('ended', 'ended');
      case 'meeting-changed':
        // Ended or started again while we were joining: simply join again.
        if (this.changedJoins++ < MAX_CHANGED_JOINS) {
          void this.enter(mode);
          return;
        }
        if (mode === 'again' || this.everJoined) return this.retryLater();
        return this.fail(error);
      case 'network':
      case 'server':
      case 'media-unavailable':
      case 'rate-limited':
        if (mode === 'again' || this.everJoined) return this.retryLater(error instanceof Problem ? error.retryAfter : null);
        return this.fail(error);
      default:
        return this.fail(error);
    }
  }

  private fail(error: unknown): void {
    this.problem = error;
    this.finish('failed', 'problem');
  }

  private async connect(ticket: MediaTicket, gen: number): Promise<void> {
    this.ticket = ticket;
    this.tokenAt = Date.now();
    this.pinStale = false;
    this.room = ticket.room;
    this.resetJanusState();
    // Known before publishing, so that nothing a host muted is sent even for a moment.
    const muted = ticket.participant.muted;
    if (muted && typeof muted === 'object') {
      if (!!muted.audio !== this.hostMuted.audio) await this.applyHostMute('audio', !!muted.audio);
      if (!!muted.video !== this.hostMuted.video) await this.applyHostMute('video', !!muted.video);
    }
    const session = await JanusSession.connect({
      server: janusUrl(ticket.janus.server),
      token: ticket.janus.token,
      iceServers: ticket.ice_servers ?? [],
      onLost: (why) => gen === this.gen && this.lost(why),
    });
    if (gen !== this.gen) {
      void session.destroy();
      return;
    }
    this.session = session;
    const publisher = await session.attach(ticket.janus.opaque_id, {
      onmessage: (m, jsep) => gen === this.gen && this.onPublisherMessage(m, jsep),
      iceState: (s) => gen === this.gen && this.onIce('publisher', s),
      webrtcState: (up) => gen === this.gen && !up && this.publishing && this.lost('hangup'),
    });
    if (gen !== this.gen) return;
    this.publisher = publisher;
    this.joinTimer = window.setTimeout(() => gen === this.gen && this.lost('join-timeout'), JOIN_TIMEOUT_MS);
    await publisher.send({
      request: 'join',
      ptype: 'publisher',
      room: ticket.janus.room,
      id: ticket.participant.id,
      display: ticket.participant.display_name,
      pin: ticket.janus.pin,
      token: ticket.janus.room_token,
    });
    // Continues with the "joined" event (onPublisherMessage).
  }

  private resetJanusState(): void {
    this.privateId = null;
    this.publishing = false;
    this.negotiating = false;
    this.publishFailed = false;
    this.feeds.clear();
    this.asked.clear();
    this.subState = 'none';
    this.subRefusals = 0;
    this.subStreams.clear();
    this.midTracks.clear();
    this.midLive.clear();
    this.quality.clear();
    this.flow.clear();
    window.clearInterval(this.flowTimer);
    this.flowTimer = undefined;
    this.talking.clear();
    this.subChain = Promise.resolve();
  }

  /** Ends the Janus session of this generation (its PeerConnections with it). */
  private teardown(): void {
    this.gen++;
    this.clearJoinTimer();
    for (const timer of [...this.iceTimers.values(), ...this.connectTimers.values()]) window.clearTimeout(timer);
    this.iceTimers.clear();
    this.connectTimers.clear();
    window.clearTimeout(this.renewTimer);
    window.clearTimeout(this.tokenTimer);
    this.tokenTimer = undefined;
    this.publisher?.close();
    this.subscriber?.close();
    const session = this.session;
    this.session = null;
    this.publisher = null;
    this.subscriber = null;
    this.resetJanusState();
    if (session) void session.destroy();
  }

  private clearJoinTimer(): void {
    window.clearTimeout(this.joinTimer);
    this.joinTimer = undefined;
  }

  /** The connection broke (network, Janus restart, ICE): rebuild it after a pause. */
  private lost(_why: string): void {
    if (this.final() || this.state === 'waiting' || this.state === 'prejoin') return;
    this.teardown();
    if (this.state !== 'reconnecting') {
      this.attempt = 0;
      this.setState('reconnecting');
    }
    this.retryLater();
  }

  /** Waits 1, 2, 4, 8, then 10 s between attempts (longer if the server asks for it). */
  private retryLater(retryAfter: number | null = null): void {
    if (this.final() || this.retryTimer !== undefined) return;
    if (this.state !== 'reconnecting') this.state = 'reconnecting';
    const backoff = Math.min(MAX_BACKOFF_S, 2 ** this.attempt);
    const wait = Math.max(backoff, Math.min(retryAfter ?? 0, 60)) * 1000;
    this.attempt++;
    this.emit();
    this.retryTimer = window.setTimeout(() => {
      this.retryTimer = undefined;
      void this.enter('again');
    }, wait);
  }

  /** The core token runs out: join again (fresh tokens) before it does. */
  private scheduleRenewal(): void {
    window.clearTimeout(this.renewTimer);
    const expires = Date.parse(this.ticket?.expires_at ?? '');
    if (Number.isNaN(expires)) return;
    const wait = Math.max(10_000, expires - Date.now() - RENEW_BEFORE_MS);
    this.renewTimer = window.setTimeout(() => {
      if (this.state !== 'joined') return;
      this.teardown();
      this.attempt = 0;
      this.setState('reconnecting');
      void this.enter('again');
    }, wait);
  }

  /** While joined: a fresh room token and pin every few minutes (see TOKEN_EVERY_MS). */
  private scheduleToken(wait: number): void {
    window.clearTimeout(this.tokenTimer);
    const gen = this.gen;
    this.tokenTimer = window.setTimeout(() => {
      if (gen !== this.gen || this.state !== 'joined') return;
      void this.renewToken().then((ok) => {
        if (gen === this.gen && this.state === 'joined') this.scheduleToken(ok ? TOKEN_EVERY_MS : TOKEN_RETRY_MS);
      });
    }, wait);
  }

  /**
   * A fresh room token and the current pin for our connection. false when there is none now
   * (network…); when the server says our connection is no longer live (404) or the meeting is
   * over for us (410), we leave with that said.
   */
  private async renewToken(): Promise<boolean> {
    const ticket = this.ticket;
    const gen = this.gen;
    if (!ticket) return false;
    let answer: MediaRoomToken;
    try {
      answer = await timeLimit(mediaApi.token(this.roomId, ticket.participant.id));
    } catch (error) {
      if (gen !== this.gen || this.final()) return false;
      const code = mediaCode(error);
      if (code === 'meeting-ended') this.finish('ended', 'ended');
      else if (code === 'not-found') this.finish('removed', 'gone');
      return false;
    }
    if (gen !== this.gen || this.ticket !== ticket || this.final()) return false;
    this.ticket = { ...ticket, janus: { ...ticket.janus, room_token: answer.room_token, pin: answer.pin } };
    this.tokenAt = Date.now();
    this.pinStale = false;
    return true;
  }

  private finish(state: MediaState, reason: EndReason): void {
    if (this.final()) return;
    window.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    window.clearTimeout(this.liveTimer);
    this.teardown();
    this.unwatchRoom?.();
    this.unwatchRoom = null;
    this.unwatchPerson();
    window.removeEventListener('online', this.onOnline);
    // The camera light goes off: nothing is sent any more.
    this.screen?.stop();
    this.screen = null;
    this.local.mic?.stop();
    this.local.camera?.stop();
    this.reason = reason;
    this.state = state;
    this.emit();
  }

  // ---------------------------------------------------------------- the publisher handle

  private onPublisherMessage(m: JanusMessage, jsep: Jsep | undefined): void {
    const kind = m.videoroom;
    if (kind === 'joined') return this.joined(m);
    if (kind === 'talking' || kind === 'stopped-talking') {
      const id = num(m.id);
      if (id === null) return;
      if (kind === 'talking') this.talking.add(id);
      else this.talking.delete(id);
      this.emit();
      return;
    }
    if (kind === 'destroyed') return this.finish('ended', 'ended');
    if (kind !== 'event') return;

    if (m.error_code !== undefined) {
      // Before "joined": the join was refused (bad or late token, room gone…).
      if (this.joinTimer !== undefined) {
        this.clearJoinTimer();
        if (!this.everJoined) {
          this.teardown();
          this.fail(new JanusError(String(m.error ?? m.error_code)));
        } else this.lost('join-refused');
        return;
      }
      // After: publishing was refused (e.g. the room's publisher limit): watch and listen.
      this.negotiating = false;
      this.publishFailed = true;
      this.emit();
      return;
    }
    if (Array.isArray(m.publishers)) this.addPublishers(m.publishers);
    const gone = num(m.unpublished) ?? num(m.leaving) ?? num(m.kicked);
    if (gone !== null) this.removeFeed(gone);
    if (m.leaving === 'ok' && m.reason === 'kicked') return this.finish('removed', 'removed');
    if (m.configured === 'ok' && jsep) void this.configured(jsep);
  }

  private joined(m: JanusMessage): void {
    const ticket = this.ticket;
    if (!ticket) return;
    this.clearJoinTimer();
    this.privateId = num(m.private_id);
    this.everJoined = true;
    this.attempt = 0;
    this.state = 'joined';
    if (Array.isArray(m.publishers)) this.addPublishers(m.publishers, false);
    this.ensureSubscriber();
    this.scheduleRenewal();
    this.scheduleToken(TOKEN_EVERY_MS);
    this.watchRoom();
    void this.loadLive();
    this.emit();
    void this.publish();
  }

  /** Own microphone and camera (or screen); nothing when there is neither (watch only). */
  private async publish(): Promise<void> {
    const publisher = this.publisher;
    const gen = this.gen;
    if (!publisher) return;
    const tracks: TrackSpec[] = [];
    if (this.local.mic) tracks.push({ type: 'audio', capture: this.local.mic, recv: false, dontStop: true });
    const video = this.screen ?? (this.local.cameraOn ? this.local.camera : null);
    if (video) tracks.push({ type: 'video', capture: video, recv: false, simulcast: true, simulcastMaxBitrates: SIMULCAST, dontStop: true });
    if (tracks.length === 0) return;
    this.negotiating = true;
    try {
      const jsep = await publisher.offer(tracks);
      if (gen !== this.gen) return;
      // A microphone switched off before joining: its m-line exists (for host mutes), silent.
      if (!this.local.micOn || this.hostMuted.audio) await this.senderOf('audio')?.replaceTrack(null);
      await publisher.send({ request: 'publish' }, jsep);
      this.awaitConnected('publisher', publisher.pc);
      this.emit();
    } catch {
      if (gen !== this.gen) return;
      this.negotiating = false;
      this.publishFailed = true;
      this.emit();
    }
  }

  private async configured(jsep: Jsep): Promise<void> {
    const publisher = this.publisher;
    const gen = this.gen;
    if (!publisher) return;
    try {
      await publisher.acceptAnswer(jsep);
    } catch {
      if (gen === this.gen) this.lost('answer');
      return;
    }
    if (gen !== this.gen) return;
    this.publishing = true;
    this.negotiating = false;
    this.publishFailed = false;
    this.emit();
    await this.syncSenders();
    await this.reportStreams();
  }

  /** Whatever changed while an offer was out (microphone, camera, screen) goes on the wire now. */
  private async syncSenders(): Promise<void> {
    for (const kind of ['audio', 'video'] as const) {
      const want =
        kind === 'audio'
          ? this.local.micOn && !this.hostMuted.audio
            ? this.local.mic
            : null
          : (this.screen ?? (this.local.cameraOn ? this.local.camera : null));
      const sender = this.senderOf(kind);
      if (sender ? sender.track !== want : want) await this.sendTrack(kind, want);
      if (this.negotiating) return; // a renegotiation started: its answer calls this again
    }
  }

  /** Tells Ratusha the mids we send (a host's mute works on mids). */
  private async reportStreams(): Promise<void> {
    const pc = this.publisher?.pc;
    const me = this.ticket?.participant;
    if (!pc || !me) return;
    const streams = pc
      .getTransceivers()
      .filter((t) => t.mid !== null && (t.direction === 'sendonly' || t.direction === 'sendrecv'))
      .map((t) => ({ mid: t.mid!, type: t.receiver.track.kind as MediaKind }));
    await mediaApi.streams(this.roomId, me.id, streams).catch(() => undefined);
    // A new connection (a reconnect) while sharing: the others learn it again.
    if (this.screen) void this.tellSharing();
  }

  private senderOf(kind: MediaKind): RTCRtpSender | null {
    const pc = this.publisher?.pc;
    if (!pc) return null;
    const t = pc.getTransceivers().find((x) => x.receiver.track.kind === kind && (x.direction === 'sendonly' || x.direction === 'sendrecv'));
    return t?.sender ?? null;
  }

  /**
   * Puts a track on the wire. With an m-line of that kind already there it is a replaceTrack
   * (instant, no renegotiation, the mid a host mutes stays the same); the screen therefore
   * takes the camera's place rather than a second publisher handle, which would be a second
   * Janus participant that Ratusha's participant list, names and host actions do not know.
   * Without one (joined with the camera off), one renegotiation adds it.
   */
  private async sendTrack(kind: MediaKind, track: MediaStreamTrack | null): Promise<void> {
    // Taken up by the next publish, or by the answer to the offer on its way.
    if (this.state !== 'joined' || !this.publisher || this.negotiating) return;
    const sender = this.senderOf(kind);
    if (sender) {
      await sender.replaceTrack(track).catch(() => undefined);
      return;
    }
    if (!track) return;
    const publisher = this.publisher;
    const gen = this.gen;
    this.negotiating = true;
    try {
      const video = kind === 'video';
      const jsep = await publisher.offer([
        { type: kind, capture: track, recv: false, dontStop: true, simulcast: video, simulcastMaxBitrates: video ? SIMULCAST : undefined },
      ]);
      if (gen !== this.gen) return;
      await publisher.send({ request: this.publishing ? 'configure' : 'publish' }, jsep);
      this.awaitConnected('publisher', publisher.pc);
    } catch {
      if (gen === this.gen) {
        this.negotiating = false;
        this.publishFailed = true;
        this.emit();
      }
    }
  }

  // ---------------------------------------------------------------- others' feeds

  private addPublishers(list: unknown[], subscribe = true): void {
    const me = this.ticket?.participant.id;
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      const p = item as Record<string, unknown>;
      const id = num(p.id);
      if (id === null || id === me) continue;
      const streams = (Array.isArray(p.streams) ? (p.streams as Record<string, unknown>[]) : [])
        .filter((s) => s && typeof s === 'object' && typeof s.mid === 'string')
        .map((s) => ({ mid: s.mid as string, type: String(s.type ?? ''), disabled: s.disabled === true }));
      this.feeds.set(id, { dummy: p.dummy === true, streams });
      if (p.talking === true) this.talking.add(id);
    }
    this.emit();
    if (subscribe) this.ensureSubscriber();
  }

  private removeFeed(id: number): void {
    this.talking.delete(id);
    if (!this.feeds.delete(id)) return this.emit();
    const had = [...this.asked].some((k) => k.startsWith(`${id}/`));
    for (const k of [...this.asked]) if (k.startsWith(`${id}/`)) this.asked.delete(k);
    // Janus drops a departed publisher's streams itself; asking as well costs nothing.
    if (had && this.subscriber && this.subState === 'joined') {
      void this.subscriber.send({ request: 'unsubscribe', streams: [{ feed: id }] }).catch(() => undefined);
    }
    this.emit();
  }

  /** Publisher streams not yet asked for (real people only, never ourselves). */
  private wanted(): { feed: number; mid: string }[] {
    const out: { feed: number; mid: string }[] = [];
    for (const [feed, info] of this.feeds) {
      if (info.dummy) continue;
      for (const s of info.streams) {
        if (s.disabled || (s.type !== 'audio' && s.type !== 'video')) continue;
        if (!this.asked.has(`${feed}/${s.mid}`)) out.push({ feed, mid: s.mid });
      }
    }
    return out;
  }

  /**
   * Keeps the one subscriber handle in step with the feeds: joins it when there is someone to
   * receive (right after our own "joined", or when the first other person publishes), then
   * subscribes to what is new.
   */
  private ensureSubscriber(): void {
    const ticket = this.ticket;
    const session = this.session;
    if (!ticket || !session || this.state !== 'joined' || this.subState === 'joining') return;
    const wanted = this.wanted();
    if (wanted.length === 0) return; // joined when the first person publishes
    if (this.subState === 'joined') {
      if (!this.subscriber) return;
      for (const w of wanted) this.asked.add(`${w.feed}/${w.mid}`);
      void this.subscriber.send({ request: 'subscribe', streams: wanted }).catch(() => undefined);
      return;
    }
    // The join needs a room token younger than a minute and the room's current pin: the
    // ticket's may be older (alone in the room until now) or the pin may have changed.
    if (this.pinStale || Date.now() - this.tokenAt > ROOM_TOKEN_MS) {
      void this.freshTokenThenSubscribe();
      return;
    }
    void this.joinSubscriber(session, ticket, wanted);
  }

  private async freshTokenThenSubscribe(): Promise<void> {
    const gen = this.gen;
    this.subState = 'joining';
    const ok = await this.renewToken();
    if (gen !== this.gen || this.final()) return;
    this.subState = 'none';
    if (ok) this.ensureSubscriber();
    else this.lost('room-token');
  }

  private async joinSubscriber(session: JanusSession, ticket: MediaTicket, wanted: { feed: number; mid: string }[]): Promise<void> {
    const gen = this.gen;
    this.subState = 'joining';
    for (const w of wanted) this.asked.add(`${w.feed}/${w.mid}`);
    try {
      // A handle whose join was refused is used again.
      let subscriber = this.subscriber;
      if (!subscriber) {
        subscriber = await session.attach(ticket.janus.opaque_id, {
          onmessage: (m, jsep) => gen === this.gen && this.onSubscriberMessage(m, jsep),
          onremotetrack: (track, mid, on) => gen === this.gen && this.onRemoteTrack(track, mid, on),
          iceState: (s) => gen === this.gen && this.onIce('subscriber', s),
          webrtcState: (up) => gen === this.gen && !up && this.lost('hangup'),
        });
        if (gen !== this.gen) return;
        this.subscriber = subscriber;
        this.flowTimer = window.setInterval(() => void this.checkFlow(gen), 1000);
      }
      await subscriber.send({
        request: 'join',
        ptype: 'subscriber',
        room: ticket.janus.room,
        pin: ticket.janus.pin,
        token: ticket.janus.room_token,
        private_id: this.privateId ?? undefined,
        // Keep the PeerConnection when everyone else has gone (the next one reuses it).
        close_pc: false,
        streams: wanted,
      });
    } catch {
      if (gen === this.gen) this.lost('subscriber');
    }
  }

  private onSubscriberMessage(m: JanusMessage, jsep: Jsep | undefined): void {
    const kind = m.videoroom;
    if (kind === 'attached' || kind === 'updated') {
      if (Array.isArray(m.streams)) this.mapStreams(m.streams);
      if (kind === 'attached') {
        this.subState = 'joined';
        this.subRefusals = 0;
      }
      if (jsep) this.answer(jsep);
      if (kind === 'attached') this.ensureSubscriber();
      this.emit();
      return;
    }
    if (kind === 'event' && m.error_code !== undefined && this.subState === 'joining') {
      // The subscriber join was refused (a late token, a pin changed just now): once more with
      // a fresh room token and the current pin; refused again, the connection starts anew.
      this.subState = 'none';
      this.asked.clear();
      if (this.subRefusals++ > 0) return this.lost('subscriber-refused');
      this.pinStale = true;
      this.ensureSubscriber();
      return;
    }
    if (kind === 'event' && jsep) this.answer(jsep);
  }

  private mapStreams(list: unknown[]): void {
    const seen = new Set<string>();
    for (const item of list) {
      if (!item || typeof item !== 'object') continue;
      const s = item as Record<string, unknown>;
      const mid = typeof s.mid === 'string' ? s.mid : null;
      const feed = num(s.feed_id);
      if (mid === null) continue;
      if (feed === null || s.active === false || this.isDummy(feed)) {
        this.subStreams.delete(mid);
        continue;
      }
      seen.add(mid);
      const before = this.subStreams.get(mid);
      // A reused m-line now carries someone else: forget what it carried.
      if (before && before.feed !== feed) {
        this.midTracks.delete(mid);
        this.midLive.delete(mid);
        this.quality.delete(mid);
      }
      this.subStreams.set(mid, { feed, type: String(s.type ?? '') });
    }
    for (const mid of [...this.subStreams.keys()]) if (!seen.has(mid)) this.subStreams.delete(mid);
  }

  /** Ratusha makes its rooms without a dummy publisher; one (a room made otherwise) is not shown. */
  private isDummy(feed: number): boolean {
    return this.feeds.get(feed)?.dummy === true;
  }

  private answer(jsep: Jsep): void {
    const gen = this.gen;
    this.subChain = this.subChain.then(async () => {
      const subscriber = this.subscriber;
      if (!subscriber || gen !== this.gen) return;
      try {
        const mine = await subscriber.answer(jsep);
        if (gen !== this.gen) return;
        await subscriber.send({ request: 'start' }, mine);
        this.awaitConnected('subscriber', subscriber.pc);
        this.emit();
      } catch {
        if (gen === this.gen) this.lost('subscriber-answer');
      }
    });
  }

  private onRemoteTrack(track: MediaStreamTrack, mid: string, on: boolean): void {
    if (on) {
      this.midTracks.set(mid, track);
      this.midLive.set(mid, !track.muted);
    } else if (track.readyState === 'ended') {
      if (this.midTracks.get(mid) === track) this.midTracks.delete(mid);
      this.midLive.delete(mid);
    } else this.midLive.set(mid, false);
    this.emit();
  }

  /**
   * Chrome does not mark a remote track muted when the sender stops (a camera or microphone
   * switched off is replaceTrack(null) there): whether media arrives is read from the
   * receiver's statistics instead — frames decoded for video, packets for audio, per mid.
   */
  private async checkFlow(gen: number): Promise<void> {
    const pc = this.subscriber?.pc;
    if (!pc || gen !== this.gen) return;
    let report: RTCStatsReport;
    try {
      report = await pc.getStats();
    } catch {
      return;
    }
    if (gen !== this.gen) return;
    const counts = new Map<string, number>();
    for (const r of report.values() as IterableIterator<Record<string, unknown>>) {
      if (r.type !== 'inbound-rtp' || typeof r.mid !== 'string') continue;
      const n = Number(r.kind === 'video' ? r.framesDecoded : r.packetsReceived) || 0;
      counts.set(r.mid, (counts.get(r.mid) ?? 0) + n);
    }
    const now = Date.now();
    let changed = false;
    for (const [mid, count] of counts) {
      const before = this.flow.get(mid);
      if (!before || before.count !== count) this.flow.set(mid, { count, at: before || count > 0 ? now : 0 });
      const flowing = now - this.flow.get(mid)!.at < FLOW_STALL_MS;
      if (this.midTracks.has(mid) && this.midLive.get(mid) !== flowing) {
        this.midLive.set(mid, flowing);
        changed = true;
      }
    }
    if (changed) this.emit();
  }

  /** Watches that a new PeerConnection comes up (ICE may never fail when it has no path at all). */
  private awaitConnected(which: 'publisher' | 'subscriber', pc: RTCPeerConnection | null): void {
    if (!pc || pc.iceConnectionState === 'connected' || pc.iceConnectionState === 'completed' || this.connectTimers.has(which)) return;
    const gen = this.gen;
    this.connectTimers.set(
      which,
      window.setTimeout(() => gen === this.gen && this.lost(`connect-${which}`), CONNECT_TIMEOUT_MS),
    );
  }

  private onIce(which: string, state: RTCIceConnectionState): void {
    window.clearTimeout(this.iceTimers.get(which));
    this.iceTimers.delete(which);
    if (state === 'connected' || state === 'completed') {
      window.clearTimeout(this.connectTimers.get(which));
      this.connectTimers.delete(which);
    }
    if (state === 'failed') this.lost(`ice-${which}`);
    else if (state === 'disconnected') {
      // Often comes back by itself (a Wi-Fi hiccup); if not, start again.
      const gen = this.gen;
      this.iceTimers.set(
        which,
        window.setTimeout(() => gen === this.gen && this.lost(`ice-${which}`), ICE_DISCONNECTED_MS),
      );
    }
  }

  // ---------------------------------------------------------------- Ratusha's side: live state and host actions

  private watchRoom(): void {
    if (this.unwatchRoom) return;
    const later = () => {
      window.clearTimeout(this.liveTimer);
      this.liveTimer = window.setTimeout(() => void this.loadLive(), 100);
    };
    // Events may have been missed: everything is read again.
    const resync = () => {
      this.recordingsVersion++;
      later();
    };
    this.unwatchRoom = watch(
      `media:${this.roomId}`,
      (event) => {
        const me = this.ticket?.participant.id;
        const who = num(event.data.participant);
        switch (event.event) {
          case 'media.changed':
            this.recordingsVersion++;
            later();
            break;
          case 'media.muted':
            if (who !== null && who === me) {
              const kind = event.data.kind === 'video' ? 'video' : 'audio';
              void this.applyHostMute(kind, event.data.muted === true);
            }
            later();
            break;
          case 'media.removed':
            if (who !== null && who === me) this.finish('removed', 'removed');
            else {
              // The room's pin changed with the removal.
              this.pinStale = true;
              later();
            }
            break;
          case 'media.ended':
            this.finish('ended', 'ended_by_host');
            break;
        }
      },
      resync,
      resync,
    );
  }

  private async loadLive(): Promise<void> {
    const seq = ++this.liveSeq;
    try {
      const live = await mediaApi.live(this.roomId);
      if (seq !== this.liveSeq || this.final()) return;
      // Locking (or unlocking) changes the room's pin.
      if (this.live && this.live.locked !== live.locked) this.pinStale = true;
      this.live = live;
      if (this.room) this.room = { ...this.room, locked: live.locked, lobby: live.lobby, recording: live.recording };
      const me = live.participants.find((p) => p.id === this.ticket?.participant.id);
      if (me) {
        if (me.muted.audio !== this.hostMuted.audio) await this.applyHostMute('audio', me.muted.audio);
        if (me.muted.video !== this.hostMuted.video) await this.applyHostMute('video', me.muted.video);
      }
      this.emit();
    } catch {
      /* keep what we have; the next event or reconnection corrects it */
    }
  }

  /** A host muted (or released) our microphone or camera: we follow, and cannot undo it. */
  private async applyHostMute(kind: MediaKind, muted: boolean): Promise<void> {
    this.hostMuted = { ...this.hostMuted, [kind]: muted };
    if (muted && kind === 'audio' && this.local.micOn) {
      this.local.micOn = false;
      if (this.local.mic) this.local.mic.enabled = false;
      await this.sendTrack('audio', null);
    }
    if (muted && kind === 'video') {
      await this.stopScreen();
      if (this.local.camera) await this.setCamera(null);
    }
    this.emit();
  }

  // ---------------------------------------------------------------- the view

  private view(): MeetingView {
    const feeds = new Map<number, RemoteFeed>();
    for (const [id, info] of this.feeds) {
      if (!info.dummy) feeds.set(id, { id, audio: null, video: null, audioOn: false, videoOn: false });
    }
    for (const [mid, s] of this.subStreams) {
      const track = this.midTracks.get(mid);
      if (!track || track.readyState === 'ended' || this.isDummy(s.feed)) continue;
      const f = feeds.get(s.feed) ?? { id: s.feed, audio: null, video: null, audioOn: false, videoOn: false };
      const on = this.midLive.get(mid) === true;
      if (s.type === 'audio') {
        f.audio = track;
        f.audioOn = on;
      } else if (s.type === 'video') {
        f.video = track;
        f.videoOn = on;
      }
      feeds.set(s.feed, f);
    }
    return {
      state: this.state,
      reason: this.reason,
      problem: this.problem,
      room: this.room,
      me: this.ticket?.participant ?? null,
      live: this.live,
      feeds: [...feeds.values()],
      talking: [...this.talking],
      mic: this.local.micOn && !!this.local.mic,
      camera: this.local.cameraOn && !!this.local.camera,
      sharing: !!this.screen,
      localVideo: this.screen ?? (this.local.cameraOn ? this.local.camera : null),
      hasMic: !!this.local.mic,
      hasCamera: !!this.local.camera,
      hostMuted: this.hostMuted,
      publishFailed: this.publishFailed,
      attempt: this.attempt,
      recordingsVersion: this.recordingsVersion,
      recordingNews: this.recordingNews,
    };
  }

  private emit(): void {
    this.store.set(this.view());
  }
}
