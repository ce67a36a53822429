// /council/sittings/:id/board — the projector in the hall: large type, no controls. The
// sitting, the quorum, the current item, who has the floor with the time left, the open vote's
// question and progress (never counts before the close), and once it is closed its result with
// a bar per option. Follows the sitting live; shown without the application's header and
// navigation.
import { useEffect, useState } from 'preact/hooks';
import { PageTitle } from '../../components/Layout';
import { Problem } from '../../lib/api';
import { t } from '../../lib/i18n';
import { council, majorityLabel, useSittingLive, voteKindLabel, type SittingView, voteTitle } from '../../lib/council';
import { ProgressBar, progressText, QuorumLine, Tally } from './common';
import { SpeakerNow } from './Speakers';

export function BoardPage({ id }: { id: string }) {
  const [view, setView] = useState<SittingView | null>(null);
  const [problem, setProblem] = useState('');
  const load = async () => {
    try {
      setView(await council.sitting(id));
      setProblem('');
    } catch (error) {
      setProblem(error instanceof Problem && error.slug === 'not-found' ? t('council.sitting_missing_text') : t('council.board_offline'));
    }
  };
  useEffect(() => {
    void load();
  }, [id]);
  useSittingLive(
    id,
    () => void load(),
    (voteId, voted) =>
      setView((old) => (old ? { ...old, votes: old.votes.map((v) => (v.id === voteId ? { ...v, voted: Math.max(v.voted, voted) } : v)) } : old)),
  );

  if (!view) {
    return (
      <main id="main" class="board" tabIndex={-1}>
        <PageTitle title={t('council.board')} />
        <p role="status">{problem || t('common.loading')}</p>
      </main>
    );
  }

  const open = view.votes.find((v) => v.status === 'open') ?? null;
  const last = [...view.votes].filter((v) => v.status === 'closed').sort((a, b) => b.number - a.number)[0] ?? null;
  const current =
    view.items.find((i) => i.status === 'current') ??
    (open?.item_id ? view.items.find((i) => i.id === open.item_id) : undefined) ??
    (view.status === 'open' ? view.items.find((i) => i.status === 'pending') : undefined);
  const title = t('council.sitting_name', { number: view.number, title: view.title });

  return (
    <main id="main" class="board" tabIndex={-1}>
      <p class="board__body">{view.body.name}</p>
      <PageTitle title={`${title} — ${t('council.board')}`}>{title}</PageTitle>
      {problem && <p class="board__problem">{problem}</p>}
      <QuorumLine quorum={view.quorum} id="board-quorum" big />
      <section class="board__part" aria-labelledby="board-item-title">
        <h2 id="board-item-title">{t('council.current_item')}</h2>
        <p class="board__item" id="board-item">
          {current ? `${current.position}. ${current.title}` : view.status === 'open' ? t('council.no_current_item') : t(`council.board_status.${view.status}`)}
        </p>
      </section>
      {view.status === 'open' && (
        <section class="board__part" aria-labelledby="board-speaker-title">
          <h2 id="board-speaker-title">{t('council.speaking_now')}</h2>
          <SpeakerNow view={view} id="board-speaker" big />
        </section>
      )}
      <section class="board__part board__vote" aria-labelledby="board-vote-title" id="board-vote">
        {open ? (
          <>
            <h2 id="board-vote-title">{t('council.vote_open_heading', { number: open.number })}</h2>
            <p class="board__question">{voteTitle(open)}</p>
            <p class="board__rule">
              {voteKindLabel(open.kind)} · {majorityLabel(open.majority)}
            </p>
            <p class="board__progress" role="status" aria-live="polite" id="board-progress">
              {progressText(open)}
            </p>
            <ProgressBar value={open.voted} max={open.entitled} />
          </>
        ) : last ? (
          <>
            <h2 id="board-vote-title">{t('council.result_heading', { number: last.number })}</h2>
            <p class="board__question">{voteTitle(last)}</p>
            <p class="board__rule">{majorityLabel(last.majority)}</p>
            <div role="status" aria-live="polite" id="board-result">
              <Tally vote={last} idPrefix="board" big />
            </div>
          </>
        ) : (
          <>
            <h2 id="board-vote-title">{t('council.votes')}</h2>
            <p>{t('council.votes_none')}</p>
          </>
        )}
      </section>
    </main>
  );
}
