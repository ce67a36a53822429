import { LANGUAGE_NAMES, LOCALES, t, useLocale } from '../lib/i18n';
import { changeLanguage } from '../lib/session';

/** Three buttons, each in its own language; the current one is pressed. */
export function LanguageSwitcher({ id }: { id: string }) {
  const locale = useLocale();
  return (
    <div class="lang-switch" role="group" aria-labelledby={`${id}-label`}>
      <span class="lang-switch__label" id={`${id}-label`}>
        {t('language.label')}
      </span>
      {LOCALES.map((code) => (
        <button
          key={code}
          type="button"
          class="lang-switch__button"
          lang={code}
          aria-pressed={code === locale ? 'true' : 'false'}
          data-locale={code}
          onClick={() => void changeLanguage(code)}
        >
          {LANGUAGE_NAMES[code]}
        </button>
      ))}
    </div>
  );
}
