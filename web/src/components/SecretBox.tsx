import { useEffect, useRef, useState } from 'preact/hooks';
import { t } from '../lib/i18n';

/** Copies text; falls back to selecting it where the Clipboard API is not available. */
async function copyText(text: string, fallbackTarget: HTMLElement | null): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    if (fallbackTarget) {
      const range = document.createRange();
      range.selectNodeContents(fallbackTarget);
      const selection = window.getSelection();
      selection?.removeAllRanges();
      selection?.addRange(range);
    }
    return false;
  }
}

export function CopyButton({ text, label, target }: { text: string; label: string; target?: () => HTMLElement | null }) {
  const [state, setState] = useState<'idle' | 'copied' | 'selected'>('idle');
  return (
    <span class="copy">
      <button
        type="button"
        class="button button--small button--secondary"
        onClick={async () => setState((await copyText(text, target?.() ?? null)) ? 'copied' : 'selected')}
      >
        {label}
      </button>
      <span class="copy__status" role="status">
        {state === 'copied' ? t('copy.done') : state === 'selected' ? t('copy.selected') : ''}
      </span>
    </span>
  );
}

/**
 * The access code and activation secret of a person, shown exactly once after they are issued.
 * Takes focus so that a screen reader reads it at once.
 */
export function IssuedCodeBox({
  name,
  accessCode,
  activationSecret,
  onDismiss,
  id,
}: {
  name: string;
  accessCode: string;
  activationSecret: string;
  onDismiss: () => void;
  id: string;
}) {
  const ref = useRef<HTMLElement>(null);
  const codeRef = useRef<HTMLElement>(null);
  const secretRef = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [accessCode]);
  const both = `${t('people.access_code')}: ${accessCode}\n${t('people.activation_secret')}: ${activationSecret}`;
  return (
    <section class="issued" tabIndex={-1} ref={ref} aria-labelledby={`${id}-title`} id={id}>
      <h3 id={`${id}-title`}>{t('issued.title', { name })}</h3>
      <p class="issued__warning">{t('issued.once')}</p>
      <dl class="issued__list">
        <div>
          <dt>{t('people.access_code')}</dt>
          <dd>
            <code class="secret" data-testid="issued-access-code" ref={codeRef}>
              {accessCode}
            </code>
            <CopyButton text={accessCode} label={t('copy.code')} target={() => codeRef.current} />
          </dd>
        </div>
        <div>
          <dt>{t('people.activation_secret')}</dt>
          <dd>
            <code class="secret" data-testid="issued-activation-secret" ref={secretRef}>
              {activationSecret}
            </code>
            <CopyButton text={activationSecret} label={t('copy.secret')} target={() => secretRef.current} />
          </dd>
        </div>
      </dl>
      <p class="issued__actions">
        <CopyButton text={both} label={t('copy.both')} />
        <button type="button" class="button button--secondary" onClick={onDismiss}>
          {t('issued.done')}
        </button>
      </p>
    </section>
  );
}

/**
 * One secret (an API token…) shown exactly once, with a copy button and a warning that it
 * will not be shown again. Takes focus so that a screen reader reads it at once.
 */
export function OneTimeSecretBox({
  id,
  title,
  label,
  secret,
  warning,
  note,
  copyLabel,
  onDismiss,
  headingLevel = 2,
}: {
  id: string;
  title: string;
  label: string;
  secret: string;
  warning: string;
  note?: string;
  copyLabel: string;
  onDismiss: () => void;
  /** 3 inside a section that has its own h2. */
  headingLevel?: 2 | 3;
}) {
  const ref = useRef<HTMLElement>(null);
  const secretRef = useRef<HTMLElement>(null);
  useEffect(() => ref.current?.focus(), [secret]);
  return (
    <section class="issued" tabIndex={-1} ref={ref} aria-labelledby={`${id}-title`} aria-describedby={`${id}-warning`} id={id}>
      {headingLevel === 3 ? <h3 id={`${id}-title`}>{title}</h3> : <h2 id={`${id}-title`}>{title}</h2>}
      <p class="issued__warning" id={`${id}-warning`}>
        {warning}
      </p>
      <dl class="issued__list">
        <div>
          <dt>{label}</dt>
          <dd>
            <code class="secret" data-testid={`${id}-value`} ref={secretRef}>
              {secret}
            </code>
            <CopyButton text={secret} label={copyLabel} target={() => secretRef.current} />
          </dd>
        </div>
      </dl>
      {note && <p class="muted">{note}</p>}
      <p class="issued__actions">
        <button type="button" class="button button--secondary" onClick={onDismiss}>
          {t('issued.done')}
        </button>
      </p>
    </section>
  );
}
