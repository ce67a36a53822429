import type { ComponentChildren } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { clientFailure, errorFor, failureFrom, type FormFailure } from '../lib/forms';
import { t } from '../lib/i18n';
import type { TotpEnrolment } from '../lib/types';
import { ErrorSummary } from './ErrorSummary';
import { TextField } from './Field';
import { CopyButton } from './SecretBox';

/** UTF-8 safe base64 for the data: URL of the QR code image. */
function toBase64(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

/** ABCDEFGHIJKL → ABCD EFGH IJKL, easier to type from the screen. */
function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/**
 * Two-step verification set-up: starts enrolment (POST /me/totp), shows the QR code and the
 * secret, checks the first code (POST /me/totp/confirm) and shows the recovery codes once.
 */
export function TotpEnrol({
  onDone,
  headingLevel = 2,
  showTitle = true,
}: {
  onDone: () => void;
  headingLevel?: 2 | 3;
  /** Leave out the section title when the page's own <h1> already says it. */
  showTitle?: boolean;
}) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState(false);
  const [recovery, setRecovery] = useState<string[] | null>(null);
  const recoveryRef = useRef<HTMLElement>(null);
  const Heading = headingLevel === 2 ? 'h2' : 'h3';

  const start = async () => {
    setBusy(true);
    setFailure(null);
    try {
      setEnrolment(await api.post<TotpEnrolment>('/me/totp'));
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    void start();
  }, []);

  useEffect(() => {
    if (recovery) recoveryRef.current?.focus();
  }, [recovery]);

  const confirm = async (event: Event) => {
    event.preventDefault();
    const clean = code.replace(/\s+/g, '');
    if (!/^\d{6}$/.test(clean)) {
      setFailure(clientFailure([{ id: 'totp-confirm-code', label: t('totp.code'), message: t('totp.code_format') }]));
      return;
    }
    setBusy(true);
    try {
      const result = await api.post<{ recovery_codes: string[] }>('/me/totp/confirm', { code: clean });
      setFailure(null);
      setRecovery(result.recovery_codes);
    } catch (error) {
      setFailure(failureFrom(error, { code: ['totp-confirm-code', t('totp.code')] }));
      setCode('');
    } finally {
      setBusy(false);
    }
  };

  if (recovery) {
    const all = recovery.join('\n');
    return (
      <section class="totp" aria-labelledby="recovery-title" tabIndex={-1} ref={recoveryRef}>
        <Heading id="recovery-title">{t('totp.recovery_title')}</Heading>
        <p>{t('totp.recovery_text')}</p>
        <p class="issued__warning">{t('totp.recovery_once')}</p>
        <ol class="recovery-codes" data-testid="recovery-codes">
          {recovery.map((c) => (
            <li key={c}>
              <code>{c}</code>
            </li>
          ))}
        </ol>
        <div class="button-row">
          <CopyButton text={all} label={t('totp.recovery_copy')} />
          <button type="button" class="button" onClick={onDone}>
            {t('totp.recovery_done')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section class="totp" aria-labelledby={showTitle ? 'totp-title' : undefined} aria-label={showTitle ? undefined : t('totp.setup_title')}>
      {showTitle && <Heading id="totp-title">{t('totp.setup_title')}</Heading>}
      <ErrorSummary failure={failure} />
      {!enrolment && !failure && <p role="status">{t('common.loading')}</p>}
      {!enrolment && failure && (
        <button type="button" class="button" onClick={() => void start()} disabled={busy}>
          {t('common.retry')}
        </button>
      )}
      {enrolment && (
        <>
          <ol class="steps">
            <li>{t('totp.step_app')}</li>
            <li>
              {t('totp.step_scan')}
              <div class="totp__qr">
                <img
                  src={`data:image/svg+xml;base64,${toBase64(enrolment.qr_svg)}`}
                  alt={t('totp.qr_alt')}
                  width={200}
                  height={200}
                />
              </div>
              <p>{t('totp.manual')}</p>
              <p>
                <code class="secret" id="totp-secret" data-secret={enrolment.secret}>
                  {groupSecret(enrolment.secret)}
                </code>{' '}
                <CopyButton text={enrolment.secret} label={t('totp.copy_secret')} />
              </p>
            </li>
            <li>{t('totp.step_code')}</li>
          </ol>
          <form class="form" onSubmit={confirm} noValidate>
            <TextField
              id="totp-confirm-code"
              label={t('totp.code')}
              hint={t('totp.code_hint')}
              error={errorFor(failure, 'totp-confirm-code')}
              value={code}
              onValue={setCode}
              inputMode="numeric"
              autocomplete="one-time-code"
              maxLength={7}
              class="input--short"
              required
            />
            <button type="submit" class="button" disabled={busy}>
              {t('totp.confirm')}
            </button>
          </form>
        </>
      )}
    </section>
  );
}

/**
 * Set-up that cannot be skipped: why it is needed, what it takes, then the steps. Used after
 * activation and whenever the session says `totp_enrolment_required`.
 */
export function TotpRequired({ onDone, children }: { onDone: () => void; children?: ComponentChildren }) {
  return (
    <>
      {children}
      <div class="notice notice--info">
        <p>{t('totp.required')}</p>
        <p>{t('totp.required_how')}</p>
      </div>
      <div class="card">
        <TotpEnrol onDone={onDone} showTitle={false} />
      </div>
    </>
  );
}
