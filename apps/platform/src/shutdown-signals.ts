/**
 * The one place a process listens for SIGINT and SIGTERM. The first signal calls `stop` (which drains
 * and closes whatever the process runs); a second signal while stopping exits at once with code 1.
 * Returns a function that removes the handlers (called by itself once `stop` has finished).
 *
 * A process installs this once, at its entry point: `mycard platform` for the platform alone, the
 * `@mycard/stack` launcher for the whole system. Library functions (`runPlatform`, `startMerchant`)
 * never listen for signals themselves, so two servers in one process stop in the order the owner
 * chooses.
 *
 * @example
 * const running = await runPlatform(config);
 * onShutdownSignal(() => running.close());
 * await running.closed;
 */
export function onShutdownSignal(stop: (signal: NodeJS.Signals) => Promise<void> | void): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) process.exit(1);
    stopping = true;
    void Promise.resolve()
      .then(() => stop(signal))
      .finally(remove);
  };
  // The second signal must still find a handler while `stop` runs; remove both only afterwards.
  const remove = () => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return remove;
}
