import { readdirSync, readFileSync } from 'node:fs';
import { MyCardError as ProtocolError } from '@mycard/protocol';
import { describe, expect, it } from 'vitest';
import * as sdk from '../src/index.js';

describe('@mycard/merchant entry point', () => {
  it('exports the documented API', () => {
    for (const name of [
      'verifyBindingRequest',
      'createRemoteKeySet',
      'buildCancelUrl',
      'createMyCardClient',
      'verifyWebhook',
      'createWebhookHandler',
      'fastifyWebhook',
      'generateTestSignatureHeaders',
      'createTestBindingRequest',
      'createTestSigningKey',
      'createTestPlatform',
      'signRequest',
    ]) {
      expect(typeof (sdk as Record<string, unknown>)[name], name).toBe('function');
    }
    expect(sdk.MyCardError).toBe(ProtocolError);
    expect(new sdk.MyCardApiError({ returnCode: '3004', status: 409 })).toBeInstanceOf(ProtocolError);
  });

  it('SDK_VERSION is the package version', () => {
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
    expect(sdk.SDK_VERSION).toBe(pkg.version);
  });

  it('src uses no node:* module (runs in browsers and edge runtimes)', () => {
    const dir = new URL('../src/', import.meta.url);
    for (const file of readdirSync(dir)) {
      const text = readFileSync(new URL(file, dir), 'utf8');
      expect(text, file).not.toMatch(/from ['"]node:|require\(/);
    }
  });
});
