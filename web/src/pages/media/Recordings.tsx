// The room's recordings in the participants panel (hosts): whether each is being made, being
// processed, ready (a link to the WebM document, in a new tab so that the meeting goes on) or
// failed (and why). Read again when the meeting changes (`media.changed`), when one's own
// recording is done (`media.recording_ready` / `media.recording_failed` on person:<me>), and
// every few seconds while one is being processed (only its starter hears when it is done).
import { useEffect, useRef, useState } from 'preact/hooks';
import { formatBytes, nodeHref } from '../../lib/documents';
import { formatDateTime, t } from '../../lib/i18n';
import { mediaApi, type MediaRecording, type RecordingState } from '../../lib/media';

const PROCESSING_POLL_MS = 10_000;

const TONE: Record<RecordingState, string> = { recording: 'new', processing: 'pending', ready: 'ok', failed: 'declined' };

export function recordingStateLabel(state: RecordingState): string {
  return t(`media.recording_state.${state}`);
}

export function RecordingList({ roomId, version }: { roomId: string; version: number }) {
  const [items, setItems] = useState<MediaRecording[] | null>(null);
  const [failed, setFailed] = useState(false);
  const seq = useRef(0);

  const load = async () => {
    const mine = ++seq.current;
    try {
      const list = await mediaApi.recordings(roomId);
      if (mine !== seq.current) return;
      setItems(list);
      setFailed(false);
    } catch {
      if (mine === seq.current) setFailed(true);
    }
  };

  useEffect(() => {
    void load();
  }, [roomId, version]);

  // Only the starter hears when processing is over: the others look again now and then.
  const processing = items?.some((r) => r.state === 'processing') ?? false;
  useEffect(() => {
    if (!processing) return;
    const timer = window.setInterval(() => void load(), PROCESSING_POLL_MS);
    return () => window.clearInterval(timer);
  }, [processing, roomId]);

  return (
    <div class="call-panel__group" id="media-recordings">
      <h3 id="media-recordings-title">{t('media.recordings_title')}</h3>
      {failed && (
        <p class="notice notice--warning" id="media-recordings-failed">
          {t('media.recordings_failed')}{' '}
          <button type="button" class="button button--small button--secondary" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </p>
      )}
      {items === null ? (
        !failed && <p class="muted">{t('common.loading')}</p>
      ) : items.length === 0 ? (
        <p class="muted">{t('media.recordings_none')}</p>
      ) : (
        <ul class="call-people call-recordings" aria-labelledby="media-recordings-title">
          {items.map((r) => {
            const when = formatDateTime(r.started_at);
            return (
              <li key={r.id} data-recording-id={r.id} data-state={r.state}>
                <span class="call-recordings__text">
                  <span class={`badge badge--${TONE[r.state]}`}>{recordingStateLabel(r.state)}</span>{' '}
                  <span class="call-recordings__who">
                    {t('media.recording_by', { name: r.started_by.display_name || t('media.someone'), time: when })}
                  </span>
                  {r.stopped_at && <span class="table__sub">{t('media.recording_until', { time: formatDateTime(r.stopped_at) })}</span>}
                  {r.state === 'ready' && r.size !== null && <span class="table__sub">{formatBytes(r.size)}</span>}
                  {r.state === 'failed' && (
                    <span class="call-recordings__problem">{t('media.recording_problem', { problem: r.problem || t('problem.unknown') })}</span>
                  )}
                </span>
                {r.state === 'ready' && r.document_id && (
                  <a href={nodeHref(r.document_id)} class="button button--small button--secondary" target="_blank" rel="noopener">
                    {t('media.recording_open')}
                    <span class="visually-hidden">
                      {' '}
                      — {when} ({t('media.new_tab')})
                    </span>
                  </a>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
