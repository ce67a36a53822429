// /documents/trash — what I deleted, until it is purged; each can be restored.
import { useState } from 'preact/hooks';
import { PageTitle } from '../../components/Layout';
import { PagedTable, usePagedList } from '../../components/PagedTable';
import { api, query } from '../../lib/api';
import { fileKind, fileKindLabel, formatBytes, nodeHref } from '../../lib/documents';
import { failureFrom } from '../../lib/forms';
import { formatDateTime, t, tPlural } from '../../lib/i18n';
import { Link } from '../../lib/router';
import type { DocNode, DocTrashItem } from '../../lib/types';
import { NodeIcon, StatusSlot } from './common';

export function TrashPage() {
  const [busy, setBusy] = useState<string | null>(null);
  const [restored, setRestored] = useState<DocNode | null>(null);
  const list = usePagedList<DocTrashItem>((cursor) => `/documents/trash${query({ cursor })}`, []);

  const restore = async (item: DocTrashItem) => {
    setBusy(item.id);
    setRestored(null);
    try {
      const node = await api.post<DocNode>(`/documents/nodes/${encodeURIComponent(item.id)}/restore`);
      list.setItems((old) => old.filter((x) => x.id !== item.id));
      list.setFailure(null);
      setRestored(node);
      requestAnimationFrame(() => document.getElementById('trash-list-title')?.focus());
    } catch (error) {
      list.setFailure(failureFrom(error));
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/documents">{t('docs.title')}</Link>
          </li>
          <li>
            <span aria-current="page">{t('docs.trash.title')}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={t('docs.trash.title')} />
      <p class="lead">{t('docs.trash.intro')}</p>
      <StatusSlot>
        {restored && (
          <>
            {t('docs.trash.restored', { name: restored.name })}{' '}
            <Link href={nodeHref(restored.parent_id && restored.kind === 'file' ? restored.parent_id : restored.id)}>
              {restored.kind === 'file' ? t('docs.trash.open_folder') : t('docs.trash.open')}
            </Link>
          </>
        )}
      </StatusSlot>
      <section class="card" aria-labelledby="trash-list-title">
        <h2 id="trash-list-title" tabIndex={-1}>
          {t('docs.trash.list')}
        </h2>
        <PagedTable
          list={list}
          labelledBy="trash-list-title"
          tableId="trash-table"
          tableClass="table--stack"
          caption={t('docs.trash.list')}
          columns={[t('docs.name'), t('docs.size'), t('docs.trash.deleted_at'), t('docs.trash.purge_at'), t('common.actions')]}
          count={(n) => tPlural('docs.count', n)}
          empty={t('docs.trash.empty')}
          row={(item) => (
            <tr key={item.id} data-node-id={item.id}>
              <th scope="row" class="doc-name">
                <span class="doc-name__line">
                  <NodeIcon node={item} />
                  <span>{item.name}</span>
                </span>
                <span class="table__sub">{fileKindLabel(fileKind(item))}</span>
              </th>
              <td class="doc-size">{item.kind === 'folder' ? '—' : formatBytes(item.size)}</td>
              <td>
                <span class="cell-label" aria-hidden="true">
                  {t('docs.trash.deleted_at')}:{' '}
                </span>
                {item.deleted_at ? formatDateTime(item.deleted_at) : '—'}
              </td>
              <td>
                <span class="cell-label" aria-hidden="true">
                  {t('docs.trash.purge_at')}:{' '}
                </span>
                {item.purge_at ? formatDateTime(item.purge_at) : '—'}
              </td>
              <td>
                <button
                  type="button"
                  class="button button--small button--secondary"
                  disabled={busy === item.id}
                  onClick={() => void restore(item)}
                >
                  {t('docs.trash.restore')}
                  <span class="visually-hidden"> — {item.name}</span>
                </button>
              </td>
            </tr>
          )}
        />
      </section>
    </>
  );
}
