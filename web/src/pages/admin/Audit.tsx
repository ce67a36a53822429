import { useState } from 'preact/hooks';
import { TextField } from '../../components/Field';
import { PageTitle } from '../../components/Layout';
import { PagedTable, usePagedList } from '../../components/PagedTable';
import { query } from '../../lib/api';
import { clientFailure, errorFor } from '../../lib/forms';
import { formatDateTime, t, tMaybe, tPlural } from '../../lib/i18n';
import type { AuditEntry } from '../../lib/types';

/** `2026-11-22` (a local calendar day) → the UTC instant where that day starts or ends. */
function dayBoundary(day: string, end: boolean): string | null {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  if (!match) return null;
  const date = new Date(Number(match[1]), Number(match[2]) - 1, Number(match[3]) + (end ? 1 : 0));
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Who did it: a person, the system, or nobody known (a failed login). */
function actorName(entry: AuditEntry): string {
  if (entry.actor_id === null && entry.actor_name === 'anonymous') return t('audit.anonymous');
  return entry.actor_name ?? t('audit.system');
}

interface Filters {
  action: string;
  from: string | null;
  to: string | null;
}

export function AuditPage() {
  const [action, setAction] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [filters, setFilters] = useState<Filters>({ action: '', from: null, to: null });
  const list = usePagedList<AuditEntry>(
    (cursor) => `/audit${query({ action: filters.action, from: filters.from, to: filters.to, limit: 50, cursor })}`,
    [filters],
    { from: ['audit-from', t('audit.from')], to: ['audit-to', t('audit.to')] },
  );
  const { failure, setFailure } = list;

  const submit = (event: Event) => {
    event.preventDefault();
    const fromAt = from ? dayBoundary(from, false) : null;
    const toAt = to ? dayBoundary(to, true) : null;
    const wrong = [];
    if (from && !fromAt) wrong.push({ id: 'audit-from', label: t('audit.from'), message: t('validation.date') });
    if (to && !toAt) wrong.push({ id: 'audit-to', label: t('audit.to'), message: t('validation.date') });
    if (fromAt && toAt && fromAt > toAt)
      wrong.push({ id: 'audit-to', label: t('audit.to'), message: t('audit.range') });
    if (wrong.length) {
      setFailure(clientFailure(wrong));
      return;
    }
    setFailure(null);
    setFilters({ action: action.trim(), from: fromAt, to: toAt });
  };

  return (
    <>
      <PageTitle title={t('audit.title')} />
      <p class="lead">{t('audit.intro')}</p>
      <section class="card" aria-labelledby="audit-filter-title">
        <h2 id="audit-filter-title">{t('audit.filters')}</h2>
        <form class="filters" role="search" aria-labelledby="audit-filter-title" onSubmit={submit} noValidate>
          <TextField
            id="audit-action"
            label={t('audit.action')}
            hint={t('audit.action_hint')}
            value={action}
            onValue={setAction}
            spellcheck={false}
          />
          <TextField id="audit-from" label={t('audit.from')} type="date" value={from} onValue={setFrom} error={errorFor(failure, 'audit-from')} />
          <TextField id="audit-to" label={t('audit.to')} type="date" value={to} onValue={setTo} error={errorFor(failure, 'audit-to')} />
          <button type="submit" class="button">
            {t('common.search')}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="audit-list-title">
        <h2 id="audit-list-title">{t('audit.entries')}</h2>
        <PagedTable
          list={list}
          labelledBy="audit-list-title"
          tableId="audit-table"
          caption={t('audit.entries')}
          columns={[t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.address')]}
          count={(n) => tPlural('audit.count', n)}
          empty={t('audit.none')}
          row={(e) => (
            <tr key={e.id}>
              <th scope="row">
                <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              </th>
              <td>{actorName(e)}</td>
              <td>
                <span class="audit-action">{tMaybe(`action.${e.action}`) ?? e.action}</span>
                {tMaybe(`action.${e.action}`) && <code class="table__sub">{e.action}</code>}
              </td>
              <td>
                {e.target ?? '—'}
                {typeof e.details.access_code === 'string' && <code class="table__sub">{e.details.access_code}</code>}
              </td>
              <td>{e.address ?? '—'}</td>
            </tr>
          )}
        />
      </section>
    </>
  );
}
