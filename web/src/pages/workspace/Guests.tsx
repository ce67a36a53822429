// The organiser's list of guests from outside on the meeting page: invite by e-mail (the link
// goes by mail and is shown here once, for when mail is off), see who entered, take an
// invitation back.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { OneTimeSecretBox } from '../../components/SecretBox';
import { api } from '../../lib/api';
import { failureFrom, requiredError, type FieldError, type FormFailure } from '../../lib/forms';
import { formatDateTime, t } from '../../lib/i18n';
import type { Meeting } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { StatusSlot } from './common';

interface Guest {
  id: string;
  email: string;
  display_name: string;
  opens_at: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  url?: string;
}

const enc = encodeURIComponent;

function stateOf(g: Guest): string {
  if (g.revoked_at) return t('guests.state_revoked');
  if (g.used_at) return t('guests.state_entered', { when: formatDateTime(g.used_at) });
  if (Date.parse(g.expires_at) <= Date.now()) return t('guests.state_expired');
  return t('guests.state_waiting', { when: formatDateTime(g.opens_at) });
}

export function Guests({ meeting }: { meeting: Meeting }) {
  const [guests, setGuests] = useState<Guest[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [email, setEmail] = useState('');
  const [name, setName] = useState('');
  const [issued, setIssued] = useState<Guest | null>(null);
  const form = useForm();

  const load = async () => {
    try {
      setGuests((await api.get<{ items: Guest[] }>(`/meetings/${enc(meeting.id)}/guests`)).items);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [meeting.id, meeting.sequence]);

  const submit = form.submitWith({
    check: (): FieldError[] => [
      ...(name.trim() ? [] : [requiredError('guest-name', t('guests.name'))]),
      ...(email.trim() ? [] : [requiredError('guest-email', t('guests.email'))]),
    ],
    send: async () => {
      const made = await api.post<Guest>(`/meetings/${enc(meeting.id)}/guests`, { email: email.trim(), display_name: name.trim() });
      setIssued(made);
      setEmail('');
      setName('');
      await load();
    },
    fields: { email: ['guest-email', t('guests.email')], display_name: ['guest-name', t('guests.name')] },
  });

  const [notice, setNotice] = useState('');
  const revoke = async (g: Guest) => {
    try {
      await api.delete(`/meetings/${enc(meeting.id)}/guests/${enc(g.id)}`);
      await load();
      setNotice(t('guests.revoked', { name: g.display_name }));
      // The button is gone with the guest: the section's heading takes the focus.
      requestAnimationFrame(() => document.getElementById('guests-title')?.focus());
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };

  const live = (guests ?? []).filter((g) => !g.revoked_at);
  return (
    <section class="card" aria-labelledby="guests-title" id="meeting-guests">
      <h2 id="guests-title" tabIndex={-1}>
        {t('guests.title')}
      </h2>
      <p class="muted">{t('guests.intro')}</p>
      <StatusSlot>{notice}</StatusSlot>
      <ErrorSummary failure={failure} />
      {guests !== null && live.length === 0 && <p>{t('guests.none')}</p>}
      {live.length > 0 && (
        <ul class="people-actions">
          {live.map((g) => (
            <li key={g.id} class="people-actions__item" data-guest-id={g.id}>
              <span>
                <span class="people-actions__name">{g.display_name}</span> <span class="table__sub">{g.email}</span>
                <span class="table__sub">{stateOf(g)}</span>
              </span>
              <button type="button" class="button button--small button--secondary" onClick={() => void revoke(g)}>
                {t('guests.revoke')}
                <span class="visually-hidden"> — {g.display_name}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {issued?.url && (
        <OneTimeSecretBox
          id="guest-link"
          headingLevel={3}
          title={t('guests.link_title', { name: issued.display_name })}
          label={t('guests.link_label')}
          secret={issued.url}
          warning={t('guests.link_once')}
          note={t('guests.link_note')}
          copyLabel={t('feed.copy')}
          onDismiss={() => setIssued(null)}
        />
      )}
      <form class="form" onSubmit={submit} noValidate aria-labelledby="guests-title">
        <ErrorSummary failure={form.failure} />
        <div class="form__row">
          <TextField id="guest-name" label={t('guests.name')} error={form.errorFor('guest-name')} value={name} onValue={setName} maxLength={200} autocomplete="off" required />
          <TextField id="guest-email" type="email" label={t('guests.email')} error={form.errorFor('guest-email')} value={email} onValue={setEmail} maxLength={254} autocomplete="off" required />
        </div>
        <button type="submit" class="button" disabled={form.busy}>
          {t('guests.invite')}
        </button>
      </form>
    </section>
  );
}
