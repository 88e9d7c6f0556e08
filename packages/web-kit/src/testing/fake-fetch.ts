import type { FetchLike } from '../api/api-client.js';

/** One request a {@link fakeFetch} saw. */
export interface FetchCall {
  url: string;
  init: RequestInit;
}

/**
 * A `fetch` for tests of code over the API client: answers with `respond(call)` and records every
 * call (URL and init) in `calls`. The client under test stays real; only the network is replaced.
 */
export function fakeFetch(respond: (call: FetchCall) => Response | Promise<Response>) {
  const calls: FetchCall[] = [];
  const fetch: FetchLike = async (url, init = {}) => {
    const call = { url, init };
    calls.push(call);
    return respond(call);
  };
  return { fetch, calls };
}

/** A JSON response (an envelope, usually) with `status` and extra headers. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', ...headers },
  });
}
