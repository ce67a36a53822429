// /council — the councils and committees, their sittings (upcoming first, then past) with their
// status, and, for those who may (the body's clerks and chairs, administrators), scheduling a
// sitting: the start is a wall time in the body's zone.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { failureFrom, requiredError, type FieldError, type FormFailure } from '../../lib/forms';
import { t, tPlural } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import {
  bodyHref, bodyKindLabel, council, memberRoleLabel, sittingHref, SITTING_KINDS, SITTING_MODES, sittingKindLabel, sittingModeLabel, type CouncilBody,
  type Sitting,
} from '../../lib/council';
import { useForm } from '../../lib/useForm';
import { zoneLabel } from '../../lib/workspace';
import { workspaceFlash } from '../workspace/common';
import { SittingItem } from './common';

/** The bodies, each with what the caller may do in it (the list itself does not say). */
export function useBodies() {
  const [bodies, setBodies] = useState<CouncilBody[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const load = async () => {
    try {
      const list = await council.bodies();
      setBodies(await Promise.all(list.map((b) => council.body(b.id))));
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, []);
  return { bodies, failure, load };
}

export const mayPrepare = (b: CouncilBody) => !!b.me && (b.me.administers || b.me.clerks || b.me.presides);

export function CouncilHomePage() {
  const { bodies, failure } = useBodies();
  const [sittings, setSittings] = useState<Sitting[] | null>(null);
  const [sittingsFailure, setSittingsFailure] = useState<FormFailure | null>(null);
  useEffect(() => {
    council
      .sittings()
      .then((list) => setSittings(list))
      .catch((error) => setSittingsFailure(failureFrom(error)));
  }, []);

  const upcoming = (sittings ?? [])
    .filter((s) => s.status === 'open' || s.status === 'scheduled')
    .sort((a, b) => (a.status === 'open') !== (b.status === 'open') ? (a.status === 'open' ? -1 : 1) : Date.parse(a.starts_at) - Date.parse(b.starts_at));
  const past = (sittings ?? [])
    .filter((s) => s.status === 'closed' || s.status === 'cancelled')
    .sort((a, b) => Date.parse(b.starts_at) - Date.parse(a.starts_at));
  const schedulable = (bodies ?? []).filter(mayPrepare);

  return (
    <>
      <PageTitle title={t('council.title')} />
      <p class="lead">{t('council.intro')}</p>
      <div class="stack">
        <section class="card" aria-labelledby="sittings-upcoming-title">
          <h2 id="sittings-upcoming-title">{t('council.upcoming')}</h2>
          <ErrorSummary failure={sittingsFailure} />
          <p class="muted" role="status">
            {sittings === null ? (sittingsFailure ? '' : t('common.loading')) : tPlural('council.sittings_count', upcoming.length)}
          </p>
          {upcoming.length > 0 && (
            <ul class="meeting-list" id="sittings-upcoming">
              {upcoming.map((s) => (
                <SittingItem key={s.id} sitting={s} />
              ))}
            </ul>
          )}
        </section>

        {schedulable.length > 0 && <ScheduleSitting bodies={schedulable} />}

        <section class="card" aria-labelledby="bodies-title">
          <h2 id="bodies-title">{t('council.bodies')}</h2>
          <ErrorSummary failure={failure} />
          {bodies === null ? (
            !failure && <p role="status">{t('common.loading')}</p>
          ) : (
            <ul class="plain-list" id="bodies">
              {bodies.map((b) => (
                <li key={b.id} data-body-id={b.id}>
                  <Link href={bodyHref(b.id)}>{b.name}</Link>
                  <span class="table__sub">
                    {bodyKindLabel(b.kind)} · {tPlural('council.seats_count', b.seats)}
                    {b.me?.roles.length ? ` · ${t('council.my_roles', { roles: b.me.roles.map(memberRoleLabel).join(', ') })}` : ''}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </section>

        <section class="card" aria-labelledby="sittings-past-title">
          <h2 id="sittings-past-title">{t('council.past')}</h2>
          {sittings !== null && past.length === 0 && <p>{t('council.past_none')}</p>}
          {past.length > 0 && (
            <ul class="meeting-list" id="sittings-past">
              {past.map((s) => (
                <SittingItem key={s.id} sitting={s} />
              ))}
            </ul>
          )}
        </section>
      </div>
    </>
  );
}

// ---------------------------------------------------------------- scheduling

const DURATIONS = [1, 2, 3, 4, 6, 8];

function ScheduleSitting({ bodies }: { bodies: CouncilBody[] }) {
  const [bodyId, setBodyId] = useState(bodies[0]!.id);
  const [title, setTitle] = useState('');
  const [date, setDate] = useState('');
  const [time, setTime] = useState('10:00');
  const [mode, setMode] = useState('in_person');
  const [kind, setKind] = useState('regular');
  const [place, setPlace] = useState('');
  const [hours, setHours] = useState('4');
  const form = useForm();
  const body = bodies.find((b) => b.id === bodyId) ?? bodies[0]!;
  const ID = {
    body: 'sitting-body',
    title: 'sitting-title',
    date: 'sitting-date',
    time: 'sitting-time',
    mode: 'sitting-mode',
    kind: 'sitting-kind',
    place: 'sitting-place',
    duration: 'sitting-duration',
  };

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!title.trim()) problems.push(requiredError(ID.title, t('council.sitting_title')));
      if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) problems.push(requiredError(ID.date, t('council.date')));
      if (!/^\d{2}:\d{2}$/.test(time)) problems.push(requiredError(ID.time, t('council.time')));
      return problems;
    },
    send: async () => {
      const made = await council.schedule({
        body_id: bodyId,
        title: title.trim(),
        start: `${date}T${time}`,
        mode,
        kind,
        place: place.trim(),
        duration: Number(hours) * 3600,
      });
      workspaceFlash.set({ text: t('council.scheduled', { title: made.title }) });
      navigate(sittingHref(made.id));
    },
    fields: {
      body_id: [ID.body, t('council.body')],
      title: [ID.title, t('council.sitting_title')],
      start: [ID.date, t('council.date')],
      mode: [ID.mode, t('council.mode_label')],
      kind: [ID.kind, t('council.kind_label')],
      place: [ID.place, t('council.place')],
      duration: [ID.duration, t('council.duration')],
    },
  });

  return (
    <section class="card" aria-labelledby="schedule-sitting-title">
      <h2 id="schedule-sitting-title">{t('council.schedule')}</h2>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="schedule-sitting-title" id="schedule-sitting">
        <ErrorSummary failure={form.failure} />
        <SelectField id={ID.body} label={t('council.body')} error={form.errorFor(ID.body)} value={bodyId} onValue={setBodyId} options={bodies.map((b) => ({ value: b.id, label: b.name }))} />
        <TextField id={ID.title} label={t('council.sitting_title')} hint={t('council.sitting_title_hint')} error={form.errorFor(ID.title)} value={title} onValue={setTitle} maxLength={300} required />
        <div class="form__row">
          <TextField id={ID.date} type="date" label={t('council.date')} error={form.errorFor(ID.date)} value={date} onValue={setDate} required />
          <TextField
            id={ID.time}
            type="time"
            label={t('council.time')}
            hint={t('council.time_hint', { zone: zoneLabel(body.time_zone) })}
            error={form.errorFor(ID.time)}
            value={time}
            onValue={setTime}
            required
          />
          <SelectField
            id={ID.duration}
            label={t('council.duration')}
            error={form.errorFor(ID.duration)}
            value={hours}
            onValue={setHours}
            options={DURATIONS.map((h) => ({ value: String(h), label: tPlural('meetings.hours', h) }))}
          />
        </div>
        <div class="form__row">
          <SelectField id={ID.mode} label={t('council.mode_label')} error={form.errorFor(ID.mode)} value={mode} onValue={setMode} options={SITTING_MODES.map((m) => ({ value: m, label: sittingModeLabel(m) }))} />
          <SelectField id={ID.kind} label={t('council.kind_label')} error={form.errorFor(ID.kind)} value={kind} onValue={setKind} options={SITTING_KINDS.map((k) => ({ value: k, label: sittingKindLabel(k) }))} />
        </div>
        <TextField id={ID.place} label={t('council.place')} hint={t('council.place_hint')} error={form.errorFor(ID.place)} value={place} onValue={setPlace} maxLength={300} />
        <button type="submit" class="button" disabled={form.busy}>
          {t('council.schedule_submit')}
        </button>
      </form>
    </section>
  );
}
