import type { ClientTimers } from '../../src/index.js';

/**
 * Timers a test drives instead of the wall clock (injected through `createMyCardClient`'s
 * `timers`, not a mock of the SDK): a retry's wait is recorded and returns at once; an attempt's
 * timer runs only when the test calls `expire()`.
 */
export function manualTimers(now = new Date('2026-12-01T09:00:00.000Z')) {
  const sleeps: number[] = [];
  const started: number[] = [];
  const running = new Set<() => void>();
  const timers: ClientTimers = {
    sleep: async (ms) => {
      sleeps.push(ms);
    },
    startTimer(ms, onTimeout) {
      started.push(ms);
      running.add(onTimeout);
      return () => running.delete(onTimeout);
    },
    now: () => now,
  };
  return {
    timers,
    /** Every retry wait asked for, in milliseconds. */
    sleeps,
    /** Every attempt timer started, in milliseconds. */
    started,
    /** Attempt timers neither fired nor cancelled. */
    running: () => running.size,
    /** Lets every running attempt timer run out. */
    expire() {
      const due = [...running];
      running.clear();
      for (const onTimeout of due) onTimeout();
    },
  };
}

/** A promise and the function that resolves it: "the request has reached the platform". */
export function signal(): { reached: Promise<void>; reach: () => void } {
  let reach = () => {};
  const reached = new Promise<void>((resolve) => {
    reach = resolve;
  });
  return { reached, reach };
}
