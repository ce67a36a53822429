// /notifications — invitations, changes, answers and reminders, newest first; unread ones are
// marked. Opening one marks it read and goes where it points; "Mark all as read". New ones
// appear at the top as they arrive. The text is worded from the notification's data in the
// reader's language (`notificationText`).
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { api, query } from '../../lib/api';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { formatDateTime, t, tMaybe, tPlural } from '../../lib/i18n';
import { arrivedStore, markAllRead, markRead, notificationText, readStore, unreadStore } from '../../lib/notifications';
import { navigate } from '../../lib/router';
import { useStore } from '../../lib/store';
import type { AppNotification, Page } from '../../lib/types';
import { StatusSlot } from './common';

const kindLabel = (kind: string) => tMaybe(`notifications.kind.${kind}`) ?? t('notifications.kind.other');

export function NotificationsPage() {
  const [items, setItems] = useState<AppNotification[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);
  const unread = useStore(unreadStore);
  const arrived = useStore(arrivedStore);
  const readSeq = useStore(readStore);

  const load = async (after: string | null) => {
    setLoading(true);
    try {
      const page = await api.get<Page<AppNotification>>(`/notifications${query({ cursor: after, limit: 30 })}`);
      setItems((old) => (after !== null ? [...(old ?? []), ...page.items] : page.items));
      setCursor(page.next_cursor);
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, []);

  // One that arrives while the page is open goes on top.
  useEffect(() => {
    if (!arrived) return;
    setItems((old) => (old && !old.some((n) => n.id === arrived.item.id) ? [arrived.item, ...old] : old));
  }, [arrived?.seq]);

  // Read elsewhere (another tab, another device): show them as read.
  useEffect(() => {
    if (readSeq > 0) void load(null);
  }, [readSeq]);

  const open = async (item: AppNotification) => {
    try {
      if (!item.read_at) await markRead(item.id);
      setItems((old) => (old ?? []).map((n) => (n.id === item.id ? { ...n, read_at: n.read_at ?? new Date().toISOString() } : n)));
      setFailure(null);
      if (item.link && item.link.startsWith('/')) navigate(item.link);
      else setNotice(t('notifications.marked_one'));
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };

  const readAll = async () => {
    setBusy(true);
    try {
      await markAllRead();
      const at = new Date().toISOString();
      setItems((old) => (old ?? []).map((n) => ({ ...n, read_at: n.read_at ?? at })));
      setNotice(t('notifications.marked_all'));
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <PageTitle title={t('notifications.title')} />
      <p class="lead">{t('notifications.intro')}</p>
      <StatusSlot>{notice}</StatusSlot>
      <ErrorSummary failure={failure} />
      <div class="button-row notifications__tools">
        <p class="muted notifications__count">
          {unread === null ? '' : unread > 0 ? tPlural('notifications.unread_count', unread) : t('notifications.all_read')}
        </p>
        <button type="button" class="button button--secondary" disabled={busy || !unread} onClick={() => void readAll()}>
          {t('notifications.mark_all')}
        </button>
      </div>
      <section class="card" aria-labelledby="notifications-list-title">
        <h2 id="notifications-list-title" class="visually-hidden">
          {t('notifications.list')}
        </h2>
        {items === null && loading && <p role="status">{t('common.loading')}</p>}
        {items && items.length === 0 && <p>{t('notifications.none')}</p>}
        {items && items.length > 0 && (
          <ul class="notifications" aria-labelledby="notifications-list-title">
            {items.map((n) => {
              const text = notificationText(n);
              return (
              <li key={n.id} class={`notification${n.read_at ? '' : ' notification--unread'}`} data-notification-id={n.id} data-kind={n.kind}>
                {n.link && n.link.startsWith('/') ? (
                  <a
                    class="notification__link"
                    href={n.link}
                    onClick={(event) => {
                      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
                      event.preventDefault();
                      void open(n);
                    }}
                  >
                    <Headline item={n} />
                  </a>
                ) : n.read_at ? (
                  <span class="notification__link">
                    <Headline item={n} />
                  </span>
                ) : (
                  <button type="button" class="notification__link notification__link--button" onClick={() => void open(n)}>
                    <Headline item={n} />
                    <span class="visually-hidden"> — {t('notifications.mark_one')}</span>
                  </button>
                )}
                {text && <span class="notification__body">{text}</span>}
                <time class="notification__time" dateTime={n.created_at}>
                  {formatDateTime(n.created_at)}
                </time>
              </li>
              );
            })}
          </ul>
        )}
        {cursor && (
          <p>
            <button type="button" class="button button--secondary" disabled={loading} onClick={() => void load(cursor)}>
              {t('common.load_more')}
            </button>
          </p>
        )}
      </section>
    </>
  );
}

function Headline({ item }: { item: AppNotification }) {
  return (
    <>
      {!item.read_at && <span class="badge badge--new">{t('notifications.unread')}</span>}
      <span class="notification__kind">{kindLabel(item.kind)}</span>
      <span class="notification__title">{item.title}</span>
    </>
  );
}
