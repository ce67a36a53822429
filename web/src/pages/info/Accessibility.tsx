import { PageTitle } from '../../components/Layout';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';

/** The accessibility statement (WCAG 2.1 AA), reachable from every page's footer. */
export function AccessibilityPage() {
  return (
    <div class="prose">
      <PageTitle title={t('a11y.title')} />
      <p class="lead">{t('a11y.intro')}</p>
      <h2>{t('a11y.status_title')}</h2>
      <p>{t('a11y.status')}</p>
      <h2>{t('a11y.features_title')}</h2>
      <ul>
        <li>{t('a11y.feature_keyboard')}</li>
        <li>{t('a11y.feature_screenreader')}</li>
        <li>{t('a11y.feature_zoom')}</li>
        <li>{t('a11y.feature_contrast')}</li>
        <li>{t('a11y.feature_languages')}</li>
        <li>{t('a11y.feature_time')}</li>
      </ul>
      <h2>{t('a11y.limits_title')}</h2>
      <p>{t('a11y.limits')}</p>
      <h2>{t('a11y.report_title')}</h2>
      <p>{t('a11y.report')}</p>
      <ul>
        <li>{t('a11y.report_what')}</li>
        <li>{t('a11y.report_where')}</li>
        <li>{t('a11y.report_contact')}</li>
      </ul>
      <p>{t('a11y.answer')}</p>
      <h2>{t('a11y.enforcement_title')}</h2>
      <p>{t('a11y.enforcement')}</p>
      <h2>{t('a11y.prepared_title')}</h2>
      <p>{t('a11y.prepared')}</p>
      <p>
        <Link href="/">{t('a11y.back')}</Link>
      </p>
    </div>
  );
}
