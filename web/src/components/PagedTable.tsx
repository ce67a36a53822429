// A list the server hands out a page at a time (`Page<T>`): the first page loads whenever
// the filters change, "Load more" appends the next one.
import type { VNode } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from '../lib/api';
import { failureFrom, type FormFailure } from '../lib/forms';
import { t } from '../lib/i18n';
import type { Page } from '../lib/types';
import { ErrorSummary } from './ErrorSummary';

/**
 * `url(cursor)` is the request for one page (`cursor` null: the first); the first page is
 * loaded again when anything in `deps` changes. `fields` maps the server's field errors.
 */
export function usePagedList<T>(
  url: (cursor: string | null) => string,
  deps: unknown[],
  fields?: Record<string, [string, string]>,
) {
  const [items, setItems] = useState<T[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [failure, setFailure] = useState<FormFailure | null>(null);

  // Only the newest request's answer counts (a new search, or a reload, makes older ones stale).
  const seq = useRef(0);
  const load = async (after: string | null) => {
    const mine = ++seq.current;
    setLoading(true);
    try {
      const page = await api.get<Page<T>>(url(after));
      if (mine !== seq.current) return;
      setItems((old) => (after !== null ? [...old, ...page.items] : page.items));
      setCursor(page.next_cursor);
      setFailure(null);
    } catch (error) {
      if (mine === seq.current) setFailure(failureFrom(error, fields));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  };

  useEffect(() => {
    void load(null);
  }, deps);

  const loadMore = () => void load(cursor);
  const reload = () => void load(null);
  return { items, setItems, cursor, loading, failure, setFailure, loadMore, reload };
}

export type PagedList<T> = ReturnType<typeof usePagedList<T>>;

interface PagedTableProps<T> {
  list: PagedList<T>;
  /** The id of the heading that names the list (the scrolling region's label). */
  labelledBy: string;
  tableId: string;
  /** Extra class of the <table> (e.g. a layout that stacks rows on phones). */
  tableClass?: string;
  caption: string;
  columns: string[];
  /** The count announced when a page has arrived. */
  count: (n: number) => string;
  /** What is said when there is nothing at all. */
  empty: string;
  row: (item: T) => VNode;
}

/** Failure summary, announced count, the table, "nothing found" and "Load more". */
export function PagedTable<T>({ list, labelledBy, tableId, tableClass, caption, columns, count, empty, row }: PagedTableProps<T>) {
  const { items, loading, failure, cursor } = list;
  return (
    <>
      <ErrorSummary failure={failure} />
      <p class="muted" role="status">
        {loading ? t('common.loading') : count(items.length)}
      </p>
      {items.length > 0 && (
        <div class="table-wrap" role="region" aria-labelledby={labelledBy} tabIndex={0}>
          <table class={`table${tableClass ? ` ${tableClass}` : ''}`} id={tableId}>
            <caption class="visually-hidden">{caption}</caption>
            <thead>
              <tr>
                {columns.map((c, i) => (
                  <th scope="col" key={i}>
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{items.map(row)}</tbody>
          </table>
        </div>
      )}
      {!loading && items.length === 0 && !failure && <p>{empty}</p>}
      {cursor && (
        <p>
          <button type="button" class="button button--secondary" disabled={loading} onClick={list.loadMore}>
            {t('common.load_more')}
          </button>
        </p>
      )}
    </>
  );
}
