import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary, Notice } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { Problem } from '../../lib/api';
import { clientFailure, errorFor, failureFrom, type FieldError, type FormFailure } from '../../lib/forms';
import { t, type MessageKey } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import { flashStore, login } from '../../lib/session';

/** Access codes are typed in capitals without spaces: `plv-4k7q 9m2x` → `PLV-4K7Q9M2X`. */
export function normaliseCode(value: string): string {
  return value.toUpperCase().replace(/\s+/g, '');
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
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const totpRef = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (needTotp) totpRef.current?.querySelector('input')?.focus();
  }, [needTotp]);

  const submit = async (event: Event) => {
    event.preventDefault();
    const missing: FieldError[] = [];
    if (!code.trim()) missing.push({ id: 'login-code', label: t('login.code'), message: t('validation.required') });
    if (!password) missing.push({ id: 'login-password', label: t('login.password'), message: t('validation.required') });
    if (needTotp && !totp.trim())
      missing.push({ id: 'login-totp', label: t('login.totp'), message: t('validation.required') });
    if (missing.length) {
      setFailure(clientFailure(missing));
      return;
    }
    setBusy(true);
    try {
      await login(normaliseCode(code), password, needTotp ? totp.replace(/\s+/g, '') : undefined);
      navigate('/', { replace: true });
    } catch (error) {
      if (error instanceof Problem && error.slug === 'totp-required' && !needTotp) {
        setFailure(null);
        setNeedTotp(true);
      } else {
        setFailure(
          failureFrom(error, {
            access_code: ['login-code', t('login.code')],
            password: ['login-password', t('login.password')],
            totp: ['login-totp', t('login.totp')],
          }),
        );
        if (needTotp) setTotp('');
        else setPassword('');
      }
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="narrow">
      <PageTitle title={t('login.title')} />
      <p class="lead">{t('login.intro')}</p>
      {notice && <Notice tone="info">{t(notice)}</Notice>}
      <ErrorSummary failure={failure} />
      <form class="form card" onSubmit={submit} noValidate aria-labelledby="login-form-title">
        <h2 id="login-form-title" class="visually-hidden">
          {t('login.title')}
        </h2>
        <TextField
          id="login-code"
          label={t('login.code')}
          hint={t('login.code_hint')}
          error={errorFor(failure, 'login-code')}
          value={code}
          onValue={(v) => setCode(v.toUpperCase())}
          autocomplete="off"
          autocapitalize="characters"
          spellcheck={false}
          class="input--code"
          required
        />
        <TextField
          id="login-password"
          label={t('login.password')}
          error={errorFor(failure, 'login-password')}
          type="password"
          value={password}
          onValue={setPassword}
          autocomplete="current-password"
          required
        />
        {needTotp && (
          <div ref={totpRef}>
            <Notice tone="info">{t('login.totp_needed')}</Notice>
            <TextField
              id="login-totp"
              label={t('login.totp')}
              hint={t('login.totp_hint')}
              error={errorFor(failure, 'login-totp')}
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
        <button type="submit" class="button button--wide" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
      </form>
      <p class="aside-link">
        {t('login.first_time')} <Link href="/activate">{t('login.activate_link')}</Link>
      </p>
    </div>
  );
}
