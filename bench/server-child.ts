import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { getHeapSpaceStatistics, writeHeapSnapshot } from 'node:v8';

/**
 * The child side of `startServer` (bench/harness.ts): a server script calls `serverReady(info)` once it
 * listens, and `onStop(close)` to close cleanly when the bench stops it (IPC message or SIGTERM).
 */
export function serverReady(info: { url: string } & Record<string, unknown>): void {
  if (!process.send) throw new Error('bench server scripts run under startServer (no IPC channel)');
  enableProfiling();
  process.send({ type: 'ready', info });
}

/**
 * CPU profiles on request (`ServerProcess.profile`): the V8 sampling profiler through the inspector,
 * started and stopped around the measured window only (no start-up, no seeding in the profile).
 */
function enableProfiling(): void {
  let session: Session | undefined;
  process.on('message', async (m: { type?: string; file?: string }) => {
    if (m?.type === 'memory') {
      const spaces = Object.fromEntries(
        getHeapSpaceStatistics().map((s) => [s.space_name, { size: s.space_size, used: s.space_used_size }]),
      );
      process.send?.({ type: 'memory-usage', ...process.memoryUsage(), spaces });
    } else if (m?.type === 'heap-snapshot' && m.file) {
      writeHeapSnapshot(m.file);
      process.send?.({ type: 'heap-snapshot-written' });
    } else if (m?.type === 'profile-start') {
      session = new Session();
      session.connect();
      await session.post('Profiler.enable');
      await session.post('Profiler.setSamplingInterval', { interval: 200 });
      await session.post('Profiler.start');
      process.send?.({ type: 'profile-started' });
    } else if (m?.type === 'profile-stop' && session && m.file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(m.file, JSON.stringify(profile));
      session.disconnect();
      session = undefined;
      process.send?.({ type: 'profile-stopped' });
    }
  });
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
