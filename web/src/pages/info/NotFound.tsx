import { PageTitle } from '../../components/Layout';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';

export function NotFoundPage() {
  return (
    <div class="narrow">
      <PageTitle title={t('notfound.title')} />
      <p>{t('notfound.text')}</p>
      <p>
        <Link href="/">{t('notfound.home')}</Link>
      </p>
    </div>
  );
}
