// Administration → Video and audio: each media server (Janus instance) as the server last saw it
// — up or down (in words, not colour alone), its version, live rooms and participants (from
// Ratusha's records), Janus sessions and the bitrates it receives and sends (from its Admin
// API), how often its rooms were found gone, and the problem when there is one; below, each
// connection with whose it is and its bitrates. Read again every 10 s while the page is visible.
// Deliberately without lib/media.ts: that one brings janus-gateway along.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorSummary } from '../../components/ErrorSummary';
import { PageTitle } from '../../components/Layout';
import { api, Problem } from '../../lib/api';
import { failureFrom, problemMessage, type FormFailure } from '../../lib/forms';
import { formatNumber, intlTag, t, tPlural } from '../../lib/i18n';

interface MediaConnection {
  display_name: string;
  room_name: string;
  kind: string;
  in_kbps: number;
  out_kbps: number;
}

interface MediaInstance {
  name: string;
  api_url: string;
  up: boolean;
  version: string;
  problem: string;
  rooms: number;
  participants: number;
  sessions: number;
  restarts: number;
  in_kbps: number;
  out_kbps: number;
  connections: MediaConnection[];
}

interface MediaStatus {
  available: boolean;
  instances: MediaInstance[];
}

const REFRESH_MS = 10_000;

/** Tolerant of missing members, like the call page's reading of the live state. */
function readStatus(data: unknown): MediaStatus {
  const d = (data && typeof data === 'object' ? data : {}) as Record<string, unknown>;
  const list = Array.isArray(d.instances) ? (d.instances as Record<string, unknown>[]).filter((x) => x && typeof x === 'object') : [];
  const text = (v: unknown) => (typeof v === 'string' ? v : '');
  const count = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
  const objects = (v: unknown) => (Array.isArray(v) ? (v as Record<string, unknown>[]).filter((x) => x && typeof x === 'object') : []);
  return {
    available: d.available === true,
    instances: list.map((i) => ({
      name: text(i.name),
      api_url: text(i.api_url),
      up: i.up === true,
      version: text(i.version),
      problem: text(i.problem),
      rooms: count(i.rooms),
      participants: count(i.participants),
      sessions: count(i.sessions),
      restarts: count(i.restarts),
      in_kbps: count(i.in_kbps),
      out_kbps: count(i.out_kbps),
      connections: objects(i.connections)
        .map((c) => ({ display_name: text(c.display_name), room_name: text(c.room_name), kind: text(c.kind), in_kbps: count(c.in_kbps), out_kbps: count(c.out_kbps) }))
        .sort((a, b) => a.room_name.localeCompare(b.room_name) || a.display_name.localeCompare(b.display_name) || a.kind.localeCompare(b.kind)),
    })),
  };
}

const kbps = (value: number) => t('mediastatus.kbps', { value: formatNumber(value) });
const kindText = (kind: string) => (kind === 'publisher' || kind === 'subscriber' ? t(`mediastatus.kind.${kind}`) : kind || '—');

const timeOf = (date: Date) => date.toLocaleTimeString(intlTag(), { hour: '2-digit', minute: '2-digit', second: '2-digit' });

export function MediaStatusPage() {
  const [status, setStatus] = useState<MediaStatus | null>(null);
  const [updated, setUpdated] = useState<Date | null>(null);
  /** The first reading failed: the summary (it takes the focus once) and "Try again". */
  const [failure, setFailure] = useState<FormFailure | null>(null);
  /** A later reading failed: said quietly beside the last good table. */
  const [stale, setStale] = useState('');
  const [forbidden, setForbidden] = useState(false);
  const seq = useRef(0);
  const shown = useRef(false);

  const load = async () => {
    const mine = ++seq.current;
    try {
      const data = readStatus(await api.get<unknown>('/media/status'));
      if (mine !== seq.current) return;
      shown.current = true;
      setStatus(data);
      setUpdated(new Date());
      setFailure(null);
      setStale('');
    } catch (error) {
      if (mine !== seq.current) return;
      if (error instanceof Problem && error.status === 403) setForbidden(true);
      else if (shown.current) setStale(problemMessage(error));
      else setFailure((old) => old ?? failureFrom(error));
    }
  };

  // Every 10 s while the page is visible; at once when it becomes visible again.
  useEffect(() => {
    if (forbidden) return;
    let timer: number | undefined;
    const run = () => {
      window.clearInterval(timer);
      timer = undefined;
      if (document.visibilityState !== 'visible') return;
      void load();
      timer = window.setInterval(() => void load(), REFRESH_MS);
    };
    run();
    document.addEventListener('visibilitychange', run);
    return () => {
      window.clearInterval(timer);
      document.removeEventListener('visibilitychange', run);
    };
  }, [forbidden]);

  if (forbidden) {
    return (
      <>
        <PageTitle title={t('mediastatus.title')} />
        <div class="notice notice--warning" id="media-status-forbidden">
          <p>{t('mediastatus.forbidden')}</p>
        </div>
      </>
    );
  }

  const instances = status?.instances ?? [];
  const down = instances.filter((i) => !i.up).length;
  return (
    <>
      <PageTitle title={t('mediastatus.title')} />
      <p class="lead">{t('mediastatus.intro')}</p>
      <section class="card" aria-labelledby="media-status-list-title">
        <h2 id="media-status-list-title">{t('mediastatus.instances')}</h2>
        <ErrorSummary failure={failure} />
        {failure && !status && (
          <p>
            <button type="button" class="button" onClick={() => (setFailure(null), void load())}>
              {t('common.retry')}
            </button>
          </p>
        )}
        {!status && !failure && <p role="status">{t('common.loading')}</p>}
        {status && (
          <>
            {!status.available && (
              <div class="notice notice--warning" id="media-status-off">
                <p>{t('mediastatus.off')}</p>
              </div>
            )}
            {status.available && down > 0 && (
              <div class="notice notice--warning" id="media-status-down">
                <p>{tPlural('mediastatus.down_count', down)}</p>
              </div>
            )}
            {stale && (
              <div class="notice notice--warning" id="media-status-stale">
                <p>{t('mediastatus.stale', { problem: stale, time: updated ? timeOf(updated) : '' })}</p>
              </div>
            )}
            <p class="muted" id="media-status-updated">
              {updated && t('mediastatus.updated', { time: timeOf(updated) })}
            </p>
            {instances.length === 0 ? (
              <p>{t('mediastatus.none')}</p>
            ) : (
              <div class="table-wrap" role="region" aria-labelledby="media-status-list-title" tabIndex={0}>
                <table class="table" id="media-status-table">
                  <caption class="visually-hidden">{t('mediastatus.instances')}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('mediastatus.name')}</th>
                      <th scope="col">{t('mediastatus.state')}</th>
                      <th scope="col">{t('mediastatus.version')}</th>
                      <th scope="col">{t('mediastatus.rooms')}</th>
                      <th scope="col">{t('mediastatus.participants')}</th>
                      <th scope="col">{t('mediastatus.sessions')}</th>
                      <th scope="col">{t('mediastatus.receives')}</th>
                      <th scope="col">{t('mediastatus.sends')}</th>
                      <th scope="col">{t('mediastatus.restarts')}</th>
                      <th scope="col">{t('mediastatus.problem')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {instances.map((i) => (
                      <tr key={i.name} data-instance={i.name} data-up={i.up ? 'true' : 'false'}>
                        <th scope="row">
                          {i.name}
                          {i.api_url && <code class="table__sub">{i.api_url}</code>}
                        </th>
                        <td>
                          <span class={`badge badge--${i.up ? 'ok' : 'declined'}`}>{i.up ? t('mediastatus.up') : t('mediastatus.down')}</span>
                        </td>
                        <td>{i.version || '—'}</td>
                        <td>{formatNumber(i.rooms)}</td>
                        <td>{formatNumber(i.participants)}</td>
                        <td>{i.up ? formatNumber(i.sessions) : '—'}</td>
                        <td data-kbps="in">{i.up ? kbps(i.in_kbps) : '—'}</td>
                        <td data-kbps="out">{i.up ? kbps(i.out_kbps) : '—'}</td>
                        <td>{formatNumber(i.restarts)}</td>
                        <td>{i.problem || '—'}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
      </section>
      {instances.some((i) => i.up && i.connections.length > 0) && (
        <section class="card" aria-labelledby="media-status-connections-title" id="media-status-connections">
          <h2 id="media-status-connections-title">{t('mediastatus.connections')}</h2>
          <p class="muted">{t('mediastatus.connections_intro')}</p>
          {instances
            .filter((i) => i.up && i.connections.length > 0)
            .map((i) => (
              <div class="table-wrap" role="region" aria-label={i.name} tabIndex={0} key={i.name}>
                <table class="table" data-instance={i.name}>
                  <caption>{i.name}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t('mediastatus.person')}</th>
                      <th scope="col">{t('mediastatus.room')}</th>
                      <th scope="col">{t('mediastatus.kind')}</th>
                      <th scope="col">{t('mediastatus.receives')}</th>
                      <th scope="col">{t('mediastatus.sends')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {i.connections.map((c, n) => (
                      <tr key={n} data-kind={c.kind}>
                        <th scope="row">{c.display_name || t('mediastatus.unknown')}</th>
                        <td>{c.room_name || '—'}</td>
                        <td>{kindText(c.kind)}</td>
                        <td data-kbps="in">{kbps(c.in_kbps)}</td>
                        <td data-kbps="out">{kbps(c.out_kbps)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
        </section>
      )}
    </>
  );
}
