// The next occurrences of a repeating meeting on its page; the organiser changes one of them
// (another time or length, or cancels it) or it and all that follow (then also the title: a
// new series starts there, and the page moves to it).
import { useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/Field';
import { api } from '../../lib/api';
import type { FieldError } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import type { Meeting } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { formatDuration, formatWhen, meetingHref, wallDate, wallTime, wallToUtc } from '../../lib/workspace';
import { workspaceFlash } from './common';

const DURATIONS = [15, 30, 45, 60, 90, 120, 180, 240, 480];
const enc = encodeURIComponent;
const pad = (n: number) => String(n).padStart(2, '0');

export function Occurrences({ meeting, onChanged }: { meeting: Meeting; onChanged: (m: Meeting, notice: string) => void }) {
  const [editing, setEditing] = useState<string | null>(null);
  const editable = meeting.may_edit && meeting.status !== 'cancelled';
  return (
    <section class="card" aria-labelledby="occurrences-title">
      <h2 id="occurrences-title" tabIndex={-1}>
        {t('meetings.next_occurrences')}
      </h2>
      <ol class="occurrences">
        {meeting.next_occurrences.map((start) => (
          <li key={start} class="occurrences__item" data-occurrence={start}>
            <time dateTime={start}>{formatWhen(start)}</time>
            {editable && (
              <button type="button" class="button button--small button--secondary" onClick={() => setEditing(start)}>
                {t('occurrence.change')}
                <span class="visually-hidden"> — {formatWhen(start)}</span>
              </button>
            )}
          </li>
        ))}
      </ol>
      {editing && (
        <OccurrenceDialog
          key={editing}
          meeting={meeting}
          start={editing}
          onClose={() => setEditing(null)}
          onDone={(fresh, notice) => {
            setEditing(null);
            if (fresh.id !== meeting.id) {
              workspaceFlash.set({ text: notice, conflicts: fresh.conflicts ?? [] });
              navigate(meetingHref(fresh.id));
            } else {
              onChanged(fresh, notice);
              // The occurrence's button may be gone (moved or cancelled): the list takes the focus.
              requestAnimationFrame(() => {
                if (!document.activeElement || document.activeElement === document.body) document.getElementById('occurrences-title')?.focus();
              });
            }
          }}
        />
      )}
    </section>
  );
}

function OccurrenceDialog({
  meeting,
  start,
  onClose,
  onDone,
}: {
  meeting: Meeting;
  start: string;
  onClose: () => void;
  onDone: (m: Meeting, notice: string) => void;
}) {
  const zone = meeting.time_zone;
  const wall = wallTime(Date.parse(start), zone);
  const initialDate = wallDate(wall);
  const initialTime = `${pad(wall.hour)}:${pad(wall.minute)}`;
  const initialMinutes = String(Math.round(meeting.duration / 60));
  // "From here on" from the first occurrence is the whole meeting: that is the edit page's work.
  const first = Date.parse(start) <= Date.parse(meeting.starts_at);
  const [action, setAction] = useState<'change' | 'cancel'>('change');
  const [scope, setScope] = useState<'this' | 'following'>('this');
  const [date, setDate] = useState(initialDate);
  const [time, setTime] = useState(initialTime);
  const [minutes, setMinutes] = useState(initialMinutes);
  const [title, setTitle] = useState(meeting.title);
  const form = useForm();
  const durations = DURATIONS.includes(Number(initialMinutes)) ? DURATIONS : [...DURATIONS, Number(initialMinutes)].sort((a, b) => a - b);
  const when = formatWhen(start);

  const submit = form.submitWith({
    check: (): FieldError[] => {
      if (action === 'cancel') return [];
      const wrong: FieldError[] = [];
      if (wallToUtc(date, time, zone) === null) wrong.push({ id: 'occ-time', label: t('meetings.time'), message: t('occurrence.no_such_time') });
      const same = date === initialDate && time === initialTime && minutes === initialMinutes && (scope === 'this' || title.trim() === meeting.title);
      if (same) wrong.push({ id: 'occ-date', label: t('meetings.date'), message: t('occurrence.nothing_changed') });
      if (scope === 'following' && !title.trim()) wrong.push({ id: 'occ-title', label: t('meetings.title_field'), message: t('validation.required') });
      return wrong;
    },
    send: async () => {
      const path = `/meetings/${enc(meeting.id)}/occurrences/${enc(start)}`;
      let fresh: Meeting;
      if (action === 'cancel') {
        fresh = await api.delete<Meeting>(`${path}?scope=${scope}`);
      } else {
        const body: Record<string, unknown> = { scope };
        if (date !== initialDate || time !== initialTime) body.start = `${date}T${time}`;
        if (minutes !== initialMinutes) body.duration = Number(minutes) * 60;
        if (scope === 'following' && title.trim() !== meeting.title) body.title = title.trim();
        fresh = await api.patch<Meeting>(path, body);
      }
      const notice =
        action === 'cancel'
          ? scope === 'this'
            ? t('occurrence.cancelled_this', { when })
            : t('occurrence.cancelled_following', { when })
          : scope === 'this'
            ? t('occurrence.changed_this', { when })
            : t('occurrence.changed_following', { when });
      onDone(fresh, notice);
    },
    fields: {
      start: ['occ-time', t('meetings.time')],
      duration: ['occ-duration', t('meetings.duration')],
      title: ['occ-title', t('meetings.title_field')],
    },
  });

  return (
    <Dialog id="occurrence-dialog" title={t('occurrence.title', { when })} onCancel={onClose}>
      <form class="form" onSubmit={submit} noValidate>
        <ErrorSummary failure={form.failure} />
        <fieldset class="fieldset">
          <legend>{t('occurrence.what')}</legend>
          <ul class="checkboxes">
            {(['change', 'cancel'] as const).map((a) => (
              <li class="checkbox" key={a}>
                <input type="radio" name="occ-action" id={`occ-action-${a}`} checked={action === a} onChange={() => setAction(a)} data-autofocus={a === 'change' ? true : undefined} />
                <label for={`occ-action-${a}`}>{a === 'change' ? t('occurrence.action_change') : t('occurrence.action_cancel')}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <fieldset class="fieldset">
          <legend>{t('occurrence.scope')}</legend>
          <ul class="checkboxes">
            <li class="checkbox">
              <input type="radio" name="occ-scope" id="occ-scope-this" checked={scope === 'this'} onChange={() => setScope('this')} />
              <label for="occ-scope-this">{t('occurrence.scope_this')}</label>
            </li>
            {!first && (
              <li class="checkbox">
                <input type="radio" name="occ-scope" id="occ-scope-following" checked={scope === 'following'} onChange={() => setScope('following')} />
                <label for="occ-scope-following">{t('occurrence.scope_following')}</label>
              </li>
            )}
          </ul>
        </fieldset>
        {action === 'change' && (
          <>
            <div class="form__row">
              <TextField id="occ-date" type="date" label={t('meetings.date')} error={form.errorFor('occ-date')} value={date} onValue={setDate} required />
              <TextField id="occ-time" type="time" label={t('meetings.time')} hint={zone} error={form.errorFor('occ-time')} value={time} onValue={setTime} step={60} required />
            </div>
            <SelectField
              id="occ-duration"
              label={t('meetings.duration')}
              error={form.errorFor('occ-duration')}
              value={minutes}
              onValue={setMinutes}
              options={durations.map((m) => ({ value: String(m), label: formatDuration(m * 60) }))}
            />
            {scope === 'following' && (
              <TextField id="occ-title" label={t('meetings.title_field')} error={form.errorFor('occ-title')} value={title} onValue={setTitle} maxLength={200} required />
            )}
          </>
        )}
        <div class="button-row">
          <button type="submit" class={`button${action === 'cancel' ? ' button--danger' : ''}`} disabled={form.busy}>
            {action === 'cancel' ? t('occurrence.submit_cancel') : t('occurrence.submit_change')}
          </button>
          <button type="button" class="button button--secondary" onClick={onClose}>
            {t('occurrence.close')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
