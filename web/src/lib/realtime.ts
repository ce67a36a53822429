// The real-time channel: one WebSocket to /api/v1/ws for the whole page, shared by every
// component that watches a topic (docs/api.md, "Real time"). Subscriptions survive a lost
// connection: the socket comes back with growing pauses and subscribes to everything again;
// watchers are told (`onResync`) so that they re-read what they may have missed meanwhile.
// `onSubscribed` is called each time the server has confirmed the topic's subscription (at once
// for a topic already confirmed): from then on no event is missed, so a read made after it is
// not overtaken by an event that came before.

export interface RealtimeEvent {
  topic: string;
  event: string;
  data: Record<string, unknown>;
}

interface Watcher {
  onEvent: (event: RealtimeEvent) => void;
  onResync?: () => void;
  onSubscribed?: () => void;
}

const watchers = new Map<string, Set<Watcher>>();
/** Topics the server confirmed on the current connection. */
const confirmed = new Set<string>();
let socket: WebSocket | null = null;
let open = false;
let everOpened = false;
let retryMs = 1000;
let retryTimer: number | undefined;
let closeTimer: number | undefined;
let pingTimer: number | undefined;
let messageId = 0;

const MAX_RETRY_MS = 30_000;
const PING_EVERY_MS = 25_000;

function send(message: Record<string, unknown>): void {
  if (socket && open) socket.send(JSON.stringify(message));
}

function subscribeOnServer(topic: string): void {
  send({ type: 'subscribe', topic, id: String(++messageId) });
}

function connect(): void {
  if (socket || watchers.size === 0) return;
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  let ws: WebSocket;
  try {
    ws = new WebSocket(`${scheme}//${location.host}/api/v1/ws`);
  } catch {
    scheduleReconnect();
    return;
  }
  socket = ws;
  ws.addEventListener('open', () => {
    open = true;
    retryMs = 1000;
    for (const topic of watchers.keys()) subscribeOnServer(topic);
    pingTimer = window.setInterval(() => send({ type: 'ping' }), PING_EVERY_MS);
    // After a reconnection, whatever happened in between was not delivered: re-read.
    if (everOpened) for (const set of watchers.values()) for (const w of set) w.onResync?.();
    everOpened = true;
  });
  ws.addEventListener('message', (message) => {
    let data: unknown;
    try {
      data = JSON.parse(String(message.data));
    } catch {
      return;
    }
    if (!data || typeof data !== 'object') return;
    const m = data as Record<string, unknown>;
    if (m.type === 'subscribed' && typeof m.topic === 'string') {
      const set = watchers.get(m.topic);
      if (!set) return;
      confirmed.add(m.topic);
      for (const w of [...set]) w.onSubscribed?.();
      return;
    }
    if (m.type !== 'event' || typeof m.topic !== 'string') return;
    const event: RealtimeEvent = {
      topic: m.topic,
      event: typeof m.event === 'string' ? m.event : '',
      data: m.data && typeof m.data === 'object' ? (m.data as Record<string, unknown>) : {},
    };
    for (const w of [...(watchers.get(m.topic) ?? [])]) w.onEvent(event);
  });
  ws.addEventListener('close', () => {
    if (socket !== ws) return;
    socket = null;
    open = false;
    confirmed.clear();
    window.clearInterval(pingTimer);
    scheduleReconnect();
  });
}

function scheduleReconnect(): void {
  if (watchers.size === 0 || retryTimer !== undefined) return;
  const wait = retryMs * (0.75 + Math.random() * 0.5);
  retryMs = Math.min(MAX_RETRY_MS, retryMs * 2);
  retryTimer = window.setTimeout(() => {
    retryTimer = undefined;
    connect();
  }, wait);
}

/**
 * Watches `topic` until the returned function is called. `onEvent` gets each event published
 * on it; `onResync` is called after the connection was lost and came back; `onSubscribed` each
 * time the server confirmed the subscription (at first, and again after a reconnection).
 */
export function watch(
  topic: string,
  onEvent: Watcher['onEvent'],
  onResync?: () => void,
  onSubscribed?: () => void,
): () => void {
  const watcher: Watcher = { onEvent, onResync, onSubscribed };
  let set = watchers.get(topic);
  if (!set) {
    set = new Set();
    watchers.set(topic, set);
    subscribeOnServer(topic);
  }
  set.add(watcher);
  if (onSubscribed && confirmed.has(topic)) {
    queueMicrotask(() => {
      if (watchers.get(topic)?.has(watcher) && confirmed.has(topic)) onSubscribed();
    });
  }
  window.clearTimeout(closeTimer);
  connect();
  return () => {
    const current = watchers.get(topic);
    if (!current) return;
    current.delete(watcher);
    if (current.size > 0) return;
    watchers.delete(topic);
    confirmed.delete(topic);
    send({ type: 'unsubscribe', topic, id: String(++messageId) });
    if (watchers.size === 0) {
      // Moving from one folder to the next: keep the connection for the next subscription.
      closeTimer = window.setTimeout(() => {
        if (watchers.size > 0) return;
        window.clearTimeout(retryTimer);
        retryTimer = undefined;
        const ws = socket;
        socket = null;
        open = false;
        confirmed.clear();
        everOpened = false;
        window.clearInterval(pingTimer);
        ws?.close(1000);
      }, 5000);
    }
  };
}
