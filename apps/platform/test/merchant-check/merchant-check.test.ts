/**
 * The merchant check kit (issue 8) against the reference merchant (everything passes), a correct
 * small page, and pages with one deliberate flaw each (each fails for its own reason, and only
 * that). The kit reserves real bindings for the program's tester and reads their state from the
 * platform's database to see whether an Apply was made.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMyCardClient } from '@mycard/merchant';
import { startMerchant } from '@mycard/merchant-app';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../../test-support/free-port.js';
import { main } from '../../src/cli/main.js';
import { type CheckOutcome, runMerchantCheck } from '../../src/merchant-check/run-merchant-check.js';
import { type HttpPlatform, startHttpPlatform } from '../helpers/http-platform.js';
import { DIALECTS } from '../helpers/platform.js';
import { type Flaw, startFlawedMerchant } from './flawed-merchant.js';

const TESTER = 'dev:checker';
const LOGIN_SCRIPT = fileURLToPath(new URL('./login-script.mjs', import.meta.url));
const REFUSALS = [
  'alg-none',
  'alg-hs256',
  'other-key',
  'expired',
  'other-audience',
  'nonce-mismatch',
  'callback-mismatch',
  'callback-other-origin',
  'missing-token',
  'missing-nonce',
  'missing-callback',
];

const failed = (outcomes: CheckOutcome[]) => outcomes.filter((o) => o.result === 'fail').map((o) => o.id);
const outcome = (outcomes: CheckOutcome[], id: string) => outcomes.find((o) => o.id === id);

describe.each(DIALECTS)('mycard merchant-check on %s', (dialect) => {
  let platform: HttpPlatform;
  const closers: (() => Promise<unknown>)[] = [];

  beforeAll(async () => {
    platform = await startHttpPlatform(dialect);
  });
  afterAll(async () => {
    for (const close of closers.reverse()) await close();
    await platform?.close();
  });

  async function sandboxProgram(bindingUrl = 'http://localhost:9/bind') {
    return platform.program({ status: 'DRAFT', testers: [TESTER], bindingUrl, codeType: 'CODE128' });
  }

  async function check(flaw: Flaw | undefined, loginScript?: string) {
    const creds = await sandboxProgram();
    const merchant = await startFlawedMerchant({
      platformUrl: platform.url,
      ...creds,
      ...(flaw ? { flaw } : {}),
    });
    closers.push(merchant.close);
    return runMerchantCheck(platform.ctx, {
      channelId: creds.channelId,
      bindingUrl: merchant.url,
      ...(loginScript ? { loginScript } : {}),
    });
  }

  it('passes the reference merchant (Demo Mart) on every case; the sign-in is left to a person', async () => {
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    const creds = await sandboxProgram(`${publicUrl}/mycard/bind`);
    const dataDir = mkdtempSync(join(tmpdir(), 'mycard-check-merchant-'));
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const merchant = await startMerchant({
      port,
      publicUrl,
      dataDir,
      platformUrl: platform.url,
      issuer: platform.url,
      jwksUrl: `${platform.url}/.well-known/jwks.json`,
      channelId: creds.channelId,
      channelSecret: creds.channelSecret,
      codeType: 'CODE128',
      logLevel: 'silent',
      sessionSecret: 'merchant-check-session-secret-0123456789',
      sync: { pollMs: 0 },
    });
    closers.push(merchant.close);
    const outcomes = await runMerchantCheck(platform.ctx, { channelId: creds.channelId });
    expect(failed(outcomes)).toEqual([]);
    expect(outcomes.map((o) => o.id)).toEqual([
      ...REFUSALS,
      'valid-request',
      'referrer-policy',
      'token-not-in-links',
      'no-apply-before-sign-in',
      'sign-in-and-apply',
    ]);
    expect(outcome(outcomes, 'sign-in-and-apply')?.result).toBe('manual');
  });

  it('passes a correct page, and with --login-script checks the sign-in and Apply too', async () => {
    const outcomes = await check(undefined, LOGIN_SCRIPT);
    expect(failed(outcomes)).toEqual([]);
    expect(outcome(outcomes, 'sign-in-and-apply')).toMatchObject({
      result: 'pass',
      detail: 'APPLIED by the login script',
    });
  });

  it.each<[Flaw, string[]]>([
    ['trusts-token-alg', ['alg-none', 'alg-hs256']],
    ['no-expiry-check', ['expired']],
    ['no-aud-check', ['other-audience']],
    ['no-nonce-check', ['nonce-mismatch']],
    ['no-callback-check', ['callback-mismatch', 'callback-other-origin']],
    ['no-missing-check', ['missing-nonce', 'missing-callback']],
    ['no-referrer-policy', ['referrer-policy']],
    ['token-in-links', ['token-not-in-links']],
    ['applies-on-open', ['no-apply-before-sign-in']],
  ])('a page with the flaw %s fails exactly %j', async (flaw, expected) => {
    const outcomes = await check(flaw);
    expect(failed(outcomes)).toEqual(expected);
    for (const id of expected) {
      expect(outcome(outcomes, id)?.fix, id).toEqual(expect.any(String));
    }
  });

  it('reports an Apply made from an edited request (the binding left RESERVED)', async () => {
    const outcomes = await check('no-nonce-check');
    expect(outcome(outcomes, 'nonce-mismatch')?.detail).toBe('answered 200: a page instead of an error');
    const applied = await check('applies-on-open');
    expect(outcome(applied, 'no-apply-before-sign-in')?.detail).toBe(
      'the binding is APPLIED after merely opening the page',
    );
  });

  it('catches an error path that redirects to the query callback (open redirect)', async () => {
    const outcomes = await check('redirects-to-query-callback');
    expect(outcome(outcomes, 'callback-other-origin')).toMatchObject({
      result: 'fail',
      detail: 'redirected to https://attacker.invalid/wallet/bindings/callback?status=FAIL',
    });
    // Every refused request went off-site; only the one without a callback stayed an error page.
    expect(failed(outcomes)).toEqual(REFUSALS.filter((id) => id !== 'missing-callback'));
  });

  it('refuses a LIVE program and a program without tester, changing nothing', async () => {
    const live = await platform.program({ status: 'LIVE' });
    await expect(runMerchantCheck(platform.ctx, { channelId: live.channelId })).rejects.toThrow(/DRAFT/);
    const lonely = await platform.program({ status: 'DRAFT' });
    await expect(runMerchantCheck(platform.ctx, { channelId: lonely.channelId })).rejects.toThrow(
      /no tester/,
    );
    const rows = await platform.ctx.db
      .selectFrom('bindings')
      .select('id')
      .where('channel_id', 'in', [live.channelId, lonely.channelId])
      .execute();
    expect(rows).toEqual([]);
  });

  it('says what to do when the tester already holds the card', async () => {
    const creds = await sandboxProgram();
    const wallet = await platform.wallet(TESTER.replace(/^dev:/, ''));
    const reserved = await wallet.reserve(creds.channelId);
    const client = createMyCardClient({ baseUrl: platform.url, ...creds, maxRetries: 0 });
    const applied = await client.apply({ token: reserved.token, membershipCode: 'HELD-1' });
    const done = await wallet.post('/v1/bindings/complete', {
      token: applied.completionToken,
      channelId: creds.channelId,
      status: 'SUCCESS',
    });
    expect(done.status).toBe(200);
    await expect(runMerchantCheck(platform.ctx, { channelId: creds.channelId })).rejects.toThrow(
      /already holds this program's card/,
    );
  });

  it('`mycard merchant-check --help` prints its usage and touches nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'mycard-check-help-'));
    closers.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    let stdout = '';
    const code = await main(['merchant-check', '--help'], {
      env: { MYCARD_DATA_DIR: dataDir },
      stdout: (t) => {
        stdout += t;
      },
      stderr: () => {},
    });
    expect(code).toBe(0);
    expect(stdout).toContain('usage: mycard merchant-check --program CHANNEL_ID');
    expect(readdirSync(dataDir)).toEqual([]);
  });
});
