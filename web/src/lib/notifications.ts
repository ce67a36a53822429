// The person's notifications (invitations, changes, answers, reminders): the unread count the
// bell in the header shows, kept live over the person's real-time topic (`person:<id>`:
// `notification` for a new one, `notifications.read` when some were read, here or elsewhere).
// A new one only adds to the count: asking the server would count as the person's activity.
import { useEffect } from 'preact/hooks';
import { cancelWaiting, whenActive } from './activity';
import { api } from './api';
import { watch } from './realtime';
import { createStore } from './store';
import type { AppNotification } from './types';

/** Unread notifications; null until the first count arrived. */
export const unreadStore = createStore<number | null>(null);

/** The newest notification that arrived while the page was open (with a sequence number). */
export const arrivedStore = createStore<{ seq: number; item: AppNotification } | null>(null);

/** Bumped when notifications were read (on this page or another), so lists re-read. */
export const readStore = createStore<number>(0);

let seq = 0;
let countSeq = 0;

export async function refreshUnread(): Promise<void> {
  const mine = ++countSeq;
  try {
    const page = await api.get<{ unread: number }>('/notifications?unread=1&limit=1');
    if (mine === countSeq && typeof page.unread === 'number') unreadStore.set(page.unread);
  } catch {
    /* the bell keeps its last count */
  }
}

function asNotification(data: Record<string, unknown>): AppNotification | null {
  if (data.id === undefined || data.id === null) return null;
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  return {
    id: String(data.id),
    kind: text(data.kind),
    title: text(data.title),
    body: text(data.body),
    link: text(data.link),
    created_at: text(data.created_at) || new Date().toISOString(),
    read_at: null,
  };
}

/** Keeps the count for the signed-in person (the app shell calls it once). */
export function useNotificationFeed(personId: string | null): void {
  useEffect(() => {
    if (!personId) return;
    unreadStore.set(null);
    void refreshUnread();
    const stop = watch(
      `person:${personId}`,
      (event) => {
        if (event.event === 'notification') {
          const item = asNotification(event.data);
          if (!item) return;
          const count = unreadStore.get();
          unreadStore.set((count ?? 0) + 1);
          arrivedStore.set({ seq: ++seq, item });
        } else if (event.event === 'notifications.read') {
          // Read by the person (here or in another tab): their own activity anyway.
          readStore.set(readStore.get() + 1);
          void refreshUnread();
        }
      },
      // Back after a lost connection: what arrived meanwhile was not delivered.
      () => whenActive(refreshUnread, () => void refreshUnread()),
    );
    return () => {
      stop();
      cancelWaiting(refreshUnread);
      unreadStore.set(null);
      arrivedStore.set(null);
    };
  }, [personId]);
}

export async function markRead(id: string): Promise<void> {
  await api.post(`/notifications/${encodeURIComponent(id)}/read`);
  void refreshUnread();
}

export async function markAllRead(): Promise<void> {
  await api.post('/notifications/read-all');
  unreadStore.set(0);
  void refreshUnread();
}
