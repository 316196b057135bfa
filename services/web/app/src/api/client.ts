import type { FieldError, Pagination, TokenResponse } from './types';
import { getSession, reloadSession, sessionFromTokens, setSession, type Session } from './session';

/** An error answered by the API (or a network failure, status 0). */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: FieldError[];
  readonly requestId?: string;
  readonly data?: unknown;

  constructor(status: number, code: string, message: string, details: FieldError[] = [], requestId?: string, data?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
    this.requestId = requestId;
    this.data = data;
  }

  /** Per-field messages, keyed by field name (first message wins). */
  fieldErrors(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const d of this.details) {
      if (d && d.field && !(d.field in out)) out[d.field] = d.message;
    }
    return out;
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError;
}

export interface ApiResult<T> {
  data: T;
  pagination?: Pagination;
  status: number;
}

export type Query = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  body?: unknown;
  query?: Query;
  headers?: Record<string, string>;
  /** 'auto' sends the token when logged in; 'none' never does. */
  auth?: 'auto' | 'none';
  signal?: AbortSignal;
}

export const API_BASE = '/api';
/** Refresh this long before the access token expires. */
const REFRESH_SKEW_MS = 30_000;

type FetchFn = typeof fetch;
let fetchImpl: FetchFn = (...args) => globalThis.fetch(...args);
/** For tests. */
export function setFetch(f: FetchFn): void {
  fetchImpl = f;
}

let onSessionExpired: (() => void) | null = null;
/** Called when the refresh token is no longer accepted (the user must log in again). */
export function setOnSessionExpired(cb: (() => void) | null): void {
  onSessionExpired = cb;
}

export function buildUrl(path: string, query?: Query): string {
  const url = path.startsWith('http') ? path : API_BASE + path;
  if (!query) return url;
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '') continue;
    params.set(k, String(v));
  }
  const qs = params.toString();
  return qs ? `${url}?${qs}` : url;
}

async function parse<T>(res: Response): Promise<ApiResult<T>> {
  const text = res.status === 204 ? '' : await res.text();
  return parseText<T>(res.status, res.ok, text, res.headers.get('X-Request-Id') ?? undefined);
}

/** The envelope of an answer already read as text (fetch's and XMLHttpRequest's alike). */
function parseText<T>(status: number, okStatus: boolean, text: string, requestId: string | undefined): ApiResult<T> {
  let body: unknown = undefined;
  if (text) {
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
  }
  const env = (body && typeof body === 'object' ? body : {}) as {
    success?: boolean;
    data?: unknown;
    pagination?: Pagination;
    error?: { code?: string; message?: string; details?: FieldError[] };
    requestId?: string;
  };
  if (okStatus && env.success !== false) {
    return { data: env.data as T, pagination: env.pagination, status };
  }
  const err = env.error ?? {};
  throw new ApiError(
    status,
    err.code ?? (status >= 500 ? 'INTERNAL' : 'ERROR'),
    err.message ?? defaultMessage(status),
    Array.isArray(err.details) ? err.details : [],
    env.requestId ?? requestId,
    env.data,
  );
}

function defaultMessage(status: number): string {
  switch (status) {
    case 401:
      return 'Please log in again.';
    case 403:
      return 'You are not allowed to do that.';
    case 404:
      return 'Not found.';
    case 413:
      return 'The file is too large.';
    case 429:
      return 'Too many requests, please try again shortly.';
    case 502:
    case 503:
    case 504:
      return 'The shop is temporarily unavailable. Please try again.';
    default:
      return `Request failed (${status}).`;
  }
}

async function send(method: string, path: string, opts: RequestOptions, token: string | null): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...(opts.headers ?? {}) };
  let body: string | undefined;
  if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (token) headers['Authorization'] = `Bearer ${token}`;
  try {
    return await fetchImpl(buildUrl(path, opts.query), { method, headers, body, signal: opts.signal, credentials: 'same-origin' });
  } catch (e) {
    if ((e as Error)?.name === 'AbortError') throw e;
    throw new ApiError(0, 'NETWORK', 'Cannot reach the shop. Check your connection and try again.');
  }
}

let refreshing: Promise<Session | null> | null = null;

/**
 * Exchanges the refresh token for a new pair. One refresh at a time (per tab, and across tabs
 * where the Web Locks API exists) because refresh tokens rotate and a reused one revokes the family.
 */
export function refreshSession(): Promise<Session | null> {
  if (!refreshing) {
    const run = async (): Promise<Session | null> => {
      const before = getSession();
      reloadSession(); // another tab may have refreshed already
      const s = getSession();
      if (!s) return null;
      if (before && s.accessToken !== before.accessToken && s.expiresAt - Date.now() > REFRESH_SKEW_MS) return s;
      const res = await send('POST', '/auth/refresh', { body: { refreshToken: s.refreshToken }, auth: 'none' }, null);
      try {
        const { data } = await parse<TokenResponse>(res);
        const next = sessionFromTokens(data);
        setSession(next);
        return next;
      } catch (e) {
        if (e instanceof ApiError && (e.status === 400 || e.status === 401 || e.status === 403)) {
          setSession(null);
          onSessionExpired?.();
          return null;
        }
        throw e;
      }
    };
    const locks = (globalThis.navigator as Navigator | undefined)?.locks;
    const p: Promise<Session | null> = locks
      ? (async () => (await locks.request('storefront-refresh', run)) as Session | null)()
      : run();
    refreshing = p.finally(() => {
      refreshing = null;
    });
  }
  return refreshing;
}

async function validToken(): Promise<string | null> {
  const s = getSession();
  if (!s) return null;
  if (s.expiresAt - Date.now() > REFRESH_SKEW_MS) return s.accessToken;
  const next = await refreshSession();
  return next?.accessToken ?? null;
}

export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResult<T>> {
  const useAuth = opts.auth !== 'none';
  const token = useAuth ? await validToken() : null;
  let res = await send(method, path, opts, token);
  if (res.status === 401 && useAuth && token) {
    // the token may have been revoked or the clock is off: refresh once and retry
    const next = await refreshSession();
    if (next) res = await send(method, path, opts, next.accessToken);
  }
  return parse<T>(res);
}

export const api = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) => request<T>('GET', path, { ...opts, query }).then((r) => r.data),
  page: <T>(path: string, query?: Query, opts: RequestOptions = {}) =>
    request<T[]>('GET', path, { ...opts, query }).then((r) => ({
      items: Array.isArray(r.data) ? r.data : [],
      pagination: r.pagination ?? { page: 1, limit: Array.isArray(r.data) ? r.data.length : 0, total: Array.isArray(r.data) ? r.data.length : 0 },
    })),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('POST', path, { ...opts, body }).then((r) => r.data),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) => request<T>('PUT', path, { ...opts, body }).then((r) => r.data),
  del: <T = unknown>(path: string, opts: RequestOptions = {}) => request<T>('DELETE', path, opts).then((r) => r.data),
};

// ---- uploads: fetch cannot report upload progress, XMLHttpRequest can ----

export interface UploadProgress {
  loaded: number;
  total: number;
}

export interface UploadOptions {
  /** The multipart field name (default "file"). */
  field?: string;
  onProgress?: (p: UploadProgress) => void;
  signal?: AbortSignal;
}

type XhrFactory = () => XMLHttpRequest;
let xhrFactory: XhrFactory = () => new XMLHttpRequest();
/** For tests. */
export function setXhrFactory(f: XhrFactory): void {
  xhrFactory = f;
}

function sendFile(path: string, file: Blob, name: string | undefined, opts: UploadOptions, token: string | null) {
  return new Promise<{ status: number; text: string; requestId?: string }>((resolve, reject) => {
    const xhr = xhrFactory();
    xhr.open('POST', buildUrl(path));
    xhr.setRequestHeader('Accept', 'application/json');
    if (token) xhr.setRequestHeader('Authorization', `Bearer ${token}`);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) opts.onProgress?.({ loaded: e.loaded, total: e.total });
    };
    xhr.onload = () =>
      resolve({ status: xhr.status, text: xhr.responseText ?? '', requestId: xhr.getResponseHeader('X-Request-Id') ?? undefined });
    xhr.onerror = () => reject(new ApiError(0, 'NETWORK', 'Cannot reach the shop. Check your connection and try again.'));
    xhr.onabort = () => reject(new DOMException('The upload was cancelled', 'AbortError'));
    opts.signal?.addEventListener('abort', () => xhr.abort(), { once: true });
    const form = new FormData();
    // the browser writes the multipart boundary itself: no Content-Type header here
    if (name !== undefined) form.append(opts.field ?? 'file', file, name);
    else form.append(opts.field ?? 'file', file);
    xhr.send(form);
  });
}

/**
 * POSTs one file as multipart/form-data with upload progress, with the session's token like
 * {@link request} (refreshed when about to expire, and once more on a 401), and answers the envelope's data.
 */
export async function uploadFile<T>(path: string, file: Blob, opts: UploadOptions = {}): Promise<T> {
  const name = file instanceof File ? file.name : undefined;
  const token = await validToken();
  let res = await sendFile(path, file, name, opts, token);
  if (res.status === 401 && token) {
    const next = await refreshSession();
    if (next) res = await sendFile(path, file, name, opts, next.accessToken);
  }
  return parseText<T>(res.status, res.status >= 200 && res.status < 300, res.text, res.requestId).data;
}
