import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { NewPasswordFields, newPasswordProblems } from '../../components/PasswordFields';
import { TotpEnrol, TotpRequired } from '../../components/TotpEnrol';
import { requiredError, type FieldError } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import { activate, refreshSession, sessionStore } from '../../lib/session';
import type { Session } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { AccessCodeField, normaliseCode } from './Login';

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
  const form = useForm();
  const passwordIds = { password: 'act-password', repeat: 'act-repeat' };

  const submit = form.submitWith({
    check: () => {
      const problems: FieldError[] = [];
      if (!code.trim()) problems.push(requiredError('act-code', t('login.code')));
      if (!secret.trim()) problems.push(requiredError('act-secret', t('activate.secret')));
      return [...problems, ...newPasswordProblems(passwordIds, t('activate.password'), password, repeat)];
    },
    send: async () => {
      const session = await activate(normaliseCode(code), secret.trim(), password);
      onActivated(session);
    },
    fields: {
      access_code: ['act-code', t('login.code')],
      activation_secret: ['act-secret', t('activate.secret')],
      password: ['act-password', t('activate.password')],
    },
  });

  return (
    <div class="narrow">
      <PageTitle title={t('activate.title')} />
      <p class="lead">{t('activate.intro')}</p>
      <ErrorSummary failure={form.failure} />
      <form class="form card" onSubmit={submit} noValidate aria-labelledby="act-form-title">
        <h2 id="act-form-title" class="visually-hidden">
          {t('activate.title')}
        </h2>
        <AccessCodeField id="act-code" error={form.errorFor('act-code')} value={code} onValue={setCode} />
        <TextField
          id="act-secret"
          label={t('activate.secret')}
          hint={t('activate.secret_hint')}
          error={form.errorFor('act-secret')}
          value={secret}
          onValue={setSecret}
          autocomplete="off"
          spellcheck={false}
          required
        />
        <NewPasswordFields
          ids={passwordIds}
          label={t('activate.password')}
          password={password}
          repeat={repeat}
          onPassword={setPassword}
          onRepeat={setRepeat}
          errorFor={form.errorFor}
        />
        <button type="submit" class="button button--wide" disabled={form.busy}>
          {t('activate.submit')}
        </button>
      </form>
      <p class="aside-link">
        {t('activate.have_password')} <Link href="/login">{t('activate.login_link')}</Link>
      </p>
    </div>
  );
}
