// The person's notifications (invitations, changes, answers, reminders): the unread count the
// bell in the header shows, kept live over the person's real-time topic (`person:<id>`:
// `notification` for a new one, `notifications.read` when some were read, here or elsewhere).
// A new one only adds to the count: asking the server would count as the person's activity.
// The text of a notification is worded here from its `data`, in the reader's language, with
// times in the reader's zone (`notificationText`); the server's English `body` is the fallback.
import { useEffect } from 'preact/hooks';
import { cancelWaiting, whenActive } from './activity';
import { api } from './api';
import { t, tMaybe, tPlural } from './i18n';
import { watch } from './realtime';
import { createStore } from './store';
import type { AppNotification } from './types';
import { formatWhen, zoneNote } from './workspace';

/** Unread notifications; null until the first count arrived. */
export const unreadStore = createStore<number | null>(null);

/** The newest notification that arrived while the page was open (with a sequence number). */
export const arrivedStore = createStore<{ seq: number; item: AppNotification } | null>(null);

/** Bumped when notifications were read (on this page or another), so lists re-read. */
export const readStore = createStore<number>(0);

let seq = 0;
let countSeq = 0;
// A notification arrived while a count was on its way: that count may have been taken before
// it and must not overwrite the bell's increment, so the count is asked for once more.
let arrivedDuringCount = false;

export async function refreshUnread(): Promise<void> {
  const mine = ++countSeq;
  arrivedDuringCount = false;
  try {
    const page = await api.get<{ unread: number }>('/notifications?unread=1&limit=1');
    if (mine !== countSeq || typeof page.unread !== 'number') return;
    if (arrivedDuringCount) {
      void refreshUnread();
      return;
    }
    unreadStore.set(page.unread);
  } catch {
    /* the bell keeps its last count */
  }
}

/** Counts a notification that just arrived, whatever count is on its way. */
function countArrival(): void {
  arrivedDuringCount = true;
  unreadStore.set((unreadStore.get() ?? 0) + 1);
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
    data: data.data && typeof data.data === 'object' && !Array.isArray(data.data) ? (data.data as Record<string, unknown>) : {},
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
    let confirmedOnce = false;
    const stop = watch(
      `person:${personId}`,
      (event) => {
        if (event.event === 'notification') {
          const item = asNotification(event.data);
          if (!item) return;
          countArrival();
          arrivedStore.set({ seq: ++seq, item });
        } else if (event.event === 'notifications.read') {
          // Read by the person (here or in another tab): their own activity anyway.
          readStore.set(readStore.get() + 1);
          void refreshUnread();
        }
      },
      // Back after a lost connection: what arrived meanwhile was not delivered.
      () => whenActive(refreshUnread, () => void refreshUnread()),
      // The first confirmation: one that came between the first count and the subscription
      // was not delivered, so count once more (later confirmations come with the resync).
      () => {
        if (confirmedOnce) return;
        confirmedOnce = true;
        void refreshUnread();
      },
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

// ---------------------------------------------------------------- the text, in the reader's language

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** When an occurrence starts, in the reader's zone (and in the meeting's, when it differs). */
function occurrenceWhen(data: Record<string, unknown>): string | undefined {
  const startsAt = str(data.starts_at);
  const zone = str(data.time_zone);
  if (!startsAt || !zone || Number.isNaN(Date.parse(startsAt))) return undefined;
  const note = zoneNote({ time_zone: zone }, startsAt);
  return note ? `${formatWhen(startsAt)} (${note})` : formatWhen(startsAt);
}

/** "in 15 minutes", "in 2 hours", "in 1 day" (as the reminders are chosen). */
function startsIn(minutes: number): string {
  if (minutes % 1440 === 0) return tPlural('notifications.in.days', minutes / 1440);
  if (minutes % 60 === 0) return tPlural('notifications.in.hours', minutes / 60);
  return tPlural('notifications.in.minutes', minutes);
}

function worded(kind: string, data: Record<string, unknown>): string | undefined {
  const actor = str(data.actor);
  switch (kind) {
    case 'meeting.invited':
    case 'meeting.changed':
    case 'meeting.cancelled': {
      const when = occurrenceWhen(data);
      const room = str(data.room);
      if (!actor || !when || !room) return undefined;
      const key =
        kind === 'meeting.invited'
          ? 'notifications.text.meeting.invited'
          : kind === 'meeting.changed'
            ? 'notifications.text.meeting.changed'
            : 'notifications.text.meeting.cancelled';
      const text = t(key, { actor, when, room });
      const reason = kind === 'meeting.cancelled' ? str(data.reason)?.trim() : '';
      return reason ? t('notifications.text.with_reason', { text, reason }) : text;
    }
    case 'meeting.reminder': {
      const when = occurrenceWhen(data);
      const room = str(data.room);
      const minutes = data.minutes;
      if (!when || !room || typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 0) return undefined;
      return minutes === 0
        ? t('notifications.text.meeting.reminder_now', { when, room })
        : t('notifications.text.meeting.reminder', { in: startsIn(minutes), when, room });
    }
    case 'meeting.response': {
      const response = str(data.response);
      const text = actor && response ? tMaybe(`notifications.text.meeting.response.${response}`, { actor }) : undefined;
      if (!text) return undefined;
      const comment = str(data.comment)?.trim();
      return comment ? t('notifications.text.with_comment', { text, comment }) : text;
    }
    case 'meeting.uninvited':
      return actor ? t('notifications.text.meeting.uninvited', { actor }) : undefined;
    case 'call.missed':
      return actor ? t('notifications.text.call.missed', { actor }) : undefined;
    case 'call.declined': {
      if (!actor) return undefined;
      const text = t('notifications.text.call.declined', { actor });
      const message = str(data.message)?.trim();
      return message ? t('notifications.text.with_comment', { text, comment: message }) : text;
    }
    case 'chat.mention': {
      const excerpt = str(data.excerpt)?.replace(/\s+/g, ' ').trim();
      return actor && excerpt ? t('notifications.text.chat.mention', { actor, excerpt }) : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * A notification's text in the reader's language, built from its `data`; the server's `body`
 * when the kind or a field is unknown (older notifications have no data).
 */
export function notificationText(item: Pick<AppNotification, 'kind' | 'body' | 'data'>): string {
  try {
    return worded(item.kind, item.data ?? {}) ?? item.body;
  } catch {
    return item.body;
  }
}
