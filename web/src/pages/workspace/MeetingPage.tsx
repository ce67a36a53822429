// /meetings/:id — when and where, what it is about, who is invited and how they answered; my
// answer, my reminders; the invitees' presence (live); the meeting's documents; for the organiser (and administrators)
// editing and cancelling; the invitees' chat. Someone not invited finds nothing here (404, like
// the API).
import { useEffect, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextAreaField, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { PresenceIndicator } from '../../components/PresenceIndicator';
import { api, Problem } from '../../lib/api';
import { failureFrom, type FieldError, type FormFailure } from '../../lib/forms';
import { formatDateTime, formatNumber, t, tPlural } from '../../lib/i18n';
import { usePresence } from '../../lib/presence';
import { Link } from '../../lib/router';
import type { Meeting, MeetingResponse, Session } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import {
  describeRrule, formatDuration, formatSpan, formatWhen, JOIN_EARLY_MS, meetingEditHref, REMINDER_CHOICES,
  REMINDERS_MAX, remindersText, RESPONSES, responseLabel, responseTone, roomCallHref, roomHref, useMeetingsChanged, useNow, zoneLabel, zoneNote,
} from '../../lib/workspace';
import { Chat } from './Chat';
import { Guests } from './Guests';
import { Occurrences } from './Occurrences';
import { ConflictsWarning, focusHeadingIfLost, Loading, Missing, ReminderChoices, StatusSlot, useWorkspaceFlash } from './common';

const enc = encodeURIComponent;

export function MeetingPage({ id, session }: { id: string; session: Session }) {
  const [meeting, setMeeting] = useState<Meeting | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);
  const flash = useWorkspaceFlash();
  const [notice, setNotice] = useState(flash?.text ?? '');
  const conflicts = flash?.conflicts ?? [];
  const now = useNow();
  const me = session.person;

  const load = async (keep = false) => {
    if (!keep) {
      setMeeting(null);
      setMissing(false);
    }
    try {
      setMeeting(await api.get<Meeting>(`/meetings/${enc(id)}`));
      setFailure(null);
      if (!keep) focusHeadingIfLost();
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setMissing(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [id]);
  // Changed by the organiser, answered by someone: read it again.
  useMeetingsChanged(me.id, (changed) => {
    if (changed === null || changed === id) void load(true);
  });

  if (missing) {
    return (
      <Missing title={t('meetings.missing_title')} text={t('meetings.missing_text')} back="/calendar" backLabel={t('calendar.back')} />
    );
  }
  if (!meeting) return <Loading title={t('meetings.title')} failure={failure} retry={() => void load()} />;

  const cancelled = meeting.status === 'cancelled';
  const next = meeting.next_occurrences[0] ?? meeting.starts_at;
  const nextEnd = new Date(Date.parse(next) + meeting.duration * 1000).toISOString();
  const open = !cancelled && now >= Date.parse(next) - JOIN_EARLY_MS && now < Date.parse(nextEnd);
  const note = zoneNote(meeting, next);
  const invited = meeting.my_response !== null;
  const organiser = meeting.organiser.id === me.id;
  const changed = (fresh: Meeting, text: string) => {
    setMeeting(fresh);
    setNotice(text);
  };

  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/calendar">{t('calendar.title')}</Link>
          </li>
          <li>
            <span aria-current="page">{meeting.title}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={meeting.title}>
        <span class={cancelled ? 'meeting-title--cancelled' : undefined}>{meeting.title}</span>
        {cancelled && <span class="badge badge--cancelled">{t('meetings.cancelled_badge')}</span>}
      </PageTitle>
      {cancelled && (
        <div class="notice notice--warning" id="meeting-cancelled">
          {t('meetings.cancelled_text')}
        </div>
      )}
      <StatusSlot>{notice}</StatusSlot>
      <ConflictsWarning conflicts={conflicts} />
      <ErrorSummary failure={failure} />

      <dl class="facts meeting-facts">
        <div>
          <dt>{meeting.rrule ? t('meetings.next') : t('meetings.when')}</dt>
          <dd>
            <time dateTime={next}>{formatWhen(next)}</time>
            <span class="table__sub">
              {formatSpan(next, nextEnd)} · {formatDuration(meeting.duration)}
              {note ? ` · ${note}` : ''}
            </span>
          </dd>
        </div>
        <div>
          <dt>{t('meetings.repeats')}</dt>
          <dd>{describeRrule(meeting.rrule, meeting.time_zone)}</dd>
        </div>
        <div>
          <dt>{t('meetings.room')}</dt>
          <dd>{meeting.room.name}</dd>
        </div>
        <div>
          <dt>{t('meetings.organiser')}</dt>
          <dd>{meeting.organiser.display_name}</dd>
        </div>
        <div>
          <dt>{t('meetings.zone')}</dt>
          <dd>{meeting.time_zone === 'UTC' ? 'UTC' : `${zoneLabel(meeting.time_zone)} (${meeting.time_zone})`}</dd>
        </div>
      </dl>

      <div class="button-row meeting-actions">
        {open && (
          <Link href={roomCallHref(meeting.room.id)} class="button" id="meeting-join-call">
            {t('meetings.join_call')}
          </Link>
        )}
        {open && (
          <Link href={roomHref(meeting.room.id)} class="button button--secondary">
            {t('meetings.join_room')}
          </Link>
        )}
        {meeting.documents_folder_id && (
          <Link href={`/documents/n/${enc(meeting.documents_folder_id)}`} class="button button--secondary">
            {t('meetings.documents')}
          </Link>
        )}
        {meeting.may_edit && !cancelled && (
          <Link href={meetingEditHref(meeting.id)} class="button button--secondary">
            {t('meetings.edit')}
          </Link>
        )}
      </div>

      <div class="stack">
        <section class="card" aria-labelledby="agenda-title">
          <h2 id="agenda-title">{t('meetings.agenda')}</h2>
          {meeting.agenda.trim() ? <p class="agenda">{meeting.agenda}</p> : <p class="muted">{t('meetings.no_agenda')}</p>}
        </section>

        {invited && !organiser && !cancelled && <MyAnswer meeting={meeting} personId={me.id} onChanged={changed} />}

        <Chat key={meeting.id} kind="meeting" id={meeting.id} people={meeting.invitees} session={session} />

        <Invitees meeting={meeting} />

        {meeting.rrule && meeting.next_occurrences.length > 0 && <Occurrences meeting={meeting} onChanged={changed} />}

        {invited && !cancelled && <MyReminders key={meeting.id} meeting={meeting} onChanged={changed} />}

        {meeting.may_edit && !cancelled && <Guests meeting={meeting} />}

        {meeting.may_edit && !cancelled && <CancelMeeting meeting={meeting} onChanged={changed} />}
      </div>
    </>
  );
}

type OnChanged = (meeting: Meeting, notice: string) => void;

// ---------------------------------------------------------------- invitees

function Invitees({ meeting }: { meeting: Meeting }) {
  // Who is available, busy, away, in a meeting or offline — live.
  const presence = usePresence(meeting.invitees.map((i) => i.id));
  const counts = new Map<MeetingResponse, number>();
  for (const i of meeting.invitees) counts.set(i.response, (counts.get(i.response) ?? 0) + 1);
  const summary = (['accepted', 'tentative', 'declined', 'needs-action'] as MeetingResponse[])
    .filter((r) => counts.get(r))
    .map((r) => `${responseLabel(r)}: ${formatNumber(counts.get(r)!)}`)
    .join(' · ');
  return (
    <section class="card" aria-labelledby="invitees-title">
      <h2 id="invitees-title">{t('meetings.invitees')}</h2>
      <p class="muted">
        {tPlural('meetings.invitees_count', meeting.invitees.length)}
        {summary ? ` — ${summary}` : ''}
      </p>
      <div class="table-wrap" role="region" aria-labelledby="invitees-title" tabIndex={0}>
        <table class="table table--stack" id="invitees-table">
          <caption class="visually-hidden">{t('meetings.invitees')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('people.name')}</th>
              <th scope="col">{t('meetings.answer')}</th>
              <th scope="col">{t('meetings.comment')}</th>
            </tr>
          </thead>
          <tbody>
            {meeting.invitees.map((i) => (
              <tr key={i.id} data-person-id={i.id}>
                <th scope="row">
                  {i.display_name}
                  {i.via === 'organiser' && <span class="table__sub">{t('meetings.organiser')}</span>}
                  {presence.has(i.id) && (
                    <span class="table__sub">
                      <PresenceIndicator presence={presence.get(i.id)} labelled />
                    </span>
                  )}
                </th>
                <td>
                  <span class={`badge badge--${responseTone(i.response)}`}>{responseLabel(i.response)}</span>
                </td>
                <td>
                  {i.comment && (
                    <>
                      <span class="cell-label" aria-hidden="true">
                        {t('meetings.comment')}:{' '}
                      </span>
                      {i.comment}
                    </>
                  )}
                  {i.responded_at && (
                    <span class="table__sub">
                      <time dateTime={i.responded_at}>{formatDateTime(i.responded_at)}</time>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// ---------------------------------------------------------------- my answer

function MyAnswer({ meeting, personId, onChanged }: { meeting: Meeting; personId: string; onChanged: OnChanged }) {
  const mine = meeting.invitees.find((i) => i.id === personId);
  const [answer, setAnswer] = useState<string>(meeting.my_response && meeting.my_response !== 'needs-action' ? meeting.my_response : '');
  const [comment, setComment] = useState(mine?.comment ?? '');
  const form = useForm();
  const FIRST = 'answer-accepted';

  const submit = form.submitWith({
    check: (): FieldError[] => (answer ? [] : [{ id: FIRST, label: t('meetings.my_answer'), message: t('meetings.answer_required') }]),
    send: async () => {
      const body: Record<string, string> = { response: answer };
      if (comment.trim()) body.comment = comment.trim();
      const fresh = await api.post<Meeting>(`/meetings/${enc(meeting.id)}/response`, body);
      onChanged(fresh, t('meetings.answer_saved', { answer: responseLabel(answer) }));
    },
    fields: { response: [FIRST, t('meetings.my_answer')], comment: ['answer-comment', t('meetings.comment')] },
  });
  const answerError = form.errorFor(FIRST);

  return (
    <section class="card" aria-labelledby="my-answer-title">
      <h2 id="my-answer-title">{t('meetings.my_answer')}</h2>
      <p>
        {t('meetings.my_answer_now')}{' '}
        <span class={`badge badge--${responseTone(meeting.my_response)}`}>{responseLabel(meeting.my_response)}</span>
      </p>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="my-answer-title">
        <ErrorSummary failure={form.failure} />
        <fieldset class={`fieldset${answerError ? ' field--error' : ''}`} aria-describedby={answerError ? 'answer-error' : undefined}>
          <legend>{t('meetings.will_you_come')}</legend>
          {answerError && (
            <p class="field__error" id="answer-error">
              {answerError}
            </p>
          )}
          <ul class="checkboxes checkboxes--row">
            {RESPONSES.map((r) => (
              <li class="checkbox" key={r}>
                <input type="radio" name="answer" id={`answer-${r}`} value={r} checked={answer === r} onChange={() => setAnswer(r)} />
                <label for={`answer-${r}`}>{t(`meetings.answer.${r}`)}</label>
              </li>
            ))}
          </ul>
        </fieldset>
        <TextField
          id="answer-comment"
          label={t('meetings.comment_optional')}
          hint={t('meetings.comment_hint')}
          error={form.errorFor('answer-comment')}
          value={comment}
          onValue={setComment}
          maxLength={500}
          autocomplete="off"
        />
        <button type="submit" class="button" disabled={form.busy}>
          {t('meetings.answer_submit')}
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- my reminders

function MyReminders({ meeting, onChanged }: { meeting: Meeting; onChanged: OnChanged }) {
  const [defaults, setDefaults] = useState<number[] | null>(meeting.my_reminders_custom ? null : meeting.my_reminders);
  const [mode, setMode] = useState<'defaults' | 'custom'>(meeting.my_reminders_custom ? 'custom' : 'defaults');
  const [chosen, setChosen] = useState<number[]>(meeting.my_reminders);
  const form = useForm();
  const choices = [...new Set([...REMINDER_CHOICES, ...meeting.my_reminders])].sort((a, b) => a - b);

  useEffect(() => {
    if (defaults !== null) return;
    api
      .get<{ minutes: number[] }>('/me/reminders')
      .then((r) => setDefaults(r.minutes))
      .catch(() => setDefaults([]));
  }, []);

  const submit = form.submitWith({
    check: () =>
      mode === 'custom' && chosen.length > REMINDERS_MAX
        ? [{ id: `reminder-${choices[0]}`, label: t('reminders.for_meeting'), message: t('reminders.too_many', { max: REMINDERS_MAX }) }]
        : [],
    send: async () => {
      const fresh = await api.put<Meeting>(`/meetings/${enc(meeting.id)}/reminders`, {
        minutes: mode === 'defaults' ? null : [...chosen].sort((a, b) => b - a),
      });
      setChosen(fresh.my_reminders);
      onChanged(fresh, t('reminders.saved_meeting', { reminders: remindersText(fresh.my_reminders) }));
    },
    fields: { minutes: [`reminder-${choices[0]}`, t('reminders.for_meeting')] },
  });
  const listError = form.errorFor(`reminder-${choices[0]}`);

  return (
    <section class="card" aria-labelledby="my-reminders-title">
      <h2 id="my-reminders-title">{t('reminders.title_meeting')}</h2>
      <p>
        {t('reminders.now')} <strong>{remindersText(meeting.my_reminders)}</strong>
      </p>
      <form class="form" onSubmit={submit} noValidate aria-labelledby="my-reminders-title">
        <ErrorSummary failure={form.failure} />
        <fieldset class="fieldset">
          <legend>{t('reminders.which')}</legend>
          <ul class="checkboxes">
            <li class="checkbox">
              <input type="radio" name="reminder-mode" id="reminder-mode-defaults" checked={mode === 'defaults'} onChange={() => setMode('defaults')} />
              <label for="reminder-mode-defaults">
                {t('reminders.follow_defaults')}
                <span class="table__sub">{defaults === null ? t('common.loading') : remindersText(defaults)}</span>
              </label>
            </li>
            <li class="checkbox">
              <input type="radio" name="reminder-mode" id="reminder-mode-custom" checked={mode === 'custom'} onChange={() => setMode('custom')} />
              <label for="reminder-mode-custom">{t('reminders.choose_here')}</label>
            </li>
          </ul>
        </fieldset>
        {mode === 'custom' && (
          <fieldset class={`fieldset${listError ? ' field--error' : ''}`} aria-describedby={listError ? 'reminders-error' : 'reminders-hint'}>
            <legend>{t('reminders.for_meeting')}</legend>
            <p class="field__hint" id="reminders-hint">
              {t('reminders.hint', { max: REMINDERS_MAX })}
            </p>
            {listError && (
              <p class="field__error" id="reminders-error">
                {listError}
              </p>
            )}
            <ReminderChoices idPrefix="reminder" choices={choices} chosen={chosen} setChosen={setChosen} />
          </fieldset>
        )}
        <button type="submit" class="button" disabled={form.busy}>
          {t('reminders.save')}
        </button>
      </form>
    </section>
  );
}

// ---------------------------------------------------------------- cancel

function CancelMeeting({ meeting, onChanged }: { meeting: Meeting; onChanged: OnChanged }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const form = useForm();

  const submit = form.submitWith({
    check: () =>
      [...reason].length > 1000 ? [{ id: 'cancel-reason', label: t('meetings.cancel_reason'), message: t('validation.reason.too_long') }] : [],
    send: async () => {
      const body: Record<string, string> = {};
      if (reason.trim()) body.reason = reason.trim();
      const fresh = await api.post<Meeting>(`/meetings/${enc(meeting.id)}/cancel`, body);
      setAsking(false);
      onChanged(fresh, t('meetings.cancelled_notice', { title: fresh.title }));
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main h1')?.focus());
    },
    fields: { reason: ['cancel-reason', t('meetings.cancel_reason')] },
  });

  return (
    <section class="card" aria-labelledby="cancel-meeting-title">
      <h2 id="cancel-meeting-title">{t('meetings.cancel')}</h2>
      <p>{t('meetings.cancel_explain')}</p>
      <button type="button" class="button button--danger" onClick={() => (form.setFailure(null), setAsking(true))}>
        {t('meetings.cancel')}
      </button>
      {asking && (
        <Dialog id="cancel-meeting-dialog" title={t('meetings.cancel_title', { title: meeting.title })} describedBy="cancel-meeting-text" onCancel={() => setAsking(false)}>
          <form class="form" onSubmit={submit} noValidate>
            <ErrorSummary failure={form.failure} />
            <p id="cancel-meeting-text">{t('meetings.cancel_confirm')}</p>
            <TextAreaField
              id="cancel-reason"
              label={t('meetings.cancel_reason')}
              hint={t('meetings.cancel_reason_hint')}
              error={form.errorFor('cancel-reason')}
              value={reason}
              onValue={setReason}
              rows={3}
              maxLength={1000}
            />
            <div class="button-row">
              <button type="submit" class="button button--danger" disabled={form.busy}>
                {t('meetings.cancel')}
              </button>
              <button type="button" class="button button--secondary" onClick={() => setAsking(false)}>
                {t('meetings.cancel_keep')}
              </button>
            </div>
          </form>
        </Dialog>
      )}
    </section>
  );
}
