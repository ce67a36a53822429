// Pieces the workspace pages share: one meeting in a list, the "not found" page, a notice
// carried to the next page, loading a list of occurrences, and looking names up in the
// directory.
import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { api, query } from '../../lib/api';
import { failureFrom, type FieldError, type FormFailure } from '../../lib/forms';
import { t, tMaybe, tPlural } from '../../lib/i18n';
import { Link } from '../../lib/router';
import { createStore } from '../../lib/store';
import type { DirectoryEntry, DirectoryKind, MeetingConflict, MeetingSummary } from '../../lib/types';
import {
  formatDayShort, formatSpan, isoUtc, joinOpen, meetingHref, reminderLabel, responseLabel, responseTone, roomCallHref, zoneNote,
} from '../../lib/workspace';

/** What the next workspace page says first (after saving a meeting: its conflicts too). */
export interface WorkspaceFlash {
  text: string;
  conflicts?: MeetingConflict[];
}
export const workspaceFlash = createStore<WorkspaceFlash | null>(null);

/** Takes the carried-over notice once. */
export function useWorkspaceFlash(): WorkspaceFlash | null {
  const [value] = useState(() => {
    const v = workspaceFlash.get();
    workspaceFlash.set(null);
    return v;
  });
  return value;
}

/** A polite region that is always in the page, so that what appears in it is announced. */
export function StatusSlot({ children, id }: { children?: ComponentChildren; id?: string }) {
  return (
    <div role="status" class="status-slot" id={id}>
      {children ? <div class="notice">{children}</div> : null}
    </div>
  );
}

export const kindLabel = (kind: string) => tMaybe(`directory.kind.${kind}`) ?? kind;

/** A meeting or room that does not exist for this person (404), like the documents pages. */
export function Missing({ title, text, back, backLabel }: { title: string; text: string; back: string; backLabel: string }) {
  return (
    <div class="narrow">
      <PageTitle title={title} />
      <p>{text}</p>
      <p>
        <Link href={back}>{backLabel}</Link>
      </p>
    </div>
  );
}

/** While the first answer is on its way, or when it failed (with "Try again"). */
export function Loading({ title, failure, retry }: { title: string; failure: FormFailure | null; retry: () => void }) {
  return (
    <>
      <PageTitle title={title} />
      <ErrorSummary failure={failure} />
      {!failure && <p role="status">{t('common.loading')}</p>}
      {failure && (
        <button type="button" class="button" onClick={retry}>
          {t('common.retry')}
        </button>
      )}
    </>
  );
}

/** Gives focus to the page's heading when the one that had it (while loading) is gone. */
export function focusHeadingIfLost(): void {
  requestAnimationFrame(() => {
    const active = document.activeElement;
    if (!active || active === document.body || !active.isConnected)
      document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
  });
}

/** The caller's occurrences in [from, to), read again whenever `key` changes. */
export function useOccurrences(from: Date | number, to: Date | number, key: unknown[]) {
  const [items, setItems] = useState<MeetingSummary[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const seq = useRef(0);
  const load = async () => {
    const mine = ++seq.current;
    try {
      const page = await api.get<{ items: MeetingSummary[] }>(
        `/meetings${query({ from: isoUtc(from), to: isoUtc(to), limit: 200 })}`,
      );
      if (mine !== seq.current) return;
      setItems(page.items);
      setFailure(null);
    } catch (error) {
      if (mine === seq.current) setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    setItems(null);
    void load();
  }, key);
  return { items, failure, load };
}

/** One occurrence in a list: time, title, room, my answer, and "Join" while the room is open. */
export function MeetingItem({
  item,
  now,
  compact = false,
  showRoom = true,
  dated = false,
}: {
  item: MeetingSummary;
  now: number;
  compact?: boolean;
  showRoom?: boolean;
  /** Say the day too (lists that are not grouped by day). */
  dated?: boolean;
}) {
  const cancelled = item.status === 'cancelled';
  const open = !cancelled && (item.join_open || joinOpen(item, now));
  const note = zoneNote(item, item.occurrence.starts_at);
  const answer = item.my_response;
  return (
    <li
      class={`meeting-item${cancelled ? ' meeting-item--cancelled' : ''}${compact ? ' meeting-item--compact' : ''}`}
      data-meeting-id={item.id}
    >
      <span class="meeting-item__time">
        <time dateTime={item.occurrence.starts_at}>
          {dated ? `${formatDayShort(new Date(item.occurrence.starts_at))}, ` : ''}
          {formatSpan(item.occurrence.starts_at, item.occurrence.ends_at)}
        </time>
        {note && <span class="meeting-item__zone"> ({note})</span>}
      </span>
      <span class="meeting-item__title">
        <Link href={meetingHref(item.id)}>{item.title}</Link>
        {cancelled && <span class="badge badge--cancelled">{t('meetings.cancelled_badge')}</span>}
      </span>
      <span class="meeting-item__meta">
        {showRoom && (
          <span>
            <span class="visually-hidden">{t('meetings.room')}: </span>
            {item.room.name}
          </span>
        )}
        {answer && !cancelled && (
          <span>
            <span class="visually-hidden">{t('meetings.my_answer')}: </span>
            <span class={`badge badge--${responseTone(answer)}`}>{responseLabel(answer)}</span>
          </span>
        )}
      </span>
      {open && (
        <span class="meeting-item__join">
          <Link href={roomCallHref(item.room.id)} class="button button--small">
            {t('meetings.join')}
            <span class="visually-hidden"> — {item.title}</span>
          </Link>
        </span>
      )}
    </li>
  );
}

/** Occurrences grouped by their day in the browser's zone, in time order. */
export function groupByDay(items: MeetingSummary[]): Map<string, MeetingSummary[]> {
  const days = new Map<string, MeetingSummary[]>();
  const sorted = [...items].sort((a, b) => Date.parse(a.occurrence.starts_at) - Date.parse(b.occurrence.starts_at));
  for (const item of sorted) {
    const d = new Date(item.occurrence.starts_at);
    const key = `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    const list = days.get(key) ?? [];
    list.push(item);
    days.set(key, list);
  }
  return days;
}

/**
 * Looks names up in the directory (people, units, bodies, groups) a little after the last
 * key, from two letters on; `kinds` keeps only some.
 */
export function useDirectorySearch(q: string, kinds?: DirectoryKind[]) {
  const [found, setFound] = useState<DirectoryEntry[] | null>(null);
  const [searching, setSearching] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const seq = useRef(0);
  useEffect(() => {
    const term = q.trim();
    if ([...term].length < 2) {
      seq.current++;
      setFound(null);
      setSearching(false);
      return;
    }
    const mine = ++seq.current;
    const timer = window.setTimeout(async () => {
      setSearching(true);
      try {
        const page = await api.get<{ items: DirectoryEntry[] }>(`/directory${query({ q: term })}`);
        if (mine !== seq.current) return;
        setFound(kinds ? page.items.filter((e) => kinds.includes(e.kind)) : page.items);
        setFailure(null);
      } catch (error) {
        if (mine === seq.current) setFailure(failureFrom(error));
      } finally {
        if (mine === seq.current) setSearching(false);
      }
    }, 250);
    return () => window.clearTimeout(timer);
  }, [q]);
  const clear = () => {
    seq.current++;
    setFound(null);
    setSearching(false);
  };
  return { found, searching, failure, clear };
}

type DirectorySearch = ReturnType<typeof useDirectorySearch>;

/** The id of the first choice a search offers (where an error about the choice is shown), or
 * the search field's when there is none. */
export function firstPickId(search: DirectorySearch, findId: string, pickPrefix: string, unavailable?: Set<string>) {
  const first = search.found?.find((p) => !unavailable?.has(p.id));
  return first ? `${pickPrefix}${first.id}` : findId;
}

/** The state of one PersonPick for people: what is typed, who was found, who is chosen; the
 * check that someone is, and a reset once sent. `props` go to PersonPick as they are. */
export function usePersonPick(findId: string, pickPrefix: string, label: string) {
  const [q, onQ] = useState('');
  const [chosen, onChoose] = useState('');
  const search = useDirectorySearch(q, ['person']);
  const firstPick = firstPickId(search, findId, pickPrefix);
  return {
    props: { findId, pickPrefix, label, q, onQ, search, chosen, onChoose },
    chosen,
    search,
    /** Where an error about the choice is shown. */
    firstPick,
    missing: (): FieldError[] => (chosen ? [] : [{ id: firstPick, label, message: t('rooms.choose_someone') }]),
    reset: () => {
      onQ('');
      onChoose('');
      search.clear();
    },
  };
}

/** Finding one person in the directory: a search field, how many were found (announced), and
 * the people found as radio buttons; those in `unavailable` are shown but cannot be chosen. */
export function PersonPick(props: {
  findId: string;
  pickPrefix: string;
  label: string;
  legend: string;
  q: string;
  onQ: (q: string) => void;
  search: DirectorySearch;
  chosen: string;
  onChoose: (id: string) => void;
  errorFor: (id: string) => string | undefined;
  unavailable?: Set<string>;
  unavailableNote?: string;
}) {
  const { findId, pickPrefix, search, unavailable } = props;
  const firstPick = firstPickId(search, findId, pickPrefix, unavailable);
  const pickError = firstPick === findId ? undefined : props.errorFor(firstPick);
  const errorId = `${pickPrefix}error`;
  return (
    <>
      <TextField
        id={findId}
        type="search"
        label={props.label}
        hint={t('rooms.member_find_hint')}
        error={firstPick === findId ? props.errorFor(findId) : undefined}
        value={props.q}
        onValue={props.onQ}
        autocomplete="off"
        spellcheck={false}
        maxLength={100}
      />
      <p class="muted" role="status">
        {search.searching ? t('common.loading') : search.found ? tPlural('meetings.found', search.found.length) : ''}
      </p>
      {search.found && search.found.length > 0 && (
        <fieldset class={`fieldset${pickError ? ' field--error' : ''}`} aria-describedby={pickError ? errorId : undefined}>
          <legend>{props.legend}</legend>
          {pickError && (
            <p class="field__error" id={errorId}>
              {pickError}
            </p>
          )}
          <ul class="checkboxes">
            {search.found.map((p) => {
              const off = !!unavailable?.has(p.id);
              const pid = `${pickPrefix}${p.id}`;
              return (
                <li class="checkbox" key={p.id}>
                  <input type="radio" name={`${pickPrefix}choice`} id={pid} checked={props.chosen === p.id} disabled={off} onChange={() => props.onChoose(p.id)} />
                  <label for={pid}>
                    {p.name}
                    {(p.detail || off) && <span class="table__sub">{[p.detail, off ? props.unavailableNote ?? '' : ''].filter(Boolean).join(' · ')}</span>}
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
    </>
  );
}

/** The warning after saving a meeting: who (or the room) is already busy then. */
export function ConflictsWarning({ conflicts }: { conflicts: MeetingConflict[] }) {
  if (conflicts.length === 0) return null;
  return (
    <div class="notice notice--warning" id="meeting-conflicts">
      <h2 class="notice__title">{t('meetings.conflicts_title')}</h2>
      <p>{t('meetings.conflicts_text')}</p>
      <ul class="conflicts">
        {conflicts.map((c, i) => (
          <li key={`${c.kind}-${c.id}-${c.meeting_id}-${i}`}>
            {t(c.kind === 'room' ? 'meetings.conflict_room' : 'meetings.conflict_person', {
              name: c.name,
              title: c.meeting_title,
              when: `${formatDayShort(new Date(c.starts_at))} ${formatSpan(c.starts_at, c.ends_at)}`,
            })}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** Checkboxes for minutes before the start (also on the profile page). */
export function ReminderChoices({
  idPrefix,
  choices,
  chosen,
  setChosen,
}: {
  idPrefix: string;
  choices: number[];
  chosen: number[];
  setChosen: (update: (old: number[]) => number[]) => void;
}) {
  return (
    <ul class="checkboxes checkboxes--row">
      {choices.map((m) => (
        <li class="checkbox" key={m}>
          <input
            type="checkbox"
            id={`${idPrefix}-${m}`}
            checked={chosen.includes(m)}
            onChange={(e) => {
              const on = (e.currentTarget as HTMLInputElement).checked;
              setChosen((old) => (on ? [...old.filter((x) => x !== m), m] : old.filter((x) => x !== m)));
            }}
          />
          <label for={`${idPrefix}-${m}`}>{reminderLabel(m)}</label>
        </li>
      ))}
    </ul>
  );
}
