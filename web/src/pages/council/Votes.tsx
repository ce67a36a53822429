// The votes of the sitting that are over, the latest first: question, result, the count per
// option, the majority used, a repeat's reason; for named and open votes the named list (who
// voted how, who was absent or had a conflict); the published ledger anyone can check.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import { council, ledgerUrl, publicVoteHref, type SittingView, type Vote, type Voter, voteTitle } from '../../lib/council';
import { NamedListTable, Tally, voteMeta } from './common';

export function Votes({ view, version }: { view: SittingView; version: number }) {
  const over = view.votes.filter((v) => v.status !== 'open').sort((a, b) => b.number - a.number);
  return (
    <section class="card" aria-labelledby="votes-title" id="votes">
      <h2 id="votes-title">{t('council.votes')}</h2>
      {over.length === 0 ? (
        <p>{t('council.votes_none')}</p>
      ) : (
        <ol class="votes-list" reversed>
          {over.map((v) => (
            <ClosedVote key={v.id} vote={v} view={view} version={version} />
          ))}
        </ol>
      )}
    </section>
  );
}

function ClosedVote({ vote, view, version }: { vote: Vote; view: SittingView; version: number }) {
  const [named, setNamed] = useState<Voter[] | null>(null);
  const [shown, setShown] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const repeated = vote.repeat_of ? view.votes.find((v) => v.id === vote.repeat_of) : null;
  const listId = `vote-${vote.id}-named`;

  useEffect(() => {
    if (!shown) return;
    council
      .voters(vote.id)
      .then((list) => {
        setNamed(list);
        setFailure(null);
      })
      .catch((error) => setFailure(failureFrom(error)));
  }, [shown, vote.id, version]);

  return (
    <li class="vote-record" data-vote-id={vote.id}>
      <h3 id={`vote-${vote.id}-title`} tabIndex={-1}>
        {t('council.vote_number', { number: vote.number })}: {voteTitle(vote)}
      </h3>
      <p class="muted">{voteMeta(vote)}</p>
      {repeated && <p>{t('council.repeat_of_text', { number: repeated.number, reason: vote.repeat_reason ?? '' })}</p>}
      {vote.status === 'cancelled' ? <p>{t('council.vote_cancelled')}</p> : <Tally vote={vote} idPrefix={`vote-${vote.id}`} />}
      <p class="muted">{t('council.vote_numbers', { present: vote.present, entitled: vote.entitled, voted: vote.voted })}</p>
      <div class="button-row">
        {vote.kind !== 'secret' && vote.status === 'closed' && (
          <button type="button" class="button button--secondary button--small" aria-expanded={shown ? 'true' : 'false'} aria-controls={listId} onClick={() => setShown(!shown)}>
            {shown ? t('council.named_list_hide') : t('council.named_list_show')}
            <span class="visually-hidden"> — {t('council.vote_number', { number: vote.number })}</span>
          </button>
        )}
        {vote.status === 'closed' && (
          <a href={ledgerUrl(vote.id)} class="button button--secondary button--small" target="_blank" rel="noopener">
            {t('council.ledger')}
            <span class="visually-hidden"> — {t('council.vote_number', { number: vote.number })}</span>
          </a>
        )}
        {vote.status === 'closed' && (
          <Link href={publicVoteHref(vote.id)} class="button button--secondary button--small">
            {t('council.public_page')}
            <span class="visually-hidden"> — {t('council.vote_number', { number: vote.number })}</span>
          </Link>
        )}
      </div>
      <div id={listId} hidden={!shown}>
        <ErrorSummary failure={failure} />
        {shown && named === null && !failure && <p role="status">{t('common.loading')}</p>}
        {shown && named && <NamedListTable id={listId} caption={t('council.named_list', { number: vote.number })} rows={named} />}
      </div>
    </li>
  );
}
