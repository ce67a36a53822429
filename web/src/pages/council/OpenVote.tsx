// The vote that is open now: its question, rule and progress for everyone (never counts before
// the close); for the chair who has and has not voted (never how) and "Close the vote"; for a
// member entitled to vote the ballot — big buttons (at the bottom of a phone's screen), a
// confirmation of the choice, then "Your vote is recorded" with the receipt.
import { useEffect, useRef, useState } from 'preact/hooks';
import { Problem } from '../../lib/api';
import { failureFrom, problemMessage, type FormFailure } from '../../lib/forms';
import { formatNumber, t } from '../../lib/i18n';
import { createStore } from '../../lib/store';
import {
  council, majorityLabel, optionLabel, publicReceiptHref, voteKindLabel, type BallotAnswer, type SittingView, type Vote, type Voter, voteTitle} from '../../lib/council';
import { formatTime } from '../../lib/workspace';
import { ErrorSummary } from '../../components/ErrorSummary';
import { ProgressBar, progressText } from './common';
import { NamedListEntry } from './NamedListEntry';
import type { OnSittingChanged } from './SittingPage';

/** Receipts of this page's ballots (the server gives each only once), by vote id. */
const receipts = createStore<Record<string, BallotAnswer>>({});

export function OpenVote({
  view,
  vote,
  personId,
  version,
  onChanged,
}: {
  view: SittingView;
  vote: Vote;
  personId: string;
  version: number;
  onChanged: OnSittingChanged;
}) {
  const me = view.me;
  const [voters, setVoters] = useState<Voter[] | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [closing, setClosing] = useState(false);
  const seq = useRef(0);
  const loadVoters = async () => {
    const mine = ++seq.current;
    try {
      const list = await council.voters(vote.id);
      if (mine === seq.current) setVoters(list);
    } catch (error) {
      if (mine === seq.current) setFailure(failureFrom(error));
    }
  };
  // The chair follows every ballot; a member needs their own standing (read again on changes).
  // (a burst of ballots: read once, a moment after the last)
  useEffect(() => {
    if (!me.presides && !me.votes && !me.clerks) return;
    const timer = window.setTimeout(() => void loadVoters(), 150);
    return () => window.clearTimeout(timer);
  }, [vote.id, version, me.presides || me.clerks ? vote.voted : 0]);

  const close = async () => {
    setClosing(true);
    try {
      const closed = await council.closeVote(vote.id);
      const fresh = await council.sitting(view.id);
      onChanged(fresh, t('council.vote_closed_notice', { title: closed.title, result: t(`council.result.${closed.result ?? 'rejected'}`) }));
      // This card goes away with the open vote: the focus moves to the vote's result.
      requestAnimationFrame(() => document.getElementById(`vote-${closed.id}-title`)?.focus());
    } catch (error) {
      setFailure(failureFrom(error));
    } finally {
      setClosing(false);
    }
  };

  const mine = voters?.find((v) => v.person_id === personId);
  const entitled = voters?.filter((v) => v.status === 'entitled') ?? [];
  const done = entitled.filter((v) => v.voted);
  const waiting = entitled.filter((v) => !v.voted);
  const others = voters?.filter((v) => v.status !== 'entitled') ?? [];

  return (
    <section class="card open-vote" aria-labelledby="open-vote-title" id="open-vote">
      <h2 id="open-vote-title" tabIndex={-1}>{t('council.vote_open_heading', { number: vote.number })}</h2>
      <p class="open-vote__question">{voteTitle(vote)}</p>
      <p class="muted">
        {voteKindLabel(vote.kind)} · {majorityLabel(vote.majority)}
        {vote.closes_at ? ` · ${t('council.closes_at', { time: formatTime(vote.closes_at) })}` : ''}
        {vote.repeat_of ? ` · ${t('council.repeat_note', { reason: vote.repeat_reason ?? '' })}` : ''}
      </p>
      <div class="open-vote__progress">
        <p role="status" aria-live="polite" id="vote-progress">
          {progressText(vote)}
        </p>
        <ProgressBar value={vote.voted} max={vote.entitled} />
      </div>
      <ErrorSummary failure={failure} />

      {me.votes && <Ballot vote={vote} mine={mine} loaded={voters !== null} onChanged={onChanged} reloadVoters={() => void loadVoters()} />}

      {me.presides && (
        <>
          <div class="button-row">
            <button type="button" class="button button--danger" id="close-vote" disabled={closing} onClick={() => void close()}>
              {t('council.close_vote')}
            </button>
          </div>
          {voters && (
            <div class="voters">
              <h3 id="voters-done-title">{t('council.voted_list', { count: formatNumber(done.length) })}</h3>
              <ul class="voters__list" aria-labelledby="voters-done-title" id="voters-done">
                {done.map((v) => (
                  <li key={v.person_id}>
                    <span aria-hidden="true">✓ </span>
                    {v.name}
                  </li>
                ))}
              </ul>
              <h3 id="voters-waiting-title">{t('council.waiting_list', { count: formatNumber(waiting.length) })}</h3>
              <ul class="voters__list" aria-labelledby="voters-waiting-title" id="voters-waiting">
                {waiting.map((v) => (
                  <li key={v.person_id}>{v.name}</li>
                ))}
              </ul>
              {others.length > 0 && (
                <>
                  <h3 id="voters-other-title">{t('council.not_entitled_list', { count: formatNumber(others.length) })}</h3>
                  <ul class="voters__list" aria-labelledby="voters-other-title">
                    {others.map((v) => (
                      <li key={v.person_id}>
                        {v.name} <span class="muted">({t(`council.voter_status.${v.status}`)})</span>
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </>
      )}
      {(me.presides || me.clerks) && vote.kind !== 'secret' && voters && (
        <NamedListEntry
          vote={vote}
          voters={voters}
          onEntered={(fresh, text) => {
            void loadVoters();
            onChanged(fresh, text);
          }}
        />
      )}
    </section>
  );
}

// ---------------------------------------------------------------- the member's ballot

function Ballot({
  vote,
  mine,
  loaded,
  onChanged,
  reloadVoters,
}: {
  vote: Vote;
  mine: Voter | undefined;
  loaded: boolean;
  onChanged: OnSittingChanged;
  reloadVoters: () => void;
}) {
  const [choice, setChoice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [refusal, setRefusal] = useState('');
  const [answer, setAnswer] = useState<BallotAnswer | null>(receipts.get()[vote.id] ?? null);
  const [changing, setChanging] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const recordedRef = useRef<HTMLDivElement>(null);
  const lastChoice = useRef<string | null>(null);

  useEffect(() => {
    if (choice) confirmRef.current?.focus();
    else if (lastChoice.current) document.getElementById(optionId(lastChoice.current))?.focus();
  }, [choice]);

  const optionId = (o: string) => `ballot-${vote.options.indexOf(o)}`;

  const cast = async () => {
    if (!choice) return;
    setBusy(true);
    setRefusal('');
    try {
      const given = await council.cast(vote.id, choice);
      receipts.set({ ...receipts.get(), [vote.id]: given });
      setAnswer(given);
      setChoice(null);
      lastChoice.current = null;
      setChanging(false);
      reloadVoters();
      requestAnimationFrame(() => recordedRef.current?.focus());
    } catch (error) {
      setRefusal(problemMessage(error));
      setChoice(null);
      if (error instanceof Problem && (error.slug === 'vote-closed' || error.slug === 'already-voted')) {
        onChanged(null);
        reloadVoters();
      }
    } finally {
      setBusy(false);
    }
  };

  const mayChange = !!vote.vote_change && vote.kind !== 'secret';
  // On a phone the choices sit at the bottom of the screen — unless a long list of candidates
  // would not fit there (then they stay in the page).
  const docked = vote.options.length <= 4;
  let body;
  if (answer && !changing) {
    body = (
      <div class="ballot__recorded" tabIndex={-1} ref={recordedRef} id="ballot-recorded">
        <p class="ballot__recorded-title">
          <span aria-hidden="true">✓ </span>
          {t('council.vote_recorded')}
        </p>
        <p>{t('council.your_choice', { choice: optionLabel(answer.choice) })}</p>
        <p>
          {t('council.receipt')}: <code class="ballot__receipt" id="ballot-receipt">{answer.receipt}</code>
        </p>
        <p class="muted">
          {t('council.receipt_hint')}{' '}
          <a href={publicReceiptHref(answer.receipt)} target="_blank" rel="noopener" id="ballot-receipt-check">
            {t('council.receipt_check')}
          </a>
        </p>
        {mayChange && (
          <button type="button" class="button button--secondary" onClick={() => setChanging(true)}>
            {t('council.change_vote')}
          </button>
        )}
      </div>
    );
  } else if (!loaded) {
    body = <p>{t('common.loading')}</p>;
  } else if (mine?.voted && !changing && !mayChange) {
    body = <p class="ballot__recorded-title" id="ballot-voted">{t('council.already_voted_here')}</p>;
  } else if (!mine || mine.status === 'absent') {
    body = <p class="notice notice--warning" id="ballot-not-entitled">{t('council.ballot_not_present')}</p>;
  } else if (mine.status === 'conflict') {
    body = <p class="notice notice--warning" id="ballot-not-entitled">{t('council.ballot_conflict')}</p>;
  } else if (choice) {
    body = (
      <div class="ballot__confirm ballot__dock">
        <p class="ballot__question" id="ballot-confirm-text">
          {t('council.confirm_choice', { choice: optionLabel(choice) })}
        </p>
        <div class="ballot__options ballot__options--confirm">
          <button type="button" class="button ballot__button" ref={confirmRef} id="ballot-confirm" disabled={busy} aria-describedby="ballot-confirm-text" onClick={() => void cast()}>
            {t('council.confirm_vote')}
          </button>
          <button type="button" class="button button--secondary ballot__button" id="ballot-back" disabled={busy} onClick={() => setChoice(null)}>
            {t('council.choose_again')}
          </button>
        </div>
      </div>
    );
  } else {
    body = (
      <fieldset class={`fieldset ballot__choices${docked ? ' ballot__dock' : ''}`}>
        <legend class="ballot__question">{t('council.your_vote_on', { title: voteTitle(vote) })}</legend>
        <div class={`ballot__options${vote.options.length > 3 ? ' ballot__options--many' : ''}`}>
          {vote.options.map((o) => (
            <button
              type="button"
              key={o}
              id={optionId(o)}
              class={`button ballot__button ballot__button--${o === 'yes' || o === 'no' || o === 'abstain' ? o : 'candidate'}`}
              onClick={() => {
                lastChoice.current = o;
                setChoice(o);
              }}
            >
              {optionLabel(o)}
            </button>
          ))}
        </div>
      </fieldset>
    );
  }

  return (
    <div class="ballot" id="ballot" aria-labelledby="ballot-title" role="group">
      <h3 id="ballot-title" class="ballot__title">
        {t('council.my_ballot')}
      </h3>
      {refusal && (
        <p class="field__error ballot__refusal" role="alert" id="ballot-refusal">
          {refusal}
        </p>
      )}
      {body}
      {mayChange && !answer && <p class="muted">{t('council.you_may_change')}</p>}
    </div>
  );
}
