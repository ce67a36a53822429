// Documents: addresses of the API, sizes people can read, and uploads (one request with
// progress for small files; the resumable upload API in chunks for large ones, which carries
// on from what the server has after a lost connection).
import { api, Problem, sendBytes } from './api';
import { formatNumber, t, tMaybe } from './i18n';
import type { DocNode, DocRight, DocSpace, SpaceKind, UploadSession } from './types';

/** Files larger than this go through the resumable upload API. */
export const RESUMABLE_FROM = 8 * 1024 * 1024;
/** Chunk size when the server does not say. */
const DEFAULT_CHUNK = 4 * 1024 * 1024;
/** Attempts per chunk after network or server failures before the upload stops (resumable later). */
const CHUNK_ATTEMPTS = 5;

const enc = encodeURIComponent;

export const docPaths = {
  node: (id: string) => `/documents/nodes/${enc(id)}`,
  children: (id: string) => `/documents/nodes/${enc(id)}/children`,
  content: (id: string, opts: { version?: number; inline?: boolean } = {}) => {
    const params = new URLSearchParams();
    if (opts.version !== undefined) params.set('version', String(opts.version));
    if (opts.inline) params.set('inline', '1');
    const q = params.toString();
    return `/api/v1/documents/nodes/${enc(id)}/content${q ? `?${q}` : ''}`;
  },
};

/** The page of a node in this app. */
export const nodeHref = (id: string) => `/documents/n/${enc(id)}`;

export function canEdit(right: DocRight): boolean {
  return right === 'edit' || right === 'manage';
}

/** 1536 → "1,5 KB" in the reader's language (binary multiples, as file managers do). */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  const units = ['b', 'kb', 'mb', 'gb', 'tb'] as const;
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const n = unit === 0 ? formatNumber(value) : formatNumber(Math.round(value * 10) / 10);
  return t(`docs.size.${units[unit]!}`, { n });
}

const SPACE_ORDER: Record<SpaceKind, number> = { personal: 0, unit: 1, body: 2, meeting: 3, sitting: 4, item: 5 };

/** My personal space first, then unit spaces, then the others; by name within each kind. */
export function sortSpaces(spaces: DocSpace[]): DocSpace[] {
  return [...spaces].sort(
    (a, b) => (SPACE_ORDER[a.kind] ?? 9) - (SPACE_ORDER[b.kind] ?? 9) || a.name.localeCompare(b.name),
  );
}

export function spaceKindLabel(kind: string): string {
  return tMaybe(`docs.space_kind.${kind}`) ?? kind;
}

export function rightLabel(right: string): string {
  return tMaybe(`docs.right.${right}`) ?? right;
}

export type FileKind = 'folder' | 'pdf' | 'image' | 'text' | 'document' | 'spreadsheet' | 'presentation' | 'archive' | 'file';

/** What sort of thing a node is, for its icon and the words next to it. */
export function fileKind(node: Pick<DocNode, 'kind' | 'content_type' | 'name'>): FileKind {
  if (node.kind === 'folder') return 'folder';
  const type = (node.content_type || '').toLowerCase();
  const ext = node.name.includes('.') ? node.name.slice(node.name.lastIndexOf('.') + 1).toLowerCase() : '';
  if (type === 'application/pdf' || ext === 'pdf') return 'pdf';
  if (type.startsWith('image/')) return 'image';
  if (type.startsWith('text/') || ext === 'txt' || ext === 'csv' || ext === 'md') return 'text';
  if (/spreadsheet|excel/.test(type) || ['xlsx', 'xls', 'ods'].includes(ext)) return 'spreadsheet';
  if (/presentation|powerpoint/.test(type) || ['pptx', 'ppt', 'odp'].includes(ext)) return 'presentation';
  if (/wordprocessing|msword|opendocument\.text|rtf/.test(type) || ['docx', 'doc', 'odt', 'rtf'].includes(ext)) return 'document';
  if (/zip|x-7z|x-tar|gzip|x-rar/.test(type) || ['zip', '7z', 'tar', 'gz', 'rar'].includes(ext)) return 'archive';
  return 'file';
}

export function fileKindLabel(kind: FileKind): string {
  return t(`docs.filekind.${kind}`);
}

/** Which preview the file page can show. */
export function previewKind(node: DocNode): 'pdf' | 'image' | 'text' | null {
  const type = (node.content_type || '').toLowerCase().split(';')[0]!.trim();
  if (type === 'application/pdf') return 'pdf';
  if (['image/png', 'image/jpeg', 'image/gif', 'image/webp'].includes(type)) return 'image';
  if (type === 'text/plain') return 'text';
  return null;
}

// ---------------------------------------------------------------- uploads

/** Where a resumable upload stands; kept by the caller so that "Resume" can continue it. */
export interface ResumeState {
  uploadId: string | null;
  received: number;
  chunkSize: number;
}

export function newResumeState(): ResumeState {
  return { uploadId: null, received: 0, chunkSize: DEFAULT_CHUNK };
}

export interface UploadOptions {
  onProgress: (sent: number, total: number) => void;
  signal: AbortSignal;
  resume: ResumeState;
}

const sleep = (ms: number, signal: AbortSignal) =>
  new Promise<void>((resolve, reject) => {
    const timer = window.setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        window.clearTimeout(timer);
        reject(new Problem({ slug: 'aborted', status: 0 }));
      },
      { once: true },
    );
  });

/** Network trouble or a server failure: worth trying the same chunk again. */
function transient(error: unknown): boolean {
  return error instanceof Problem && (error.slug === 'network' || error.status >= 500 || error.status === 408);
}

/**
 * Uploads `file` as `name` into the folder: a new file, or a new version of the file of that
 * name. Resolves with the node the server answers.
 */
export async function uploadFile(folderId: string, file: Blob, name: string, options: UploadOptions): Promise<DocNode> {
  const { onProgress, signal, resume } = options;
  if (file.size <= RESUMABLE_FROM && resume.uploadId === null) {
    return sendBytes<DocNode>('POST', `/documents/nodes/${enc(folderId)}/files?name=${enc(name)}`, file, {
      onProgress,
      signal,
    });
  }

  if (resume.uploadId === null) {
    const session = await api.post<UploadSession>('/documents/uploads', { folder_id: folderId, name, size: file.size });
    resume.uploadId = session.id;
    resume.received = session.received ?? 0;
    if (session.chunk_size && session.chunk_size > 0) resume.chunkSize = session.chunk_size;
  } else {
    // Resuming: the server knows how much arrived.
    const session = await api.get<UploadSession>(`/documents/uploads/${enc(resume.uploadId)}`);
    resume.received = session.received;
  }
  const id = resume.uploadId!;
  onProgress(resume.received, file.size);

  let failures = 0;
  while (resume.received < file.size) {
    const start = resume.received;
    const end = Math.min(file.size, start + resume.chunkSize);
    try {
      const answer = await sendBytes<UploadSession>('PATCH', `/documents/uploads/${enc(id)}`, file.slice(start, end), {
        headers: { 'Upload-Offset': String(start) },
        onProgress: (sent) => onProgress(start + sent, file.size),
        signal,
      });
      resume.received = typeof answer?.received === 'number' ? answer.received : end;
      failures = 0;
    } catch (error) {
      if (error instanceof Problem && error.status === 409 && typeof error.data.received === 'number') {
        // The server has a different amount than we thought: continue from there.
        resume.received = error.data.received;
        continue;
      }
      if (!transient(error) || ++failures >= CHUNK_ATTEMPTS) throw error;
      await sleep(1000 * 2 ** (failures - 1), signal);
      try {
        const session = await api.get<UploadSession>(`/documents/uploads/${enc(id)}`);
        resume.received = session.received;
      } catch (again) {
        if (!transient(again)) throw again;
      }
    }
    onProgress(resume.received, file.size);
  }
  const node = await api.post<DocNode>(`/documents/uploads/${enc(id)}/complete`);
  resume.uploadId = null;
  return node;
}

/** Gives up a resumable upload on the server (what arrived is thrown away). */
export async function discardUpload(resume: ResumeState): Promise<void> {
  if (resume.uploadId === null) return;
  const id = resume.uploadId;
  resume.uploadId = null;
  resume.received = 0;
  try {
    await api.delete(`/documents/uploads/${enc(id)}`);
  } catch {
    /* it expires on the server anyway */
  }
}
