import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary, Notice } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { PasswordField } from '../../components/PasswordFields';
import { Problem } from '../../lib/api';
import { requiredError, type FieldError } from '../../lib/forms';
import { t, type MessageKey } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import { useForm } from '../../lib/useForm';
import { flashStore, login } from '../../lib/session';

/** Access codes are typed in capitals without spaces: `plv-4k7q 9m2x` → `PLV-4K7Q9M2X`. */
export function normaliseCode(value: string): string {
  return value.toUpperCase().replace(/\s+/g, '');
}

/** The access code input of the login and activation forms (typed in capitals). */
export function AccessCodeField(props: { id: string; error?: string; value: string; onValue: (value: string) => void }) {
  return (
    <TextField
      id={props.id}
      label={t('login.code')}
      hint={t('login.code_hint')}
      error={props.error}
      value={props.value}
      onValue={(v) => props.onValue(v.toUpperCase())}
      autocomplete="off"
      autocapitalize="characters"
      spellcheck={false}
      class="input--code"
      required
    />
  );
}

export function LoginPage() {
  const [notice] = useState<MessageKey | null>(() => {
    const flash = flashStore.get();
    flashStore.set(null);
    return flash;
  });
  const [code, setCode] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needTotp, setNeedTotp] = useState(false);
  const form = useForm();
  const totpRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (needTotp) totpRef.current?.querySelector('input')?.focus();
  }, [needTotp]);

  const submit = form.submitWith({
    check: () => {
      const missing: FieldError[] = [];
      if (!code.trim()) missing.push(requiredError('login-code', t('login.code')));
      if (!password) missing.push(requiredError('login-password', t('login.password')));
      if (needTotp && !totp.trim()) missing.push(requiredError('login-totp', t('login.totp')));
      return missing;
    },
    send: async () => {
      await login(normaliseCode(code), password, needTotp ? totp.replace(/\s+/g, '') : undefined);
      navigate('/', { replace: true });
    },
    fields: {
      access_code: ['login-code', t('login.code')],
      password: ['login-password', t('login.password')],
      totp: ['login-totp', t('login.totp')],
    },
    refused: (error, failure) => {
      if (error instanceof Problem && error.slug === 'totp-required' && !needTotp) {
        setNeedTotp(true);
        return null;
      }
      if (needTotp) setTotp('');
      else setPassword('');
      return failure;
    },
  });

  return (
    <div class="narrow">
      <PageTitle title={t('login.title')} />
      <p class="lead">{t('login.intro')}</p>
      {notice && <Notice tone="info">{t(notice)}</Notice>}
      <ErrorSummary failure={form.failure} />
      <form class="form card" onSubmit={submit} noValidate aria-labelledby="login-form-title">
        <h2 id="login-form-title" class="visually-hidden">
          {t('login.title')}
        </h2>
        <AccessCodeField id="login-code" error={form.errorFor('login-code')} value={code} onValue={setCode} />
        <PasswordField
          id="login-password"
          label={t('login.password')}
          error={form.errorFor('login-password')}
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
        />
        {needTotp && (
          <div ref={totpRef}>
            <Notice tone="info">{t('login.totp_needed')}</Notice>
            <TextField
              id="login-totp"
              label={t('login.totp')}
              hint={t('login.totp_hint')}
              error={form.errorFor('login-totp')}
              value={totp}
              onValue={setTotp}
              autocomplete="one-time-code"
              inputMode="text"
              spellcheck={false}
              class="input--short"
              required
            />
          </div>
        )}
        <button type="submit" class="button button--wide" disabled={form.busy}>
          {form.busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p class="aside-link">
        {t('login.first_time')} <Link href="/activate">{t('login.activate_link')}</Link>
      </p>
    </div>
  );
}
