import { ApiError } from './api-error.js';

/** The part of `fetch` the client needs (tests pass their own). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RequestOptions {
  /** Sent as JSON with `content-type: application/json`. */
  json?: unknown;
  /** A raw body (a logo upload) with its own content type. */
  body?: Blob | ArrayBuffer | Uint8Array;
  contentType?: string;
  signal?: AbortSignal;
}

export interface ApiClient {
  request<T>(method: Method, path: string, options?: RequestOptions): Promise<T>;
  get<T>(path: string): Promise<T>;
  /** A POST with a JSON body (`{}` when none is given). */
  post<T>(path: string, json?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
  /** A plain-text resource (a PEM), still with the error envelope on failure. */
  text(path: string): Promise<string>;
}

export interface ApiClientOptions {
  fetch?: FetchLike;
  /** Prefix of every path; '' (the default) for same origin. */
  baseUrl?: string;
}

const isReturnCode = (value: unknown): value is string => typeof value === 'string' && /^\d{4}$/.test(value);

/**
 * The platform's HTTP client for the web apps: same-origin `fetch` with the session cookie, JSON
 * bodies on every state-changing call (the platform's CSRF guard wants `content-type:
 * application/json` and a same-origin `Origin`, protocol-notes "CSRF"), and the envelope
 * `{returnCode, returnMessage, info}` unwrapped: `info` on `0000`, an {@link ApiError} otherwise.
 *
 * @example
 * ```ts
 * const api = createApiClient();
 * const { cards } = await api.get<{ cards: Card[] }>('/v1/cards');
 * ```
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const baseUrl = options.baseUrl ?? '';

  async function send(method: Method, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/json' };
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['content-type'] = options.contentType ?? 'application/octet-stream';
      body = options.body as BodyInit;
    } else if (method !== 'GET' && method !== 'DELETE') {
      // A state-changing call without a body still declares JSON, so the CSRF guard accepts it.
      headers['content-type'] = 'application/json';
      body = '{}';
    }
    try {
      return await doFetch(baseUrl + path, {
        method,
        headers,
        body,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') throw error;
      throw new ApiError('NETWORK', 0, { message: 'The network request failed.' });
    }
  }

  /** The error of a response that is not a success: its envelope's code, else BAD_RESPONSE. */
  function failure(response: Response, envelope: unknown): ApiError {
    const requestId = response.headers.get('x-request-id') ?? undefined;
    const retryAfter = Number(response.headers.get('retry-after'));
    const detail = {
      requestId,
      retryAfter: Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    };
    const { returnCode, returnMessage } = (envelope ?? {}) as {
      returnCode?: unknown;
      returnMessage?: unknown;
    };
    if (!isReturnCode(returnCode))
      return new ApiError('BAD_RESPONSE', response.status, {
        ...detail,
        message: 'The response was not an envelope.',
      });
    return new ApiError(returnCode, response.status, {
      ...detail,
      message: typeof returnMessage === 'string' ? returnMessage : '',
    });
  }

  async function readJson(response: Response): Promise<unknown> {
    try {
      return await response.json();
    } catch {
      return undefined;
    }
  }

  async function request<T>(method: Method, path: string, options?: RequestOptions): Promise<T> {
    const response = await send(method, path, options);
    if (response.ok && response.status === 204) return undefined as T;
    const envelope = await readJson(response);
    if (!response.ok || (envelope as { returnCode?: unknown } | undefined)?.returnCode !== '0000')
      throw failure(response, envelope);
    return (envelope as { info?: unknown }).info as T;
  }

  return {
    request,
    get: (path) => request('GET', path),
    post: (path, json) => request('POST', path, { json: json ?? {} }),
    delete: (path) => request('DELETE', path),
    async text(path) {
      const response = await send('GET', path);
      if (!response.ok) throw failure(response, await readJson(response));
      return response.text();
    },
  };
}
