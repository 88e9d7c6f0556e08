import { useSyncExternalStore } from 'react';
import { hrefFor, parseRoute, type Route } from './router.js';

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function snapshot(): string {
  return location.pathname + location.search;
}

/** Goes to `route` (or a path), adding a history entry unless `replace`. */
export function navigate(to: Route | string, options: { replace?: boolean } = {}): void {
  const href = typeof to === 'string' ? to : hrefFor(to);
  if (options.replace) history.replaceState(null, '', href);
  else history.pushState(null, '', href);
  window.scrollTo(0, 0);
  for (const listener of listeners) listener();
}

/** The current route; re-renders on navigation and back/forward. */
export function useRoute(): Route {
  const href = useSyncExternalStore(subscribe, snapshot);
  const url = new URL(href, location.origin);
  return parseRoute(url.pathname, url.search);
}
