/**
 * The child side of `startServer` (bench/harness.ts): a server script calls `serverReady(info)` once it
 * listens, and `onStop(close)` to close cleanly when the bench stops it (IPC message or SIGTERM).
 */
export function serverReady(info: { url: string } & Record<string, unknown>): void {
  if (!process.send) throw new Error('bench server scripts run under startServer (no IPC channel)');
  process.send({ type: 'ready', info });
}

export function onStop(close: () => Promise<void>): void {
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    try {
      await close();
    } finally {
      process.exit(0);
    }
  };
  process.on('message', (m: { type?: string }) => {
    if (m?.type === 'stop') void stop();
  });
  process.on('SIGTERM', () => void stop());
  process.on('disconnect', () => void stop());
}
