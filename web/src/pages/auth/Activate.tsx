import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { TotpEnrol, TotpRequired } from '../../components/TotpEnrol';
import { clientFailure, errorFor, failureFrom, type FieldError, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import { activate, refreshSession, sessionStore } from '../../lib/session';
import type { Session } from '../../lib/types';
import { normaliseCode } from './Login';

export const MIN_PASSWORD = 12;

type Step = 'form' | 'offer' | 'enrol' | 'required';

/** First login: access code + one-time activation secret + a new password, then 2FA. */
export function ActivatePage() {
  const [step, setStep] = useState<Step>('form');
  const [session, setSession] = useState<Session | null>(null);

  useEffect(() => {
    // Someone already signed in who opens /activate has nothing to activate.
    if (sessionStore.get()) navigate('/', { replace: true });
  }, []);

  const finish = async () => {
    try {
      await refreshSession();
    } finally {
      navigate('/', { replace: true });
    }
  };

  if (step === 'form') {
    return (
      <ActivationForm
        onActivated={(s) => {
          setSession(s);
          if (s.person.totp_enabled) void finish();
          // A role that requires two-step verification: straight to the set-up, no skipping.
          else if (s.totp_enrolment_required) setStep('required');
          else setStep('offer');
        }}
      />
    );
  }
  if (step === 'required' && session) {
    return (
      <div class="narrow">
        <PageTitle title={t('totp.required_title')} />
        <TotpRequired onDone={() => void finish()}>
          <div class="notice notice--success" role="status">
            {t('activate.done_text', { name: session.person.display_name })}
          </div>
        </TotpRequired>
      </div>
    );
  }
  if (step === 'offer' && session) {
    return <TotpOffer session={session} onEnrol={() => setStep('enrol')} onSkip={() => void finish()} />;
  }
  return (
    <div class="narrow">
      <PageTitle title={t('totp.setup_title')} />
      <div class="card">
        <TotpEnrol onDone={() => void finish()} showTitle={false} />
      </div>
    </div>
  );
}

function TotpOffer({ session, onEnrol, onSkip }: { session: Session; onEnrol: () => void; onSkip: () => void }) {
  const required = session.totp_enrolment_required;
  return (
    <div class="narrow">
      <PageTitle title={t('activate.done_title')} />
      <div class="notice notice--success" role="status">
        {t('activate.done_text', { name: session.person.display_name })}
      </div>
      <section class="card" aria-labelledby="offer-title">
        <h2 id="offer-title">{t('totp.offer_title')}</h2>
        <p>{t('totp.offer_text')}</p>
        {required && <p class="issued__warning">{t('totp.required')}</p>}
        <div class="button-row">
          <button type="button" class="button" onClick={onEnrol}>
            {t('totp.offer_enrol')}
          </button>
          {!required && (
            <button type="button" class="button button--secondary" onClick={onSkip}>
              {t('totp.offer_skip')}
            </button>
          )}
        </div>
      </section>
    </div>
  );
}

function ActivationForm({ onActivated }: { onActivated: (session: Session) => void }) {
  const [code, setCode] = useState('');
  const [secret, setSecret] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    const problems: FieldError[] = [];
    const required = t('validation.required');
    if (!code.trim()) problems.push({ id: 'act-code', label: t('login.code'), message: required });
    if (!secret.trim()) problems.push({ id: 'act-secret', label: t('activate.secret'), message: required });
    if (password.length < MIN_PASSWORD)
      problems.push({
        id: 'act-password',
        label: t('activate.password'),
        message: t('validation.password.too_short'),
      });
    if (repeat !== password)
      problems.push({ id: 'act-repeat', label: t('activate.repeat'), message: t('activate.mismatch') });
    if (problems.length) {
      setFailure(clientFailure(problems));
      return;
    }
    setBusy(true);
    try {
      const session = await activate(normaliseCode(code), secret.trim(), password);
      onActivated(session);
    } catch (error) {
      setFailure(
        failureFrom(error, {
          access_code: ['act-code', t('login.code')],
          activation_secret: ['act-secret', t('activate.secret')],
          password: ['act-password', t('activate.password')],
        }),
      );
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <PageTitle title={t('activate.title')} />
      <p class="lead">{t('activate.intro')}</p>
      <ErrorSummary failure={failure} />
      <form class="form card" onSubmit={submit} noValidate aria-labelledby="act-form-title">
        <h2 id="act-form-title" class="visually-hidden">
          {t('activate.title')}
        </h2>
        <TextField
          id="act-code"
          label={t('login.code')}
          hint={t('login.code_hint')}
          error={errorFor(failure, 'act-code')}
          value={code}
          onValue={(v) => setCode(v.toUpperCase())}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          class="input--code"
          required
        />
        <TextField
          id="act-secret"
          label={t('activate.secret')}
          hint={t('activate.secret_hint')}
          error={errorFor(failure, 'act-secret')}
          value={secret}
          onValue={setSecret}
          autocomplete="off"
          spellcheck={false}
          required
        />
        <TextField
          id="act-password"
          label={t('activate.password')}
          hint={t('activate.password_hint', { min: MIN_PASSWORD })}
          error={errorFor(failure, 'act-password')}
          type="password"
          value={password}
          onValue={setPassword}
          autocomplete="new-password"
          required
        />
        <TextField
          id="act-repeat"
          label={t('activate.repeat')}
          error={errorFor(failure, 'act-repeat')}
          type="password"
          value={repeat}
          onValue={setRepeat}
          autocomplete="new-password"
          required
        />
        <button type="submit" class="button button--wide" disabled={busy}>
          {t('activate.submit')}
        </button>
      </form>
      <p class="aside-link">
        {t('activate.have_password')} <Link href="/login">{t('activate.login_link')}</Link>
      </p>
    </div>
  );
}
