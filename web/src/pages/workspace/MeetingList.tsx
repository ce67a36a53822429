// /calendar?view=list — the caller's meetings as a list that filters and searches: words (title,
// room, organiser), the coming or the past 90 days, one's answer, only those one organises.
// The filters live in the address, so a search can be bookmarked and the back button works (the
// calendar page renders this view anew for each address, so the fields follow it).
import { useMemo, useState } from 'preact/hooks';
import { SelectField, TextField } from '../../components/Field';
import { ErrorSummary } from '../../components/ErrorSummary';
import { usePagedList } from '../../components/PagedTable';
import { query } from '../../lib/api';
import { t, tPlural } from '../../lib/i18n';
import { navigate, useSearchParams } from '../../lib/router';
import type { MeetingSummary, Session } from '../../lib/types';
import { isoUtc, useMeetingsChanged, useNow } from '../../lib/workspace';
import { MeetingItem } from './common';

const RANGE_DAYS = 90;
const ANSWERS = ['needs-action', 'accepted', 'tentative', 'declined'] as const;

export function MeetingListView({ session }: { session: Session }) {
  const params = useSearchParams();
  const now = useNow();
  const q = params.get('q') ?? '';
  const past = params.get('when') === 'past';
  const answer = ANSWERS.find((a) => a === params.get('response')) ?? '';
  const mine = params.get('mine') === '1';

  // The form's own state; the address changes (and the list loads) on "Search".
  const [words, setWords] = useState(q);
  const [when, setWhen] = useState(past ? 'past' : 'upcoming');
  const [response, setResponse] = useState<string>(answer);
  const [organised, setOrganised] = useState(mine);

  // The period is fixed when the filters change, so "load more" continues the same list (the
  // cursor counts what was shown).
  const at = useMemo(() => Date.now(), [q, past, answer, mine]);
  const list = usePagedList<MeetingSummary>(
    (cursor) => {
      const from = past ? at - RANGE_DAYS * 86400e3 : at;
      const to = past ? at : at + RANGE_DAYS * 86400e3;
      return `/meetings${query({
        from: isoUtc(from),
        to: isoUtc(to),
        q: q.trim(),
        response: answer,
        organiser: mine ? 'me' : null,
        order: past ? 'desc' : null,
        limit: 50,
        cursor,
      })}`;
    },
    [q, past, answer, mine],
    { q: ['meetings-q', t('meetings.search_words')] },
  );
  useMeetingsChanged(session.person.id, () => void list.reload());

  const submit = (event: Event) => {
    event.preventDefault();
    navigate(
      `/calendar${query({
        view: 'list',
        q: words.trim(),
        when: when === 'past' ? 'past' : null,
        response,
        mine: organised ? '1' : null,
      })}`,
    );
  };

  return (
    <>
      <section class="card" aria-labelledby="meetings-filter-title">
        <h2 id="meetings-filter-title">{t('meetings.search_title')}</h2>
        <form class="filters" role="search" aria-labelledby="meetings-filter-title" onSubmit={submit} noValidate>
          <TextField id="meetings-q" type="search" label={t('meetings.search_words')} hint={t('meetings.search_hint')} value={words} onValue={setWords} maxLength={200} />
          <SelectField
            id="meetings-when"
            label={t('meetings.search_when')}
            value={when}
            onValue={setWhen}
            options={[
              { value: 'upcoming', label: t('meetings.search_upcoming', { days: RANGE_DAYS }) },
              { value: 'past', label: t('meetings.search_past', { days: RANGE_DAYS }) },
            ]}
          />
          <SelectField
            id="meetings-response"
            label={t('meetings.my_answer')}
            value={response}
            onValue={setResponse}
            options={[{ value: '', label: t('meetings.search_any_answer') }, ...ANSWERS.map((a) => ({ value: a, label: t(`meetings.response.${a}`) }))]}
          />
          <div class="checkbox">
            <input type="checkbox" id="meetings-mine" checked={organised} onChange={(e) => setOrganised((e.currentTarget as HTMLInputElement).checked)} />
            <label for="meetings-mine">{t('meetings.search_mine')}</label>
          </div>
          <button type="submit" class="button">
            {t('common.search')}
          </button>
        </form>
      </section>
      <section class="card" aria-labelledby="meetings-found-title">
        <h2 id="meetings-found-title">{past ? t('meetings.search_found_past') : t('meetings.search_found')}</h2>
        <ErrorSummary failure={list.failure} />
        <p class="muted" role="status">
          {list.loading && list.items.length === 0 ? t('common.loading') : list.failure ? '' : tPlural('meetings.search_count', list.items.length)}
        </p>
        {list.items.length > 0 && (
          <ul class="meeting-list" id="meetings-found">
            {list.items.map((item) => (
              <MeetingItem key={`${item.id}-${item.occurrence.starts_at}`} item={item} now={now} dated />
            ))}
          </ul>
        )}
        {!list.loading && !list.failure && list.items.length === 0 && <p>{t('meetings.search_none')}</p>}
        {list.cursor && (
          <button type="button" class="button button--secondary" onClick={list.loadMore} disabled={list.loading}>
            {t('common.load_more')}
          </button>
        )}
      </section>
    </>
  );
}
