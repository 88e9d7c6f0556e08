/**
 * A tiny history router for the wallet's few screens. Paths live under the app's base `/wallet/`
 * (the platform serves index.html for every deep link, e.g. `/wallet/bindings/callback`).
 */
export const BASE = '/wallet/';

export interface CallbackParams {
  token: string;
  channelId: string;
  status: string;
  /** Set by the wallet once a card was added (the token is gone): reloading the page shows that card. */
  added: string;
}

export type Route =
  | { name: 'cards' }
  | { name: 'card'; bindingId: string }
  | { name: 'add'; query: string }
  | { name: 'program'; channelId: string }
  | { name: 'callback'; params: Partial<CallbackParams> }
  | { name: 'mycode' }
  | { name: 'inbox' }
  | { name: 'message'; channelId: string; messageId: string }
  | { name: 'bundle'; bundleId: string }
  | { name: 'notFound' };

/** The route for a location. A LINE-mode callback may land on the LIFF root with its query, so any page carrying `token` and `status` is the callback. */
export function parseRoute(pathname: string, search: string): Route {
  const query = new URLSearchParams(search);
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname.replace(/^\/+/, '');
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  const callbackParams = (): Partial<CallbackParams> => ({
    token: query.get('token') ?? undefined,
    channelId: query.get('channelId') ?? undefined,
    status: query.get('status') ?? undefined,
    added: query.get('added') ?? undefined,
  });
  if (parts[0] === 'bindings' && parts[1] === 'callback' && parts.length === 2) {
    return { name: 'callback', params: callbackParams() };
  }
  if (parts.length === 0) {
    if (query.has('token') && query.has('status')) return { name: 'callback', params: callbackParams() };
    return { name: 'cards' };
  }
  const [head, id] = parts;
  if (head === 'cards' && parts.length === 2 && id !== undefined) return { name: 'card', bindingId: id };
  if (head === 'add' && parts.length === 1) return { name: 'add', query: query.get('q') ?? '' };
  if (head === 'add' && parts.length === 2 && id !== undefined && /^\d{10}$/.test(id)) {
    return { name: 'program', channelId: id };
  }
  if (parts[0] === 'mycode' && parts.length === 1) return { name: 'mycode' };
  if (head === 'bundles' && parts.length === 2 && id !== undefined && /^bd_[A-Za-z0-9_-]{16}$/.test(id)) {
    return { name: 'bundle', bundleId: id };
  }
  if (head === 'inbox' && parts.length === 1) return { name: 'inbox' };
  if (head === 'inbox' && parts.length === 3 && id !== undefined && /^\d{10}$/.test(id) && parts[2]) {
    return { name: 'message', channelId: id, messageId: parts[2] };
  }
  return { name: 'notFound' };
}

/** The URL path (with query) of a route. */
export function hrefFor(route: Route): string {
  switch (route.name) {
    case 'cards':
      return BASE;
    case 'card':
      return `${BASE}cards/${encodeURIComponent(route.bindingId)}`;
    case 'add':
      return route.query ? `${BASE}add?q=${encodeURIComponent(route.query)}` : `${BASE}add`;
    case 'program':
      return `${BASE}add/${route.channelId}`;
    case 'mycode':
      return `${BASE}mycode`;
    case 'inbox':
      return `${BASE}inbox`;
    case 'bundle':
      return `${BASE}bundles/${encodeURIComponent(route.bundleId)}`;
    case 'message':
      return `${BASE}inbox/${route.channelId}/${encodeURIComponent(route.messageId)}`;
    case 'callback': {
      const q = new URLSearchParams();
      for (const [k, v] of Object.entries(route.params)) if (v !== undefined) q.set(k, v);
      return `${BASE}bindings/callback?${q}`;
    }
    default:
      return BASE;
  }
}
