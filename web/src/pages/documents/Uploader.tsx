// Choosing or dropping files, and a list of them with a progress bar each. One file is sent at
// a time; a failed one can be tried again (a large one resumes where the server stopped).
import { useEffect, useRef, useState } from 'preact/hooks';
import { Problem } from '../../lib/api';
import { discardUpload, formatBytes, newResumeState, RESUMABLE_FROM, uploadFile, type ResumeState } from '../../lib/documents';
import { fieldMessage, problemMessage } from '../../lib/forms';
import { formatNumber, t, tPlural } from '../../lib/i18n';
import type { DocNode } from '../../lib/types';

type ItemState = 'queued' | 'uploading' | 'done' | 'failed' | 'cancelled';

interface Item {
  key: number;
  file: File;
  name: string;
  state: ItemState;
  sent: number;
  message: string;
  resume: ResumeState;
  result: DocNode | null;
}

let nextKey = 1;

interface UploaderProps {
  /** The folder the files go into. */
  folderId: string;
  /** Every file is stored under this name (a new version of one file) instead of its own. */
  fixedName?: string;
  /** Prefix of element ids (two uploaders never share a page, but be safe). */
  id: string;
  label: string;
  hint?: string;
  onUploaded: (node: DocNode) => void;
}

export function Uploader({ folderId, fixedName, id, label, hint, onUploaded }: UploaderProps) {
  const [items, setItems] = useState<Item[]>([]);
  const [dragging, setDragging] = useState(false);
  const [announcement, setAnnouncement] = useState('');
  const controller = useRef<AbortController | null>(null);
  const inputRef = useRef<HTMLInputElement>(null);
  const multiple = fixedName === undefined;

  const update = (key: number, change: Partial<Item>) =>
    setItems((old) => old.map((item) => (item.key === key ? { ...item, ...change } : item)));

  const add = (files: FileList | File[] | null) => {
    const list = [...(files ?? [])];
    if (list.length === 0) return;
    const chosen = multiple ? list : list.slice(0, 1);
    setItems((old) => [
      ...old.filter((i) => i.state !== 'done' && i.state !== 'cancelled'),
      ...chosen.map((file) => ({
        key: nextKey++,
        file,
        name: fixedName ?? file.name,
        state: 'queued' as const,
        sent: 0,
        message: '',
        resume: newResumeState(),
        result: null,
      })),
    ]);
    setAnnouncement(tPlural('docs.upload.queued', chosen.length));
  };

  // The queue: whenever nothing is being sent, start the next waiting file.
  useEffect(() => {
    if (items.some((i) => i.state === 'uploading')) return;
    const next = items.find((i) => i.state === 'queued');
    if (!next) return;
    const abort = new AbortController();
    controller.current = abort;
    update(next.key, { state: 'uploading', message: '' });
    uploadFile(folderId, next.file, next.name, {
      signal: abort.signal,
      resume: next.resume,
      onProgress: (sent) => update(next.key, { sent }),
    })
      .then((node) => {
        update(next.key, { state: 'done', sent: next.file.size, result: node });
        setAnnouncement(
          node.version > 1
            ? t('docs.upload.done_version', { name: node.name, version: formatNumber(node.version) })
            : t('docs.upload.done', { name: node.name }),
        );
        onUploaded(node);
      })
      .catch((error: unknown) => {
        if (error instanceof Problem && error.slug === 'aborted') {
          update(next.key, { state: 'cancelled', message: t('docs.upload.cancelled') });
          return;
        }
        const problem = error instanceof Problem ? error : null;
        const fields = (problem?.errors ?? []).map((e) => fieldMessage(e.field ?? '', e.code, e.message));
        const message = [problemMessage(error), ...fields].join(' ');
        // The largest size allowed is in the server's words.
        const detail = problem && problem.detail && problem.status === 413 ? ` ${problem.detail}` : '';
        update(next.key, { state: 'failed', message: message + detail });
        setAnnouncement(t('docs.upload.failed', { name: next.name, message: message + detail }));
      });
  }, [items, folderId]);

  // Leaving the page stops what is being sent.
  useEffect(() => () => controller.current?.abort(), []);

  const cancel = (item: Item) => {
    if (item.state === 'uploading') controller.current?.abort();
    else update(item.key, { state: 'cancelled', message: t('docs.upload.cancelled') });
    void discardUpload(item.resume);
  };

  const retry = (item: Item) => update(item.key, { state: 'queued', message: '' });

  const active = items.filter((i) => i.state === 'queued' || i.state === 'uploading').length;

  return (
    <div class="uploader">
      <div
        class={`dropzone${dragging ? ' dropzone--active' : ''}`}
        onDragEnter={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragOver={(e) => {
          e.preventDefault();
          if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
          setDragging(true);
        }}
        onDragLeave={(e) => {
          if (!(e.currentTarget as HTMLElement).contains(e.relatedTarget as Node | null)) setDragging(false);
        }}
        onDrop={(e) => {
          e.preventDefault();
          setDragging(false);
          add(e.dataTransfer?.files ?? null);
        }}
      >
        <svg class="dropzone__icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path d="M12 16V4m0 0l-4.5 4.5M12 4l4.5 4.5M4 15v3a2 2 0 0 0 2 2h12a2 2 0 0 0 2-2v-3" />
        </svg>
        <p class="dropzone__text" aria-hidden="true">
          {multiple ? t('docs.upload.drop') : t('docs.upload.drop_one')}
        </p>
        <div class="field dropzone__field">
          <label for={`${id}-input`}>{label}</label>
          {hint && (
            <p class="field__hint" id={`${id}-hint`}>
              {hint}
            </p>
          )}
          <input
            ref={inputRef}
            id={`${id}-input`}
            type="file"
            class="input input--file"
            multiple={multiple}
            aria-describedby={hint ? `${id}-hint` : undefined}
            onChange={(e) => {
              const input = e.currentTarget as HTMLInputElement;
              add(input.files);
              input.value = '';
            }}
          />
        </div>
      </div>
      <div role="status" class="visually-hidden" id={`${id}-status`}>
        {announcement}
      </div>
      {items.length > 0 && (
        <section class="uploads" aria-labelledby={`${id}-list-title`}>
          <h3 id={`${id}-list-title`} class="uploads__title">
            {active > 0 ? tPlural('docs.upload.in_progress', active) : t('docs.upload.list')}
          </h3>
          <ul class="uploads__list">
            {items.map((item) => {
              const total = item.file.size;
              const percent = total > 0 ? Math.min(100, Math.floor((item.sent / total) * 100)) : item.state === 'done' ? 100 : 0;
              const progressId = `${id}-progress-${item.key}`;
              return (
                <li key={item.key} class={`upload upload--${item.state}`} data-upload-state={item.state}>
                  <div class="upload__head">
                    <label for={progressId} class="upload__name">
                      {item.name}
                    </label>
                    <span class="upload__size">{formatBytes(total)}</span>
                  </div>
                  <progress id={progressId} class="upload__bar" max={100} value={item.state === 'done' ? 100 : percent}>
                    {percent} %
                  </progress>
                  <p class="upload__state">
                    {item.state === 'queued' && t('docs.upload.waiting')}
                    {item.state === 'uploading' &&
                      t('docs.upload.progress', {
                        percent: formatNumber(percent),
                        sent: formatBytes(item.sent),
                        total: formatBytes(total),
                      })}
                    {item.state === 'done' &&
                      (item.result && item.result.version > 1
                        ? t('docs.upload.state_version', { version: formatNumber(item.result.version) })
                        : t('docs.upload.state_done'))}
                    {(item.state === 'failed' || item.state === 'cancelled') && (
                      <span class={item.state === 'failed' ? 'field__error' : undefined}>{item.message}</span>
                    )}
                    {item.state === 'uploading' && total > RESUMABLE_FROM && (
                      <span class="table__sub">{t('docs.upload.resumable')}</span>
                    )}
                  </p>
                  {(item.state === 'queued' || item.state === 'uploading' || item.state === 'failed') && (
                    <div class="table__buttons">
                      {item.state === 'failed' && (
                        <button type="button" class="button button--small" onClick={() => retry(item)}>
                          {item.resume.uploadId ? t('docs.upload.resume') : t('common.retry')}
                          <span class="visually-hidden"> — {item.name}</span>
                        </button>
                      )}
                      <button type="button" class="button button--small button--secondary" onClick={() => cancel(item)}>
                        {t('common.cancel')}
                        <span class="visually-hidden"> — {item.name}</span>
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
        </section>
      )}
    </div>
  );
}
