// /rooms/:id/call — the room's video and audio meeting in the browser: the pre-join screen,
// the lobby, the meeting itself, and why it ended. The page is loaded on demand (it brings
// janus-gateway with it); `MeetingConnection` (lib/media.ts) does the media work.
import { useEffect, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { api, Problem } from '../../lib/api';
import { failureFrom, problemMessage, type FormFailure } from '../../lib/forms';
import { formatDateTime, t, tMaybe } from '../../lib/i18n';
import { mediaCode, MeetingConnection, setProbe, type MeetingView } from '../../lib/media';
import { Link, navigate } from '../../lib/router';
import { useStore } from '../../lib/store';
import type { Room, Session } from '../../lib/types';
import { roomHref } from '../../lib/workspace';
import { focusHeadingIfLost } from '../workspace/common';
import { Meeting } from './Meeting';
import { PreJoin, type JoinChoice } from './PreJoin';

export function CallPage({ id, session }: { id: string; session: Session }) {
  const [room, setRoom] = useState<Room | null>(null);
  const [connection, setConnection] = useState<MeetingConnection | null>(null);
  const [choice, setChoice] = useState<JoinChoice | null>(null);

  useEffect(() => {
    setProbe('prejoin');
    // Only for the name: someone invited to a meeting here may not see the room itself.
    api
      .get<Room>(`/rooms/${encodeURIComponent(id)}`)
      .then(setRoom)
      .catch(() => setRoom(null));
  }, [id]);

  // Leaving the page leaves the meeting; closing the tab says so to the server as well.
  useEffect(() => {
    if (!connection) return;
    const unload = () => connection.leaveOnUnload();
    window.addEventListener('pagehide', unload);
    return () => {
      window.removeEventListener('pagehide', unload);
      connection.dispose();
    };
  }, [connection]);

  const join = (picked: JoinChoice) => {
    const next = new MeetingConnection(id, session.person.id, picked.local);
    setChoice(picked);
    setConnection(next);
    void next.join();
  };
  const again = () => {
    setConnection(null);
    setProbe('prejoin');
    focusHeadingIfLost();
  };

  return connection && choice ? (
    <CallSession connection={connection} choice={choice} session={session} roomName={room?.name ?? ''} onAgain={again} />
  ) : (
    <>
      <Breadcrumbs roomId={id} roomName={room?.name ?? ''} />
      <PageTitle title={room ? t('media.title', { room: room.name }) : t('media.title_plain')} />
      <PreJoin roomId={id} onJoin={join} />
    </>
  );
}

function Breadcrumbs({ roomId, roomName }: { roomId: string; roomName: string }) {
  return (
    <nav class="breadcrumbs" aria-label={t('docs.breadcrumbs')}>
      <ol>
        <li>
          <Link href="/rooms">{t('rooms.title')}</Link>
        </li>
        {roomName && (
          <li>
            <Link href={roomHref(roomId)}>{roomName}</Link>
          </li>
        )}
        <li>
          <span aria-current="page">{t('media.title_plain')}</span>
        </li>
      </ol>
    </nav>
  );
}

function CallSession({
  connection,
  choice,
  session,
  roomName,
  onAgain,
}: {
  connection: MeetingConnection;
  choice: JoinChoice;
  session: Session;
  roomName: string;
  onAgain: () => void;
}) {
  const view = useStore(connection.store);
  const name = view.room?.name || roomName;
  const phase = view.state === 'joined' || view.state === 'reconnecting' ? 'meeting' : view.state;

  // A new phase replaces what had the focus: the heading takes it (as after a navigation).
  useEffect(() => focusHeadingIfLost(), [phase]);

  if (phase === 'meeting') {
    return <Meeting connection={connection} view={view} session={session} roomName={name} speakerId={choice.speakerId} cameraId={choice.cameraId} />;
  }
  return (
    <>
      <Breadcrumbs roomId={connection.roomId} roomName={name} />
      <PageTitle title={name ? t('media.title', { room: name }) : t('media.title_plain')} />
      {view.state === 'joining' || view.state === 'prejoin' ? (
        <section class="card call-phase" aria-labelledby="media-joining-title" aria-busy="true">
          <h2 id="media-joining-title">{t('media.joining_title')}</h2>
          <p role="status">{t('media.joining')}</p>
        </section>
      ) : view.state === 'waiting' ? (
        <Lobby connection={connection} />
      ) : (
        <Ended view={view} roomId={connection.roomId} onAgain={onAgain} />
      )}
    </>
  );
}

/** Waiting for a host; "Stop waiting" withdraws the request (the hosts no longer see it) and goes back to the room. */
function Lobby({ connection }: { connection: MeetingConnection }) {
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const stop = async () => {
    setBusy(true);
    try {
      await connection.stopWaiting();
      navigate(roomHref(connection.roomId));
    } catch (error) {
      setFailure(failureFrom(error));
      setBusy(false);
    }
  };
  return (
    <section class="card call-phase" aria-labelledby="media-waiting-title" id="media-lobby">
      <h2 id="media-waiting-title">{t('media.waiting_title')}</h2>
      <ErrorSummary failure={failure} />
      <p role="status">{t('media.waiting_text')}</p>
      <div class="button-row">
        <button type="button" class="button button--secondary" id="media-stop-waiting" disabled={busy} onClick={() => void stop()}>
          {t('media.stop_waiting')}
        </button>
      </div>
    </section>
  );
}

/** Why a refusal happened, in words (with the opening time when the meeting has not begun). */
export function joinProblemText(error: unknown): string {
  const code = mediaCode(error);
  if (code === 'meeting-not-open' && error instanceof Problem && typeof error.data.opens_at === 'string') {
    return t('media.opens_at', { time: formatDateTime(error.data.opens_at) });
  }
  if (code === 'janus') return t('media.janus_failed');
  return tMaybe(`problem.${code}`) ?? problemMessage(error);
}

function Ended({ view, roomId, onAgain }: { view: MeetingView; roomId: string; onAgain: () => void }) {
  const [failure] = useState<FormFailure | null>(() =>
    view.reason === 'problem' ? { ...failureFrom(view.problem), message: joinProblemText(view.problem) } : null,
  );
  const words: Record<string, [string, string]> = {
    left: [t('media.left_title'), t('media.left_text')],
    removed: [t('media.removed_title'), t('media.removed_text')],
    gone: [t('media.removed_title'), t('media.gone_text')],
    ended: [t('media.ended_title'), t('media.ended_text')],
    ended_by_host: [t('media.ended_title'), t('media.ended_by_host_text')],
    refused: [t('media.refused_title'), t('media.refused_text')],
    problem: [t('media.failed_title'), ''],
  };
  const [title, text] = words[view.reason ?? 'left'] ?? words.left!;
  const mayTryAgain = view.reason !== 'removed';
  return (
    <section class="card call-phase" aria-labelledby="media-ended-title" id="media-ended" data-reason={view.reason ?? ''}>
      <h2 id="media-ended-title">{title}</h2>
      {failure ? <ErrorSummary failure={failure} /> : <p role="status">{text}</p>}
      <div class="button-row">
        {mayTryAgain && (
          <button type="button" class="button" id="media-join-again" onClick={onAgain}>
            {view.reason === 'refused' ? t('media.ask_again') : view.reason === 'problem' ? t('common.retry') : t('media.join_again')}
          </button>
        )}
        <Link href={roomHref(roomId)} class="button button--secondary">
          {t('media.back_to_room')}
        </Link>
      </div>
    </section>
  );
}
