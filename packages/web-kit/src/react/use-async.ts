import { useCallback, useEffect, useRef, useState } from 'react';

export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: unknown };

/**
 * Runs `load` on mount and whenever `key` changes (the key names what `load` reads, e.g. a card id);
 * `reload()` runs it again. Answers that arrive after a newer run started are dropped.
 */
export function useAsync<T>(load: () => Promise<T>, key: string) {
  const [state, setState] = useState<AsyncState<T>>({ status: 'loading' });
  const generation = useRef(0);
  const latest = useRef(load);
  latest.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the trigger; `load` is read through a ref.
  const run = useCallback(() => {
    const mine = ++generation.current;
    setState({ status: 'loading' });
    latest.current().then(
      (data) => mine === generation.current && setState({ status: 'ok', data }),
      (error: unknown) => mine === generation.current && setState({ status: 'error', error }),
    );
  }, [key]);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  return { state, reload: run };
}
