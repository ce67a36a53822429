// A member's own part of the sitting: registering as present (in the hall, or remotely after
// confirming who they are again — password, or the code of their authenticator when they use
// one), leaving, and declaring a conflict of interest on an item before its vote.
import { useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { SelectField, TextAreaField, TextField } from '../../components/Field';
import { Problem } from '../../lib/api';
import { requiredError } from '../../lib/forms';
import { formatDateTime, t } from '../../lib/i18n';
import type { Session } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { council, type SittingView } from '../../lib/council';
import { FormButtons } from './forms';
import type { OnSittingChanged } from './SittingPage';

export function MemberPanel({ view, session, onChanged }: { view: SittingView; session: Session; onChanged: OnSittingChanged }) {
  const me = view.me;
  const mine = view.attendees.find((a) => a.person_id === session.person.id);
  const [remoteAsked, setRemoteAsked] = useState(false);
  const form = useForm();

  const register = form.submitWith({
    send: async () => {
      const fresh = await council.register(view.id, { remote: false });
      onChanged(fresh, t('council.registered'));
      requestAnimationFrame(() => document.getElementById('my-presence')?.focus());
    },
    fields: {},
  });
  const leave = form.submitWith({
    send: async () => {
      const fresh = await council.leave(view.id);
      onChanged(fresh, t('council.left'));
      requestAnimationFrame(() => document.getElementById('my-presence')?.focus());
    },
  });

  const open = view.status === 'open';
  return (
    <section class="card member-panel" aria-labelledby="member-panel-title" id="member-panel">
      <h2 id="member-panel-title">{t('council.my_attendance')}</h2>
      <ErrorSummary failure={form.failure} />
      {view.video_room_id && view.status !== 'closed' && view.status !== 'cancelled' && (
        <p class="member-panel__video">
          <a class="button button--secondary" href={`/rooms/${encodeURIComponent(view.video_room_id)}/call`} id="video-sitting">
            {t('council.video_sitting')}
          </a>{' '}
          <span class="muted">{t('council.video_sitting_hint')}</span>
        </p>
      )}
      {!open && <p>{view.status === 'scheduled' ? t('council.register_later') : t('council.sitting_over')}</p>}
      {open && me.present && (
        <>
          <p id="my-presence" tabIndex={-1}>
            <span aria-hidden="true">✓ </span>
            {mine?.remote ? t('council.you_are_present_remote') : t('council.you_are_present')}
          </p>
          <form onSubmit={leave} noValidate>
            <button type="submit" class="button button--secondary member-panel__button" disabled={form.busy} id="leave-sitting">
              {t('council.leave')}
            </button>
          </form>
        </>
      )}
      {open && !me.present && (
        <>
          <p id="my-presence" tabIndex={-1}>{t('council.you_are_absent')}</p>
          <div class="button-row member-panel__buttons">
            {view.mode !== 'remote' && (
              <form onSubmit={register} noValidate>
                <button type="submit" class="button member-panel__button" disabled={form.busy} id="register-present">
                  {view.mode === 'hybrid' ? t('council.present_in_hall') : t('council.present')}
                </button>
              </form>
            )}
            {view.mode !== 'in_person' && (
              <button type="button" class="button member-panel__button" id="register-remote" onClick={() => setRemoteAsked(true)}>
                {t('council.present_remote')}
              </button>
            )}
          </div>
          {remoteAsked && (
            <RemoteDialog
              view={view}
              totp={session.person.totp_enabled}
              onDone={(fresh) => {
                setRemoteAsked(false);
                if (fresh) {
                  onChanged(fresh, t('council.registered_remote'));
                  requestAnimationFrame(() => document.getElementById('my-presence')?.focus());
                }
              }}
            />
          )}
        </>
      )}
      {view.status !== 'closed' && view.status !== 'cancelled' && <Conflicts view={view} personId={session.person.id} onChanged={onChanged} />}
    </section>
  );
}

// ---------------------------------------------------------------- remote: who are you, again

function RemoteDialog({ view, totp, onDone }: { view: SittingView; totp: boolean; onDone: (fresh: SittingView | null) => void }) {
  const [useTotp, setUseTotp] = useState(totp);
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const form = useForm();
  const label = useTotp ? t('council.remote_totp') : t('council.remote_password');
  const fieldId = useTotp ? 'remote-totp' : 'remote-password';

  const submit = form.submitWith({
    check: () => ((useTotp ? code.trim() : password) ? [] : [requiredError(fieldId, label)]),
    send: async () => {
      const fresh = await council.register(view.id, useTotp ? { remote: true, totp: code.trim() } : { remote: true, password });
      onDone(fresh);
    },
    fields: {
      password: ['remote-password', t('council.remote_password')],
      totp: ['remote-totp', t('council.remote_totp')],
      remote: [fieldId, label],
    },
    // A person who set up an authenticator since this page loaded: ask for its code instead.
    refused: (error, failure) => {
      if (!useTotp && error instanceof Problem && error.errors.some((e) => e.field === 'totp' && e.code === 'required')) {
        setUseTotp(true);
        return { ...failure, fields: [{ id: 'remote-totp', label: t('council.remote_totp'), message: t('validation.totp.required') }] };
      }
      return failure;
    },
  });

  return (
    <Dialog id="remote-dialog" title={t('council.remote_title')} describedBy="remote-dialog-text" onCancel={() => onDone(null)}>
      <form class="form" onSubmit={submit} noValidate>
        <ErrorSummary failure={form.failure} />
        <p id="remote-dialog-text">{useTotp ? t('council.remote_text_totp') : t('council.remote_text')}</p>
        {useTotp ? (
          <TextField
            id="remote-totp"
            label={t('council.remote_totp')}
            error={form.errorFor('remote-totp')}
            value={code}
            onValue={setCode}
            inputMode="numeric"
            autocomplete="one-time-code"
            maxLength={12}
            class="input--code"
            data-autofocus
          />
        ) : (
          <TextField
            id="remote-password"
            type="password"
            label={t('council.remote_password')}
            error={form.errorFor('remote-password')}
            value={password}
            onValue={setPassword}
            autocomplete="current-password"
            data-autofocus
          />
        )}
        <FormButtons submit={t('council.remote_submit')} busy={form.busy} onCancel={() => onDone(null)} submitId="remote-submit" />
      </form>
    </Dialog>
  );
}

// ---------------------------------------------------------------- conflicts of interest

function Conflicts({ view, personId, onChanged }: { view: SittingView; personId: string; onChanged: OnSittingChanged }) {
  const declared = view.conflicts.filter((c) => c.person_id === personId);
  const votedOn = new Set(view.votes.map((v) => v.item_id).filter(Boolean));
  const open = view.items.filter(
    (i) => (i.status === 'pending' || i.status === 'current') && !declared.some((c) => c.item_id === i.id) && !votedOn.has(i.id),
  );
  const [itemId, setItemId] = useState('');
  const [note, setNote] = useState('');
  const form = useForm();
  const chosen = open.some((i) => i.id === itemId) ? itemId : open[0]?.id ?? '';

  const submit = form.submitWith({
    check: () => (chosen ? [] : [requiredError('conflict-item', t('council.agenda_item'))]),
    send: async () => {
      const item = view.items.find((i) => i.id === chosen);
      await council.declareConflict(chosen, note.trim());
      setNote('');
      onChanged(null, t('council.conflict_declared', { title: item?.title ?? '' }));
    },
    fields: { note: ['conflict-note', t('council.conflict_note')], item_id: ['conflict-item', t('council.agenda_item')] },
  });

  return (
    <div class="member-conflicts">
      <h3 id="conflicts-title">{t('council.conflicts')}</h3>
      <p class="muted">{t('council.conflicts_intro')}</p>
      {declared.length > 0 && (
        <ul class="plain-list" id="my-conflicts" aria-labelledby="conflicts-title">
          {declared.map((c) => (
            <li key={c.item_id}>
              {view.items.find((i) => i.id === c.item_id)?.title ?? c.item_id}
              <span class="table__sub">
                {t('council.declared_at', { when: formatDateTime(c.declared_at) })}
                {c.note ? ` · ${c.note}` : ''}
              </span>
            </li>
          ))}
        </ul>
      )}
      {open.length > 0 && (
        <form class="form" onSubmit={submit} noValidate aria-labelledby="conflicts-title" id="conflict-form">
          <ErrorSummary failure={form.failure} />
          <SelectField
            id="conflict-item"
            label={t('council.agenda_item')}
            error={form.errorFor('conflict-item')}
            value={chosen}
            onValue={setItemId}
            options={open.map((i) => ({ value: i.id, label: `${i.position}. ${i.title}` }))}
          />
          <TextAreaField id="conflict-note" label={t('council.conflict_note')} error={form.errorFor('conflict-note')} value={note} onValue={setNote} rows={2} maxLength={1000} />
          <button type="submit" class="button button--secondary" disabled={form.busy}>
            {t('council.declare_conflict')}
          </button>
        </form>
      )}
    </div>
  );
}
