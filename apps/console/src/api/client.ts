import { ApiError, supportReference } from './api-error.js';

/**
 * The console's HTTP client: same-origin `fetch` with the session cookie, JSON bodies on every
 * state-changing call (the API's CSRF rule: JSON content type + same Origin), and the protocol's
 * envelope `{returnCode, returnMessage, info}` unwrapped — `info` on `0000`, an {@link ApiError}
 * otherwise.
 */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface RequestOptions {
  /** Sent as JSON with `Content-Type: application/json`. */
  json?: unknown;
  /** A raw body (logo upload) with its own content type. */
  body?: Blob | ArrayBuffer | Uint8Array;
  contentType?: string;
  signal?: AbortSignal;
}

export interface ApiClient {
  request<T>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    path: string,
    options?: RequestOptions,
  ): Promise<T>;
  /** A plain-text resource (the PEM), still with the error envelope on failure. */
  text(path: string): Promise<string>;
}

export function createApiClient(
  fetchImpl: FetchLike = (input, init) => globalThis.fetch(input, init),
): ApiClient {
  async function send(method: string, path: string, options: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Accept: 'application/json' };
    let body: BodyInit | undefined;
    if (options.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.body !== undefined) {
      headers['Content-Type'] = options.contentType ?? 'application/octet-stream';
      body = options.body as BodyInit;
    } else if (method !== 'GET' && method !== 'DELETE') {
      // A state-changing call without a body still declares JSON, so the CSRF guard accepts it.
      headers['Content-Type'] = 'application/json';
      body = '{}';
    }
    try {
      return await fetchImpl(path, {
        method,
        headers,
        body,
        credentials: 'same-origin',
        cache: 'no-store',
        ...(options.signal ? { signal: options.signal } : {}),
      });
    } catch (err) {
      if (err instanceof DOMException && err.name === 'AbortError') throw err;
      throw new ApiError('NETWORK', 0, supportReference('NETWORK', null));
    }
  }

  async function fail(res: Response): Promise<never> {
    let code = res.status >= 500 ? '9000' : `HTTP${res.status}`;
    try {
      const envelope = (await res.json()) as { returnCode?: unknown };
      if (typeof envelope.returnCode === 'string' && /^\d{4}$/.test(envelope.returnCode))
        code = envelope.returnCode;
    } catch {
      // Not an envelope (a proxy's error page): keep the status-derived code.
    }
    const retryAfter = Number(res.headers.get('retry-after'));
    throw new ApiError(
      code,
      res.status,
      supportReference(code, res.headers.get('x-request-id')),
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  return {
    async request<T>(method: string, path: string, options?: RequestOptions): Promise<T> {
      const res = await send(method, path, options);
      if (!res.ok) return fail(res);
      if (res.status === 204) return undefined as T;
      let envelope: { returnCode?: unknown; info?: unknown };
      try {
        envelope = (await res.json()) as typeof envelope;
      } catch {
        throw new ApiError('9000', res.status, supportReference('9000', res.headers.get('x-request-id')));
      }
      if (envelope.returnCode !== '0000') {
        const code = typeof envelope.returnCode === 'string' ? envelope.returnCode : '9000';
        throw new ApiError(code, res.status, supportReference(code, res.headers.get('x-request-id')));
      }
      return envelope.info as T;
    },
    async text(path: string): Promise<string> {
      const res = await send('GET', path);
      if (!res.ok) return fail(res);
      return res.text();
    },
  };
}
