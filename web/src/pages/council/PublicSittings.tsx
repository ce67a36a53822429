// Published without login (BG-T, PL-N — for citizens and the BIP): /public/council lists the
// sittings; /public/council/sittings/:id shows one with its agenda, the declared conflicts, its
// votes with their results and named lists; /public/council/people/:id is a councillor's voting
// record. Each page links the same data as CSV and JSON, and the Atom feed of results.
import { PageTitle } from '../../components/Layout';
import { formatDateTime, t, tPlural } from '../../lib/i18n';
import { Link } from '../../lib/router';
import {
  publicCouncil, publicCouncilHref, publicData, publicPersonHref, publicReceiptHref, publicSittingHref, publicVoteHref,
  resultLabel, resultTone, voteTitle, type PublicVote,
} from '../../lib/council';
import { Loading, Missing } from '../workspace/common';
import { AgendaEntry } from './Agenda';
import { formatBytes } from '../../lib/documents';
import { namedChoice, NamedListTable, SittingFacts, SittingItem, Tally, progressText, voteMeta } from './common';
import { Downloads, PublicCrumbs, usePublished } from './Published';

export const backToList = () => ({ back: publicCouncilHref, backLabel: t('council.public_back') });

/** A name in a published named list: a link to that councillor's record. */
export const personLink = (row: { person_id: string; name: string }) => <Link href={publicPersonHref(row.person_id)}>{row.name}</Link>;

// ---------------------------------------------------------------- the list

export function PublicCouncilPage() {
  const { data, failure, retry } = usePublished(publicCouncil.sittings, 'all');
  if (!data) return <Loading title={t('council.public_title')} failure={failure} retry={retry} />;
  return (
    <div class="public-council">
      <PageTitle title={t('council.public_title')} />
      <p class="lead">{t('council.public_intro')}</p>
      <p class="button-row">
        <Link href={publicReceiptHref()} class="button button--secondary" id="receipt-link">
          {t('council.receipt_title')}
        </Link>
        <a href={publicData.feed} class="button button--secondary" id="feed-link">
          {t('council.feed')}
        </a>
      </p>
      <section aria-labelledby="public-sittings-title">
        <h2 id="public-sittings-title">{t('council.sittings')}</h2>
        {data.length === 0 ? (
          <p>{t('council.public_none')}</p>
        ) : (
          <>
            <p class="muted">{tPlural('council.sittings_count', data.length)}</p>
            <ul class="meeting-list" id="public-sittings">
              {data.map((s) => (
                <SittingItem key={s.id} sitting={s} href={publicSittingHref} />
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}

// ---------------------------------------------------------------- a sitting

export function PublicSittingPage({ id }: { id: string }) {
  const { data: s, failure, missing, retry } = usePublished(() => publicCouncil.sitting(id), id);
  if (missing) return <Missing title={t('council.sitting_missing')} text={t('council.sitting_missing_text')} {...backToList()} />;
  if (!s) return <Loading title={t('council.sitting')} failure={failure} retry={retry} />;
  const title = t('council.sitting_name', { number: s.number, title: s.title });
  const items = [...s.items].sort((a, b) => a.position - b.position);
  const votes = [...s.votes].sort((a, b) => b.number - a.number);
  return (
    <div class="public-council">
      <PublicCrumbs current={title} />
      <PageTitle title={title} />
      <p class="lead sitting-body">{s.body.name}</p>
      <SittingFacts sitting={s} />

      <section class="card" aria-labelledby="public-agenda-title" id="agenda">
        <h2 id="public-agenda-title">{t('council.agenda')}</h2>
        {items.length === 0 ? (
          <p>{t('council.agenda_empty')}</p>
        ) : (
          <ol class="agenda-items">
            {items.map((item) => (
              <AgendaEntry key={item.id} item={item} conflicts={s.conflicts.filter((c) => c.item_id === item.id)}>
                {item.materials.length > 0 && (
                  <div class="agenda-item__materials">
                    <h4 id={`materials-${item.id}`}>{t('council.materials')}</h4>
                    <ul aria-labelledby={`materials-${item.id}`}>
                      {item.materials.map((f) => (
                        <li key={f.id}>
                          <a href={f.url} download={f.name.split('/').pop()}>
                            {f.name}
                          </a>{' '}
                          <span class="muted">({formatBytes(f.size)})</span>
                        </li>
                      ))}
                    </ul>
                  </div>
                )}
              </AgendaEntry>
            ))}
          </ol>
        )}
      </section>

      <section class="card" aria-labelledby="public-votes-title" id="votes">
        <h2 id="public-votes-title">{t('council.votes')}</h2>
        {votes.length === 0 ? (
          <p>{t('council.votes_none')}</p>
        ) : (
          <ol class="votes-list" reversed>
            {votes.map((v) => (
              <PublishedVote key={v.id} vote={v} />
            ))}
          </ol>
        )}
      </section>

      <Downloads data={(f) => publicData.sitting(s.id, f)} csv={t('council.download_sitting_csv')} feed />
    </div>
  );
}

/** A vote in the sitting's list: its result, and (a closed named vote) its list to unfold. */
function PublishedVote({ vote }: { vote: PublicVote }) {
  const listId = `vote-${vote.id}-named`;
  return (
    <li class="vote-record" data-vote-id={vote.id}>
      <h3 id={`vote-${vote.id}-title`}>
        <Link href={publicVoteHref(vote.id)}>
          {t('council.vote_number', { number: vote.number })}: {voteTitle(vote)}
        </Link>
      </h3>
      <p class="muted">{voteMeta(vote)}</p>
      <VoteOutcome vote={vote} idPrefix={`vote-${vote.id}`} />
      {vote.named_list.length > 0 && (
        <details class="vote-record__named">
          <summary>
            {t('council.named_list_show')}
            <span class="visually-hidden"> — {t('council.vote_number', { number: vote.number })}</span>
          </summary>
          <NamedListTable id={listId} caption={t('council.named_list', { number: vote.number })} rows={vote.named_list} nameOf={personLink} />
        </details>
      )}
    </li>
  );
}

/** The result with a bar per option once closed; "open" or "cancelled" otherwise. */
export function VoteOutcome({ vote, idPrefix }: { vote: PublicVote; idPrefix: string }) {
  if (vote.status === 'cancelled') return <p>{t('council.vote_cancelled')}</p>;
  if (vote.status === 'open')
    return (
      <p class="notice notice--info">
        {t('council.public_vote_open')} {progressText(vote)}
      </p>
    );
  return (
    <>
      <Tally vote={vote} idPrefix={idPrefix} />
      <p class="muted">{t('council.vote_numbers', { present: vote.present, entitled: vote.entitled, voted: vote.voted })}</p>
    </>
  );
}

// ---------------------------------------------------------------- a councillor's record

export function PublicRecordPage({ id }: { id: string }) {
  const { data: r, failure, missing, retry } = usePublished(() => publicCouncil.record(id), id);
  if (missing) return <Missing title={t('council.person_missing')} text={t('council.person_missing_text')} {...backToList()} />;
  if (!r) return <Loading title={t('council.record')} failure={failure} retry={retry} />;
  const title = t('council.record_title', { name: r.display_name });
  return (
    <div class="public-council">
      <PublicCrumbs current={r.display_name} />
      <PageTitle title={title} />
      <p class="lead">{t('council.record_intro', { name: r.display_name })}</p>
      {r.items.length === 0 ? (
        <p>{t('council.record_none')}</p>
      ) : (
        <div class="table-wrap" role="region" aria-labelledby="record-caption" tabIndex={0}>
          <table class="table table--stack" id="record-table">
            <caption id="record-caption">{tPlural('council.record_count', r.items.length)}</caption>
            <thead>
              <tr>
                <th scope="col">{t('council.log_time')}</th>
                <th scope="col">{t('council.record_vote')}</th>
                <th scope="col">{t('council.sitting')}</th>
                <th scope="col">{t('council.choice')}</th>
                <th scope="col">{t('council.result_label')}</th>
              </tr>
            </thead>
            <tbody>
              {r.items.map((e) => (
                <tr key={e.vote_id} data-vote-id={e.vote_id}>
                  <td>
                    <time dateTime={e.closed_at}>{formatDateTime(e.closed_at)}</time>
                  </td>
                  <th scope="row">
                    <Link href={publicVoteHref(e.vote_id)}>{e.title}</Link>
                  </th>
                  <td>
                    <Link href={publicSittingHref(e.sitting_id)}>{t('council.sitting_of', { body: e.body, number: e.sitting_number })}</Link>
                  </td>
                  <td>{namedChoice(e)}</td>
                  <td>
                    <span class={`badge badge--${resultTone(e.result)}`}>{resultLabel(e.result)}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Downloads data={(f) => publicData.person(r.person_id, f)} csv={t('council.download_record_csv')} />
    </div>
  );
}
