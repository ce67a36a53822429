// /meetings/new and /meetings/:id/edit — title, agenda, room, start (date and time in the
// meeting's zone), duration, zone, repeat (→ RRULE), invitees found in the directory. After
// saving: the meeting's page, with a warning about who is busy then.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { api, Problem } from '../../lib/api';
import { failureFrom, requiredError, type FieldError, type FormFailure } from '../../lib/forms';
import { currentLocale, t, tPlural } from '../../lib/i18n';
import { Link, navigate, useSearchParams } from '../../lib/router';
import type { DirectoryEntry, DirectoryKind, Group, Meeting, Room, Session, Unit } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import {
  buildRrule, defaultZone, formatDuration, meetingHref, NO_REPEAT, parseDay, parseRrule, wallDate, wallTime, wallToUtc,
  WEEKDAYS, weekdayIndex, weekdayName, zoneOptions, type Repeat, type RepeatEnd, type RepeatKind, type Weekday,
} from '../../lib/workspace';
import { focusHeadingIfLost, kindLabel, Loading, Missing, useDirectorySearch, workspaceFlash } from './common';

const enc = encodeURIComponent;
const TITLE_MAX = 200;
const AGENDA_MAX = 10000;
const COUNT_MAX = 1000;
const DURATIONS = [15, 30, 45, 60, 90, 120, 180, 240, 480];

const ID = {
  title: 'meeting-title',
  agenda: 'meeting-agenda',
  room: 'meeting-room',
  date: 'meeting-date',
  time: 'meeting-time',
  duration: 'meeting-duration',
  zone: 'meeting-zone',
  repeat: 'repeat-kind-none',
  days: 'repeat-day-MO',
  count: 'repeat-count',
  until: 'repeat-until',
  find: 'invitee-find',
};

/** Someone (or a unit, body, group) on the list of invitees. */
interface Chip {
  kind: DirectoryKind;
  id: string;
  name: string;
  detail: string;
}
const chipKey = (c: { kind: string; id: string }) => `${c.kind}:${c.id}`;
const chipsKey = (chips: Chip[]) => chips.map(chipKey).sort().join(',');

interface Values {
  title: string;
  agenda: string;
  roomId: string;
  date: string;
  time: string;
  minutes: string;
  zone: string;
  repeat: Repeat;
  invitees: Chip[];
}

// ---------------------------------------------------------------- pages

export function NewMeetingPage({ session }: { session: Session }) {
  const params = useSearchParams();
  const zone = defaultZone(currentLocale());
  // The next half hour, on the meeting zone's clock.
  const next = new Date();
  next.setMinutes(next.getMinutes() < 30 ? 30 : 60, 0, 0);
  const wall = wallTime(next.getTime(), zone);
  const initial: Values = {
    title: '',
    agenda: '',
    roomId: params.get('room') ?? '',
    date: wallDate(wall),
    time: `${String(wall.hour).padStart(2, '0')}:${String(wall.minute).padStart(2, '0')}`,
    minutes: '60',
    zone,
    repeat: { ...NO_REPEAT },
    invitees: [],
  };
  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/calendar">{t('calendar.title')}</Link>
          </li>
          <li>
            <span aria-current="page">{t('meetings.new')}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={t('meetings.new')} />
      <p class="lead">{t('meetings.new_intro')}</p>
      <MeetingForm session={session} initial={initial} meeting={null} />
    </>
  );
}

/** Unit, body and group names for the invitees who came with one. */
async function chipsOf(meeting: Meeting, canReadGroups: boolean): Promise<Chip[]> {
  const chips = new Map<string, Chip>();
  for (const i of meeting.invitees) {
    if (i.via === 'organiser' || i.id === meeting.organiser.id) continue;
    const [kind, id] = i.via.split(':');
    if (!id || !['person', 'unit', 'body', 'group'].includes(kind!)) continue;
    if (kind === 'person') chips.set(i.via, { kind: 'person', id, name: i.display_name, detail: '' });
    else if (!chips.has(i.via)) chips.set(i.via, { kind: kind as DirectoryKind, id, name: '', detail: '' });
  }
  const needsUnits = [...chips.values()].some((c) => c.kind === 'unit' || c.kind === 'body');
  const units = needsUnits ? await api.get<{ items: Unit[] }>('/units').catch(() => ({ items: [] as Unit[] })) : { items: [] };
  for (const chip of chips.values()) {
    if (chip.kind === 'unit' || chip.kind === 'body') {
      chip.name = units.items.find((u) => u.id === chip.id)?.name ?? `${kindLabel(chip.kind)} ${chip.id}`;
    } else if (chip.kind === 'group') {
      const group = canReadGroups ? await api.get<Group>(`/groups/${enc(chip.id)}`).catch(() => null) : null;
      chip.name = group?.name ?? `${kindLabel('group')} ${chip.id}`;
    }
  }
  return [...chips.values()];
}

export function EditMeetingPage({ id, session }: { id: string; session: Session }) {
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [chips, setChips] = useState<Chip[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);

  const load = async () => {
    setMeeting(null);
    setMissing(false);
    try {
      const m = await api.get<Meeting>(`/meetings/${enc(id)}`);
      setChips(await chipsOf(m, session.person.permissions.includes('people.read')));
      setMeeting(m);
      setFailure(null);
      focusHeadingIfLost();
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setMissing(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [id]);

  if (missing) {
    return (
      <Missing title={t('meetings.missing_title')} text={t('meetings.missing_text')} back="/calendar" backLabel={t('calendar.back')} />
    );
  }
  if (!meeting || !chips) return <Loading title={t('meetings.edit')} failure={failure} retry={() => void load()} />;

  const [date = '', time = ''] = meeting.start.split('T');
  const initial: Values = {
    title: meeting.title,
    agenda: meeting.agenda,
    roomId: meeting.room.id,
    date,
    time: time.slice(0, 5),
    minutes: String(Math.round(meeting.duration / 60)),
    zone: meeting.time_zone,
    repeat: parseRrule(meeting.rrule, meeting.time_zone),
    invitees: chips,
  };
  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/calendar">{t('calendar.title')}</Link>
          </li>
          <li>
            <Link href={meetingHref(meeting.id)}>{meeting.title}</Link>
          </li>
          <li>
            <span aria-current="page">{t('meetings.edit')}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={t('meetings.edit_title', { title: meeting.title })} />
      {!meeting.may_edit ? (
        <p>{t('meetings.edit_not_allowed')}</p>
      ) : meeting.status === 'cancelled' ? (
        <p>{t('meetings.edit_cancelled')}</p>
      ) : (
        <>
          {meeting.invitees.some((i) => i.response !== 'needs-action' && i.via !== 'organiser') && (
            <p class="notice notice--info">{t('meetings.edit_answers_hint')}</p>
          )}
          <MeetingForm session={session} initial={initial} meeting={meeting} />
        </>
      )}
    </>
  );
}

// ---------------------------------------------------------------- the form

function MeetingForm({ session, initial, meeting }: { session: Session; initial: Values; meeting: Meeting | null }) {
  const [title, setTitle] = useState(initial.title);
  const [agenda, setAgenda] = useState(initial.agenda);
  const [roomId, setRoomId] = useState(initial.roomId);
  const [date, setDate] = useState(initial.date);
  const [time, setTime] = useState(initial.time);
  const [minutes, setMinutes] = useState(initial.minutes);
  const [zone, setZone] = useState(initial.zone);
  const [repeat, setRepeat] = useState<Repeat>(initial.repeat);
  const [invitees, setInvitees] = useState<Chip[]>(initial.invitees);
  const [rooms, setRooms] = useState<Room[] | null>(null);
  const form = useForm();
  const me = session.person;

  useEffect(() => {
    api
      .get<{ items: Room[] }>('/rooms')
      .then((page) => {
        setRooms(page.items);
        if (!initial.roomId || !page.items.some((r) => r.id === initial.roomId)) {
          const own = page.items.find((r) => r.kind === 'personal' && r.owner_id === me.id);
          if (!meeting) setRoomId((old) => (page.items.some((r) => r.id === old) ? old : own?.id ?? ''));
        }
      })
      .catch((error) => form.setFailure(failureFrom(error)));
  }, []);

  const roomOptions = (rooms ?? []).map((r) => ({
    value: r.id,
    label: r.kind === 'personal' ? (r.owner_id === me.id ? t('rooms.my_personal') : t('rooms.personal_of', { name: r.name })) : r.name,
  }));
  if (meeting && !roomOptions.some((o) => o.value === meeting.room.id)) {
    roomOptions.unshift({ value: meeting.room.id, label: meeting.room.name });
  }
  if (roomOptions.length === 0) roomOptions.push({ value: '', label: t('rooms.my_personal') });

  const durations = DURATIONS.includes(Number(initial.minutes)) ? DURATIONS : [...DURATIONS, Number(initial.minutes)].sort((a, b) => a - b);

  const setRepeatKind = (kind: RepeatKind) =>
    setRepeat((old) => {
      const next = { ...old, kind };
      // A weekly meeting starts on the weekday of its first date.
      if (kind === 'weekly' && old.days.length === 0) {
        const index = weekdayIndex(date);
        if (index !== null) next.days = [WEEKDAYS[index]!];
      }
      return next;
    });
  const toggleDay = (day: Weekday, on: boolean) =>
    setRepeat((old) => ({ ...old, days: on ? [...old.days.filter((d) => d !== day), day] : old.days.filter((d) => d !== day) }));

  const check = (): FieldError[] => {
    const problems: FieldError[] = [];
    const trimmed = title.trim();
    if (!trimmed) problems.push(requiredError(ID.title, t('meetings.title_field')));
    else if ([...trimmed].length > TITLE_MAX) problems.push({ id: ID.title, label: t('meetings.title_field'), message: t('validation.title.too_long') });
    if ([...agenda].length > AGENDA_MAX) problems.push({ id: ID.agenda, label: t('meetings.agenda'), message: t('validation.agenda.too_long') });
    if (!date) problems.push(requiredError(ID.date, t('meetings.date')));
    else if (!parseDay(date)) problems.push({ id: ID.date, label: t('meetings.date'), message: t('validation.date') });
    if (!time) problems.push(requiredError(ID.time, t('meetings.time')));
    else if (!/^\d{2}:\d{2}$/.test(time)) problems.push({ id: ID.time, label: t('meetings.time'), message: t('validation.time') });
    else if (parseDay(date) && wallToUtc(date, time, zone) === null)
      problems.push({ id: ID.time, label: t('meetings.time'), message: t('validation.start.nonexistent_time') });
    if (repeat.kind === 'weekly' && repeat.days.length === 0)
      problems.push({ id: ID.days, label: t('repeat.days'), message: t('repeat.days_required') });
    if (repeat.kind !== 'none' && repeat.kind !== 'custom') {
      if (repeat.end === 'count') {
        const n = Number(repeat.count);
        if (!/^\d+$/.test(repeat.count.trim()) || n < 1 || n > COUNT_MAX)
          problems.push({ id: ID.count, label: t('repeat.count'), message: t('repeat.count_range', { max: COUNT_MAX }) });
      }
      if (repeat.end === 'until') {
        if (!repeat.until) problems.push(requiredError(ID.until, t('repeat.until')));
        else if (!parseDay(repeat.until)) problems.push({ id: ID.until, label: t('repeat.until'), message: t('validation.date') });
        else if (parseDay(date) && repeat.until < date) problems.push({ id: ID.until, label: t('repeat.until'), message: t('repeat.until_before') });
      }
    }
    return problems;
  };

  /** The request body: everything when creating; only what changed when editing. */
  const body = (): Record<string, unknown> => {
    const start = `${date}T${time}`;
    const rrule = buildRrule(repeat, zone);
    const audiences = invitees.map((c) => ({ kind: c.kind, id: c.id }));
    if (!meeting) {
      const b: Record<string, unknown> = { title: title.trim(), start, duration: Number(minutes) * 60, time_zone: zone, invitees: audiences };
      if (agenda.trim()) b.agenda = agenda;
      if (roomId) b.room_id = roomId;
      if (rrule) b.rrule = rrule;
      return b;
    }
    const b: Record<string, unknown> = {};
    if (title.trim() !== initial.title) b.title = title.trim();
    if (agenda !== initial.agenda) b.agenda = agenda;
    if (roomId && roomId !== initial.roomId) b.room_id = roomId;
    if (zone !== initial.zone) b.time_zone = zone;
    if (start !== `${initial.date}T${initial.time}`) b.start = start;
    if (minutes !== initial.minutes) b.duration = Number(minutes) * 60;
    if (rrule !== buildRrule(initial.repeat, initial.zone) || zone !== initial.zone) b.rrule = rrule;
    if (chipsKey(invitees) !== chipsKey(initial.invitees)) b.invitees = audiences;
    return b;
  };

  let sent: Chip[] = [];
  const fields: Record<string, [string, string]> = {
    title: [ID.title, t('meetings.title_field')],
    agenda: [ID.agenda, t('meetings.agenda')],
    start: [ID.date, t('meetings.start')],
    duration: [ID.duration, t('meetings.duration')],
    time_zone: [ID.zone, t('meetings.zone')],
    rrule: [ID.repeat, t('repeat.legend')],
    room_id: [ID.room, t('meetings.room')],
    invitees: [ID.find, t('meetings.invitees')],
  };
  invitees.forEach((_, i) => {
    for (const suffix of ['', '.id', '.kind']) fields[`invitees[${i}]${suffix}`] = [ID.find, t('meetings.invitees')];
  });

  const submit = form.submitWith({
    check,
    send: async () => {
      sent = invitees;
      const payload = body();
      if (meeting && Object.keys(payload).length === 0) {
        workspaceFlash.set({ text: t('meetings.unchanged') });
        navigate(meetingHref(meeting.id));
        return;
      }
      const saved = meeting
        ? await api.patch<Meeting>(`/meetings/${enc(meeting.id)}`, payload)
        : await api.post<Meeting>('/meetings', payload);
      workspaceFlash.set({
        text: t(meeting ? 'meetings.saved' : 'meetings.created', { title: saved.title }),
        conflicts: saved.conflicts,
      });
      navigate(meetingHref(saved.id));
    },
    fields,
    refused: (error, failure) => {
      if (!(error instanceof Problem)) return failure;
      // An invitee who is not there (any more) or disabled: named, on the invitees' field.
      const named = error.errors
        .map((e) => ({ e, m: /^invitees\[(\d+)\]/.exec(e.field ?? '') }))
        .filter((x) => x.m)
        .map(({ e, m }) => {
          const chip = sent[Number(m![1])];
          const code = e.code === 'disabled' ? 'disabled' : 'not_found';
          return { id: ID.find, label: t('meetings.invitees'), message: t(`validation.invitee.${code}`, { name: chip?.name ?? '' }) };
        });
      if (!named.length) return failure;
      return { ...failure, fields: [...failure.fields.filter((f) => f.id !== ID.find), ...named] };
    },
  });

  const monthDay = parseDay(date)?.getDate();
  const repeatError = form.errorFor(ID.repeat);
  const daysError = form.errorFor(ID.days);

  return (
    <form class="form meeting-form" id="meeting-form" onSubmit={submit} noValidate>
      <ErrorSummary failure={form.failure} />
      <section class="card" aria-labelledby="meeting-what-title">
        <h2 id="meeting-what-title">{t('meetings.what')}</h2>
        <TextField
          id={ID.title}
          label={t('meetings.title_field')}
          error={form.errorFor(ID.title)}
          value={title}
          onValue={setTitle}
          autocomplete="off"
          maxLength={TITLE_MAX}
          required
        />
        <TextAreaField
          id={ID.agenda}
          label={t('meetings.agenda')}
          hint={t('meetings.agenda_hint')}
          error={form.errorFor(ID.agenda)}
          value={agenda}
          onValue={setAgenda}
          rows={5}
          maxLength={AGENDA_MAX}
        />
        <SelectField
          id={ID.room}
          label={t('meetings.room')}
          hint={t('meetings.room_hint')}
          error={form.errorFor(ID.room)}
          value={roomId}
          onValue={setRoomId}
          options={roomOptions}
        />
      </section>

      <section class="card" aria-labelledby="meeting-when-title">
        <h2 id="meeting-when-title">{t('meetings.when')}</h2>
        <div class="form__row">
          <TextField id={ID.date} type="date" label={t('meetings.date')} error={form.errorFor(ID.date)} value={date} onValue={setDate} required />
          <TextField id={ID.time} type="time" label={t('meetings.time')} error={form.errorFor(ID.time)} value={time} onValue={setTime} step={60} required />
        </div>
        <div class="form__row">
          <SelectField
            id={ID.duration}
            label={t('meetings.duration')}
            error={form.errorFor(ID.duration)}
            value={minutes}
            onValue={setMinutes}
            options={durations.map((m) => ({ value: String(m), label: formatDuration(m * 60) }))}
          />
          <SelectField
            id={ID.zone}
            label={t('meetings.zone')}
            hint={t('meetings.zone_hint')}
            error={form.errorFor(ID.zone)}
            value={zone}
            onValue={setZone}
            options={zoneOptions(initial.zone)}
          />
        </div>

        <fieldset
          class={`fieldset${repeatError ? ' field--error' : ''}`}
          aria-describedby={repeatError ? 'repeat-error' : undefined}
        >
          <legend>{t('repeat.legend')}</legend>
          {repeatError && (
            <p class="field__error" id="repeat-error">
              {repeatError}
            </p>
          )}
          <ul class="checkboxes checkboxes--row">
            {(['none', 'daily', 'weekly', 'monthly', ...(initial.repeat.kind === 'custom' ? ['custom'] : [])] as RepeatKind[]).map((kind) => (
              <li class="checkbox" key={kind}>
                <input
                  type="radio"
                  name="repeat-kind"
                  id={`repeat-kind-${kind}`}
                  value={kind}
                  checked={repeat.kind === kind}
                  onChange={() => setRepeatKind(kind)}
                />
                <label for={`repeat-kind-${kind}`}>{t(`repeat.kind.${kind}`)}</label>
              </li>
            ))}
          </ul>
          {repeat.kind === 'monthly' && monthDay && <p class="field__hint">{t('repeat.monthly_hint', { day: monthDay })}</p>}
          {repeat.kind === 'custom' && <p class="field__hint">{t('repeat.custom_hint', { rule: repeat.custom })}</p>}
        </fieldset>

        {repeat.kind === 'weekly' && (
          <fieldset
            class={`fieldset${daysError ? ' field--error' : ''}`}
            aria-describedby={daysError ? 'repeat-days-error' : undefined}
          >
            <legend>{t('repeat.days')}</legend>
            {daysError && (
              <p class="field__error" id="repeat-days-error">
                {daysError}
              </p>
            )}
            <ul class="checkboxes checkboxes--row">
              {WEEKDAYS.map((day) => (
                <li class="checkbox" key={day}>
                  <input
                    type="checkbox"
                    id={`repeat-day-${day}`}
                    checked={repeat.days.includes(day)}
                    onChange={(e) => toggleDay(day, (e.currentTarget as HTMLInputElement).checked)}
                  />
                  <label for={`repeat-day-${day}`}>{weekdayName(day)}</label>
                </li>
              ))}
            </ul>
          </fieldset>
        )}

        {repeat.kind !== 'none' && repeat.kind !== 'custom' && (
          <fieldset class="fieldset">
            <legend>{t('repeat.ends')}</legend>
            <ul class="checkboxes checkboxes--row">
              {(['never', 'count', 'until'] as RepeatEnd[]).map((end) => (
                <li class="checkbox" key={end}>
                  <input
                    type="radio"
                    name="repeat-end"
                    id={`repeat-end-${end}`}
                    checked={repeat.end === end}
                    onChange={() => setRepeat((old) => ({ ...old, end }))}
                  />
                  <label for={`repeat-end-${end}`}>{t(`repeat.end.${end}`)}</label>
                </li>
              ))}
            </ul>
            {repeat.end === 'count' && (
              <TextField
                id={ID.count}
                type="number"
                class="input--short"
                label={t('repeat.count')}
                error={form.errorFor(ID.count)}
                value={repeat.count}
                onValue={(count) => setRepeat((old) => ({ ...old, count }))}
                min={1}
                max={COUNT_MAX}
                inputMode="numeric"
              />
            )}
            {repeat.end === 'until' && (
              <TextField
                id={ID.until}
                type="date"
                label={t('repeat.until')}
                hint={t('repeat.until_hint')}
                error={form.errorFor(ID.until)}
                value={repeat.until}
                onValue={(until) => setRepeat((old) => ({ ...old, until }))}
                min={date}
              />
            )}
          </fieldset>
        )}
      </section>

      <Invitees chosen={invitees} setChosen={setInvitees} error={form.errorFor(ID.find)} />

      <div class="button-row">
        <button type="submit" class="button" disabled={form.busy}>
          {meeting ? t('common.save') : t('meetings.schedule_submit')}
        </button>
        <Link href={meeting ? meetingHref(meeting.id) : '/calendar'} class="button button--secondary">
          {t('common.cancel')}
        </Link>
      </div>
    </form>
  );
}

// ---------------------------------------------------------------- invitees

function Invitees({ chosen, setChosen, error }: { chosen: Chip[]; setChosen: (update: (old: Chip[]) => Chip[]) => void; error?: string }) {
  const [q, setQ] = useState('');
  const search = useDirectorySearch(q);
  const keys = new Set(chosen.map(chipKey));

  const toggle = (entry: DirectoryEntry, on: boolean) =>
    setChosen((old) =>
      on
        ? old.some((c) => chipKey(c) === chipKey(entry))
          ? old
          : [...old, { kind: entry.kind, id: entry.id, name: entry.name, detail: entry.detail }]
        : old.filter((c) => chipKey(c) !== chipKey(entry)),
    );
  const remove = (chip: Chip) => {
    setChosen((old) => old.filter((c) => chipKey(c) !== chipKey(chip)));
    requestAnimationFrame(() => document.getElementById(ID.find)?.focus());
  };

  return (
    <section class="card" aria-labelledby="invitees-title">
      <h2 id="invitees-title">{t('meetings.invitees')}</h2>
      <p class="muted">{t('meetings.invitees_intro')}</p>
      <h3 id="invitees-chosen-title" class="visually-hidden">
        {t('meetings.invitees_chosen')}
      </h3>
      {chosen.length === 0 ? (
        <p id="invitees-none">{t('meetings.invitees_none')}</p>
      ) : (
        <ul class="chips" aria-labelledby="invitees-chosen-title">
          {chosen.map((c) => (
            <li class="chip" key={chipKey(c)} data-invitee={chipKey(c)}>
              <span class="chip__name">
                {c.name}
                {c.kind !== 'person' && <span class="chip__kind"> · {kindLabel(c.kind)}</span>}
              </span>
              <button type="button" class="chip__remove" onClick={() => remove(c)}>
                <span aria-hidden="true">×</span>
                <span class="visually-hidden">
                  {t('meetings.invitee_remove')} — {c.name}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
      <p class="visually-hidden" role="status">
        {tPlural('meetings.invitees_count', chosen.length)}
      </p>
      <TextField
        id={ID.find}
        type="search"
        label={t('meetings.invitee_find')}
        hint={t('meetings.invitee_find_hint')}
        error={error}
        value={q}
        onValue={setQ}
        autocomplete="off"
        spellcheck={false}
        maxLength={100}
      />
      <ErrorSummary failure={search.failure} />
      <p class="muted" role="status">
        {search.searching ? t('common.loading') : search.found ? tPlural('meetings.found', search.found.length) : ''}
      </p>
      {search.found && search.found.length > 0 && (
        <fieldset class="fieldset">
          <legend>{t('meetings.invitee_pick')}</legend>
          <ul class="checkboxes">
            {search.found.map((entry) => {
              const id = `invitee-pick-${entry.kind}-${entry.id}`;
              return (
                <li class="checkbox" key={chipKey(entry)}>
                  <input
                    type="checkbox"
                    id={id}
                    checked={keys.has(chipKey(entry))}
                    onChange={(e) => toggle(entry, (e.currentTarget as HTMLInputElement).checked)}
                  />
                  <label for={id}>
                    {entry.name}
                    <span class="table__sub">
                      {kindLabel(entry.kind)}
                      {entry.detail ? ` · ${entry.detail}` : ''}
                    </span>
                  </label>
                </li>
              );
            })}
          </ul>
        </fieldset>
      )}
    </section>
  );
}
