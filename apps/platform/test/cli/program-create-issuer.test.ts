/**
 * `mycard program create --json` prints `issuer` and `jwksUrl` from the running platform's
 * configuration (issue 8): the platform writes them into its data folder while it listens, so a
 * shell with another (or no) MYCARD_PUBLIC_URL still prints what merchants must use.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { startHttpPlatform } from '../helpers/http-platform.js';

async function programCreate(env: NodeJS.ProcessEnv) {
  let stdout = '';
  let stderr = '';
  const code = await main(
    [
      'program',
      'create',
      '--name',
      'Corner Shop',
      '--binding-url',
      'http://localhost:8080/bind',
      '--code-type',
      'QRCODE',
      '--json',
    ],
    {
      env,
      stdout: (t) => {
        stdout += t;
      },
      stderr: (t) => {
        stderr += t;
      },
    },
  );
  return { code, stderr, json: code === 0 ? JSON.parse(stdout) : undefined };
}

describe('mycard program create --json: issuer and jwksUrl', () => {
  it('come from the running platform, not from this shell', async () => {
    const platform = await startHttpPlatform('sqlite');
    const file = join(platform.dataDir, 'running-platform.json');
    const env = { MYCARD_DATA_DIR: platform.dataDir, MYCARD_PUBLIC_URL: 'http://127.0.0.1:1' };
    try {
      expect(existsSync(file)).toBe(true);
      const created = await programCreate(env);
      expect(created.code).toBe(0);
      expect(created.json).toMatchObject({
        issuer: platform.url,
        jwksUrl: `${platform.url}/.well-known/jwks.json`,
      });
      expect(created.stderr).not.toContain('no platform is running');
    } finally {
      await platform.close();
    }
    // Closed: the file is gone, and the command says where its values came from.
    expect(existsSync(file)).toBe(false);
    const offline = await programCreate(env);
    expect(offline.json).toMatchObject({
      issuer: 'http://127.0.0.1:1',
      jwksUrl: 'http://127.0.0.1:1/.well-known/jwks.json',
    });
    expect(offline.stderr).toContain('no platform is running');
  });
});
