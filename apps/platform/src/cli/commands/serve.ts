import type { PlatformConfig } from '../../config.js';
import { runPlatform } from '../../main.js';
import { onShutdownSignal } from '../../shutdown-signals.js';
import { type CliIo, UsageError } from '../cli-io.js';

/**
 * `mycard platform`: runs the platform alone, prints where everything is, then runs until SIGINT or
 * SIGTERM and closes gracefully (in-flight requests finish). The whole system with the reference
 * merchant is `npm start` (the @mycard/stack launcher), which owns the signals of its process.
 */
export async function serve(config: PlatformConfig, io: CliIo, args: string[]): Promise<number> {
  if (args.length) throw new UsageError(`unexpected argument "${args[0]}"`);
  const running = await runPlatform(config);
  onShutdownSignal((signal) => {
    running.platform.app.log.info({ signal }, 'shutting down');
    return running.close();
  });
  const address = running.platform.app.server.address();
  const base = config.publicUrl;
  io.stdout(
    [
      '',
      `My Card platform is up (${config.mode} mode, ${config.identity} identity, ${running.platform.ctx.dialect})`,
      `  listening  ${typeof address === 'object' && address ? `${address.address}:${address.port}` : String(address)}`,
      `  wallet     ${base}/wallet`,
      `  console    ${base}/console`,
      `  API docs   ${base}/docs`,
      `  JWKS       ${base}/.well-known/jwks.json`,
      `  health     ${base}/readyz   metrics ${base}/metrics`,
      '',
      'Press Ctrl+C to stop.',
      '',
    ].join('\n'),
  );
  await running.closed;
  return 0;
}
