import { ApiError } from './api-error.js';

/** The part of `fetch` the client needs (tests pass their own). */
export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body?: unknown): Promise<T>;
  delete<T>(path: string): Promise<T>;
}

export interface ApiClientOptions {
  fetch?: FetchLike;
  /** Prefix of every path; '' for same origin. */
  baseUrl?: string;
}

interface Envelope {
  returnCode: string;
  returnMessage?: string;
  info?: unknown;
}

function isEnvelope(value: unknown): value is Envelope {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Envelope).returnCode === 'string' &&
    /^\d{4}$/.test((value as Envelope).returnCode)
  );
}

/**
 * Parses a platform response into its `info`, or throws an {@link ApiError}. Every response body is
 * an envelope (PROTOCOL.md §1); anything else (a proxy's HTML error page, an empty body) becomes
 * BAD_RESPONSE so the UI can still show a support reference.
 */
export async function readEnvelope<T>(response: Response): Promise<T> {
  const requestId = response.headers.get('x-request-id') ?? undefined;
  let body: unknown;
  try {
    body = await response.json();
  } catch {
    throw new ApiError('BAD_RESPONSE', response.status, 'The response was not JSON.', requestId);
  }
  if (!isEnvelope(body)) {
    throw new ApiError('BAD_RESPONSE', response.status, 'The response was not an envelope.', requestId);
  }
  if (body.returnCode !== '0000') {
    throw new ApiError(body.returnCode, response.status, body.returnMessage ?? '', requestId);
  }
  return body.info as T;
}

/**
 * The wallet's HTTP client: same-origin cookies, JSON bodies (the platform's CSRF guard wants
 * `Content-Type: application/json` and a same-origin `Origin`, protocol-notes "CSRF"), envelopes
 * turned into typed errors.
 *
 * @example
 * ```ts
 * const api = createApiClient();
 * const { cards } = await api.get<{ cards: Card[] }>('/v1/cards');
 * ```
 */
export function createApiClient(options: ApiClientOptions = {}): ApiClient {
  const doFetch: FetchLike = options.fetch ?? ((input, init) => fetch(input, init));
  const baseUrl = options.baseUrl ?? '';

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    const init: RequestInit = { method, credentials: 'same-origin', headers, cache: 'no-store' };
    if (body !== undefined) {
      headers['content-type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response: Response;
    try {
      response = await doFetch(baseUrl + path, init);
    } catch {
      throw new ApiError('NETWORK', 0, 'The network request failed.');
    }
    return readEnvelope<T>(response);
  }

  return {
    get: (path) => call('GET', path),
    post: (path, body) => call('POST', path, body ?? {}),
    delete: (path) => call('DELETE', path),
  };
}
