import { MyCardApiError, MyCardNetworkError } from '@mycard/merchant';
import { isValidMembershipCode } from '@mycard/protocol';
import { catalogueProblems } from '@mycard/web-kit/i18n-check';
import { describe, expect, it } from 'vitest';
import { requestFingerprint } from '../src/ledger/fingerprint.js';
import { addMonths } from '../src/ledger/lots.js';
import { pointsForAmount } from '../src/ledger/rules.js';
import { tierFor } from '../src/ledger/tiers.js';
import { parseLoginId } from '../src/members/login-id.js';
import { generateMembershipCode } from '../src/members/membership-code.js';
import { hashPassword, verifyPassword } from '../src/members/password.js';
import { backoffMs, classifyFailure } from '../src/sync/classify-failure.js';
import { html, unsafeRaw } from '../src/web/html.js';
import { fromAcceptLanguage, MESSAGES, translator } from '../src/web/i18n.js';

describe('html template', () => {
  it('escapes every interpolation unless it is html itself', () => {
    const evil = `<img src=x onerror="alert('1')">&\``;
    expect(html`<p title="${evil}">${evil}</p>`.toString()).toBe(
      '<p title="&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;">&lt;img src=x onerror=&quot;alert(&#39;1&#39;)&quot;&gt;&amp;&#96;</p>',
    );
    expect(html`<ul>${['<a>', html`<li>ok</li>`]}</ul>`.toString()).toBe('<ul>&lt;a&gt;<li>ok</li></ul>');
    expect(html`${null}${undefined}${false}${0}${unsafeRaw('<br>')}`.toString()).toBe('0<br>');
  });
});

describe('membership codes', () => {
  it.each(['EAN13', 'EAN8', 'ITF', 'CODE39', 'CODE128', 'QRCODE'] as const)(
    'generates valid %s codes',
    (type) => {
      for (let i = 0; i < 200; i++)
        expect(isValidMembershipCode(type, generateMembershipCode(type, '29'))).toBe(true);
    },
  );
  it('starts EAN-13 codes with the in-store prefix', () => {
    expect(generateMembershipCode('EAN13', '29')).toMatch(/^29\d{11}$/);
  });
});

describe('rules', () => {
  it('earns 1 point per 100, rounded down, and picks tiers by spend at the edges', () => {
    const rule = { amountPerStep: 100, pointsPerStep: 1 };
    expect([0, 99, 100, 199, 1050, 10_000_000].map((a) => pointsForAmount(a, rule))).toEqual([
      0, 0, 1, 1, 10, 100_000,
    ]);
    const tiers = [
      { name: 'Silver', minSpend: 100 },
      { name: 'Gold', minSpend: 1000 },
    ];
    expect([0, 99, 100, 999, 1000, 5000].map((p) => tierFor(p, tiers))).toEqual([
      undefined,
      undefined,
      'Silver',
      'Silver',
      'Gold',
      'Gold',
    ]);
    expect(tierFor(5000, [])).toBeUndefined();
  });

  it('adds calendar months in UTC, clamping the day to the month', () => {
    const at = (iso: string, months: number) => addMonths(new Date(iso), months).toISOString();
    expect(at('2026-01-31T10:00:00.000Z', 1)).toBe('2026-02-28T10:00:00.000Z');
    expect(at('2028-01-31T10:00:00.000Z', 1)).toBe('2028-02-29T10:00:00.000Z');
    expect(at('2026-03-15T23:59:59.999Z', 12)).toBe('2027-03-15T23:59:59.999Z');
    expect(at('2026-03-31T00:00:00.000Z', -1)).toBe('2026-02-28T00:00:00.000Z');
    expect(at('2026-12-01T00:00:00.000Z', 1)).toBe('2027-01-01T00:00:00.000Z');
  });
  it('fingerprints requests independent of key order', () => {
    expect(requestFingerprint({ a: 1, b: 'x' })).toBe(requestFingerprint({ b: 'x', a: 1 }));
    expect(requestFingerprint({ a: 1 })).not.toBe(requestFingerprint({ a: 2 }));
  });
});

describe('logins and passwords', () => {
  it('normalizes e-mail and phone logins', () => {
    expect(parseLoginId(' Amy@Example.COM ')).toEqual({ kind: 'email', value: 'amy@example.com' });
    expect(parseLoginId('+886 912-345-678')).toEqual({ kind: 'phone', value: '+886912345678' });
    expect(parseLoginId('12')).toBeUndefined();
    expect(parseLoginId('a@b')).toBeUndefined();
  });
  it('hashes with scrypt and verifies', async () => {
    const stored = await hashPassword('pässword');
    expect(stored).toMatch(/^scrypt\$32768\$8\$1\$/);
    expect(await verifyPassword('pässword', stored)).toBe(true);
    expect(await verifyPassword('password', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('i18n', () => {
  it('defines every key in all four languages', () => {
    const keys = Object.keys(MESSAGES.en).sort();
    for (const messages of Object.values(MESSAGES)) expect(Object.keys(messages).sort()).toEqual(keys);
  });
  it('writes every message in valid ICU syntax with the arguments of English', () => {
    for (const messages of Object.values(MESSAGES))
      expect(catalogueProblems(MESSAGES.en, messages)).toEqual([]);
    expect(catalogueProblems(MESSAGES.en, { ...MESSAGES.en, hello: 'Hello, {nom}' })).toEqual([
      'hello: arguments {nom} differ from English {name}',
    ]);
  });
  it('fills values as text and keeps a message without its values as written', () => {
    const t = translator('en');
    expect(t('hello', { name: '<b>Ann</b>' })).toBe('Hello, <b>Ann</b>');
    expect(t('posBalance')).toBe(MESSAGES.en.posBalance);
    expect(translator('ja')('pointsValue', { points: 1200 })).toBe(
      MESSAGES.ja.pointsValue.replace('{points}', '1200'),
    );
  });
  it('negotiates Accept-Language', () => {
    expect(fromAcceptLanguage('zh-Hant-TW,zh;q=0.9', 'en')).toBe('zh-TW');
    expect(fromAcceptLanguage('fr,th;q=0.5', 'en')).toBe('th');
    expect(fromAcceptLanguage('de', 'ja')).toBe('ja');
    expect(fromAcceptLanguage(undefined, 'en')).toBe('en');
  });
});

describe('outbox failure policy', () => {
  it('classifies platform answers', () => {
    expect(classifyFailure(new MyCardApiError({ returnCode: '3008', status: 409 }))).toBe('stale');
    expect(classifyFailure(new MyCardApiError({ returnCode: '3003', status: 404 }))).toBe('state');
    expect(classifyFailure(new MyCardApiError({ returnCode: '2101', status: 400 }))).toBe('permanent');
    expect(classifyFailure(new MyCardApiError({ returnCode: '9000', status: 500 }))).toBe('retry');
    expect(classifyFailure(new MyCardNetworkError('timeout', 't'))).toBe('retry');
  });
  it('backs off exponentially with a cap', () => {
    const mid = () => 0.5;
    expect([1, 2, 3, 10, 30].map((a) => backoffMs(a, 1000, 60_000, mid))).toEqual([
      1000, 2000, 4000, 60_000, 60_000,
    ]);
  });
});

describe('error registry and docs agree', () => {
  it('lists every code with its status in docs/merchant.md', async () => {
    const { readFileSync } = await import('node:fs');
    const { MERCHANT_ERRORS } = await import('../src/errors.js');
    const doc = readFileSync(new URL('../../../docs/merchant.md', import.meta.url), 'utf8');
    const rows = [...doc.matchAll(/^\|\s*`([a-z_]+)`\s*\|\s*(\d{3})\s*\|\s*(.+?)\s*\|$/gm)].map((m) => [
      m[1],
      Number(m[2]),
      m[3],
    ]);
    const registry = Object.entries(MERCHANT_ERRORS).map(([code, e]) => [code, e.status, e.message]);
    expect(rows.sort()).toEqual(registry.sort());
  });
});

describe('EAN-13 barcode', () => {
  it('encodes guards, parity by the first digit and right-hand R codes (95 modules)', async () => {
    const { ean13Modules, ean13Svg } = await import('../src/web/ean13-svg.js');
    const modules = ean13Modules('4901234567894');
    expect(modules).toHaveLength(95);
    expect(modules.slice(0, 3)).toBe('101');
    expect(modules.slice(45, 50)).toBe('01010');
    expect(modules.slice(92)).toBe('101');
    // First digit 4 → parity LGLLGG; second digit 9 in L = 0001011, third digit 0 in G = 0100111.
    expect(modules.slice(3, 10)).toBe('0001011');
    expect(modules.slice(10, 17)).toBe('0100111');
    // Right half: digit 4 in R = 1011100 (last digit, before the end guard).
    expect(modules.slice(85, 92)).toBe('1011100');
    expect(ean13Svg('4901234567894', 'code <x>').toString()).toContain('aria-label="code &lt;x&gt;"');
  });
});

describe('operator create command', () => {
  it('adds a till login that can sign in, and refuses without a password', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const { operatorCreateCommand } = await import('../src/cli/operator-create.js');
    const dataDir = mkdtempSync(join(tmpdir(), 'merchant-cli-'));
    try {
      const input = { dataDir, sessionSecret: 'x'.repeat(32) };
      await expect(
        operatorCreateCommand(['--username', 'anna', '--name', 'Anna'], input, undefined),
      ).rejects.toThrow(/MYCARD_MERCHANT_OPERATOR_PASSWORD/);
      expect(
        await operatorCreateCommand(['--username', 'anna', '--name', 'Anna'], input, 'till-pass-1'),
      ).toBe('operator anna created');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
