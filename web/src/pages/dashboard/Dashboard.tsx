// The start page: a welcome, today's meetings and those of the next seven days (in the
// browser's zone), each with a "Join" link while its room is open; follows changes live. And
// "call a colleague now".
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { formatDate, t, tPlural } from '../../lib/i18n';
import { Link } from '../../lib/router';
import type { MeetingSummary, Session } from '../../lib/types';
import { addDays, dayKey, formatDayLong, parseDay, startOfDay, useMeetingsChanged, useNow } from '../../lib/workspace';
import { groupByDay, MeetingItem, useOccurrences } from '../workspace/common';
import { CallColleague } from './CallColleague';

const NEXT_DAYS = 7;

export function DashboardPage({ session }: { session: Session }) {
  const person = session.person;
  // A guest from outside came for their meeting: no scheduling, no calling.
  const guest = person.kind === 'guest';
  const now = useNow();
  const today = startOfDay(new Date(now));
  const todayKey = dayKey(today);
  const list = useOccurrences(today, addDays(today, NEXT_DAYS + 1), [todayKey]);
  useMeetingsChanged(person.id, () => void list.load());

  const days = list.items ? groupByDay(list.items) : null;
  const todays = days?.get(todayKey) ?? [];
  const later = days ? [...days.entries()].filter(([key]) => key !== todayKey) : [];

  return (
    <>
      <PageTitle title={t('dashboard.title')} />
      <div class="cards">
        <section class="card card--welcome" aria-labelledby="welcome-title">
          <h2 id="welcome-title">{t('dashboard.welcome', { name: person.display_name })}</h2>
          <p class="muted">{formatDate(new Date(now))}</p>
          <p>{t('dashboard.welcome_text')}</p>
          {!person.totp_enabled && (
            <p>
              {t('dashboard.totp_hint')} <Link href="/profile#security">{t('dashboard.totp_link')}</Link>
            </p>
          )}
          <div class="button-row">
            {!guest && (
              <Link href="/meetings/new" class="button">
                {t('meetings.schedule')}
              </Link>
            )}
            <Link href="/calendar" class="button button--secondary">
              {t('calendar.open')}
            </Link>
          </div>
        </section>
        <section class="card" aria-labelledby="today-title" id="today">
          <h2 id="today-title">{t('dashboard.today')}</h2>
          <ErrorSummary failure={list.failure} />
          {list.items === null && !list.failure && <p role="status">{t('common.loading')}</p>}
          {list.items !== null && (
            <p class="visually-hidden" role="status">
              {tPlural('dashboard.today_count', todays.length)}
            </p>
          )}
          {list.items !== null && todays.length === 0 && <Empty title={t('dashboard.today_empty')} text={t('dashboard.upcoming_text')} />}
          {todays.length > 0 && <MeetingList items={todays} now={now} />}
        </section>
        {!guest && <CallColleague me={person.id} />}
      </div>
      <section class="card dashboard-week" aria-labelledby="week-title" id="this-week">
        <h2 id="week-title">{t('dashboard.next_days')}</h2>
        {list.items !== null && later.length === 0 && <p>{t('dashboard.next_days_empty')}</p>}
        {later.map(([key, items]) => {
          const day = parseDay(key)!;
          return (
            <div class="day-group" key={key}>
              <h3 class="day-group__title" id={`day-${key}`}>
                {formatDayLong(day)}
              </h3>
              <MeetingList items={items} now={now} labelledBy={`day-${key}`} />
            </div>
          );
        })}
      </section>
    </>
  );
}

function MeetingList({ items, now, labelledBy }: { items: MeetingSummary[]; now: number; labelledBy?: string }) {
  return (
    <ul class="meeting-list" aria-labelledby={labelledBy}>
      {items.map((item) => (
        <MeetingItem key={`${item.id}-${item.occurrence.starts_at}`} item={item} now={now} />
      ))}
    </ul>
  );
}

function Empty({ title, text }: { title: string; text: string }) {
  return (
    <div class="empty">
      <svg class="empty__icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
        <rect x="6" y="10" width="36" height="32" rx="4" />
        <path d="M6 18h36M16 6v8M32 6v8" />
      </svg>
      <p class="empty__title">{title}</p>
      <p class="muted">{text}</p>
    </div>
  );
}
