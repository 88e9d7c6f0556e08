import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defined } from '../../../test-support/defined.js';

const SRC = join(import.meta.dirname, '..', 'src');
const EXPORT = /^export (?:async )?(?:function|const|interface|type|class) (\w+)/gm;

// STYLE.md habit 9: TSDoc with an example on every export of a published package.
describe('TSDoc', () => {
  const files = readdirSync(SRC).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
  it.each(files)('%s documents every export with an @example', (file) => {
    const text = readFileSync(join(SRC, file), 'utf8');
    const undocumented: string[] = [];
    for (const m of text.matchAll(EXPORT)) {
      const before = text.slice(0, m.index).trimEnd();
      const doc = before.endsWith('*/') ? before.slice(before.lastIndexOf('/**')) : '';
      if (!doc.includes('@example')) undocumented.push(defined(m[1]));
    }
    expect(undocumented).toEqual([]);
  });
});
