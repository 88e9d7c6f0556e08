import { ApiError } from '@mycard/web-kit';
import type { AsyncState } from '@mycard/web-kit/react';
import { useCallback, useEffect, useRef, useState } from 'react';

/** How often an open card or the list asks whether it changed (§11: a change shows within 5 s). */
export const LIVE_POLL_MS = 3000;

/**
 * A GET that stays live (PROTOCOL.md §11): loads `path`, then asks again every {@link LIVE_POLL_MS}
 * while the page is visible, with `If-None-Match` — the platform answers 304 without a body while
 * nothing changed, so an open wallet costs one small request every 3 s and no rendering. A change
 * (a points update, the card removed elsewhere) shows without a reload. A failed poll keeps what is
 * shown; the next one tries again. `pick` takes the value out of the envelope's `info`.
 */
export function useLive<T>(
  path: string,
  pick: (info: unknown) => T,
): { state: AsyncState<T>; reload(): void } {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const etag = useRef<string | null>(null);
  const pickRef = useRef(pick);
  pickRef.current = pick;

  const fetchOnce = useCallback(
    async (conditional: boolean): Promise<void> => {
      const headers: Record<string, string> = { accept: 'application/json' };
      if (conditional && etag.current) headers['if-none-match'] = etag.current;
      const response = await fetch(path, { credentials: 'same-origin', cache: 'no-store', headers });
      if (response.status === 304) return;
      const envelope = (await response.json().catch(() => undefined)) as
        | { returnCode?: string; returnMessage?: string; info?: unknown }
        | undefined;
      if (!response.ok || envelope?.returnCode !== '0000') {
        throw new ApiError(envelope?.returnCode ?? 'BAD_RESPONSE', response.status, {
          message: envelope?.returnMessage ?? '',
        });
      }
      etag.current = response.headers.get('etag');
      setState({ status: 'ok', data: pickRef.current(envelope.info) });
    },
    [path],
  );

  const reload = useCallback(() => {
    etag.current = null;
    setState({ status: 'loading' });
    fetchOnce(false).catch((error: unknown) => setState({ status: 'error', error }));
  }, [fetchOnce]);

  useEffect(() => {
    reload();
    let stopped = false;
    const poll = () => {
      if (stopped || document.visibilityState !== 'visible') return;
      fetchOnce(true).catch((error: unknown) => {
        // The card is gone or no longer this user's: say so; anything else waits for the next poll.
        if (error instanceof ApiError && (error.returnCode === '4004' || error.returnCode === '4003')) {
          setState({ status: 'error', error });
        }
      });
    };
    const timer = setInterval(poll, LIVE_POLL_MS);
    document.addEventListener('visibilitychange', poll);
    return () => {
      stopped = true;
      clearInterval(timer);
      document.removeEventListener('visibilitychange', poll);
    };
  }, [reload, fetchOnce]);

  return { state, reload };
}
