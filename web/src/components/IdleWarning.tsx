import { useEffect, useState } from 'preact/hooks';
import { Problem, serverNow } from '../lib/api';
import { t, tPlural } from '../lib/i18n';
import { endSession, extendSession, idleTimeoutEstimate, logout, refreshSession } from '../lib/session';
import type { Session } from '../lib/types';
import { Dialog } from './Dialog';

/** The warning appears this long before the idle expiry, or a quarter of the timeout if less. */
const MAX_WARN_BEFORE_MS = 2 * 60 * 1000;
/** setTimeout cannot wait longer than this (about 24.8 days). */
const MAX_DELAY = 2_147_000_000;

/**
 * Watches `idle_expires_at`: shortly before it — two minutes, or a quarter of the idle timeout
 * when that is shorter — and after checking with the server that no other activity moved it,
 * an alert dialog offers to stay logged in
 * (POST /api/v1/session/extend); at expiry, the server is asked once more and, if the session
 * is gone, the person lands on the login page with a message.
 */
export function IdleWarning({ session }: { session: Session }) {
  const expiresAt = Date.parse(session.idle_expires_at);
  const [now, setNow] = useState(() => serverNow());
  const [warning, setWarning] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (Number.isNaN(expiresAt)) return;
    setWarning(false);
    setFailed(false);
    const timers: number[] = [];
    // The timeout comes from the session responses (expiry minus the time they arrived).
    const warnBefore = Math.min(MAX_WARN_BEFORE_MS, idleTimeoutEstimate() / 4);
    // Expiry moved less than this by other activity: warn now rather than a moment later.
    const slack = Math.min(5000, warnBefore / 2);
    const untilWarn = expiresAt - warnBefore - serverNow();
    timers.push(
      window.setTimeout(async () => {
        // Requests made since the last session response may have kept the session alive on
        // the server: ask (GET /session does not count as activity) before warning.
        try {
          const fresh = await refreshSession(true);
          if (Date.parse(fresh.idle_expires_at) - serverNow() > warnBefore + slack) return;
        } catch (error) {
          if (error instanceof Problem && error.slug === 'unauthenticated') {
            endSession('session.expired');
            return;
          }
        }
        setWarning(true);
      }, Math.min(Math.max(untilWarn, 0), MAX_DELAY)),
    );
    const untilEnd = expiresAt - serverNow() + 1000;
    let checks = 0;
    const checkEnd = async () => {
      try {
        // Another tab may have kept the session alive; trust the server's answer.
        const fresh = await refreshSession(true);
        // Still alive with the same expiry (clocks a little apart): ask again shortly.
        if (Date.parse(fresh.idle_expires_at) === expiresAt && ++checks < 10) {
          timers.push(window.setTimeout(() => void checkEnd(), 2000));
        }
      } catch (error) {
        if (error instanceof Problem && error.slug === 'unauthenticated') endSession('session.expired');
      }
    };
    timers.push(window.setTimeout(() => void checkEnd(), Math.min(Math.max(untilEnd, 0), MAX_DELAY)));
    return () => timers.forEach((id) => window.clearTimeout(id));
  }, [expiresAt]);

  useEffect(() => {
    if (!warning) return;
    setNow(serverNow());
    const id = window.setInterval(() => setNow(serverNow()), 1000);
    return () => window.clearInterval(id);
  }, [warning]);

  if (!warning) return null;
  const left = Math.max(0, expiresAt - now);
  const text =
    left < 60_000
      ? tPlural('idle.text_seconds', Math.max(1, Math.ceil(left / 1000)))
      : tPlural('idle.text', Math.ceil(left / 60_000));
  const stay = async () => {
    setBusy(true);
    try {
      await extendSession();
    } catch (error) {
      if (!(error instanceof Problem && error.slug === 'unauthenticated')) setFailed(true);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Dialog id="idle-dialog" role="alertdialog" title={t('idle.title')} describedBy="idle-dialog-text" onCancel={stay}>
      <p id="idle-dialog-text">{text}</p>
      {failed && <p class="field__error">{t('idle.failed')}</p>}
      <div class="button-row">
        <button type="button" class="button" data-autofocus disabled={busy} onClick={stay}>
          {t('idle.stay')}
        </button>
        <button type="button" class="button button--secondary" onClick={() => void logout()}>
          {t('layout.logout')}
        </button>
      </div>
    </Dialog>
  );
}
