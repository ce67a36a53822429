import { useEffect, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary, Notice } from '../../components/ErrorSummary';
import { SelectField, TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { NewPasswordFields, newPasswordProblems, PasswordField } from '../../components/PasswordFields';
import { OneTimeSecretBox } from '../../components/SecretBox';
import { TotpEnrol } from '../../components/TotpEnrol';
import { api, Problem } from '../../lib/api';
import { failureFrom, requiredError, type FormFailure } from '../../lib/forms';
import { formatDateTime, LANGUAGE_NAMES, LOCALES, setLocale, t, type MessageKey } from '../../lib/i18n';
import { endSession, logout, refreshSession, updatePerson } from '../../lib/session';
import type { Locale, Person, Session, SessionInfo } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { REMINDER_CHOICES, REMINDERS_MAX, remindersText } from '../../lib/workspace';
import { ReminderChoices } from '../workspace/common';

export function ProfilePage({ session }: { session: Session }) {
  useEffect(() => {
    if (location.hash) document.getElementById(location.hash.slice(1))?.scrollIntoView();
  }, []);
  return (
    <>
      <PageTitle title={t('profile.title')} />
      <p class="lead">
        {t('profile.code_is')} <code class="secret">{session.person.access_code}</code>
      </p>
      <div class="stack">
        <DetailsForm person={session.person} />
        <ReminderDefaults />
        <CalendarFeed />
        <PasswordForm />
        <TwoFactor session={session} />
        <Sessions />
      </div>
    </>
  );
}

function DetailsForm({ person }: { person: Person }) {
  const [name, setName] = useState(person.display_name);
  const [locale, setLocaleValue] = useState<string>(person.locale);
  const [saved, setSaved] = useState(false);
  const form = useForm();

  const submit = form.submitWith({
    check: () => (name.trim() ? [] : [requiredError('profile-name', t('profile.name'))]),
    send: async () => {
      const updated = await api.patch<Person>('/me', { display_name: name.trim(), locale });
      updatePerson(updated);
      await setLocale(updated.locale as Locale);
      setSaved(true);
    },
    fields: {
      display_name: ['profile-name', t('profile.name')],
      locale: ['profile-locale', t('profile.language')],
    },
  });

  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('profile.details')}</h2>
      <ErrorSummary failure={form.failure} />
      {saved && <Notice>{t('profile.saved')}</Notice>}
      <form class="form" onSubmit={(event) => (setSaved(false), submit(event))} noValidate>
        <TextField
          id="profile-name"
          label={t('profile.name')}
          error={form.errorFor('profile-name')}
          value={name}
          onValue={setName}
          autocomplete="name"
          required
        />
        <SelectField
          id="profile-locale"
          label={t('profile.language')}
          error={form.errorFor('profile-locale')}
          value={locale}
          onValue={setLocaleValue}
          options={LOCALES.map((l) => ({ value: l, label: LANGUAGE_NAMES[l] }))}
        />
        <button type="submit" class="button" disabled={form.busy}>
          {t('common.save')}
        </button>
      </form>
    </section>
  );
}

/** Reminders of every meeting unless chosen for one (GET/PUT /me/reminders). */
function ReminderDefaults() {
  const [saved, setSaved] = useState<number[] | null>(null);
  const [chosen, setChosen] = useState<number[]>([]);
  const [notice, setNotice] = useState('');
  const [loadFailure, setLoadFailure] = useState<FormFailure | null>(null);
  const form = useForm();
  const choices = [...new Set([...REMINDER_CHOICES, ...(saved ?? [])])].sort((a, b) => a - b);
  const firstId = `default-reminder-${choices[0]}`;

  useEffect(() => {
    api
      .get<{ minutes: number[] }>('/me/reminders')
      .then((r) => {
        setSaved(r.minutes);
        setChosen(r.minutes);
      })
      .catch((error) => setLoadFailure(failureFrom(error)));
  }, []);

  const submit = form.submitWith({
    check: () =>
      chosen.length > REMINDERS_MAX
        ? [{ id: firstId, label: t('reminders.defaults'), message: t('reminders.too_many', { max: REMINDERS_MAX }) }]
        : [],
    send: async () => {
      const r = await api.put<{ minutes: number[] }>('/me/reminders', { minutes: [...chosen].sort((a, b) => b - a) });
      setSaved(r.minutes);
      setChosen(r.minutes);
      setNotice(t('reminders.saved_defaults', { reminders: remindersText(r.minutes) }));
    },
    fields: { minutes: [firstId, t('reminders.defaults')] },
  });
  const listError = form.errorFor(firstId);

  return (
    <section class="card" id="reminders" aria-labelledby="reminders-title">
      <h2 id="reminders-title">{t('reminders.defaults')}</h2>
      <p>{t('reminders.defaults_intro')}</p>
      <ErrorSummary failure={loadFailure} />
      {notice && <Notice>{notice}</Notice>}
      {saved === null && !loadFailure && <p role="status">{t('common.loading')}</p>}
      {saved !== null && (
        <form class="form" onSubmit={(event) => (setNotice(''), submit(event))} noValidate aria-labelledby="reminders-title">
          <ErrorSummary failure={form.failure} />
          <fieldset class={`fieldset${listError ? ' field--error' : ''}`} aria-describedby={listError ? 'default-reminders-error' : 'default-reminders-hint'}>
            <legend>{t('reminders.before_each')}</legend>
            <p class="field__hint" id="default-reminders-hint">
              {t('reminders.hint', { max: REMINDERS_MAX })}
            </p>
            {listError && (
              <p class="field__error" id="default-reminders-error">
                {listError}
              </p>
            )}
            <ReminderChoices idPrefix="default-reminder" choices={choices} chosen={chosen} setChosen={setChosen} />
          </fieldset>
          <button type="submit" class="button" disabled={form.busy}>
            {t('reminders.save')}
          </button>
        </form>
      )}
    </section>
  );
}

interface Feed {
  exists: boolean;
  created_at: string | null;
  last_used_at: string | null;
  /** Only in the answer that created it. */
  url?: string;
}

/**
 * The calendar subscription (GET/POST/DELETE /me/calendar-feed): a secret address calendar
 * programs read one's meetings from, shown once when created; a new one replaces the old.
 */
function CalendarFeed() {
  const [feed, setFeed] = useState<Feed | null>(null);
  const [url, setUrl] = useState('');
  const [confirm, setConfirm] = useState<'replace' | 'revoke' | null>(null);
  const [busy, setBusy] = useState(false);
  const [notice, setNotice] = useState('');
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const focusTitle = () => requestAnimationFrame(() => document.getElementById('feed-title')?.focus());

  useEffect(() => {
    api
      .get<Feed>('/me/calendar-feed')
      .then(setFeed)
      .catch((error) => setFailure(failureFrom(error)));
  }, []);

  const create = async () => {
    setBusy(true);
    setNotice('');
    try {
      const made = await api.post<Feed>('/me/calendar-feed');
      setFeed({ exists: true, created_at: made.created_at, last_used_at: made.last_used_at });
      setUrl(made.url ?? '');
      setFailure(null);
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(false);
      setConfirm(null);
    }
  };

  const revoke = async () => {
    setBusy(true);
    setNotice('');
    try {
      await api.delete('/me/calendar-feed');
      setNotice(t('feed.revoked_notice'));
      setFailure(null);
    } catch (error) {
      // Already gone (taken back elsewhere): the page just catches up.
      if (!(error instanceof Problem && error.slug === 'not-found')) setFailure(failureFrom(error));
    } finally {
      setFeed({ exists: false, created_at: null, last_used_at: null });
      setUrl('');
      setBusy(false);
      setConfirm(null);
      focusTitle();
    }
  };

  return (
    <section class="card" id="calendar-feed" aria-labelledby="feed-title">
      <h2 id="feed-title" tabIndex={-1}>
        {t('feed.title')}
      </h2>
      <p>{t('feed.intro')}</p>
      <ErrorSummary failure={failure} />
      {notice && <Notice>{notice}</Notice>}
      {feed === null && !failure && <p role="status">{t('common.loading')}</p>}
      {feed && (
        <>
          <p>
            <span class={`badge ${feed.exists ? 'badge--ok' : 'badge--muted'}`} id="feed-status">
              {feed.exists ? t('feed.status_on') : t('feed.status_off')}
            </span>
          </p>
          {feed.exists && (
            <dl class="facts">
              <div>
                <dt>{t('feed.created')}</dt>
                <dd>{formatDateTime(feed.created_at)}</dd>
              </div>
              <div>
                <dt>{t('feed.last_used')}</dt>
                <dd id="feed-last-used">{feed.last_used_at ? formatDateTime(feed.last_used_at) : t('feed.never_used')}</dd>
              </div>
            </dl>
          )}
          {url && (
            <OneTimeSecretBox
              id="feed-url"
              headingLevel={3}
              title={t('feed.url_title')}
              label={t('feed.url_label')}
              secret={url}
              warning={t('feed.url_once')}
              note={t('feed.url_use')}
              copyLabel={t('feed.copy')}
              onDismiss={() => (setUrl(''), focusTitle())}
            />
          )}
          <div class="button-row">
            {feed.exists ? (
              <>
                <button type="button" class="button button--secondary" disabled={busy} onClick={() => (setNotice(''), setConfirm('replace'))}>
                  {t('feed.replace')}
                </button>
                <button type="button" class="button button--danger" disabled={busy} onClick={() => (setNotice(''), setConfirm('revoke'))}>
                  {t('feed.revoke')}
                </button>
              </>
            ) : (
              <button type="button" class="button" disabled={busy} onClick={() => void create()}>
                {t('feed.create')}
              </button>
            )}
          </div>
        </>
      )}
      {confirm && (
        <Dialog
          id="feed-dialog"
          title={t(confirm === 'replace' ? 'feed.replace_title' : 'feed.revoke_title')}
          describedBy="feed-dialog-text"
          onCancel={() => setConfirm(null)}
        >
          <p id="feed-dialog-text">{t(confirm === 'replace' ? 'feed.replace_confirm' : 'feed.revoke_confirm')}</p>
          <div class="button-row">
            <button
              type="button"
              class={confirm === 'replace' ? 'button' : 'button button--danger'}
              disabled={busy}
              onClick={() => void (confirm === 'replace' ? create() : revoke())}
            >
              {t(confirm === 'replace' ? 'feed.replace' : 'feed.revoke')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setConfirm(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}

function PasswordForm() {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const [saved, setSaved] = useState(false);
  const form = useForm();
  const newIds = { password: 'pw-new', repeat: 'pw-repeat' };

  const submit = form.submitWith({
    check: () => [
      ...(current ? [] : [requiredError('pw-current', t('password.current'))]),
      ...newPasswordProblems(newIds, t('password.new'), next, repeat),
    ],
    send: async () => {
      await api.post('/me/password', { current_password: current, new_password: next });
      setSaved(true);
      setCurrent('');
      setNext('');
      setRepeat('');
    },
    fields: {
      current_password: ['pw-current', t('password.current')],
      new_password: ['pw-new', t('password.new')],
      password: ['pw-new', t('password.new')],
    },
  });

  return (
    <section class="card" aria-labelledby="password-title">
      <h2 id="password-title">{t('password.title')}</h2>
      <ErrorSummary failure={form.failure} />
      {saved && <Notice>{t('password.changed')}</Notice>}
      <form class="form" onSubmit={(event) => (setSaved(false), submit(event))} noValidate>
        <PasswordField
          id="pw-current"
          label={t('password.current')}
          error={form.errorFor('pw-current')}
          value={current}
          onValue={setCurrent}
          autocomplete="current-password"
        />
        <NewPasswordFields
          ids={newIds}
          label={t('password.new')}
          password={next}
          repeat={repeat}
          onPassword={setNext}
          onRepeat={setRepeat}
          errorFor={form.errorFor}
        />
        <button type="submit" class="button" disabled={form.busy}>
          {t('password.submit')}
        </button>
      </form>
    </section>
  );
}

function TwoFactor({ session }: { session: Session }) {
  const enabled = session.person.totp_enabled;
  const [enrolling, setEnrolling] = useState(false);
  const [disabling, setDisabling] = useState(false);
  const [password, setPassword] = useState('');
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const form = useForm();

  const disable = form.submitWith({
    check: () => (password ? [] : [requiredError('totp-off-password', t('login.password'))]),
    send: async () => {
      await api.delete('/me/totp', { password });
      await refreshSession();
      setDisabling(false);
      setPassword('');
      setNotice('totp.disabled_notice');
    },
    fields: { password: ['totp-off-password', t('login.password')] },
    refused: (error, failure) => {
      if (error instanceof Problem && error.slug === 'forbidden') failure.message = t('totp.cannot_disable');
      return failure;
    },
  });

  return (
    <section class="card" id="security" aria-labelledby="totp-section-title">
      <h2 id="totp-section-title">{t('totp.section')}</h2>
      {notice && <Notice>{t(notice)}</Notice>}
      <p>
        <span class={`badge ${enabled ? 'badge--ok' : 'badge--muted'}`}>
          {enabled ? t('totp.status_on') : t('totp.status_off')}
        </span>
      </p>
      <p>{t('totp.explain')}</p>
      {!enabled && !enrolling && (
        <button type="button" class="button" onClick={() => (setNotice(null), setEnrolling(true))}>
          {t('totp.offer_enrol')}
        </button>
      )}
      {!enabled && enrolling && (
        <TotpEnrol
          headingLevel={3}
          onDone={async () => {
            await refreshSession();
            setEnrolling(false);
            setNotice('totp.enabled_notice');
          }}
        />
      )}
      {enabled && !disabling && (
        <button type="button" class="button button--secondary" onClick={() => (setNotice(null), setDisabling(true))}>
          {t('totp.disable')}
        </button>
      )}
      {enabled && disabling && (
        <form class="form" onSubmit={disable} noValidate>
          <ErrorSummary failure={form.failure} />
          <PasswordField
            id="totp-off-password"
            label={t('login.password')}
            hint={t('totp.disable_hint')}
            error={form.errorFor('totp-off-password')}
            value={password}
            onValue={setPassword}
            autocomplete="current-password"
          />
          <div class="button-row">
            <button type="submit" class="button button--danger" disabled={form.busy}>
              {t('totp.disable_confirm')}
            </button>
            <button type="button" class="button button--secondary" onClick={() => (setDisabling(false), form.setFailure(null))}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

function Sessions() {
  const [items, setItems] = useState<SessionInfo[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [confirmAll, setConfirmAll] = useState(false);

  const load = async () => {
    try {
      const page = await api.get<{ items: SessionInfo[] }>('/me/sessions');
      setItems(page.items);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, []);

  const end = async (item: SessionInfo) => {
    if (item.current) {
      await logout();
      return;
    }
    try {
      await api.delete(`/me/sessions/${encodeURIComponent(item.id)}`);
      await load();
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };

  const endAll = async () => {
    try {
      await api.delete('/me/sessions');
    } catch (error) {
      if (!(error instanceof Problem && error.slug === 'unauthenticated')) {
        setConfirmAll(false);
        setFailure(failureFrom(error));
        return;
      }
    }
    endSession('session.logged_out_everywhere');
  };

  return (
    <section class="card" aria-labelledby="sessions-title">
      <h2 id="sessions-title">{t('sessions.title')}</h2>
      <p>{t('sessions.text')}</p>
      <ErrorSummary failure={failure} />
      {!items && !failure && <p role="status">{t('common.loading')}</p>}
      {items && (
        <div class="table-wrap" role="region" aria-labelledby="sessions-title" tabIndex={0}>
          <table class="table">
            <caption class="visually-hidden">{t('sessions.title')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sessions.device')}</th>
                <th scope="col">{t('sessions.address')}</th>
                <th scope="col">{t('sessions.started')}</th>
                <th scope="col">{t('sessions.last_seen')}</th>
                <th scope="col">
                  <span class="visually-hidden">{t('common.actions')}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.map((item) => (
                <tr key={item.id}>
                  <th scope="row" class="table__device">
                    {item.user_agent || t('sessions.unknown_device')}
                    {item.current && <span class="badge badge--ok">{t('sessions.current')}</span>}
                  </th>
                  <td>{item.address}</td>
                  <td>{formatDateTime(item.created_at)}</td>
                  <td>{formatDateTime(item.last_seen_at)}</td>
                  <td>
                    <button type="button" class="button button--small button--secondary" onClick={() => void end(item)}>
                      {t('sessions.end')}
                      <span class="visually-hidden"> — {item.user_agent || t('sessions.unknown_device')}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <p>
        <button type="button" class="button button--danger" onClick={() => setConfirmAll(true)}>
          {t('sessions.end_all')}
        </button>
      </p>
      {confirmAll && (
        <Dialog id="end-all-dialog" title={t('sessions.end_all')} describedBy="end-all-text" onCancel={() => setConfirmAll(false)}>
          <p id="end-all-text">{t('sessions.end_all_confirm')}</p>
          <div class="button-row">
            <button type="button" class="button button--danger" onClick={() => void endAll()}>
              {t('sessions.end_all')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setConfirmAll(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
