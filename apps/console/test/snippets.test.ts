import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FLOW_DIAGRAM, guideSteps, PLACEHOLDER_CONTEXT, platformUrlOf } from '../src/lib/snippets.js';

const guide = readFileSync(new URL('../../../docs/integration-guide.md', import.meta.url), 'utf8');

describe('integration guide snippets', () => {
  it('are filled with the program’s channel id and the platform URL, with no placeholder left', () => {
    const steps = guideSteps({ channelId: '9876543210', platformUrl: 'https://cards.example.net' });
    const all = steps.map((s) => s.code).join('\n');
    expect(all).not.toMatch(/\{\{\w+\}\}/);
    expect(all).not.toContain('1234567890');
    const byId = Object.fromEntries(steps.map((s) => [s.id, s.code]));
    expect(byId.client).toContain("MYCARD_CHANNEL_ID = '9876543210'");
    expect(byId.client).toContain("MYCARD_URL = 'https://cards.example.net'");
    expect(byId['binding-page']).toContain("channelId: '9876543210'");
    expect(byId['binding-page']).toContain("issuer: 'https://cards.example.net'");
    expect(byId['binding-page']).toContain("jwksUrl: 'https://cards.example.net/.well-known/jwks.json'");
    expect(byId.webhook).toContain("channelId: '9876543210'");
    expect(byId.install).toContain('npm install https://cards.example.net/sdk/mycard-merchant.tgz');
  });

  it('use the SDK’s exported functions', () => {
    const all = guideSteps(PLACEHOLDER_CONTEXT)
      .map((s) => s.code)
      .join('\n');
    for (const name of ['createMyCardClient', 'verifyBindingRequest', 'verifyWebhook', 'buildCancelUrl']) {
      expect(all).toContain(name);
    }
    for (const call of [
      'mycard.apply(',
      'mycard.updateProfile(',
      'mycard.unbind(',
      'mycard.resolveOneTimeKey(',
    ]) {
      expect(all).toContain(call);
    }
  });

  it('are the ones docs/integration-guide.md shows, with the same diagram', () => {
    expect(guide).toContain(FLOW_DIAGRAM);
    for (const step of guideSteps(PLACEHOLDER_CONTEXT)) {
      expect(guide, step.id).toContain(`\`\`\`${step.lang}\n${step.code}\n\`\`\``);
    }
  });
});

describe('platformUrlOf', () => {
  it('derives the platform URL from the JWKS URL, keeping a path prefix', () => {
    expect(platformUrlOf('https://mycard.example/.well-known/jwks.json', 'http://x')).toBe(
      'https://mycard.example',
    );
    expect(platformUrlOf('https://a.example/mc/.well-known/jwks.json', 'http://x')).toBe(
      'https://a.example/mc',
    );
    expect(platformUrlOf('/.well-known/jwks.json', 'http://127.0.0.1:3000')).toBe('http://127.0.0.1:3000');
    expect(platformUrlOf(undefined, 'http://127.0.0.1:3000/')).toBe('http://127.0.0.1:3000');
  });
});
