// /rooms — my personal room and the meeting rooms I may use (administrators: all of them; a
// unit's head: those of the unit; both set up new ones); /rooms/:id — a room, the way into its
// video meeting (/rooms/:id/call), my meetings in it, the room's week (every meeting held in
// it), its chat, and (for those who look after it) who may use it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { api, Problem } from '../../lib/api';
import { failureFrom, requiredError, type FieldError, type FormFailure } from '../../lib/forms';
import { formatNumber, t, tPlural } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import type { MeetingSummary, Room, Session, Unit } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import {
  addDays, dayKey, formatDayLong, formatSpan, isoUtc, meetingHref, mondayOf, roomCallHref, roomHref, useMeetingsChanged, useNow,
} from '../../lib/workspace';
import { weekRange } from './Calendar';
import { Chat } from './Chat';
import {
  focusHeadingIfLost, groupByDay, Loading, MeetingItem, Missing, StatusSlot, useDirectorySearch, useOccurrences, useWorkspaceFlash,
  workspaceFlash,
  firstPickId,
  PersonPick,
} from './common';

const enc = encodeURIComponent;
const NAME_MAX = 200;
const DESCRIPTION_MAX = 2000;
const UPCOMING_DAYS = 60;

const isAdmin = (session: Session) => session.person.permissions.includes('people.manage');
/** The units whose head the person is (an administrator's role scoped to the unit): they look after those units' rooms. */
const headedUnits = (session: Session) =>
  session.person.roles.filter((r) => r.role === 'administrator' && r.scope_kind === 'unit' && r.scope_id).map((r) => String(r.scope_id));

function roomKind(room: Room, session: Session): string {
  if (room.kind === 'personal') return room.owner_id === session.person.id ? t('rooms.kind.personal_mine') : t('rooms.kind.personal');
  return t('rooms.kind.meeting');
}

function roomName(room: Room, session: Session): string {
  return room.kind === 'personal' && room.owner_id === session.person.id ? t('rooms.my_personal') : room.name;
}

// ---------------------------------------------------------------- /rooms

export function RoomsPage({ session }: { session: Session }) {
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const flash = useWorkspaceFlash();
  const admin = isAdmin(session);
  const headed = headedUnits(session);

  const load = async () => {
    try {
      const page = await api.get<{ items: Room[] }>('/rooms');
      // My own room first, then the meeting rooms by name.
      const sorted = [...page.items].sort((a, b) =>
        a.kind !== b.kind ? (a.kind === 'personal' ? -1 : 1) : a.name.localeCompare(b.name),
      );
      setRooms(sorted);
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  return (
    <>
      <PageTitle title={t('rooms.title')} />
      <p class="lead">{t('rooms.intro')}</p>
      <StatusSlot>{flash?.text}</StatusSlot>
      <div class="stack">
        <section class="card" aria-labelledby="rooms-list-title">
          <h2 id="rooms-list-title">{t('rooms.list')}</h2>
          <ErrorSummary failure={failure} />
          {rooms === null && !failure && <p role="status">{t('common.loading')}</p>}
          {rooms && (
            <div class="table-wrap" role="region" aria-labelledby="rooms-list-title" tabIndex={0}>
              <table class="table table--stack" id="rooms-table">
                <caption class="visually-hidden">{t('rooms.list')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('rooms.name')}</th>
                    <th scope="col">{t('rooms.capacity')}</th>
                    <th scope="col">{t('rooms.unit')}</th>
                    <th scope="col">{t('rooms.members')}</th>
                  </tr>
                </thead>
                <tbody>
                  {rooms.map((r) => (
                    <tr key={r.id} data-room-id={r.id}>
                      <th scope="row">
                        <Link href={roomHref(r.id)}>{roomName(r, session)}</Link>
                        <span class="table__sub">{roomKind(r, session)}</span>
                      </th>
                      <td>
                        <span class="cell-label" aria-hidden="true">
                          {t('rooms.capacity')}:{' '}
                        </span>
                        {r.capacity === null ? '—' : formatNumber(r.capacity)}
                      </td>
                      <td>
                        <span class="cell-label" aria-hidden="true">
                          {t('rooms.unit')}:{' '}
                        </span>
                        {r.unit?.name ?? '—'}
                      </td>
                      <td>
                        <span class="cell-label" aria-hidden="true">
                          {t('rooms.members')}:{' '}
                        </span>
                        {formatNumber(r.member_count)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {rooms && rooms.filter((r) => r.kind === 'meeting').length === 0 && <p>{t(admin || headed.length > 0 ? 'rooms.none_admin' : 'rooms.none')}</p>}
        </section>
        {(admin || headed.length > 0) && (
          <RoomForm
            room={null}
            onlyUnits={admin ? null : headed}
            onSaved={(room) => (workspaceFlash.set({ text: t('rooms.created', { name: room.name }) }), navigate(roomHref(room.id)))}
          />
        )}
      </div>
    </>
  );
}

/**
 * Create (room null) or change a meeting room: name, description, unit, capacity, lobby. A
 * unit's head (`onlyUnits`) chooses among the units they head, and must choose one.
 */
function RoomForm({ room, onSaved, onlyUnits = null }: { room: Room | null; onSaved: (room: Room) => void; onlyUnits?: string[] | null }) {
  const prefix = room ? 'room-edit' : 'room-new';
  const [name, setName] = useState(room?.name ?? '');
  const [description, setDescription] = useState(room?.description ?? '');
  const [unitId, setUnitId] = useState(room?.unit?.id ?? onlyUnits?.[0] ?? '');
  const [capacity, setCapacity] = useState(room?.capacity === null || room?.capacity === undefined ? '' : String(room.capacity));
  const [lobby, setLobby] = useState(room?.lobby ?? false);
  const [units, setUnits] = useState<Unit[]>([]);
  const form = useForm();
  const ids = { name: `${prefix}-name`, description: `${prefix}-description`, unit: `${prefix}-unit`, capacity: `${prefix}-capacity` };

  useEffect(() => {
    api
      .get<{ items: Unit[] }>('/units')
      .then((page) => setUnits(page.items))
      .catch(() => setUnits([]));
  }, []);

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!name.trim()) problems.push(requiredError(ids.name, t('rooms.name')));
      else if ([...name.trim()].length > NAME_MAX) problems.push({ id: ids.name, label: t('rooms.name'), message: t('validation.name.too_long') });
      if ([...description].length > DESCRIPTION_MAX)
        problems.push({ id: ids.description, label: t('rooms.description'), message: t('rooms.description_too_long') });
      const n = Number(capacity);
      if (capacity.trim() && (!/^\d+$/.test(capacity.trim()) || n < 1 || n > 10000))
        problems.push({ id: ids.capacity, label: t('rooms.capacity'), message: t('validation.capacity.out_of_range') });
      return problems;
    },
    send: async () => {
      const body: Record<string, unknown> = { name: name.trim(), description: description.trim(), lobby };
      if (unitId) body.unit_id = unitId;
      if (capacity.trim()) body.capacity = Number(capacity);
      const saved = room ? await api.patch<Room>(`/rooms/${enc(room.id)}`, body) : await api.post<Room>('/rooms', body);
      onSaved(saved);
    },
    fields: {
      name: [ids.name, t('rooms.name')],
      description: [ids.description, t('rooms.description')],
      unit_id: [ids.unit, t('rooms.unit')],
      capacity: [ids.capacity, t('rooms.capacity')],
    },
  });

  const titleId = `${prefix}-title`;
  return (
    <section class="card" aria-labelledby={titleId}>
      <h2 id={titleId}>{room ? t('rooms.edit') : t('rooms.add')}</h2>
      <form class="form" id={`${prefix}-form`} onSubmit={submit} noValidate aria-labelledby={titleId}>
        <ErrorSummary failure={form.failure} />
        <TextField id={ids.name} label={t('rooms.name')} error={form.errorFor(ids.name)} value={name} onValue={setName} maxLength={NAME_MAX} autocomplete="off" required />
        <TextAreaField
          id={ids.description}
          label={t('rooms.description')}
          error={form.errorFor(ids.description)}
          value={description}
          onValue={setDescription}
          rows={3}
          maxLength={DESCRIPTION_MAX}
        />
        <div class="form__row">
          <SelectField
            id={ids.unit}
            label={t('rooms.unit')}
            error={form.errorFor(ids.unit)}
            value={unitId}
            onValue={setUnitId}
            options={[
              ...(onlyUnits ? [] : [{ value: '', label: t('rooms.no_unit') }]),
              ...units.filter((u) => !onlyUnits || onlyUnits.includes(u.id)).map((u) => ({ value: u.id, label: u.name })),
            ]}
          />
          <TextField
            id={ids.capacity}
            type="number"
            class="input--short"
            label={t('rooms.capacity')}
            hint={t('rooms.capacity_hint')}
            error={form.errorFor(ids.capacity)}
            value={capacity}
            onValue={setCapacity}
            min={1}
            max={10000}
            inputMode="numeric"
          />
        </div>
        <div class="checkbox">
          <input type="checkbox" id={`${prefix}-lobby`} checked={lobby} onChange={(e) => setLobby((e.currentTarget as HTMLInputElement).checked)} />
          <label for={`${prefix}-lobby`}>{t('rooms.lobby_label')}</label>
        </div>
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {room ? t('common.save') : t('rooms.create')}
          </button>
        </div>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- /rooms/:id

interface RoomMember {
  id: string;
  display_name: string;
}

export function RoomPage({ id, session }: { id: string; session: Session }) {
  const [room, setRoom] = useState<Room | null>(null);
  const [members, setMembers] = useState<RoomMember[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);
  const flash = useWorkspaceFlash();
  const [notice, setNotice] = useState(flash?.text ?? '');
  const now = useNow();
  const [from] = useState(() => Date.now() - 24 * 3600 * 1000);
  const upcoming = useOccurrences(from, from + (UPCOMING_DAYS + 1) * 24 * 3600 * 1000, [id]);
  const [weekReload, setWeekReload] = useState(0);
  useMeetingsChanged(session.person.id, () => (void upcoming.load(), setWeekReload((n) => n + 1)));

  const loadMembers = async () => {
    try {
      const page = await api.get<{ items: RoomMember[] }>(`/rooms/${enc(id)}/members`);
      setMembers(page.items);
    } catch {
      setMembers(null);
    }
  };
  const load = async () => {
    setRoom(null);
    setMissing(false);
    try {
      setRoom(await api.get<Room>(`/rooms/${enc(id)}`));
      setFailure(null);
      void loadMembers();
      focusHeadingIfLost();
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setMissing(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  if (missing) return <Missing title={t('rooms.missing_title')} text={t('rooms.missing_text')} back="/rooms" backLabel={t('rooms.back')} />;
  if (!room) return <Loading title={t('rooms.title')} failure={failure} retry={() => void load()} />;

  const mine = (upcoming.items ?? []).filter((m) => m.room.id === room.id && Date.parse(m.occurrence.ends_at) > now);
  const isMember = !!members?.some((m) => m.id === session.person.id);
  const mayBook = room.kind === 'personal' ? room.owner_id === session.person.id : room.may_manage || isMember;
  // Administrators and the head of the room's unit (the server says which).
  const manage = room.kind === 'meeting' && room.may_manage;

  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/rooms">{t('rooms.title')}</Link>
          </li>
          <li>
            <span aria-current="page">{roomName(room, session)}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={roomName(room, session)} />
      {room.description && <p class="lead room-description">{room.description}</p>}
      <dl class="facts">
        <div>
          <dt>{t('rooms.kind_label')}</dt>
          <dd>{roomKind(room, session)}</dd>
        </div>
        <div>
          <dt>{t('rooms.capacity')}</dt>
          <dd>{room.capacity === null ? t('rooms.no_capacity') : tPlural('rooms.people', room.capacity)}</dd>
        </div>
        {room.unit && (
          <div>
            <dt>{t('rooms.unit')}</dt>
            <dd>{room.unit.name}</dd>
          </div>
        )}
        <div>
          <dt>{t('rooms.lobby')}</dt>
          <dd>{room.lobby ? t('rooms.lobby_on') : t('rooms.lobby_off')}</dd>
        </div>
      </dl>
      <div class="notice notice--info room-video" id="room-video">
        <p>{t('rooms.video_text')}</p>
        <Link href={roomCallHref(room.id)} class="button" id="room-video-join">
          {t('rooms.video_join')}
        </Link>
      </div>
      <StatusSlot>{notice}</StatusSlot>
      <div class="stack">
        <section class="card" aria-labelledby="room-meetings-title">
          <h2 id="room-meetings-title">{t('rooms.my_meetings')}</h2>
          <ErrorSummary failure={upcoming.failure} />
          {upcoming.items === null && !upcoming.failure && <p role="status">{t('common.loading')}</p>}
          {upcoming.items !== null && mine.length === 0 && <p>{t('rooms.my_meetings_none', { days: UPCOMING_DAYS })}</p>}
          {mine.length > 0 && (
            <ul class="meeting-list meeting-list--dated">
              {mine.map((item) => (
                <MeetingItem key={`${item.id}-${item.occurrence.starts_at}`} item={item} now={now} showRoom={false} dated />
              ))}
            </ul>
          )}
          {mayBook && (
            <p>
              <Link href={`/meetings/new?room=${enc(room.id)}`}>{t('rooms.schedule_here')}</Link>
            </p>
          )}
        </section>
        <RoomWeek
          key={room.id}
          roomId={room.id}
          now={now}
          reload={weekReload}
          linkable={(m) => m.organiser.id === session.person.id || (upcoming.items ?? []).some((u) => u.id === m.id)}
        />
        <Chat key={room.id} kind="room" id={room.id} people={members ?? []} session={session} />
        {room.kind === 'meeting' && members && (
          <Members
            room={room}
            members={members}
            manage={manage}
            onChanged={(text) => {
              setNotice(text);
              void loadMembers();
            }}
          />
        )}
        {manage && <AddMember room={room} members={members ?? []} onAdded={(text) => (setNotice(text), void loadMembers())} />}
        {manage && (
          <RoomForm
            key={room.updated_at}
            room={room}
            onlyUnits={isAdmin(session) ? null : headedUnits(session)}
            onSaved={(saved) => {
              setRoom(saved);
              setNotice(t('rooms.saved'));
            }}
          />
        )}
      </div>
    </>
  );
}

type RoomOccurrence = Omit<MeetingSummary, 'my_response' | 'join_open'>;

/**
 * Every meeting held in the room in one week (Monday to Sunday in the browser's zone), with
 * the previous and next week: seven columns on a wide screen, on a phone only the days that
 * have meetings. Titles link to the meeting only where the person is known to see it.
 */
function RoomWeek({
  roomId,
  now,
  reload,
  linkable,
}: {
  roomId: string;
  now: number;
  reload: number;
  linkable: (m: RoomOccurrence) => boolean;
}) {
  const [monday, setMonday] = useState(() => mondayOf(new Date()));
  const [items, setItems] = useState<RoomOccurrence[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const seq = useRef(0);
  const key = dayKey(monday);

  useEffect(() => {
    const mine = ++seq.current;
    if (reload === 0) setItems(null);
    api
      .get<{ items: RoomOccurrence[] }>(`/rooms/${enc(roomId)}/meetings?from=${enc(isoUtc(monday))}&to=${enc(isoUtc(addDays(monday, 7)))}`)
      .then((page) => {
        if (mine !== seq.current) return;
        setItems(page.items);
        setFailure(null);
      })
      .catch((error) => mine === seq.current && setFailure(failureFrom(error)));
  }, [roomId, key, reload]);

  const go = (weeks: number) => {
    setItems(null);
    setMonday(weeks === 0 ? mondayOf(new Date()) : addDays(monday, 7 * weeks));
  };
  const grouped = groupByDay((items ?? []) as MeetingSummary[]);
  const days = Array.from({ length: 7 }, (_, i) => addDays(monday, i));
  const todayKey = dayKey(new Date(now));
  const range = weekRange(monday);

  return (
    <section class="card room-week" aria-labelledby="room-week-title" id="room-week">
      <h2 id="room-week-title">{t('rooms.week_title')}</h2>
      <p class="muted">{t('rooms.week_intro')}</p>
      <nav class="calendar-nav calendar-nav--periods" aria-label={t('calendar.weeks')}>
        <button type="button" class="button button--secondary button--small" id="room-week-prev" onClick={() => go(-1)}>
          <span aria-hidden="true">‹ </span>
          {t('calendar.prev')}
        </button>
        <button type="button" class="button button--secondary button--small" id="room-week-this" onClick={() => go(0)}>
          {t('calendar.this_week')}
        </button>
        <button type="button" class="button button--secondary button--small" id="room-week-next" onClick={() => go(1)}>
          {t('calendar.next')}
          <span aria-hidden="true"> ›</span>
        </button>
      </nav>
      <h3 id="room-week-range" class="calendar-period-title">
        {range}
      </h3>
      <p class="muted" role="status">
        {items === null ? (failure ? '' : t('common.loading')) : `${range}: ${tPlural('rooms.week_count', items.length)}`}
      </p>
      <ErrorSummary failure={failure} />
      {items !== null && items.length === 0 && <p>{t('rooms.week_none')}</p>}
      {items !== null && items.length > 0 && (
        <div class="week" role="group" aria-labelledby="room-week-range">
          {days.map((day) => {
            const k = dayKey(day);
            const list = grouped.get(k) ?? [];
            const isToday = k === todayKey;
            return (
              <section
                class={`week__day${isToday ? ' week__day--today' : ''}${list.length ? '' : ' week__day--empty'}`}
                aria-labelledby={`rw-${k}`}
                key={k}
                data-day={k}
              >
                <h4 class="week__title" id={`rw-${k}`} aria-current={isToday ? 'date' : undefined}>
                  {formatDayLong(day)}
                  {isToday && <span class="badge badge--today">{t('calendar.today')}</span>}
                </h4>
                {list.length > 0 ? (
                  <ul class="meeting-list">
                    {list.map((item) => (
                      <RoomWeekEntry key={`${item.id}-${item.occurrence.starts_at}`} item={item} link={linkable(item)} />
                    ))}
                  </ul>
                ) : (
                  <p class="week__none">{t('calendar.none')}</p>
                )}
              </section>
            );
          })}
        </div>
      )}
    </section>
  );
}

function RoomWeekEntry({ item, link }: { item: RoomOccurrence; link: boolean }) {
  const cancelled = item.status === 'cancelled';
  return (
    <li class={`meeting-item meeting-item--compact${cancelled ? ' meeting-item--cancelled' : ''}`} data-room-meeting-id={item.id}>
      <span class="meeting-item__time">
        <time dateTime={item.occurrence.starts_at}>{formatSpan(item.occurrence.starts_at, item.occurrence.ends_at)}</time>
      </span>
      <span class="meeting-item__title">
        {link ? <Link href={meetingHref(item.id)}>{item.title}</Link> : <span class={cancelled ? 'meeting-title--cancelled' : undefined}>{item.title}</span>}
        {cancelled && <span class="badge badge--cancelled">{t('meetings.cancelled_badge')}</span>}
      </span>
      <span class="meeting-item__meta">
        <span>
          <span class="visually-hidden">{t('meetings.organiser')}: </span>
          {item.organiser.display_name}
        </span>
      </span>
    </li>
  );
}

function Members({ room, members, manage, onChanged }: { room: Room; members: RoomMember[]; manage: boolean; onChanged: (text: string) => void }) {
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const remove = async (m: RoomMember) => {
    setBusy(m.id);
    try {
      await api.delete(`/rooms/${enc(room.id)}/members/${enc(m.id)}`);
      setFailure(null);
      onChanged(t('rooms.member_removed', { name: m.display_name }));
      requestAnimationFrame(() => document.getElementById('room-members-title')?.focus());
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(null);
    }
  };
  return (
    <section class="card" aria-labelledby="room-members-title">
      <h2 id="room-members-title" tabIndex={-1}>
        {t('rooms.members')}
      </h2>
      <p class="muted">{t('rooms.members_intro')}</p>
      <ErrorSummary failure={failure} />
      {members.length === 0 ? (
        <p>{t('rooms.members_none')}</p>
      ) : (
        <ul class="member-list" id="room-members">
          {members.map((m) => (
            <li key={m.id} data-person-id={m.id}>
              <span>{m.display_name}</span>
              {manage && (
                <button type="button" class="button button--small button--secondary" disabled={busy === m.id} onClick={() => void remove(m)}>
                  {t('rooms.member_remove')}
                  <span class="visually-hidden"> — {m.display_name}</span>
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

const FIND_ID = 'room-member-find';

function AddMember({ room, members, onAdded }: { room: Room; members: RoomMember[]; onAdded: (text: string) => void }) {
  const [q, setQ] = useState('');
  const [chosen, setChosen] = useState('');
  const search = useDirectorySearch(q, ['person']);
  const form = useForm();
  const already = new Set(members.map((m) => m.id));
  const firstPick = firstPickId(search, FIND_ID, 'room-member-pick-', already);

  const submit = form.submitWith({
    check: () => (chosen ? [] : [{ id: firstPick, label: t('rooms.member_find'), message: t('rooms.choose_someone') }]),
    send: async () => {
      const person = search.found?.find((p) => p.id === chosen);
      await api.post(`/rooms/${enc(room.id)}/members`, { person_id: chosen });
      setQ('');
      setChosen('');
      search.clear();
      onAdded(t('rooms.member_added', { name: person?.name ?? '' }));
      requestAnimationFrame(() => document.getElementById(FIND_ID)?.focus());
    },
    fields: { person_id: [firstPick, t('rooms.member_find')] },
  });
  return (
    <section class="card" aria-labelledby="room-add-member-title">
      <h2 id="room-add-member-title">{t('rooms.member_add')}</h2>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="room-add-member-title">
        <ErrorSummary failure={form.failure ?? search.failure} />
        <PersonPick
          findId={FIND_ID}
          pickPrefix="room-member-pick-"
          label={t('rooms.member_find')}
          legend={t('rooms.member_pick')}
          q={q}
          onQ={setQ}
          search={search}
          chosen={chosen}
          onChoose={setChosen}
          errorFor={form.errorFor}
          unavailable={already}
          unavailableNote={t('rooms.already_member')}
        />
        <div class="button-row">
          <button type="submit" class="button" disabled={form.busy}>
            {t('rooms.member_add_submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
