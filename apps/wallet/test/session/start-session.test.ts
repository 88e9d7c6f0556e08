import { ApiError, createApiClient, type FetchLike } from '@mycard/web-kit';
import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWalletApi } from '../../src/api/wallet-api.js';
import type { LiffLike } from '../../src/session/start-session.js';
import { startSession } from '../../src/session/start-session.js';

// The LIFF SDK expects a browser: give it the little it touches at init.
const memory = new Map<string, string>();
const storage = {
  getItem: (k: string) => memory.get(k) ?? null,
  setItem: (k: string, v: string) => void memory.set(k, v),
  removeItem: (k: string) => void memory.delete(k),
  clear: () => memory.clear(),
};
Object.assign(globalThis, {
  window: globalThis,
  navigator: { userAgent: 'Mozilla/5.0 (Linux; Android 14) Chrome/140', language: 'en-US' },
  document: { cookie: '', referrer: '' },
  location: new URL('https://wallet.test/wallet/'),
  sessionStorage: storage,
  localStorage: storage,
});

// The real @line/liff with @line/liff-mock installed (mock mode switched on at init).
let liff: any;
let loadLiff: () => Promise<LiffLike>;

beforeAll(async () => {
  liff = (await import('@line/liff')).default;
  const { LiffMockPlugin } = await import('@line/liff-mock');
  liff.use(new LiffMockPlugin());
  loadLiff = async () => ({
    init: (config) => liff.init({ ...config, mock: true }),
    isLoggedIn: () => liff.isLoggedIn(),
    login: (options) => liff.login(options),
    logout: () => liff.logout(),
    getIDToken: () => liff.getIDToken(),
    getDecodedIDToken: () => liff.getDecodedIDToken(),
    getLanguage: () => liff.getLanguage(),
    getAppLanguage: () => liff.getAppLanguage(),
  });
});

const ok = (info: unknown) =>
  new Response(JSON.stringify({ returnCode: '0000', returnMessage: 'Success.', info }), { status: 200 });
const refused = (returnCode: string, status: number) =>
  new Response(JSON.stringify({ returnCode, returnMessage: 'x' }), { status });

/** A fake platform: answers by "METHOD path", records the calls. */
function platform(routes: Record<string, () => Response>) {
  const calls: { route: string; body: unknown }[] = [];
  const fetch: FetchLike = async (url, init) => {
    const route = `${init?.method ?? 'GET'} ${url}`;
    calls.push({ route, body: init?.body ? JSON.parse(String(init.body)) : undefined });
    const answer = routes[route];
    return answer ? answer() : refused('4004', 404);
  };
  return { api: createWalletApi(createApiClient({ fetch })), calls };
}

const line = { identity: 'line' as const, liffId: '1234567890-AbcdEfgh' };

describe('LINE mode session (LIFF, with @line/liff-mock)', () => {
  beforeEach(() => {
    liff.$mock.clear();
  });

  it('sends the user to LINE Login when LIFF is not logged in', async () => {
    liff.$mock.set((p: object) => ({ ...p, isLoggedIn: false }));
    const { api, calls } = platform({});
    const outcome = await startSession({
      config: line,
      api,
      loadLiff,
      currentUrl: 'https://wallet.test/wallet/',
    });
    expect(outcome).toEqual({ kind: 'redirecting' });
    expect(calls).toEqual([]);
  });

  it('exchanges the LIFF ID token for a wallet session (POST /v1/session/line)', async () => {
    liff.$mock.set((p: object) => ({
      ...p,
      isLoggedIn: true,
      getIDToken: 'eyJ.liff-id-token.sig',
      getDecodedIDToken: { sub: 'U1234' },
      getAppLanguage: 'ja',
    }));
    const { api, calls } = platform({
      'GET /v1/session': () => refused('4001', 401),
      'POST /v1/session/line': () => ok({ userId: 'line:U1234', displayName: 'Brown', identity: 'line' }),
    });
    const outcome = await startSession({
      config: line,
      api,
      loadLiff,
      currentUrl: 'https://wallet.test/wallet/',
    });
    expect(outcome).toEqual({
      kind: 'signed-in',
      session: { userId: 'line:U1234', displayName: 'Brown', identity: 'line' },
      language: 'ja',
    });
    expect(calls).toEqual([
      { route: 'GET /v1/session', body: undefined },
      { route: 'POST /v1/session/line', body: { idToken: 'eyJ.liff-id-token.sig' } },
    ]);
  });

  it('keeps a session cookie that already belongs to this LINE user', async () => {
    liff.$mock.set((p: object) => ({ ...p, isLoggedIn: true, getDecodedIDToken: { sub: 'U1234' } }));
    const { api, calls } = platform({
      'GET /v1/session': () => ok({ userId: 'line:U1234', displayName: 'Brown' }),
    });
    const outcome = await startSession({
      config: line,
      api,
      loadLiff,
      currentUrl: 'https://wallet.test/wallet/',
    });
    expect(outcome.kind).toBe('signed-in');
    expect(calls.map((c) => c.route)).toEqual(['GET /v1/session']);
  });

  it('replaces a session of another user with this LINE user', async () => {
    liff.$mock.set((p: object) => ({
      ...p,
      isLoggedIn: true,
      getIDToken: 'tok',
      getDecodedIDToken: { sub: 'U9' },
    }));
    const { api, calls } = platform({
      'GET /v1/session': () => ok({ userId: 'line:U1234' }),
      'POST /v1/session/line': () => ok({ userId: 'line:U9' }),
    });
    const outcome = await startSession({
      config: line,
      api,
      loadLiff,
      currentUrl: 'https://wallet.test/wallet/',
    });
    expect(outcome).toMatchObject({ kind: 'signed-in', session: { userId: 'line:U9' } });
    expect(calls.map((c) => c.route)).toEqual(['GET /v1/session', 'POST /v1/session/line']);
  });

  it('logs in again once for an expired ID token, and does not loop', async () => {
    liff.$mock.set((p: object) => ({
      ...p,
      isLoggedIn: true,
      getIDToken: 'old',
      getDecodedIDToken: { sub: 'U1' },
    }));
    const routes = {
      'GET /v1/session': () => refused('4001', 401),
      'POST /v1/session/line': () => refused('4001', 401),
    };
    const first = await startSession({ config: line, api: platform(routes).api, loadLiff, currentUrl: 'x' });
    expect(first).toEqual({ kind: 'redirecting' });
    const again = startSession({
      config: line,
      api: platform(routes).api,
      loadLiff,
      currentUrl: 'x',
      alreadyRetried: true,
    });
    await expect(again).rejects.toBeInstanceOf(ApiError);
  });
});

describe('dev mode session', () => {
  const dev = { identity: 'dev' as const, liffId: '' };
  const noLiff = () => Promise.reject(new Error('LIFF must not load in dev mode'));

  it('uses the existing session', async () => {
    const { api } = platform({ 'GET /v1/session': () => ok({ userId: 'dev:alice', displayName: 'Alice' }) });
    expect(await startSession({ config: dev, api, loadLiff: noLiff, currentUrl: 'x' })).toEqual({
      kind: 'signed-in',
      session: { userId: 'dev:alice', displayName: 'Alice' },
    });
  });

  it('asks who to sign in as when there is none', async () => {
    const { api } = platform({ 'GET /v1/session': () => refused('4001', 401) });
    expect(await startSession({ config: dev, api, loadLiff: noLiff, currentUrl: 'x' })).toEqual({
      kind: 'needs-dev-sign-in',
    });
  });

  it('reports other failures', async () => {
    const { api } = platform({ 'GET /v1/session': () => refused('9000', 500) });
    await expect(startSession({ config: dev, api, loadLiff: noLiff, currentUrl: 'x' })).rejects.toMatchObject(
      {
        returnCode: '9000',
      },
    );
  });
});
