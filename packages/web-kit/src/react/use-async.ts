import { useCallback, useEffect, useRef, useState } from 'react';

/** Where the latest run of a load is. */
export type AsyncState<T> =
  | { status: 'loading' }
  | { status: 'ok'; data: T }
  | { status: 'error'; error: unknown };

export interface AsyncResult<T> {
  /** The latest run: loading, its data, or its error (a screen that shows one thing at a time). */
  state: AsyncState<T>;
  /** The data of the last run that succeeded, kept while a reload runs or fails. */
  data: T | undefined;
  /** The latest run's error, if it failed. */
  error: unknown;
  loading: boolean;
  /** Runs the load again. */
  reload(): void;
}

/**
 * Runs `load` on mount and whenever `key` changes (the key names what `load` reads, e.g. a card id);
 * `reload()` runs it again. Answers that arrive after a newer run started are dropped.
 */
export function useAsync<T>(load: () => Promise<T>, key: string): AsyncResult<T> {
  const [snapshot, setSnapshot] = useState<{ state: AsyncState<T>; data?: T }>({
    state: { status: 'loading' },
  });
  const generation = useRef(0);
  const latest = useRef(load);
  latest.current = load;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `key` is the trigger; `load` is read through a ref.
  const run = useCallback(() => {
    const mine = ++generation.current;
    setSnapshot((s) => ({ state: { status: 'loading' }, data: s.data }));
    latest.current().then(
      (data) => mine === generation.current && setSnapshot({ state: { status: 'ok', data }, data }),
      (error: unknown) =>
        mine === generation.current &&
        setSnapshot((s) => ({ state: { status: 'error', error }, data: s.data })),
    );
  }, [key]);
  useEffect(() => {
    run();
    return () => {
      generation.current++;
    };
  }, [run]);
  const { state, data } = snapshot;
  return {
    state,
    data,
    error: state.status === 'error' ? state.error : undefined,
    loading: state.status === 'loading',
    reload: run,
  };
}
