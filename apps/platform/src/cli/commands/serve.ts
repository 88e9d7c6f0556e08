import type { PlatformConfig } from '../../config.js';
import { runPlatform } from '../../main.js';
import type { CliIo } from '../cli-io.js';

/**
 * `mycard start` (the whole system) and `mycard platform` (the platform alone). Until the merchant
 * system joins `start`, both run the platform. Prints where everything is, then runs until SIGINT or
 * SIGTERM and closes gracefully.
 */
export async function serve(config: PlatformConfig, io: CliIo, what: 'start' | 'platform'): Promise<number> {
  const running = await runPlatform(config);
  const address = running.platform.app.server.address();
  const base = config.publicUrl;
  io.stdout(
    [
      '',
      `My Card ${what === 'start' ? 'is up' : 'platform is up'} (${config.mode} mode, ${config.identity} identity, ${running.platform.ctx.dialect})`,
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
