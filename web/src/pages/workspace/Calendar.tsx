// /calendar?week=yyyy-mm-dd — the caller's meetings Monday to Sunday (in the browser's zone),
// with the previous, this and the next week; seven columns on a wide screen, a list of days
// on a phone. /calendar?view=month&month=yyyy-mm — the month as a table of weeks (on a phone:
// the days that have meetings). Both follow changes live. /calendar?view=list: MeetingList.tsx.
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { intlTag, t, tPlural } from '../../lib/i18n';
import { Link, useSearchParams } from '../../lib/router';
import type { MeetingSummary, Session } from '../../lib/types';
import {
  addDays, dayKey, formatDayLong, formatTime, meetingHref, mondayOf, parseDay, useMeetingsChanged, useNow, WEEKDAYS, weekdayName,
} from '../../lib/workspace';
import { groupByDay, MeetingItem, useOccurrences } from './common';
import { MeetingListView } from './MeetingList';

const weekHref = (monday: Date) => `/calendar?week=${dayKey(monday)}`;
const monthKey = (d: Date) => dayKey(d).slice(0, 7);
const monthHref = (first: Date) => `/calendar?view=month&month=${monthKey(first)}`;

export function weekRange(monday: Date): string {
  const sunday = addDays(monday, 6);
  const format = new Intl.DateTimeFormat(intlTag(), { day: 'numeric', month: 'long', year: 'numeric' });
  try {
    return format.formatRange(monday, sunday);
  } catch {
    return `${format.format(monday)} – ${format.format(sunday)}`;
  }
}

/** The first day of the month `yyyy-mm`, or null. */
function parseMonth(text: string | null): Date | null {
  const m = /^(\d{4})-(\d{2})$/.exec(text ?? '');
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, 1);
  return Number.isNaN(d.getTime()) || monthKey(d) !== text ? null : d;
}

export function CalendarPage({ session }: { session: Session }) {
  const params = useSearchParams();
  const view = params.get('view');
  return (
    <>
      <PageTitle title={t('calendar.title')} />
      <div class="calendar-bar">
        <nav class="calendar-nav" aria-label={t('calendar.views')}>
          <Link href="/calendar" class="button button--secondary button--small" aria-current={view !== 'month' && view !== 'list' ? 'page' : undefined} id="view-week">
            {t('calendar.week_view')}
          </Link>
          <Link href="/calendar?view=month" class="button button--secondary button--small" aria-current={view === 'month' ? 'page' : undefined} id="view-month">
            {t('calendar.month_view')}
          </Link>
          <Link href="/calendar?view=list" class="button button--secondary button--small" aria-current={view === 'list' ? 'page' : undefined} id="view-list">
            {t('calendar.list_view')}
          </Link>
        </nav>
        {session.person.kind !== 'guest' && (
          <Link href="/meetings/new" class="button">
            {t('meetings.schedule')}
          </Link>
        )}
      </div>
      {view === 'list' ? <MeetingListView key={params.toString()} session={session} /> : <CalendarPeriod session={session} month={view === 'month'} />}
    </>
  );
}

function CalendarPeriod({ session, month }: { session: Session; month: boolean }) {
  const params = useSearchParams();
  const now = useNow();
  const today = new Date(now);
  // The week view's Monday; the month view's first day and the Monday its table begins with.
  const monday = mondayOf(parseDay(params.get('week')) ?? today);
  const first = parseMonth(params.get('month')) ?? new Date(today.getFullYear(), today.getMonth(), 1);
  const gridStart = mondayOf(first);
  const nextMonth = new Date(first.getFullYear(), first.getMonth() + 1, 1);
  const gridEnd = addDays(mondayOf(addDays(nextMonth, -1)), 7);
  const from = month ? gridStart : monday;
  const to = month ? gridEnd : addDays(monday, 7);
  const list = useOccurrences(from, to, [dayKey(from), dayKey(to)]);
  useMeetingsChanged(session.person.id, () => void list.load());

  const grouped = groupByDay(list.items ?? []);
  const todayKey = dayKey(today);
  const inRange = month ? (list.items ?? []).filter((m) => monthKey(new Date(m.occurrence.starts_at)) === monthKey(first)) : list.items ?? [];
  const title = month
    ? new Intl.DateTimeFormat(intlTag(), { month: 'long', year: 'numeric' }).format(first)
    : weekRange(monday);

  return (
    <>
      {month ? (
        <nav class="calendar-nav calendar-nav--periods" aria-label={t('calendar.months')}>
          <Link href={monthHref(new Date(first.getFullYear(), first.getMonth() - 1, 1))} class="button button--secondary button--small" id="month-prev">
            <span aria-hidden="true">‹ </span>
            {t('calendar.prev_month')}
          </Link>
          <Link href="/calendar?view=month" class="button button--secondary button--small" id="month-this">
            {t('calendar.this_month')}
          </Link>
          <Link href={monthHref(nextMonth)} class="button button--secondary button--small" id="month-next">
            {t('calendar.next_month')}
            <span aria-hidden="true"> ›</span>
          </Link>
        </nav>
      ) : (
        <nav class="calendar-nav calendar-nav--periods" aria-label={t('calendar.weeks')}>
          <Link href={weekHref(addDays(monday, -7))} class="button button--secondary button--small" id="week-prev">
            <span aria-hidden="true">‹ </span>
            {t('calendar.prev')}
          </Link>
          <Link href="/calendar" class="button button--secondary button--small" id="week-this">
            {t('calendar.this_week')}
          </Link>
          <Link href={weekHref(addDays(monday, 7))} class="button button--secondary button--small" id="week-next">
            {t('calendar.next')}
            <span aria-hidden="true"> ›</span>
          </Link>
        </nav>
      )}
      <h2 id="period-title" class="calendar-period-title">
        {title}
      </h2>
      <p class="muted" role="status">
        {list.items === null ? (list.failure ? '' : t('common.loading')) : tPlural(month ? 'calendar.count_month' : 'calendar.count', inRange.length)}
      </p>
      <ErrorSummary failure={list.failure} />
      {month ? (
        <MonthView first={first} gridStart={gridStart} gridEnd={gridEnd} grouped={grouped} todayKey={todayKey} loaded={list.items !== null} title={title} />
      ) : (
        <WeekView monday={monday} grouped={grouped} todayKey={todayKey} now={now} loaded={list.items !== null} />
      )}
    </>
  );
}

function WeekView({
  monday,
  grouped,
  todayKey,
  now,
  loaded,
}: {
  monday: Date;
  grouped: Map<string, MeetingSummary[]>;
  todayKey: string;
  now: number;
  loaded: boolean;
}) {
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  return (
    <div class="week" aria-labelledby="period-title" role="group">
      {days.map((day) => {
        const k = dayKey(day);
        const items = grouped.get(k) ?? [];
        const isToday = k === todayKey;
        return (
          <section
            class={`week__day${isToday ? ' week__day--today' : ''}${items.length ? '' : ' week__day--empty'}`}
            aria-labelledby={`wd-${k}`}
            key={k}
            data-day={k}
          >
            <h3 class="week__title" id={`wd-${k}`} aria-current={isToday ? 'date' : undefined}>
              {formatDayLong(day)}
              {isToday && <span class="badge badge--today">{t('calendar.today')}</span>}
            </h3>
            {items.length > 0 ? (
              <ul class="meeting-list">
                {items.map((item) => (
                  <MeetingItem key={`${item.id}-${item.occurrence.starts_at}`} item={item} now={now} compact />
                ))}
              </ul>
            ) : (
              loaded && <p class="week__none">{t('calendar.none')}</p>
            )}
          </section>
        );
      })}
    </div>
  );
}

/** One meeting as a short line in the month: time and title (struck through when cancelled). */
function MonthEntry({ item }: { item: MeetingSummary }) {
  const cancelled = item.status === 'cancelled';
  return (
    <li class={`month__entry${cancelled ? ' month__entry--cancelled' : ''}`} data-meeting-id={item.id}>
      <time dateTime={item.occurrence.starts_at}>{formatTime(item.occurrence.starts_at)}</time>{' '}
      <Link href={meetingHref(item.id)}>{item.title}</Link>
      {cancelled && <span class="visually-hidden"> ({t('meetings.cancelled_badge')})</span>}
    </li>
  );
}

function MonthView({
  first,
  gridStart,
  gridEnd,
  grouped,
  todayKey,
  loaded,
  title,
}: {
  first: Date;
  gridStart: Date;
  gridEnd: Date;
  grouped: Map<string, MeetingSummary[]>;
  todayKey: string;
  loaded: boolean;
  title: string;
}) {
  const weeks: Date[][] = [];
  for (let day = gridStart; day < gridEnd; day = addDays(day, 7)) weeks.push(Array.from({ length: 7 }, (_, i) => addDays(day, i)));
  const thisMonth = monthKey(first);
  const daysWithMeetings = weeks.flat().filter((d) => monthKey(d) === thisMonth && grouped.has(dayKey(d)));
  return (
    <>
      <div class="month-wrap">
        <table class="month" id="month-table">
          <caption class="visually-hidden">{title}</caption>
          <thead>
            <tr>
              {WEEKDAYS.map((d) => (
                <th scope="col" key={d}>
                  <abbr title={weekdayName(d)}>{weekdayName(d, 'short')}</abbr>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {weeks.map((week) => (
              <tr key={dayKey(week[0]!)}>
                {week.map((day) => {
                  const k = dayKey(day);
                  const items = grouped.get(k) ?? [];
                  const outside = monthKey(day) !== thisMonth;
                  const isToday = k === todayKey;
                  return (
                    <td
                      key={k}
                      data-day={k}
                      class={`month__day${outside ? ' month__day--outside' : ''}${isToday ? ' month__day--today' : ''}`}
                      aria-current={isToday ? 'date' : undefined}
                    >
                      <span class="month__number">
                        <span aria-hidden="true">{day.getDate()}</span>
                        <span class="visually-hidden">{formatDayLong(day)}</span>
                      </span>
                      {items.length > 0 && (
                        <ul class="month__list">
                          {items.map((item) => (
                            <MonthEntry key={`${item.id}-${item.occurrence.starts_at}`} item={item} />
                          ))}
                        </ul>
                      )}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {/* On a phone: only the days that have meetings, one after the other. */}
      <div class="month-days">
        {loaded && daysWithMeetings.length === 0 && <p>{t('calendar.none_month')}</p>}
        {daysWithMeetings.map((day) => {
          const k = dayKey(day);
          return (
            <section class="week__day" aria-labelledby={`md-${k}`} key={k}>
              <h3 class="week__title" id={`md-${k}`}>
                {formatDayLong(day)}
              </h3>
              <ul class="month__list">
                {(grouped.get(k) ?? []).map((item) => (
                  <MonthEntry key={`${item.id}-${item.occurrence.starts_at}`} item={item} />
                ))}
              </ul>
            </section>
          );
        })}
      </div>
    </>
  );
}
