import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as protocol from '../src/index.js';

const SRC = join(import.meta.dirname, '..', 'src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory()
      ? sources(join(dir, entry.name))
      : entry.name.endsWith('.ts')
        ? [join(dir, entry.name)]
        : [],
  );
}

describe('purity (STYLE.md: pure core)', () => {
  it.each(sources(SRC).map((f) => [f.slice(SRC.length + 1), f]))(
    '%s has no node:*, process, Buffer or I/O',
    (_, file) => {
      // Code only: TSDoc examples may well show fetch() or process.env on the caller's side.
      const text = readFileSync(file, 'utf8')
        .replace(/\/\*[\s\S]*?\*\//g, '')
        .replace(/^\s*\/\/.*$/gm, '');
      expect(text).not.toMatch(/from ['"]node:/);
      expect(text).not.toMatch(/\bprocess\.(env|argv|exit)/);
      expect(text).not.toMatch(/\bBuffer\./);
      expect(text).not.toMatch(/\bfetch\(/);
      expect(text).not.toMatch(/\brequire\(/);
    },
  );

  it('index.ts only re-exports', () => {
    const lines = readFileSync(join(SRC, 'index.ts'), 'utf8').split('\n').filter(Boolean);
    for (const line of lines) expect(line).toMatch(/^export \* from '\.\/[a-z-]+\.js';$/);
  });

  it('does not re-export internal helpers', () => {
    expect(protocol).not.toHaveProperty('decodeBase64');
    expect(protocol).not.toHaveProperty('isCryptoKey');
  });
});
