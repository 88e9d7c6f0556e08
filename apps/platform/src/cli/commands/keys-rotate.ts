import type { PlatformConfig } from '../../config.js';
import { rotateSigningKeys } from '../../keys/signing-key-store.js';
import { type CliIo, parseJsonFlag } from '../cli-io.js';

/**
 * `mycard keys rotate`: a new ES256 signing key becomes current; the previous one stays published in
 * the JWKS for the binding-token lifetime plus skew, so tokens it signed still verify. A running
 * platform picks the new file up within seconds. In production this also creates the first key.
 */
export async function keysRotate(config: PlatformConfig, io: CliIo, args: string[]): Promise<number> {
  const json = parseJsonFlag(args);
  // Same retention as the server's key store (app.ts): token lifetime + 120 s of skew.
  const publishRetiredFor = config.bindingTtl + 120;
  const { kid, retired } = await rotateSigningKeys(config.signingKeysFile, publishRetiredFor);
  if (json)
    io.stdout(`${JSON.stringify({ kid, retired, file: config.signingKeysFile, publishRetiredFor })}\n`);
  else {
    io.stdout(`new signing key ${kid} in ${config.signingKeysFile}\n`);
    for (const r of retired) io.stdout(`retired ${r} (published for another ${publishRetiredFor} s)\n`);
  }
  return 0;
}
