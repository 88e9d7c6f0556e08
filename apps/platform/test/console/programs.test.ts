import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defined } from '../../../../test-support/defined.js';
import { bindingRow, DIALECTS, startTestPlatform, type TestPlatform } from '../helpers/platform.js';
import { type ConsoleOperator, call, createTestProgram, signUp, VALID_PROGRAM } from './console-client.js';

const FULL_PROGRAM = {
  name: 'Demo Mart Members',
  codeType: 'CODE128',
  bindingUrl: 'https://shop.example/bind?src=mycard',
  webhookUrl: 'https://shop.example/hooks/mycard',
  colors: { background: '#112233', foreground: '#FFFFFF' },
  detail: {
    kind: 'template',
    description: 'Points on every purchase.',
    benefits: '1 point per 100 yen',
    terms: 'Points expire after a year.',
    contact: 'support@shop.example',
    links: [
      { label: 'Shop', url: 'https://shop.example/' },
      { label: 'Local', url: 'http://localhost:8080/info' },
    ],
  },
  testers: ['dev:alice', 'dev:bob'],
};

describe.each(DIALECTS)('console programs on %s', (dialect) => {
  let platform: TestPlatform;
  let alice: ConsoleOperator;
  let mallory: ConsoleOperator;
  beforeAll(async () => {
    platform = await startTestPlatform(dialect);
    alice = await signUp(platform, 'alice@shop.example');
    mallory = await signUp(platform, 'mallory@other.example');
  });
  afterAll(async () => {
    await platform?.close();
  });

  const programCount = async () =>
    (await platform.ctx.db.selectFrom('programs').select('channel_id').execute()).length;

  it('creates a program with every field and returns its channel id and secret once', async () => {
    const res = await call(platform, alice, 'POST', '/programs', FULL_PROGRAM);
    expect(res.statusCode).toBe(201);
    const { info } = res.json();
    expect(info.channelSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(info.program).toEqual({
      channelId: expect.stringMatching(/^[1-9][0-9]{9}$/),
      name: FULL_PROGRAM.name,
      codeType: 'CODE128',
      status: 'DRAFT',
      bindingUrl: FULL_PROGRAM.bindingUrl,
      webhookUrl: FULL_PROGRAM.webhookUrl,
      // The operator's own organization (made at sign-up, PROTOCOL.md §7).
      organizationId: expect.stringMatching(/^org_[A-Za-z0-9_-]{16}$/),
      colors: FULL_PROGRAM.colors,
      detail: FULL_PROGRAM.detail,
      logoUrl: null,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    // The secret is stored sealed, never in clear text.
    const rows = await platform.ctx.db
      .selectFrom('program_secrets')
      .select('secret_enc')
      .where('channel_id', '=', info.program.channelId)
      .execute();
    expect(rows).toHaveLength(1);
    expect(defined(rows[0]).secret_enc).not.toContain(info.channelSecret);

    const got = await call(platform, alice, 'GET', `/programs/${info.program.channelId}`);
    expect(got.statusCode).toBe(200);
    const detail = got.json().info;
    expect(detail.program).toEqual(info.program);
    expect(detail.testers).toEqual(['dev:alice', 'dev:bob']);
    expect(detail.secret).toEqual({ createdAt: info.program.createdAt, previousExpiresAt: null });
    expect(detail.jwksUrl).toBe('http://127.0.0.1:3000/.well-known/jwks.json');
    expect(detail.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----\n/);
    expect(JSON.stringify(detail)).not.toContain(info.channelSecret);
  });

  it('fills defaults for optional fields and accepts a custom detail page', async () => {
    const minimal = await createTestProgram(platform, alice);
    expect(minimal.program).toMatchObject({
      webhookUrl: null,
      colors: { background: '#0f766e', foreground: '#ffffff' },
      detail: { kind: 'template', description: '', benefits: '', terms: '', contact: '', links: [] },
    });
    const custom = await createTestProgram(platform, alice, {
      detail: { kind: 'custom', url: 'https://shop.example/card' },
      bindingUrl: 'http://127.0.0.1:4000/bind',
    });
    expect(custom.program.detail).toEqual({ kind: 'custom', url: 'https://shop.example/card' });
    const ipv6 = await createTestProgram(platform, alice, { bindingUrl: 'http://[::1]:4000/bind' });
    expect(ipv6.program.bindingUrl).toBe('http://[::1]:4000/bind');
  });

  const invalid: [string, Record<string, unknown>][] = [
    ['a bad URL', { bindingUrl: 'not a url' }],
    ['a relative URL', { bindingUrl: '/bind' }],
    ['http on a non-local host', { bindingUrl: 'http://shop.example/bind' }],
    ['credentials in the URL', { bindingUrl: 'https://user:pass@shop.example/bind' }],
    ['a URL with spaces', { bindingUrl: 'https://shop.example/a b' }],
    ['a too long URL', { bindingUrl: `https://shop.example/${'a'.repeat(2030)}` }],
    ['a javascript: webhook', { webhookUrl: 'javascript:alert(1)' }],
    ['an http webhook', { webhookUrl: 'http://hooks.example/x' }],
    [
      'a javascript: link',
      { detail: { kind: 'template', links: [{ label: 'x', url: 'javascript:alert(1)' }] } },
    ],
    ['a data: custom page', { detail: { kind: 'custom', url: 'data:text/html,<script>1</script>' } }],
    ['an unknown detail kind', { detail: { kind: 'html', html: '<b>x</b>' } }],
    ['an unknown detail field', { detail: { kind: 'template', extra: 'x' } }],
    ['a too long description', { detail: { kind: 'template', description: 'x'.repeat(2001) } }],
    [
      'too many links',
      { detail: { kind: 'template', links: Array(11).fill({ label: 'x', url: 'https://a.example' }) } },
    ],
    ['a bad colour', { colors: { background: 'red', foreground: '#ffffff' } }],
    ['a short colour', { colors: { background: '#fff', foreground: '#ffffff' } }],
    ['an unknown field', { owner: 'me' }],
    ['an empty name', { name: '' }],
    ['a too long name', { name: 'x'.repeat(65) }],
    ['an unknown code type', { codeType: 'UPC' }],
    ['a lower-case code type', { codeType: 'ean13' }],
    ['a tester id with spaces', { testers: ['dev alice'] }],
  ];
  it.each(invalid)('refuses %s with 2101 and stores nothing', async (_label, patch) => {
    const before = await programCount();
    const res = await call(platform, alice, 'POST', '/programs', { ...VALID_PROGRAM, ...patch });
    expect(res.statusCode).toBe(400);
    expect(res.json().returnCode).toBe('2101');
    expect(res.json().info).toBeUndefined();
    expect(await programCount()).toBe(before);
  });

  it('refuses malformed JSON and a wrong content type', async () => {
    const bad = await call(platform, alice, 'POST', '/programs', '{"name":', {
      'content-type': 'application/json',
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().returnCode).toBe('2101');
    // A CORS-simple content type is what a cross-site form could send: refused by the CSRF rule.
    const text = await call(platform, alice, 'POST', '/programs', JSON.stringify(VALID_PROGRAM), {
      'content-type': 'text/plain',
    });
    expect(text.statusCode).toBe(403);
    expect(text.json().returnCode).toBe('4003');
  });

  it('lists only own programs, with binding counts by state', async () => {
    const mine = await createTestProgram(platform, alice, { name: 'Counted' });
    const base = { channel_id: mine.channelId };
    await platform.ctx.db
      .insertInto('bindings')
      .values([
        bindingRow({
          ...base,
          id: 'b1',
          user_id: 'dev:u1',
          state: 'ACTIVE',
          membership_code: '4901234567894',
        }),
        bindingRow({
          ...base,
          id: 'b2',
          user_id: 'dev:u2',
          state: 'ACTIVE',
          membership_code: '4901234567801',
        }),
        bindingRow({ ...base, id: 'b3', user_id: 'dev:u3', state: 'RESERVED' }),
        bindingRow({ ...base, id: 'b4', user_id: 'dev:u4', state: 'CANCELLED' }),
      ])
      .execute();
    await createTestProgram(platform, mallory, { name: 'Not yours' });
    const res = await call(platform, alice, 'GET', '/programs');
    expect(res.statusCode).toBe(200);
    const programs = res.json().info.programs as {
      program: { name: string; channelId: string };
      bindings: unknown;
    }[];
    expect(programs.map((p) => p.program.name)).not.toContain('Not yours');
    const counted = defined(programs.find((p) => p.program.channelId === mine.channelId));
    expect(counted.bindings).toEqual({
      RESERVED: 1,
      APPLIED: 0,
      ACTIVE: 2,
      CANCELLED: 1,
      EXPIRED: 0,
      UNBOUND: 0,
    });
  });

  it("refuses another operator's program (4003) on every program route, and an unknown one (4004)", async () => {
    const { channelId } = await createTestProgram(platform, alice);
    const attempts: [Parameters<typeof call>[2], string, unknown?][] = [
      ['GET', `/programs/${channelId}`],
      ['PATCH', `/programs/${channelId}`, { name: 'Hijacked' }],
      ['POST', `/programs/${channelId}/status`, { status: 'LIVE' }],
      ['PUT', `/programs/${channelId}/testers`, { userIds: ['dev:mallory'] }],
      ['POST', `/programs/${channelId}/secret/reveal`, {}],
      ['POST', `/programs/${channelId}/secret/rotate`, {}],
    ];
    for (const [method, url, payload] of attempts) {
      const res = await call(platform, mallory, method, url, payload);
      expect(res.statusCode, `${method} ${url}`).toBe(403);
      expect(res.json().returnCode).toBe('4003');
    }
    const logo = await call(platform, mallory, 'PUT', `/programs/${channelId}/logo`, Buffer.from('x'), {
      'content-type': 'image/png',
    });
    expect(logo.json().returnCode).toBe('4003');
    const unchanged = await call(platform, alice, 'GET', `/programs/${channelId}`);
    expect(unchanged.json().info.program.name).toBe(VALID_PROGRAM.name);
    expect(unchanged.json().info.program.status).toBe('DRAFT');
    expect(unchanged.json().info.testers).toEqual([]);
    const missing = await call(platform, alice, 'GET', '/programs/1000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().returnCode).toBe('4004');
    const malformed = await call(platform, alice, 'GET', '/programs/abc');
    expect(malformed.json().returnCode).toBe('2101');
  });

  it('refuses a cross-origin program creation (CSRF 4003) and accepts the same origin', async () => {
    const before = await programCount();
    const cross = await call(platform, alice, 'POST', '/programs', VALID_PROGRAM, {
      origin: 'https://evil.example',
    });
    expect(cross.statusCode).toBe(403);
    expect(cross.json().returnCode).toBe('4003');
    const site = await call(platform, alice, 'POST', '/programs', VALID_PROGRAM, {
      'sec-fetch-site': 'cross-site',
    });
    expect(site.json().returnCode).toBe('4003');
    expect(await programCount()).toBe(before);
    const same = await call(platform, alice, 'POST', '/programs', VALID_PROGRAM, {
      origin: 'http://127.0.0.1:3000',
      'sec-fetch-site': 'same-origin',
    });
    expect(same.statusCode).toBe(201);
  });

  it('updates a program; the code type only while DRAFT (3004 afterwards)', async () => {
    const { channelId } = await createTestProgram(platform, alice);
    const res = await call(platform, alice, 'PATCH', `/programs/${channelId}`, {
      name: 'Renamed',
      codeType: 'QRCODE',
      webhookUrl: 'https://shop.example/hook',
      colors: { background: '#000000', foreground: '#ffffff' },
      detail: { kind: 'custom', url: 'https://shop.example/detail' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().info.program).toMatchObject({
      name: 'Renamed',
      codeType: 'QRCODE',
      webhookUrl: 'https://shop.example/hook',
      detail: { kind: 'custom', url: 'https://shop.example/detail' },
    });
    const cleared = await call(platform, alice, 'PATCH', `/programs/${channelId}`, { webhookUrl: null });
    expect(cleared.json().info.program.webhookUrl).toBeNull();
    for (const body of [
      {},
      { bindingUrl: 'http://shop.example/' },
      { name: 'x'.repeat(65) },
      { status: 'LIVE' },
    ]) {
      const bad = await call(platform, alice, 'PATCH', `/programs/${channelId}`, body);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().returnCode).toBe('2101');
    }
    await call(platform, alice, 'POST', `/programs/${channelId}/status`, { status: 'LIVE' });
    const locked = await call(platform, alice, 'PATCH', `/programs/${channelId}`, { codeType: 'EAN8' });
    expect(locked.statusCode).toBe(409);
    expect(locked.json().returnCode).toBe('3004');
    const same = await call(platform, alice, 'PATCH', `/programs/${channelId}`, {
      codeType: 'QRCODE',
      name: 'Live',
    });
    expect(same.statusCode).toBe(200);
    expect(same.json().info.program.name).toBe('Live');
  });
});
