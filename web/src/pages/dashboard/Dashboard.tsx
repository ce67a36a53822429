import { PageTitle } from '../../components/Layout';
import { formatDate, t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import type { Session } from '../../lib/types';

export function DashboardPage({ session }: { session: Session }) {
  const person = session.person;
  return (
    <>
      <PageTitle title={t('dashboard.title')} />
      <div class="cards">
        <section class="card card--welcome" aria-labelledby="welcome-title">
          <h2 id="welcome-title">{t('dashboard.welcome', { name: person.display_name })}</h2>
          <p class="muted">{formatDate(new Date())}</p>
          <p>{t('dashboard.welcome_text')}</p>
          {!person.totp_enabled && (
            <p>
              {t('dashboard.totp_hint')} <Link href="/profile#security">{t('dashboard.totp_link')}</Link>
            </p>
          )}
        </section>
        <section class="card" aria-labelledby="upcoming-title">
          <h2 id="upcoming-title">{t('dashboard.upcoming')}</h2>
          <div class="empty">
            <svg class="empty__icon" viewBox="0 0 48 48" aria-hidden="true" focusable="false">
              <rect x="6" y="10" width="36" height="32" rx="4" />
              <path d="M6 18h36M16 6v8M32 6v8" />
            </svg>
            <p class="empty__title">{t('dashboard.upcoming_empty')}</p>
            <p class="muted">{t('dashboard.upcoming_text')}</p>
          </div>
        </section>
      </div>
    </>
  );
}
