// The HTTP client for /api/v1: same-origin cookies, CSRF header on every change,
// RFC 9457 problems turned into `Problem` errors the pages can show.

export interface FieldProblem {
  field?: string;
  code?: string;
  message?: string;
  /** CSV import: 1-based data row the error belongs to. */
  row?: number;
}

/** An RFC 9457 problem (or a network failure dressed as one, slug `network`). */
export class Problem extends Error {
  readonly slug: string;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly errors: FieldProblem[];
  readonly requestId: string | null;
  readonly retryAfter: number | null;
  /** The whole problem document (extension members such as `received`). */
  readonly data: Record<string, unknown>;

  constructor(init: {
    slug: string;
    status: number;
    title?: string;
    detail?: string;
    errors?: FieldProblem[];
    requestId?: string | null;
    retryAfter?: number | null;
    data?: Record<string, unknown>;
  }) {
    super(init.detail || init.title || init.slug);
    this.name = 'Problem';
    this.slug = init.slug;
    this.status = init.status;
    this.title = init.title ?? '';
    this.detail = init.detail ?? '';
    this.errors = init.errors ?? [];
    this.requestId = init.requestId ?? null;
    this.retryAfter = init.retryAfter ?? null;
    this.data = init.data ?? {};
  }
}

/** `https://ratusha.eu/problems/login-failed` → `login-failed`. */
export function problemSlug(type: unknown): string {
  if (typeof type !== 'string' || type === '' || type === 'about:blank') return 'unknown';
  const cut = type.replace(/[?#].*$/, '').replace(/\/+$/, '');
  return cut.slice(cut.lastIndexOf('/') + 1) || 'unknown';
}

let csrfToken: string | null = null;
let acceptLanguage = 'bg';
let unauthenticatedHandler: (() => void) | null = null;
let forbiddenHandler: (() => void) | null = null;
/** Server clock minus client clock, in ms, from the `Date` header (for the idle timer). */
let clockSkewMs = 0;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}
export function setAcceptLanguage(locale: string): void {
  acceptLanguage = locale;
}
/** Called when an authenticated call answers `unauthenticated` (the session ended). */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler;
}
/** Called when an authenticated call answers `forbidden` (permissions may have changed). */
export function onForbidden(handler: () => void): void {
  forbiddenHandler = handler;
}
export function serverNow(): number {
  return Date.now() + clockSkewMs;
}

export interface RequestOptions {
  /** Raw body with its own content type (e.g. text/csv) instead of JSON. */
  raw?: { body: string; contentType: string };
  /** Do not report `unauthenticated` to the global handler (login, session probe). */
  quiet401?: boolean;
  /** Let the request outlive the page (leaving a video meeting on pagehide). */
  keepalive?: boolean;
}

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function request<T>(
  method: string,
  path: string,
  body?: unknown,
  options: RequestOptions = {},
): Promise<T> {
  const headers: Record<string, string> = {
    Accept: 'application/json, application/problem+json',
    'Accept-Language': acceptLanguage,
  };
  let payload: string | undefined;
  if (options.raw) {
    headers['Content-Type'] = options.raw.contentType;
    payload = options.raw.body;
  } else if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    payload = JSON.stringify(body);
  }
  if (MUTATING.has(method) && csrfToken) headers['X-CSRF-Token'] = csrfToken;

  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers,
      body: payload,
      credentials: 'same-origin',
      cache: 'no-store',
      keepalive: options.keepalive,
    });
  } catch (cause) {
    throw new Problem({ slug: 'network', status: 0, detail: String(cause) });
  }

  const date = response.headers.get('Date');
  if (date) {
    const server = Date.parse(date);
    if (!Number.isNaN(server)) clockSkewMs = server - Date.now();
  }

  if (response.ok) {
    if (response.status === 204) return undefined as T;
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  const problem = await readProblem(response);
  if (problem.slug === 'unauthenticated' && !options.quiet401 && unauthenticatedHandler) {
    unauthenticatedHandler();
  }
  if (problem.slug === 'forbidden' && forbiddenHandler) forbiddenHandler();
  throw problem;
}

async function readProblem(response: Response): Promise<Problem> {
  let text = '';
  try {
    text = await response.text();
  } catch {
    text = '';
  }
  return problemFrom(response.status, response.statusText, text, (name) => response.headers.get(name));
}

function problemFrom(
  status: number,
  statusText: string,
  text: string,
  header: (name: string) => string | null,
): Problem {
  const retry = header('Retry-After');
  const retryAfter = retry && /^\d+$/.test(retry) ? Number(retry) : null;
  const requestId = header('X-Request-Id');
  let data: Record<string, unknown> = {};
  try {
    if (text) data = JSON.parse(text) as Record<string, unknown>;
  } catch {
    data = {};
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) data = {};
  const fallback = statusSlug(status);
  const slug = data.type !== undefined ? problemSlug(data.type) : fallback;
  return new Problem({
    slug: slug === 'unknown' ? fallback : slug,
    status: typeof data.status === 'number' ? data.status : status,
    title: typeof data.title === 'string' ? data.title : statusText,
    detail: typeof data.detail === 'string' ? data.detail : '',
    errors: Array.isArray(data.errors) ? (data.errors as FieldProblem[]) : [],
    requestId: typeof data.request_id === 'string' ? data.request_id : requestId,
    retryAfter,
    data,
  });
}

function statusSlug(status: number): string {
  switch (status) {
    case 400: return 'malformed-json';
    case 401: return 'unauthenticated';
    case 403: return 'forbidden';
    case 404: return 'not-found';
    case 409: return 'conflict';
    case 413: return 'payload-too-large';
    case 415: return 'unsupported-media-type';
    case 422: return 'validation';
    case 429: return 'rate-limited';
    default: return status >= 500 ? 'server' : 'unknown';
  }
}

export const api = {
  get: <T>(path: string, options?: RequestOptions) => request<T>('GET', path, undefined, options),
  post: <T>(path: string, body?: unknown, options?: RequestOptions) =>
    request<T>('POST', path, body, options),
  patch: <T>(path: string, body?: unknown) => request<T>('PATCH', path, body),
  put: <T>(path: string, body?: unknown) => request<T>('PUT', path, body),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, body),
};

/** Builds `?a=1&b=2`, leaving out empty values. */
export function query(params: Record<string, string | number | null | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== null && value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

export interface SendOptions {
  /** Extra request headers (e.g. `Upload-Offset`). */
  headers?: Record<string, string>;
  /** Bytes of the body sent so far, from the browser's upload progress events. */
  onProgress?: (sent: number, total: number) => void;
  /** Aborting rejects with a Problem of slug `aborted`. */
  signal?: AbortSignal;
}

/**
 * Sends raw bytes (a file or a slice of one) with XMLHttpRequest, which, unlike fetch, reports
 * upload progress. Same cookie, CSRF header and problem handling as `request`.
 */
export function sendBytes<T>(method: string, path: string, body: Blob, options: SendOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    if (options.signal?.aborted) {
      reject(new Problem({ slug: 'aborted', status: 0 }));
      return;
    }
    const xhr = new XMLHttpRequest();
    xhr.open(method, `/api/v1${path}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('Accept', 'application/json, application/problem+json');
    xhr.setRequestHeader('Accept-Language', acceptLanguage);
    xhr.setRequestHeader('Content-Type', 'application/octet-stream');
    if (MUTATING.has(method) && csrfToken) xhr.setRequestHeader('X-CSRF-Token', csrfToken);
    for (const [name, value] of Object.entries(options.headers ?? {})) xhr.setRequestHeader(name, value);
    const onAbort = () => xhr.abort();
    options.signal?.addEventListener('abort', onAbort);
    const done = () => options.signal?.removeEventListener('abort', onAbort);
    if (options.onProgress) {
      const report = options.onProgress;
      xhr.upload.addEventListener('progress', (event) => report(event.loaded, event.lengthComputable ? event.total : body.size));
    }
    xhr.addEventListener('load', () => {
      done();
      const date = xhr.getResponseHeader('Date');
      if (date) {
        const server = Date.parse(date);
        if (!Number.isNaN(server)) clockSkewMs = server - Date.now();
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        try {
          resolve((xhr.responseText ? JSON.parse(xhr.responseText) : undefined) as T);
        } catch (cause) {
          reject(new Problem({ slug: 'server', status: xhr.status, detail: String(cause) }));
        }
        return;
      }
      const problem = problemFrom(xhr.status, xhr.statusText, xhr.responseText, (name) => xhr.getResponseHeader(name));
      if (problem.slug === 'unauthenticated' && unauthenticatedHandler) unauthenticatedHandler();
      if (problem.slug === 'forbidden' && forbiddenHandler) forbiddenHandler();
      reject(problem);
    });
    xhr.addEventListener('error', () => {
      done();
      reject(new Problem({ slug: 'network', status: 0 }));
    });
    xhr.addEventListener('timeout', () => {
      done();
      reject(new Problem({ slug: 'network', status: 0 }));
    });
    xhr.addEventListener('abort', () => {
      done();
      reject(new Problem({ slug: 'aborted', status: 0 }));
    });
    xhr.send(body);
  });
}
