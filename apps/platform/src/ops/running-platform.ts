import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PlatformConfig } from '../config.js';

/**
 * What a listening platform writes into its data folder (`running-platform.json`, removed when it
 * closes), so that CLI commands run beside it (`mycard program create --json`) print the issuer and
 * JWKS URL of the platform merchants actually talk to, not whatever this shell's environment says.
 */
export interface RunningPlatformInfo {
  /** `MYCARD_PUBLIC_URL` of the running platform: the `iss` of its binding tokens. */
  issuer: string;
  jwksUrl: string;
  pid: number;
  startedAt: string;
}

const FILE = 'running-platform.json';

export function writeRunningPlatform(config: PlatformConfig, now: Date): void {
  const info: RunningPlatformInfo = {
    issuer: config.publicUrl,
    jwksUrl: `${config.publicUrl}/.well-known/jwks.json`,
    pid: process.pid,
    startedAt: now.toISOString(),
  };
  writeFileSync(join(config.dataDir, FILE), `${JSON.stringify(info, null, 2)}\n`);
}

export function removeRunningPlatform(config: PlatformConfig): void {
  try {
    const info = JSON.parse(readFileSync(join(config.dataDir, FILE), 'utf8')) as RunningPlatformInfo;
    if (info.pid === process.pid) rmSync(join(config.dataDir, FILE), { force: true });
  } catch {
    // Nothing written, or another instance's: leave it.
  }
}

/** The running platform of `dataDir`, if one is listening (its process is alive). */
export function readRunningPlatform(dataDir: string): RunningPlatformInfo | undefined {
  let info: RunningPlatformInfo;
  try {
    info = JSON.parse(readFileSync(join(dataDir, FILE), 'utf8')) as RunningPlatformInfo;
  } catch {
    return undefined;
  }
  if (typeof info.issuer !== 'string' || typeof info.pid !== 'number') return undefined;
  try {
    process.kill(info.pid, 0);
  } catch (err) {
    // EPERM: alive but another user's process; anything else: gone (a stale file of a crash).
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
  }
  return info;
}
