// /documents — my spaces (personal, my units', the others), what others shared with me,
// a search box and the latest changes.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { api } from '../../lib/api';
import { fileKind, fileKindLabel, formatBytes, nodeHref, rightLabel, sortSpaces, spaceKindLabel } from '../../lib/documents';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t, tPlural } from '../../lib/i18n';
import { Link, navigate } from '../../lib/router';
import type { DocActivity, DocNode, DocSpace } from '../../lib/types';
import { ActivityList, Modified, NodeIcon, StatusSlot, useFlash } from './common';

/** Loads one list for a section; `null` while it is on its way. */
function useList<T>(path: string) {
  const [items, setItems] = useState<T[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const load = async () => {
    setFailure(null);
    try {
      setItems((await api.get<{ items: T[] }>(path)).items);
    } catch (error) {
      setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [path]);
  return { items, failure, load };
}

export function SearchForm({ initial = '', id = 'docs-q' }: { initial?: string; id?: string }) {
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      class="filters doc-search"
      role="search"
      aria-label={t('docs.search.label')}
      onSubmit={(e) => {
        e.preventDefault();
        const term = q.trim();
        if (term) navigate(`/documents/search?q=${encodeURIComponent(term)}`);
        else document.getElementById(id)?.focus();
      }}
    >
      <TextField id={id} type="search" label={t('docs.search.field')} hint={t('docs.search.hint')} value={q} onValue={setQ} />
      <button type="submit" class="button">
        {t('common.search')}
      </button>
    </form>
  );
}

function SpaceUsage({ space }: { space: DocSpace }) {
  return space.quota_bytes === null || space.quota_bytes === undefined
    ? t('docs.space.used', { used: formatBytes(space.used_bytes) })
    : t('docs.space.used_of', { used: formatBytes(space.used_bytes), quota: formatBytes(space.quota_bytes) });
}

export function DocumentsHomePage() {
  const flash = useFlash();
  const spaces = useList<DocSpace>('/documents/spaces');
  const shared = useList<DocNode>('/documents/shared');
  const activity = useList<DocActivity>('/documents/activity');
  const sorted = spaces.items ? sortSpaces(spaces.items) : null;

  return (
    <>
      <PageTitle title={t('docs.title')} />
      <p class="lead">{t('docs.intro')}</p>
      <StatusSlot>{flash}</StatusSlot>
      <SearchForm />
      <p>
        <Link href="/documents/trash">{t('docs.trash.title')}</Link>
      </p>
      <div class="stack">
        <section class="card" aria-labelledby="spaces-title">
          <h2 id="spaces-title">{t('docs.spaces')}</h2>
          <ErrorSummary failure={spaces.failure} />
          {sorted === null && !spaces.failure && <p role="status">{t('common.loading')}</p>}
          {sorted && sorted.length === 0 && <p>{t('docs.spaces_none')}</p>}
          {sorted && sorted.length > 0 && (
            <ul class="doc-spaces">
              {sorted.map((s) => (
                <li key={s.id} class={`doc-space doc-space--${s.kind}`}>
                  <Link href={nodeHref(s.root_id)} class="doc-space__link">
                    <svg class="doc-icon doc-icon--folder" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
                      <path d="M3 7a2 2 0 0 1 2-2h5l2 2h7a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z" />
                    </svg>
                    <span class="doc-space__name">{s.name}</span>
                  </Link>
                  <span class="doc-space__kind">{spaceKindLabel(s.kind)}</span>
                  <span class="doc-space__usage">
                    <SpaceUsage space={s} />
                  </span>
                </li>
              ))}
            </ul>
          )}
          {spaces.failure && (
            <button type="button" class="button button--secondary" onClick={() => void spaces.load()}>
              {t('common.retry')}
            </button>
          )}
        </section>

        <section class="card" aria-labelledby="shared-title">
          <h2 id="shared-title">{t('docs.shared')}</h2>
          <ErrorSummary failure={shared.failure} />
          {shared.items === null && !shared.failure && <p>{t('common.loading')}</p>}
          {shared.items && shared.items.length === 0 && <p>{t('docs.shared_none')}</p>}
          {shared.items && shared.items.length > 0 && (
            <div class="table-wrap" role="region" aria-labelledby="shared-title" tabIndex={0}>
              <table class="table table--stack" id="shared-table">
                <caption class="visually-hidden">{t('docs.shared')}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t('docs.name')}</th>
                    <th scope="col">{t('docs.size')}</th>
                    <th scope="col">{t('docs.modified')}</th>
                    <th scope="col">{t('docs.right')}</th>
                  </tr>
                </thead>
                <tbody>
                  {shared.items.map((n) => (
                    <tr key={n.id}>
                      <th scope="row" class="doc-name">
                        <span class="doc-name__line">
                          <NodeIcon node={n} />
                          <Link href={nodeHref(n.id)}>{n.name}</Link>
                        </span>
                        <span class="table__sub">{fileKindLabel(fileKind(n))}</span>
                      </th>
                      <td class="doc-size">{n.kind === 'folder' ? '—' : formatBytes(n.size)}</td>
                      <td>
                        <Modified node={n} />
                      </td>
                      <td>{rightLabel(n.right)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section class="card" aria-labelledby="activity-title">
          <h2 id="activity-title">{t('docs.activity.title')}</h2>
          <ErrorSummary failure={activity.failure} />
          {activity.items === null && !activity.failure && <p>{t('common.loading')}</p>}
          {activity.items && activity.items.length === 0 && <p>{t('docs.activity.none')}</p>}
          {activity.items && activity.items.length > 0 && (
            <>
              <p class="visually-hidden">{tPlural('docs.activity.count', activity.items.length)}</p>
              <ActivityList items={activity.items} />
            </>
          )}
        </section>
      </div>
    </>
  );
}
