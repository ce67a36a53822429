// Who is in the meeting (names from Ratusha's live state, never from Janus), and for hosts:
// mute a microphone, stop a camera, remove someone (after a confirmation), lock the meeting,
// record it (after a confirmation that everyone will see it; stopping needs none) and see the
// room's recordings, end it for everyone (after a confirmation), and let in or refuse those
// waiting in the lobby.
import { useState } from 'preact/hooks';
import { Dialog } from '../../components/Dialog';
import { ErrorSummary } from '../../components/ErrorSummary';
import { failureFrom, type FormFailure } from '../../lib/forms';
import { formatDateTime, t } from '../../lib/i18n';
import { mediaApi, type MediaKind, type MediaLive, type MediaParticipant, type MeetingConnection } from '../../lib/media';
import { Icon } from './av';
import { RecordingList } from './Recordings';

export function Participants({
  connection,
  live,
  people,
  me,
  recordingsVersion,
  onSay,
  onClose,
}: {
  connection: MeetingConnection;
  live: MediaLive | null;
  /** Grows when the room's recordings may have changed. */
  recordingsVersion: number;
  /** The live list, one entry per person. */
  people: MediaParticipant[];
  me: number | null;
  onSay: (text: string) => void;
  onClose: () => void;
}) {
  const [failure, setFailure] = useState<FormFailure | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [removing, setRemoving] = useState<MediaParticipant | null>(null);
  const [ending, setEnding] = useState(false);
  const [recordAsk, setRecordAsk] = useState(false);
  const roomId = connection.roomId;
  const host = live?.host ?? false;

  /** One host action: busy while it runs, the live state read again, a word said. */
  const act = async (key: string, run: () => Promise<void>, done: string) => {
    setBusy(key);
    try {
      await run();
      setFailure(null);
      onSay(done);
      connection.refreshLive();
      return true;
    } catch (error) {
      setFailure(failureFrom(error));
      return false;
    } finally {
      setBusy(null);
    }
  };
  /** Recording on (after the dialog) or off; a refusal (409: already on, off, nobody there…) shows the truth again. */
  const record = async (on: boolean) => {
    const done = await act('record', () => mediaApi.recording(roomId, on).then(() => undefined), t(on ? 'media.said.recording_on' : 'media.said.recording_off'));
    if (!done) connection.refreshLive();
    return done;
  };
  const mute = (p: MediaParticipant, kind: MediaKind, muted: boolean) =>
    void act(
      `${p.id}-${kind}`,
      () => mediaApi.mute(roomId, p.id, kind, muted),
      t(kind === 'audio' ? (muted ? 'media.said.muted_mic' : 'media.said.allowed_mic') : muted ? 'media.said.stopped_camera' : 'media.said.allowed_camera', {
        name: p.display_name,
      }),
    );

  return (
    <section
      class="card call-panel"
      id="media-participants-panel"
      aria-labelledby="media-participants-title"
      onKeyDown={(e) => {
        if (e.key === 'Escape' && !removing && !ending && !recordAsk) {
          e.stopPropagation();
          onClose();
        }
      }}
    >
      <h2 id="media-participants-title" tabIndex={-1}>
        {t('media.participants_title', { count: people.length })}
      </h2>
      {/* While a dialog is open the page behind it is inert: the dialog shows the failure. */}
      {!removing && !ending && !recordAsk && <ErrorSummary failure={failure} />}
      {host && live && (
        <div class="call-panel__group" id="media-host-tools">
          <h3>{t('media.host_tools')}</h3>
          <p>{live.locked ? t('media.locked_text') : t('media.unlocked_text')}</p>
          <div class="button-row button-row--tight">
            <button
              type="button"
              class="button button--secondary button--small"
              id="media-lock"
              aria-pressed={live.locked ? 'true' : 'false'}
              disabled={busy === 'lock'}
              onClick={() => void act('lock', () => mediaApi.lock(roomId, !live.locked), t(live.locked ? 'media.said.unlocked' : 'media.said.locked'))}
            >
              {t('media.lock')}
            </button>
            <button type="button" class="button button--danger button--small" id="media-end" onClick={() => (setFailure(null), setEnding(true))}>
              {t('media.end')}
            </button>
          </div>
          <p id="media-record-state">{live.recording ? t('media.record_on_text') : t('media.record_off_text')}</p>
          <div class="button-row button-row--tight">
            <button
              type="button"
              class="button button--secondary button--small"
              id="media-record"
              aria-pressed={live.recording ? 'true' : 'false'}
              aria-describedby="media-record-state"
              disabled={busy === 'record'}
              onClick={() => {
                setFailure(null);
                if (live.recording) void record(false);
                else setRecordAsk(true);
              }}
            >
              <span class="call-recording__dot" aria-hidden="true" />
              {t('media.record')}
            </button>
          </div>
        </div>
      )}
      {host && live && <RecordingList roomId={roomId} version={recordingsVersion} />}
      {host && live && (live.lobby || live.waiting.length > 0) && (
        <div class="call-panel__group" id="media-lobby-list">
          <h3>{t('media.lobby_title', { count: live.waiting.length })}</h3>
          {live.waiting.length === 0 ? (
            <p class="muted">{t('media.lobby_none')}</p>
          ) : (
            <ul class="call-people">
              {live.waiting.map((w) => (
                <li key={w.person_id} data-person-id={w.person_id}>
                  <span class="call-people__name">
                    {w.display_name}
                    {w.asked_at && <span class="table__sub">{t('media.waiting_since', { time: formatDateTime(w.asked_at) })}</span>}
                  </span>
                  <span class="button-row button-row--tight">
                    <button
                      type="button"
                      class="button button--small"
                      disabled={busy === `lobby-${w.person_id}`}
                      onClick={() => void act(`lobby-${w.person_id}`, () => mediaApi.lobby(roomId, w.person_id, true), t('media.said.admitted', { name: w.display_name }))}
                    >
                      {t('media.admit')}
                      <span class="visually-hidden"> — {w.display_name}</span>
                    </button>
                    <button
                      type="button"
                      class="button button--small button--secondary"
                      disabled={busy === `lobby-${w.person_id}`}
                      onClick={() => void act(`lobby-${w.person_id}`, () => mediaApi.lobby(roomId, w.person_id, false), t('media.said.refused', { name: w.display_name }))}
                    >
                      {t('media.refuse')}
                      <span class="visually-hidden"> — {w.display_name}</span>
                    </button>
                  </span>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {live === null ? (
        <p role="status">{t('common.loading')}</p>
      ) : (
        <ul class="call-people" id="media-people">
          {people.map((p) => {
            const mine = p.id === me;
            return (
              <li key={p.id} data-participant-id={String(p.id)}>
                <span class="call-people__name">
                  {mine ? t('media.you_label', { name: p.display_name }) : p.display_name}
                  <span class="call-people__badges">
                    {p.host && <span class="badge badge--ok">{t('media.host')}</span>}
                    {p.hand_raised && (
                      <span class="badge badge--pending badge--hand">
                        <Icon name="hand" />
                        {t('media.hand_raised')}
                      </span>
                    )}
                    {p.sharing && (
                      <span class="badge badge--screen">
                        <Icon name="screen" />
                        {t('media.presenting')}
                      </span>
                    )}
                    {p.muted.audio && <span class="badge badge--muted">{t('media.muted_by_host')}</span>}
                    {p.muted.video && <span class="badge badge--muted">{t('media.camera_stopped')}</span>}
                  </span>
                </span>
                {host && !mine && (
                  <span class="button-row button-row--tight">
                    <button
                      type="button"
                      class="button button--small button--secondary"
                      disabled={busy === `${p.id}-audio`}
                      onClick={() => mute(p, 'audio', !p.muted.audio)}
                    >
                      {p.muted.audio ? t('media.allow_mic') : t('media.mute_mic')}
                      <span class="visually-hidden"> — {p.display_name}</span>
                    </button>
                    <button
                      type="button"
                      class="button button--small button--secondary"
                      disabled={busy === `${p.id}-video`}
                      onClick={() => mute(p, 'video', !p.muted.video)}
                    >
                      {p.muted.video ? t('media.allow_camera') : t('media.stop_camera')}
                      <span class="visually-hidden"> — {p.display_name}</span>
                    </button>
                    <button type="button" class="button button--small button--danger" onClick={() => (setFailure(null), setRemoving(p))}>
                      {t('media.remove')}
                      <span class="visually-hidden"> — {p.display_name}</span>
                    </button>
                  </span>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {removing && (
        <Dialog
          id="media-remove-dialog"
          title={t('media.remove_title', { name: removing.display_name })}
          describedBy="media-remove-text"
          onCancel={() => setRemoving(null)}
        >
          <ErrorSummary failure={failure} />
          <p id="media-remove-text">{t('media.remove_text')}</p>
          <div class="button-row">
            <button
              type="button"
              class="button button--danger"
              id="media-remove-confirm"
              disabled={busy === `remove-${removing.id}`}
              onClick={async () => {
                const who = removing;
                if (await act(`remove-${who.id}`, () => mediaApi.remove(roomId, who.id), t('media.said.removed', { name: who.display_name }))) setRemoving(null);
              }}
            >
              {t('media.remove_confirm')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setRemoving(null)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
      {recordAsk && (
        <Dialog id="media-record-dialog" title={t('media.record_title')} describedBy="media-record-text" onCancel={() => setRecordAsk(false)}>
          <ErrorSummary failure={failure} />
          <p id="media-record-text">{t('media.record_text')}</p>
          <div class="button-row">
            <button
              type="button"
              class="button"
              id="media-record-confirm"
              disabled={busy === 'record'}
              onClick={async () => {
                if (await record(true)) setRecordAsk(false);
              }}
            >
              {t('media.record_confirm')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setRecordAsk(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
      {ending && (
        <Dialog id="media-end-dialog" title={t('media.end_title')} describedBy="media-end-text" onCancel={() => setEnding(false)}>
          <ErrorSummary failure={failure} />
          <p id="media-end-text">{t('media.end_text')}</p>
          <div class="button-row">
            <button
              type="button"
              class="button button--danger"
              id="media-end-confirm"
              disabled={busy === 'end'}
              onClick={async () => {
                if (await act('end', () => mediaApi.end(roomId), t('media.ended_by_host_text'))) setEnding(false);
              }}
            >
              {t('media.end_confirm')}
            </button>
            <button type="button" class="button button--secondary" data-autofocus onClick={() => setEnding(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
