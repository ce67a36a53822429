// Workspace: meetings, rooms and reminders — API paths, times in the browser's zone and in a
// meeting's zone, the repeat rule (RFC 5545 RRULE) the meeting form builds and reads back,
// and the words for answers and reminders.
import { useEffect, useRef, useState } from 'preact/hooks';
import { cancelWaiting, whenActive } from './activity';
import { serverNow } from './api';
import { intlTag, t, tMaybe, tPlural } from './i18n';
import { watch } from './realtime';
import type { Locale, MeetingBase, MeetingResponse } from './types';

const enc = encodeURIComponent;

export const meetingHref = (id: string) => `/meetings/${enc(id)}`;
export const meetingEditHref = (id: string) => `/meetings/${enc(id)}/edit`;
export const roomHref = (id: string) => `/rooms/${enc(id)}`;
/** The room's video and audio meeting in the browser. */
export const roomCallHref = (id: string) => `/rooms/${enc(id)}/call`;

/** The room opens this long before a meeting starts (as the server's `join_open`). */
export const JOIN_EARLY_MS = 15 * 60 * 1000;

// ---------------------------------------------------------------- time zones

/** The zones the meeting form offers. */
export const ZONES = ['Europe/Sofia', 'Europe/Warsaw', 'UTC'] as const;

export function browserZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/** Bulgarian speakers meet in Sofia's time, Polish speakers in Warsaw's; others in their own. */
export function defaultZone(locale: Locale): string {
  if (locale === 'bg') return 'Europe/Sofia';
  if (locale === 'pl') return 'Europe/Warsaw';
  const own = browserZone();
  return (ZONES as readonly string[]).includes(own) ? own : 'UTC';
}

/** "Bulgarian time" and the like (for the zone picker); an unknown zone by its IANA name. */
export function zoneLabel(zone: string): string {
  return tMaybe(`zone.${zone}`) ?? zone;
}

/** The zone picker's choices ("Bulgarian time (Europe/Sofia)", "UTC"), keeping `current` if it is another. */
export function zoneOptions(current: string): { value: string; label: string }[] {
  const zones: string[] = [...ZONES];
  if (current && !zones.includes(current)) zones.push(current);
  return zones.map((z) => ({ value: z, label: z === 'UTC' ? 'UTC' : `${zoneLabel(z)} (${z})` }));
}

export interface WallTime {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const wallFormatters = new Map<string, Intl.DateTimeFormat>();

/** The wall clock in `zone` at the instant `ms`. */
export function wallTime(ms: number, zone: string): WallTime {
  let format = wallFormatters.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    wallFormatters.set(zone, format);
  }
  const parts: Record<string, number> = {};
  for (const p of format.formatToParts(new Date(ms))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  return {
    year: parts.year ?? 1970,
    month: parts.month ?? 1,
    day: parts.day ?? 1,
    hour: (parts.hour ?? 0) % 24,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
  };
}

function wallAsUtc(w: WallTime): number {
  return Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);
}

/**
 * The instant of a wall time (`2026-12-01`, `10:00`) in `zone`; null when the clocks skip it
 * (the spring DST gap) or the text is not a date and time.
 */
export function wallToUtc(date: string, time: string, zone: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const h = /^(\d{2}):(\d{2})$/.exec(time);
  if (!d || !h) return null;
  const wanted: WallTime = {
    year: Number(d[1]),
    month: Number(d[2]),
    day: Number(d[3]),
    hour: Number(h[1]),
    minute: Number(h[2]),
    second: 0,
  };
  const target = wallAsUtc(wanted);
  if (Number.isNaN(target)) return null;
  const same = (ms: number) => {
    const w = wallTime(ms, zone);
    return w.year === wanted.year && w.month === wanted.month && w.day === wanted.day && w.hour === wanted.hour && w.minute === wanted.minute;
  };
  // The offset at a guess, then at the corrected guess (they differ only next to a change).
  const first = target - (wallAsUtc(wallTime(target, zone)) - target);
  const second = target - (wallAsUtc(wallTime(first, zone)) - first);
  for (const candidate of [Math.min(first, second), Math.max(first, second)]) if (same(candidate)) return candidate;
  return null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** `2026-12-01` of a wall time. */
export function wallDate(w: WallTime): string {
  return `${w.year}-${pad(w.month)}-${pad(w.day)}`;
}

// ---------------------------------------------------------------- days in the browser's zone

/** `2026-12-01` of a day in the browser's zone. */
export function dayKey(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Midnight (browser's zone) of the day `yyyy-mm-dd`, or null. */
export function parseDay(text: string | null | undefined): Date | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text ?? '');
  if (!m) return null;
  const d = new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return Number.isNaN(d.getTime()) || dayKey(d) !== text ? null : d;
}

export function startOfDay(date: Date): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate());
}

export function addDays(date: Date, days: number): Date {
  return new Date(date.getFullYear(), date.getMonth(), date.getDate() + days);
}

/** The Monday of the week `date` is in. */
export function mondayOf(date: Date): Date {
  const day = startOfDay(date);
  return addDays(day, -((day.getDay() + 6) % 7));
}

/** RFC 3339 UTC without milliseconds, as the API takes it. */
export function isoUtc(ms: number | Date): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

// ---------------------------------------------------------------- formatting

function formatter(options: Intl.DateTimeFormatOptions, zone?: string): Intl.DateTimeFormat {
  return new Intl.DateTimeFormat(intlTag(), zone ? { ...options, timeZone: zone } : options);
}

/** `10:00` in the browser's zone (or in `zone`). */
export function formatTime(iso: string, zone?: string): string {
  return formatter({ hour: '2-digit', minute: '2-digit' }, zone).format(new Date(iso));
}

/** `вторник, 1 декември` */
export function formatDayLong(date: Date): string {
  return formatter({ weekday: 'long', day: 'numeric', month: 'long' }).format(date);
}

/** `вт, 1.12` */
export function formatDayShort(date: Date): string {
  return formatter({ weekday: 'short', day: 'numeric', month: 'numeric' }).format(date);
}

/** `1 декември 2026 г.` */
export function formatDayWithYear(date: Date): string {
  return formatter({ day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** `вторник, 1 декември 2026 г., 10:00` in the browser's zone. */
export function formatWhen(iso: string): string {
  return formatter({ weekday: 'long', day: 'numeric', month: 'long', year: 'numeric', hour: '2-digit', minute: '2-digit' }).format(new Date(iso));
}

/** `10:00–11:00`, or with the day of the end when it ends on another day. */
export function formatSpan(startIso: string, endIso: string): string {
  const start = new Date(startIso);
  const end = new Date(endIso);
  const endText = dayKey(start) === dayKey(end) ? formatTime(endIso) : `${formatDayShort(end)} ${formatTime(endIso)}`;
  return `${formatTime(startIso)}–${endText}`;
}

/**
 * When the meeting's own zone shows another time than the browser's: "11:00 Warsaw time"
 * (the organiser's wall clock); else null.
 */
export function zoneNote(meeting: Pick<MeetingBase, 'time_zone'>, startIso: string): string | null {
  const own = formatTime(startIso, meeting.time_zone);
  if (meeting.time_zone === browserZone() || own === formatTime(startIso)) return null;
  return t('meetings.zone_note', { time: own, zone: tMaybe(`zone_of.${meeting.time_zone}`) ?? meeting.time_zone });
}

/** A duration in seconds as words: "1 ч 30 мин". */
export function formatDuration(seconds: number): string {
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h && m) return t('meetings.duration_hm', { h, m });
  if (h) return tPlural('meetings.hours', h);
  return tPlural('meetings.minutes', m);
}

// ---------------------------------------------------------------- answers and reminders

export const RESPONSES: Exclude<MeetingResponse, 'needs-action'>[] = ['accepted', 'tentative', 'declined'];

export function responseLabel(response: MeetingResponse | string | null | undefined): string {
  return tMaybe(`meetings.response.${response ?? 'needs-action'}`) ?? String(response);
}

/** The badge colour of an answer. */
export function responseTone(response: MeetingResponse | string | null | undefined): string {
  switch (response) {
    case 'accepted':
      return 'ok';
    case 'declined':
      return 'declined';
    case 'tentative':
      return 'pending';
    default:
      return 'muted';
  }
}

/** Reminders offered: at the start, 5, 15, 30 minutes, an hour and a day before. */
export const REMINDER_CHOICES = [0, 5, 15, 30, 60, 1440];
export const REMINDERS_MAX = 5;

/** "15 minutes before", "1 day before", "at the start". */
export function reminderLabel(minutes: number): string {
  if (minutes === 0) return t('reminders.at_start');
  if (minutes % 1440 === 0) return tPlural('reminders.days', minutes / 1440);
  if (minutes % 60 === 0) return tPlural('reminders.hours', minutes / 60);
  return tPlural('reminders.minutes', minutes);
}

export function remindersText(minutes: number[]): string {
  if (minutes.length === 0) return t('reminders.none');
  return listFormat([...minutes].sort((a, b) => b - a).map(reminderLabel));
}

export function listFormat(items: string[]): string {
  try {
    return new Intl.ListFormat(intlTag(), { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

// ---------------------------------------------------------------- repeat rule (RRULE)

export const WEEKDAYS = ['MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'] as const;
export type Weekday = (typeof WEEKDAYS)[number];
export type RepeatKind = 'none' | 'daily' | 'weekly' | 'monthly' | 'custom';
export type RepeatEnd = 'never' | 'count' | 'until';

/** The repeat part of the meeting form. */
export interface Repeat {
  kind: RepeatKind;
  days: Weekday[];
  end: RepeatEnd;
  /** Times, as typed. */
  count: string;
  /** Last day (`yyyy-mm-dd`, in the meeting's zone). */
  until: string;
  /** A rule the form cannot show (kept as it is). */
  custom: string;
}

export const NO_REPEAT: Repeat = { kind: 'none', days: [], end: 'never', count: '10', until: '', custom: '' };

/** Monday = 0 … Sunday = 6, of a `yyyy-mm-dd` day. */
export function weekdayIndex(date: string): number | null {
  const d = parseDay(date);
  return d ? (d.getDay() + 6) % 7 : null;
}

/** The weekday's name in the interface language (long or short). */
export function weekdayName(day: Weekday, style: 'long' | 'short' = 'long'): string {
  // 1 January 2024 was a Monday.
  const date = new Date(Date.UTC(2024, 0, 1 + WEEKDAYS.indexOf(day)));
  return new Intl.DateTimeFormat(intlTag(), { weekday: style, timeZone: 'UTC' }).format(date);
}

/** `UNTIL` for the end of `day` in `zone` (the meetings of that day still take place). */
function untilValue(day: string, zone: string): string | null {
  const ms = wallToUtc(day, '23:59', zone);
  if (ms === null) return null;
  return isoUtc(ms + 59_000).replace(/[-:]/g, '');
}

/** The RRULE for the form's choice; null for a meeting that does not repeat. */
export function buildRrule(repeat: Repeat, zone: string): string | null {
  if (repeat.kind === 'none') return null;
  if (repeat.kind === 'custom') return repeat.custom;
  const parts = [`FREQ=${repeat.kind.toUpperCase()}`];
  if (repeat.kind === 'weekly' && repeat.days.length) {
    parts.push(`BYDAY=${WEEKDAYS.filter((d) => repeat.days.includes(d)).join(',')}`);
  }
  if (repeat.end === 'count') parts.push(`COUNT=${Number(repeat.count)}`);
  if (repeat.end === 'until') {
    const until = untilValue(repeat.until, zone);
    if (until) parts.push(`UNTIL=${until}`);
  }
  return parts.join(';');
}

/** Reads a rule back into the form; what the form cannot show becomes `custom`. */
export function parseRrule(rule: string | null, zone: string): Repeat {
  if (!rule) return { ...NO_REPEAT };
  const custom: Repeat = { ...NO_REPEAT, kind: 'custom', custom: rule };
  const fields = new Map<string, string>();
  for (const part of rule.split(';')) {
    const [key, value] = part.split('=');
    if (!key || value === undefined || fields.has(key)) return custom;
    fields.set(key, value);
  }
  const freq = fields.get('FREQ');
  if (freq !== 'DAILY' && freq !== 'WEEKLY' && freq !== 'MONTHLY') return custom;
  const repeat: Repeat = { ...NO_REPEAT, kind: freq.toLowerCase() as RepeatKind };
  for (const [key, value] of fields) {
    if (key === 'FREQ') continue;
    if (key === 'INTERVAL' && value === '1') continue;
    if (key === 'BYDAY' && freq === 'WEEKLY') {
      const days = value.split(',');
      if (!days.every((d) => (WEEKDAYS as readonly string[]).includes(d))) return custom;
      repeat.days = days as Weekday[];
    } else if (key === 'COUNT' && /^\d+$/.test(value) && repeat.end === 'never') {
      repeat.end = 'count';
      repeat.count = String(Number(value));
    } else if (key === 'UNTIL' && repeat.end === 'never') {
      const m = /^(\d{4})(\d{2})(\d{2})(?:T(\d{2})(\d{2})(\d{2})(Z?))?$/.exec(value);
      if (!m) return custom;
      if (m[4] !== undefined && m[7] === 'Z') {
        const ms = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]));
        repeat.until = wallDate(wallTime(ms, zone));
      } else {
        repeat.until = `${m[1]}-${m[2]}-${m[3]}`;
      }
      repeat.end = 'until';
    } else {
      return custom;
    }
  }
  return repeat;
}

/** "Every week on Monday and Wednesday, 10 times" — for the meeting page. */
export function describeRrule(rule: string | null, zone: string): string {
  if (!rule) return t('repeat.once');
  const r = parseRrule(rule, zone);
  if (r.kind === 'custom') return t('repeat.custom_rule', { rule });
  let text =
    r.kind === 'weekly' && r.days.length
      ? t('repeat.weekly_on', { days: listFormat(r.days.map((d) => weekdayName(d))) })
      : t(`repeat.every.${r.kind as 'daily' | 'weekly' | 'monthly'}`);
  if (r.end === 'count') text = `${text}, ${tPlural('repeat.times', Number(r.count))}`;
  if (r.end === 'until') {
    const day = parseDay(r.until);
    if (day) text = `${text}, ${t('repeat.until_day', { day: formatDayWithYear(day) })}`;
  }
  return text;
}

// ---------------------------------------------------------------- live

/**
 * Calls `onChange` (a little later, once for a burst) when any of the person's meetings
 * changes (event `meetings.changed` on `person:<id>`; `null`: may be any) and after a lost
 * connection came back — only while the person uses the page (see `whenActive`): reading
 * again counts as activity on the server.
 */
export function useMeetingsChanged(personId: string, onChange: (meetingId: string | null) => void): void {
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    let timer: number | undefined;
    let ids = new Set<string | null>();
    const key = {};
    const later = (id: string | null) => {
      ids.add(id);
      window.clearTimeout(timer);
      timer = window.setTimeout(() => {
        const all = ids;
        ids = new Set();
        whenActive(key, () => {
          if (all.has(null)) latest.current(null);
          else for (const one of all) latest.current(one);
        });
      }, 200);
    };
    const stop = watch(
      `person:${personId}`,
      (event) => {
        if (event.event !== 'meetings.changed') return;
        const id = event.data.meeting_id;
        later(typeof id === 'string' || typeof id === 'number' ? String(id) : null);
      },
      () => later(null),
    );
    return () => {
      stop();
      window.clearTimeout(timer);
      cancelWaiting(key);
    };
  }, [personId]);
}

/** The server's time now, again every `everyMs` (for "Join" links that open on time). */
export function useNow(everyMs = 15_000): number {
  const [now, setNow] = useState(serverNow);
  useEffect(() => {
    const id = window.setInterval(() => setNow(serverNow()), everyMs);
    return () => window.clearInterval(id);
  }, [everyMs]);
  return now;
}

/** Whether the room of this occurrence is open at `now` (15 minutes before until the end). */
export function joinOpen(item: { status: string; join_open?: boolean; occurrence: { starts_at: string; ends_at: string } }, now: number): boolean {
  if (item.status !== 'scheduled') return false;
  const start = Date.parse(item.occurrence.starts_at);
  const end = Date.parse(item.occurrence.ends_at);
  return now >= start - JOIN_EARLY_MS && now < end;
}
