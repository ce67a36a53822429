import type { ComponentChildren } from 'preact';
import { useEffect, useRef } from 'preact/hooks';
import { t } from '../lib/i18n';
import type { FormFailure } from '../lib/forms';

/**
 * The box at the top of a form after a failed submit: announced (role="alert"), takes focus,
 * and links to each field with a problem.
 */
export function ErrorSummary({ failure }: { failure: FormFailure | null }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure) ref.current?.focus();
  }, [failure?.seq]);
  if (!failure) return null;
  const id = `error-summary-${failure.seq}`;
  return (
    <div class="error-summary" role="alert" tabIndex={-1} ref={ref} aria-labelledby={`${id}-title`}>
      <h2 class="error-summary__title" id={`${id}-title`}>
        {t('errors.summary_title')}
      </h2>
      <p class="error-summary__message">{failure.message}</p>
      {failure.fields.length > 0 && (
        <ul class="error-summary__list">
          {failure.fields.map((f) => (
            <li key={f.id}>
              <a
                href={`#${f.id}`}
                onClick={(e) => {
                  e.preventDefault();
                  document.getElementById(f.id)?.focus();
                }}
              >
                {f.label}: {f.message}
              </a>
            </li>
          ))}
        </ul>
      )}
      {failure.requestId && (
        <p class="error-summary__ref">{t('errors.reference', { id: failure.requestId })}</p>
      )}
    </div>
  );
}

/** A calm confirmation after something worked (announced politely). */
export function Notice({ children, tone = 'success' }: { children: ComponentChildren; tone?: 'success' | 'info' }) {
  return (
    <div class={`notice notice--${tone}`} role="status">
      {children}
    </div>
  );
}
