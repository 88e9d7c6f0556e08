import { describe, expect, it } from 'vitest';
import { checkProgramUrl } from '../src/index.js';

describe('checkProgramUrl (PROTOCOL.md §7 program URLs)', () => {
  it.each([
    ['https://shop.example/bind', undefined],
    ['https://shop.example/bind?x=1#y', undefined],
    ['http://localhost:3000/', undefined],
    ['http://127.0.0.1/', undefined],
    ['http://[::1]:8080/', undefined],
    ['http://shop.example/', 'scheme'],
    ['http://localhost.evil.example/', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['JAVASCRIPT:alert(1)', 'scheme'],
    ['data:text/html,<script>alert(1)</script>', 'scheme'],
    ['https://user:pw@shop.example/', 'credentials'],
    ['https://shop.example/a b', 'characters'],
    ['https://shöp.example/', 'characters'],
    ['//shop.example/', 'syntax'],
    ['shop.example', 'syntax'],
    ['', 'characters'],
  ] as const)('%j → %s', (url, problem) => {
    expect(checkProgramUrl(url)).toBe(problem);
  });
});
