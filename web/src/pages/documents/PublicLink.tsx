// /s/:token — a file shared by link with someone outside the municipality: no login; the
// password when the link has one; a clear message when the link has expired or was revoked.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { PasswordField } from '../../components/PasswordFields';
import { api, Problem } from '../../lib/api';
import { fileKind, fileKindLabel, formatBytes } from '../../lib/documents';
import { failureFrom, requiredError, type FormFailure } from '../../lib/forms';
import { formatDateTime, formatNumber, t } from '../../lib/i18n';
import type { PublicLinkInfo } from '../../lib/types';
import { useForm } from '../../lib/useForm';
import { NodeIcon } from './common';

const enc = encodeURIComponent;

export function PublicLinkPage({ token }: { token: string }) {
  const [info, setInfo] = useState<PublicLinkInfo | null>(null);
  const [gone, setGone] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [downloadUrl, setDownloadUrl] = useState<string | null>(null);
  const [password, setPassword] = useState('');
  const form = useForm();
  const readyRef = useRef<HTMLParagraphElement>(null);

  const load = async () => {
    setFailure(null);
    try {
      const link = await api.get<PublicLinkInfo>(`/public/links/${enc(token)}`, { quiet401: true });
      setInfo(link);
      if (!link.needs_password) setDownloadUrl(`/api/v1/public/links/${enc(token)}/content`);
    } catch (error) {
      if (error instanceof Problem && (error.status === 404 || error.status === 410)) setGone(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [token]);

  useEffect(() => {
    if (downloadUrl && info?.needs_password) readyRef.current?.focus();
  }, [downloadUrl]);

  const unlock = form.submitWith({
    check: () => (password ? [] : [requiredError('link-unlock-password', t('docs.public.password'))]),
    send: async () => {
      const answer = await api.post<{ download_url: string }>(
        `/public/links/${enc(token)}/unlock`,
        { password },
        { quiet401: true },
      );
      setDownloadUrl(answer.download_url);
    },
    fields: { password: ['link-unlock-password', t('docs.public.password')] },
    refused: (error, f) => {
      setPassword('');
      if (error instanceof Problem && error.status === 401) {
        return {
          ...f,
          message: t('docs.public.wrong_password'),
          fields: [{ id: 'link-unlock-password', label: t('docs.public.password'), message: t('docs.public.wrong_password') }],
        };
      }
      if (error instanceof Problem && error.status === 404) setGone(true);
      return f;
    },
  });

  if (gone) {
    return (
      <div class="narrow">
        <PageTitle title={t('docs.public.gone_title')} />
        <div class="notice notice--info">
          <p>{t('docs.public.gone_text')}</p>
        </div>
      </div>
    );
  }

  if (!info) {
    return (
      <div class="narrow">
        <PageTitle title={t('docs.public.title')} />
        <ErrorSummary failure={failure} />
        {!failure && <p role="status">{t('common.loading')}</p>}
        {failure && (
          <button type="button" class="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        )}
      </div>
    );
  }

  const kind = fileKind({ kind: 'file', content_type: info.content_type, name: info.name });
  return (
    <div class="narrow">
      <PageTitle title={info.name}>
        <span class="doc-title">
          <NodeIcon node={{ kind: 'file', content_type: info.content_type, name: info.name }} />
          <span>{info.name}</span>
        </span>
      </PageTitle>
      <p class="lead">{t('docs.public.intro')}</p>
      <div class="card">
        <dl class="doc-facts">
          <div>
            <dt>{t('docs.type')}</dt>
            <dd>{fileKindLabel(kind)}</dd>
          </div>
          <div>
            <dt>{t('docs.size')}</dt>
            <dd>
              <span>{formatBytes(info.size)}</span>
              <span class="table__sub">{t('docs.bytes', { n: formatNumber(info.size) })}</span>
            </dd>
          </div>
          {info.expires_at && (
            <div>
              <dt>{t('docs.public.expires')}</dt>
              <dd>
                <time dateTime={info.expires_at}>{formatDateTime(info.expires_at)}</time>
              </dd>
            </div>
          )}
        </dl>
        {downloadUrl ? (
          <>
            {info.needs_password && (
              <p tabIndex={-1} ref={readyRef} role="status">
                {t('docs.public.unlocked')}
              </p>
            )}
            <p>
              <a class="button" href={downloadUrl} download={info.name}>
                {t('docs.public.download', { name: info.name })}
              </a>
            </p>
          </>
        ) : (
          <form class="form" onSubmit={unlock} noValidate aria-labelledby="unlock-title">
            <h2 id="unlock-title">{t('docs.public.protected')}</h2>
            <ErrorSummary failure={form.failure} />
            <PasswordField
              id="link-unlock-password"
              label={t('docs.public.password')}
              error={form.errorFor('link-unlock-password')}
              value={password}
              onValue={setPassword}
              autocomplete="current-password"
            />
            <button type="submit" class="button" disabled={form.busy}>
              {t('docs.public.unlock')}
            </button>
          </form>
        )}
      </div>
    </div>
  );
}
