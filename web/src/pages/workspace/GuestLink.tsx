// /guest/<token> — an invitation to a meeting for someone from outside, by e-mail. The page says
// what the meeting is and when; the link works once, from 15 minutes before the meeting until
// its end: "Enter" uses it, signs the guest in for the meeting and takes them to its page.
// Looking at the page does not use the link.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { api, Problem } from '../../lib/api';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { navigate } from '../../lib/router';
import { enterAsGuest, sessionStore } from '../../lib/session';
import { useStore } from '../../lib/store';
import { formatSpan, formatWhen, meetingHref } from '../../lib/workspace';

interface GuestLinkInfo {
  state: 'early' | 'valid' | 'used' | 'expired';
  opens_at: string;
  display_name: string;
  meeting: { title: string; organiser: string; time_zone: string; starts_at: string; ends_at: string };
}

export function GuestLinkPage({ token }: { token: string }) {
  const [info, setInfo] = useState<GuestLinkInfo | null>(null);
  const [gone, setGone] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState(false);

  const load = async () => {
    try {
      setInfo(await api.get<GuestLinkInfo>(`/public/guest-links/${encodeURIComponent(token)}`, { quiet401: true }));
    } catch (error) {
      if (error instanceof Problem && error.status === 404) setGone(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [token]);
  // Too early: look again when it opens (and at most every day, for setTimeout's sake).
  useEffect(() => {
    if (info?.state !== 'early') return;
    const wait = Math.min(Math.max(Date.parse(info.opens_at) - Date.now(), 0) + 1000, 86400e3);
    const timer = window.setTimeout(() => void load(), wait);
    return () => window.clearTimeout(timer);
  }, [info]);
  const signedIn = useStore(sessionStore);

  const enter = async () => {
    setBusy(true);
    try {
      const session = await enterAsGuest(token);
      navigate(meetingHref(session.meeting_id), { replace: true });
    } catch (error) {
      setFailure(failureFrom(error));
      setBusy(false);
      void load();
    }
  };

  if (gone) {
    return (
      <>
        <PageTitle title={t('guest.gone_title')} />
        <p>{t('guest.gone_text')}</p>
      </>
    );
  }
  if (!info) {
    return (
      <>
        <PageTitle title={t('guest.title')} />
        <ErrorSummary failure={failure} />
        {!failure && <p role="status">{t('common.loading')}</p>}
      </>
    );
  }
  const m = info.meeting;
  return (
    <>
      <PageTitle title={m.title} />
      <p class="lead">{t('guest.invited', { name: info.display_name, organiser: m.organiser })}</p>
      <dl class="facts">
        <div>
          <dt>{t('meetings.when')}</dt>
          <dd>
            <time dateTime={m.starts_at}>{formatWhen(m.starts_at)}</time>
            <span class="table__sub">{formatSpan(m.starts_at, m.ends_at)}</span>
          </dd>
        </div>
        <div>
          <dt>{t('meetings.organiser')}</dt>
          <dd>{m.organiser}</dd>
        </div>
      </dl>
      <ErrorSummary failure={failure} />
      {info.state === 'valid' && (
        <>
          <p>{t('guest.once')}</p>
          {signedIn && (
            <p class="notice notice--warning" id="guest-signed-in">
              {t('guest.signed_in', { name: signedIn.person.display_name })}
            </p>
          )}
          <button type="button" class="button" id="guest-enter" disabled={busy} onClick={() => void enter()}>
            {t('guest.enter')}
          </button>
        </>
      )}
      {info.state === 'early' && (
        <p class="notice notice--info" id="guest-state">
          {t('guest.early', { when: formatWhen(info.opens_at) })}
        </p>
      )}
      {info.state === 'used' && (
        <p class="notice notice--warning" id="guest-state">
          {t('guest.used')}
        </p>
      )}
      {info.state === 'expired' && (
        <p class="notice notice--warning" id="guest-state">
          {t('guest.expired')}
        </p>
      )}
    </>
  );
}
