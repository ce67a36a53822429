// /council/sittings/:id — one page for everyone who follows a sitting, showing what the
// caller's standing in the body allows: the header with the live quorum; the open vote (its
// progress for all, the ballot for a member, who has voted and "Close" for the chair); the
// member's attendance and conflicts of interest; the chair's console (open, close, cancel,
// roll call, open a vote); the clerk's roll-call corrections; the agenda (prepared before the
// sitting opens, changed by a vote after); the closed votes with their results and named
// lists; the attendance log. Everything follows `council:<id>` live.
import { useEffect, useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { Problem } from '../../lib/api';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { t } from '../../lib/i18n';
import { Link } from '../../lib/router';
import type { Session } from '../../lib/types';
import { boardHref, bodyHref, council, publicSittingHref, useSittingLive, type SittingView } from '../../lib/council';
import { focusHeadingIfLost, Loading, Missing, StatusSlot, useWorkspaceFlash } from '../workspace/common';
import { Agenda } from './Agenda';
import { AttendanceLog } from './AttendanceLog';
import { ChairConsole, RollCall } from './ChairConsole';
import { QuorumLine, SittingFacts } from './common';
import { SittingForm } from './forms';
import { MemberPanel } from './MemberPanel';
import { OpenVote } from './OpenVote';
import { Speakers } from './Speakers';
import { Votes } from './Votes';

/** What a part of the page hands back after a change: the new view and what to say. */
export type OnSittingChanged = (view: SittingView | null, notice?: string) => void;

export function SittingPage({ id, session }: { id: string; session: Session }) {
  const [view, setView] = useState<SittingView | null>(null);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [missing, setMissing] = useState(false);
  const flash = useWorkspaceFlash();
  const [notice, setNotice] = useState(flash?.text ?? '');
  /** Grows with every fresh read: parts that read more (voters, the log) read again. */
  const [version, setVersion] = useState(0);
  const [editing, setEditing] = useState(false);

  const load = async (keep = false) => {
    try {
      const fresh = await council.sitting(id);
      setView(fresh);
      setVersion((v) => v + 1);
      setFailure(null);
      if (!keep) focusHeadingIfLost();
    } catch (error) {
      if (error instanceof Problem && error.slug === 'not-found') setMissing(true);
      else setFailure(failureFrom(error));
    }
  };
  useEffect(() => {
    void load();
  }, [id]);
  useSittingLive(
    id,
    () => void load(true),
    (voteId, voted) =>
      setView((old) => (old ? { ...old, votes: old.votes.map((v) => (v.id === voteId ? { ...v, voted: Math.max(v.voted, voted) } : v)) } : old)),
  );

  if (missing) return <Missing title={t('council.sitting_missing')} text={t('council.sitting_missing_text')} back="/council" backLabel={t('council.back')} />;
  if (!view) return <Loading title={t('council.sitting')} failure={failure} retry={() => void load()} />;

  const changed: OnSittingChanged = (fresh, text) => {
    if (fresh) {
      setView(fresh);
      setVersion((v) => v + 1);
    } else void load(true);
    if (text !== undefined) setNotice(text);
  };
  const me = view.me;
  const openVote = view.votes.find((v) => v.status === 'open') ?? null;
  const title = t('council.sitting_name', { number: view.number, title: view.title });

  return (
    <div class={`sitting${openVote && me.votes ? ' sitting--ballot' : ''}`}>
      <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
        <ol>
          <li>
            <Link href="/council">{t('council.title')}</Link>
          </li>
          <li>
            <Link href={bodyHref(view.body.id)}>{view.body.name}</Link>
          </li>
          <li>
            <span aria-current="page">{title}</span>
          </li>
        </ol>
      </nav>
      <PageTitle title={title} />
      <p class="lead sitting-body">{view.body.name}</p>
      <StatusSlot id="sitting-notice">{notice}</StatusSlot>
      <ErrorSummary failure={failure} />
      <SittingFacts sitting={view} />
      <QuorumLine quorum={view.quorum} />
      <div class="button-row sitting-links">
        <Link href={boardHref(view.id)} class="button button--secondary" id="board-link">
          {t('council.board_link')}
        </Link>
        <Link href={publicSittingHref(view.id)} class="button button--secondary" id="public-link">
          {t('council.public_page')}
        </Link>
        {view.status === 'scheduled' && (me.clerks || me.presides || me.administers) && (
          <button type="button" class="button button--secondary" id="edit-sitting-button" onClick={() => setEditing(true)}>
            {t('council.edit_sitting')}
          </button>
        )}
        {view.meeting_id && (
          <Link href={`/meetings/${encodeURIComponent(view.meeting_id)}`} class="button button--secondary">
            {t('council.meeting_link')}
          </Link>
        )}
      </div>

      {editing && view.status === 'scheduled' && (
        <Dialog id="edit-sitting" title={t('council.edit_sitting_title')} onCancel={() => setEditing(false)}>
          <SittingForm
            id="edit-sitting-form"
            labelledBy="edit-sitting-title"
            sitting={view}
            submitLabel={t('common.save')}
            onCancel={() => setEditing(false)}
            onDone={() => {
              setEditing(false);
              changed(null, t('council.sitting_changed'));
            }}
          />
        </Dialog>
      )}

      <div class="stack sitting-parts">
        {openVote && <OpenVote key={openVote.id} view={view} vote={openVote} personId={session.person.id} version={version} onChanged={changed} />}
        {view.status === 'open' && <Speakers view={view} personId={session.person.id} onChanged={changed} />}
        {me.votes && <MemberPanel view={view} session={session} onChanged={changed} />}
        {me.presides && (view.status === 'scheduled' || view.status === 'open') && <ChairConsole view={view} onChanged={changed} />}
        {me.clerks && !me.presides && view.status === 'open' && <RollCall view={view} how="clerk" onChanged={changed} />}
        <Agenda view={view} onChanged={changed} />
        <Votes view={view} version={version} />
        {(me.clerks || me.presides || me.administers) && <AttendanceLog sittingId={view.id} version={version} />}
      </div>
    </div>
  );
}
