// A narrow, typed face of janus-gateway 1.1 (janus.js). The package's janus.d.ts still describes
// the old `media` options (no `tracks`, `createAnswer` demanding `media`), so only what the
// meeting uses is typed here, promise-shaped. Loaded only with the call page (dynamic import).
import JanusLib from 'janus-gateway';
import adapter from 'webrtc-adapter';

export interface Jsep {
  type: 'offer' | 'answer';
  sdp: string;
}

/** A plugin message (`plugindata.data`): what the VideoRoom sends, read field by field. */
export type JanusMessage = Record<string, unknown>;

/** One entry of janus.js's `tracks` (only the fields used here). */
export interface TrackSpec {
  type: 'audio' | 'video' | 'data';
  /** A track we captured ourselves (janus.js then does no getUserMedia). */
  capture?: MediaStreamTrack | false;
  recv?: boolean;
  add?: boolean;
  simulcast?: boolean;
  /** Bits per second of the three simulcast layers (janus.js: 900k / 300k / 100k). */
  simulcastMaxBitrates?: { high: number; medium: number; low: number };
  /** janus.js must not stop our tracks when it cleans up: we reuse them after a reconnection. */
  dontStop?: boolean;
}

export interface HandleCallbacks {
  onmessage: (message: JanusMessage, jsep: Jsep | undefined) => void;
  onremotetrack?: (track: MediaStreamTrack, mid: string, on: boolean) => void;
  iceState?: (state: RTCIceConnectionState) => void;
  webrtcState?: (up: boolean, reason?: string) => void;
}

interface RawHandle {
  webrtcStuff?: { pc?: RTCPeerConnection | null };
  send(p: { message: Record<string, unknown>; jsep?: Jsep; success?: (data?: unknown) => void; error?: (e: unknown) => void }): void;
  createOffer(p: { tracks: TrackSpec[]; success: (jsep: Jsep) => void; error: (e: unknown) => void }): void;
  createAnswer(p: { jsep: Jsep; tracks: TrackSpec[]; success: (jsep: Jsep) => void; error: (e: unknown) => void }): void;
  handleRemoteJsep(p: { jsep: Jsep; success?: () => void; error?: (e: unknown) => void }): void;
  hangup(sendRequest?: boolean): void;
  detach(p?: { noRequest?: boolean; success?: () => void; error?: (e: unknown) => void }): void;
}

interface RawSession {
  attach(p: Record<string, unknown>): void;
  destroy(p: { cleanupHandles?: boolean; notifyDestroyed?: boolean; success?: () => void; error?: (e: unknown) => void }): void;
}

interface JanusStatic {
  init(options: { debug?: boolean; dependencies?: unknown; callback?: () => void }): void;
  useDefaultDependencies(deps: { adapter: unknown }): unknown;
  new (options: Record<string, unknown>): RawSession;
}

const Janus = JanusLib as unknown as JanusStatic;

let ready: Promise<void> | null = null;

function init(): Promise<void> {
  ready ??= new Promise<void>((resolve) =>
    Janus.init({ debug: false, dependencies: Janus.useDefaultDependencies({ adapter }), callback: resolve }),
  );
  return ready;
}

export class JanusError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'JanusError';
  }
}

const asError = (e: unknown) => (e instanceof Error ? e : new JanusError(String(e)));

export function webrtcSupported(): boolean {
  return typeof RTCPeerConnection !== 'undefined';
}

/** One plugin handle (a publisher or the subscriber) with promise-shaped calls. */
export class PluginHandle {
  constructor(private readonly raw: RawHandle) {}

  get pc(): RTCPeerConnection | null {
    return this.raw.webrtcStuff?.pc ?? null;
  }

  /** Resolves on Janus's acknowledgement; asynchronous answers come through `onmessage`. */
  send(message: Record<string, unknown>, jsep?: Jsep): Promise<unknown> {
    return new Promise((resolve, reject) =>
      this.raw.send({ message, jsep, success: resolve, error: (e) => reject(asError(e)) }),
    );
  }

  offer(tracks: TrackSpec[]): Promise<Jsep> {
    return new Promise((resolve, reject) => this.raw.createOffer({ tracks, success: resolve, error: (e) => reject(asError(e)) }));
  }

  answer(jsep: Jsep, tracks: TrackSpec[] = []): Promise<Jsep> {
    return new Promise((resolve, reject) =>
      this.raw.createAnswer({ jsep, tracks, success: resolve, error: (e) => reject(asError(e)) }),
    );
  }

  acceptAnswer(jsep: Jsep): Promise<void> {
    return new Promise((resolve, reject) =>
      this.raw.handleRemoteJsep({ jsep, success: resolve, error: (e) => reject(asError(e)) }),
    );
  }

  /** Closes the PeerConnection here only (the session is going away anyway). */
  close(): void {
    try {
      this.raw.hangup(false);
    } catch {
      /* already gone */
    }
  }
}

export interface SessionOptions {
  server: string;
  token: string;
  iceServers: RTCIceServer[];
  /** The session broke after it was up (WebSocket lost, Janus restarted or destroyed it). */
  onLost: (reason: string) => void;
}

/** A Janus session over one WebSocket. */
export class JanusSession {
  private constructor(private readonly raw: RawSession) {}

  private closing = false;

  static async connect(options: SessionOptions): Promise<JanusSession> {
    await init();
    return new Promise<JanusSession>((resolve, reject) => {
      let up = false;
      let session: JanusSession | null = null;
      const raw = new Janus({
        server: options.server,
        token: options.token,
        iceServers: options.iceServers,
        // Our own code says goodbye on pagehide (POST leave); janus.js closes its socket too.
        destroyOnUnload: true,
        success: () => {
          up = true;
          resolve(session!);
        },
        error: (e: unknown) => {
          if (!up) reject(asError(e));
          else if (!session?.closing) options.onLost(String(e));
        },
        destroyed: () => {
          if (up && !session?.closing) options.onLost('destroyed');
        },
      });
      session = new JanusSession(raw);
    });
  }

  attach(opaqueId: string, callbacks: HandleCallbacks): Promise<PluginHandle> {
    return new Promise((resolve, reject) =>
      this.raw.attach({
        plugin: 'janus.plugin.videoroom',
        opaqueId,
        success: (raw: RawHandle) => resolve(new PluginHandle(raw)),
        error: (e: unknown) => reject(asError(e)),
        onmessage: (message: JanusMessage, jsep?: Jsep) => callbacks.onmessage(message, jsep),
        onremotetrack: (track: MediaStreamTrack, mid: string, on: boolean) => callbacks.onremotetrack?.(track, String(mid), on),
        iceState: (state: RTCIceConnectionState) => callbacks.iceState?.(state),
        webrtcState: (up: boolean, reason?: string) => callbacks.webrtcState?.(up, reason),
      }),
    );
  }

  /** Ends the session (its handles and PeerConnections with it); never throws, gives up after 3 s. */
  destroy(): Promise<void> {
    this.closing = true;
    return new Promise<void>((resolve) => {
      const timer = window.setTimeout(resolve, 3000);
      const done = () => {
        window.clearTimeout(timer);
        resolve();
      };
      try {
        this.raw.destroy({ cleanupHandles: true, notifyDestroyed: false, success: done, error: done });
      } catch {
        done();
      }
    });
  }
}
