// /documents/search?q= — files and folders by name (and by content where the server indexes it).
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { api, query } from '../../lib/api';
import { fileKind, fileKindLabel, formatBytes, nodeHref } from '../../lib/documents';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t, tPlural } from '../../lib/i18n';
import { Link, useSearchParams } from '../../lib/router';
import type { DocSearchHit } from '../../lib/types';
import { Modified, NodeIcon } from './common';
import { SearchForm } from './Home';

export function SearchPage() {
  const q = (useSearchParams().get('q') ?? '').trim();
  const [hits, setHits] = useState<DocSearchHit[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);

  useEffect(() => {
    setHits(null);
    setFailure(null);
    if (!q) return;
    let live = true;
    api
      .get<{ items: DocSearchHit[] }>(`/documents/search${query({ q, limit: 50 })}`)
      .then((page) => live && setHits(page.items))
      .catch((error) => live && setFailure(failureFrom(error)));
    return () => {
      live = false;
    };
  }, [q]);

  const title = q ? t('docs.search.results_for', { q }) : t('docs.search.title');
  return (
    <>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/documents">{t('docs.title')}</Link>
          </li>
          <li>
            <span aria-current="page">{t('docs.search.title')}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={title} />
      <SearchForm initial={q} id="docs-search-q" />
      <section class="card" aria-labelledby="search-results-title">
        <h2 id="search-results-title">{t('docs.search.results')}</h2>
        <ErrorSummary failure={failure} />
        <p class="muted" role="status">
          {!q ? t('docs.search.enter') : hits === null ? (failure ? '' : t('common.loading')) : tPlural('docs.search.count', hits.length)}
        </p>
        {hits && hits.length > 0 && (
          <div class="table-wrap" role="region" aria-labelledby="search-results-title" tabIndex={0}>
            <table class="table table--stack" id="search-table">
              <caption class="visually-hidden">{t('docs.search.results')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('docs.name')}</th>
                  <th scope="col">{t('docs.size')}</th>
                  <th scope="col">{t('docs.search.space')}</th>
                  <th scope="col">{t('docs.modified')}</th>
                </tr>
              </thead>
              <tbody>
                {hits.map((h) => (
                  <tr key={h.id}>
                    <th scope="row" class="doc-name">
                      <span class="doc-name__line">
                        <NodeIcon node={h} />
                        <Link href={nodeHref(h.id)}>{h.name}</Link>
                      </span>
                      <span class="table__sub">{fileKindLabel(fileKind(h))}</span>
                      {h.snippet && <span class="doc-snippet">{h.snippet}</span>}
                    </th>
                    <td class="doc-size">{h.kind === 'folder' ? '—' : formatBytes(h.size)}</td>
                    <td>
                      <span class="cell-label" aria-hidden="true">
                        {t('docs.search.space')}:{' '}
                      </span>
                      {h.space_name}
                    </td>
                    <td>
                      <Modified node={h} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {hits && hits.length === 0 && <p>{t('docs.search.none')}</p>}
      </section>
    </>
  );
}
