// /documents/n/:id — a folder (its contents) or a file (its details), whichever the id is.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { api, Problem } from '../../lib/api';
import { docPaths } from '../../lib/documents';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import type { DocNodeDetail } from '../../lib/types';
import { FileView } from './FileView';
import { FolderView } from './FolderView';

export function NodePage({ id }: { id: string }) {
  const [node, setNode] = useState<DocNodeDetail | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);

  const load = async (keep = false) => {
    if (!keep) {
      setNode(null);
      setMissing(false);
    }
    try {
      const fresh = await api.get<DocNodeDetail>(docPaths.node(id));
      setNode(fresh);
      setFailure(null);
      if (!keep) {
        // The heading that had focus while loading is gone: give it to the new one.
        requestAnimationFrame(() => {
          const active = document.activeElement;
          if (!active || active === document.body || !active.isConnected)
            document.querySelector<HTMLElement>('main h1')?.focus({ preventScroll: true });
        });
      }
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setMissing(true);
      else setFailure(failureFrom(error));
    }
  };

  useEffect(() => {
    void load();
  }, [id]);

  if (missing) {
    return (
      <div class="narrow">
        <PageTitle title={t('docs.missing_title')} />
        <p>{t('docs.missing_text')}</p>
        <p>
          <Link href="/documents">{t('docs.back_home')}</Link>
        </p>
      </div>
    );
  }
  if (!node) {
    return (
      <>
        <PageTitle title={t('docs.title')} />
        <ErrorSummary failure={failure} />
        {!failure && <p role="status">{t('common.loading')}</p>}
        {failure && (
          <button type="button" class="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        )}
      </>
    );
  }
  return node.kind === 'folder' ? (
    <FolderView key={node.id} node={node} reload={() => load(true)} />
  ) : (
    <FileView key={node.id} node={node} setNode={setNode} reload={() => load(true)} />
  );
}
