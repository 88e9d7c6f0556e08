import { createHash, randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { BrowserContext, Route } from 'playwright-core';

/** LINE's fixed addresses the wallet (through the LIFF SDK) and the platform speak to. */
const LIFF_URL = 'https://liff.line.me/';
const AUTHORIZE_URL = 'https://access.line.me/oauth2/v2.1/authorize';
const TOKEN_URL = 'https://api.line.me/oauth2/v2.1/token';
export const LINE_ISSUER = 'https://access.line.me';

export interface LineUser {
  sub: string;
  name: string;
}

export interface FakeLine {
  /** The JWKS the platform fetches (MYCARD_LINE_JWKS_URL): a loopback server of the test. */
  jwksUrl: string;
  /** The LIFF id and LINE Login channel id the platform is configured with. */
  liffId: string;
  channelId: string;
  /** Every request the browser tried to send off the machine (should stay empty). */
  escaped: string[];
  /** What the fake LINE saw, in order: `login`, `token`, `liff-url`. */
  seen: string[];
  /** The LIFF URLs (`https://liff.line.me/…`) the browser opened. */
  liffUrls: string[];
  /**
   * Serves LINE to one browser context: the LIFF SDK chunk of the wallet is replaced by the fake
   * SDK below, LINE Login (authorize → code) signs `user` in, the token endpoint exchanges the code
   * (PKCE S256 checked) for an ID token signed with the fake issuer's key, and a LIFF URL
   * (`https://liff.line.me/<liffId>/<path>`) redirects to the endpoint with `liff.state`, as LINE
   * does. Every other request that would leave the machine is aborted and recorded.
   */
  serve(context: BrowserContext, options: { endpointUrl: string; user: LineUser }): Promise<void>;
  close(): Promise<void>;
}

/**
 * A local stand-in for LINE (issue 11 item 16): the platform verifies the ID tokens against this
 * JWKS exactly as it does LINE's (ES256, iss https://access.line.me, aud the channel id).
 */
export async function startFakeLine(): Promise<FakeLine> {
  const { publicKey, privateKey } = await generateKeyPair('ES256');
  const kid = 'fake-line-key';
  const jwk = { ...(await exportJWK(publicKey)), kid, alg: 'ES256', use: 'sig' };
  const server: Server = createServer((req, res) => {
    if (req.url === '/oauth2/v2.1/certs') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [jwk] }));
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  const channelId = '1657000000';
  const liffId = `${channelId}-FakeLiff`;
  const escaped: string[] = [];
  const seen: string[] = [];
  const liffUrls: string[] = [];
  /** Codes LINE Login handed out: code → the login request it answers. */
  const codes = new Map<string, { user: LineUser; redirectUri: string; challenge: string; nonce?: string }>();

  const idToken = (user: LineUser, nonce?: string) => {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ name: user.name, amr: ['linesso'], ...(nonce ? { nonce } : {}) })
      .setProtectedHeader({ alg: 'ES256', typ: 'JWT', kid })
      .setIssuer(LINE_ISSUER)
      .setAudience(channelId)
      .setSubject(user.sub)
      .setIssuedAt(now)
      .setExpirationTime(now + 3600)
      .sign(privateKey);
  };

  async function serve(context: BrowserContext, options: { endpointUrl: string; user: LineUser }) {
    const endpoint = new URL(options.endpointUrl);
    const local = (url: string) => {
      const { hostname } = new URL(url);
      return hostname === '127.0.0.1' || hostname === 'localhost';
    };
    await context.route(
      (url) => !local(url.href) && !['data:', 'blob:'].includes(url.protocol),
      async (route: Route) => {
        const url = new URL(route.request().url());
        if (url.href.startsWith(LIFF_URL)) {
          // https://liff.line.me/<liffId>/<path>?<query> → <endpoint>?liff.state=/<path>?<query>
          seen.push('liff-url');
          liffUrls.push(url.href);
          const [, id, ...rest] = url.pathname.split('/');
          if (id !== liffId) return route.fulfill({ status: 404, body: 'unknown LIFF app' });
          const state = `/${rest.join('/')}${url.search}`;
          const target = new URL(endpoint);
          target.searchParams.set('liff.state', state);
          return route.fulfill({ status: 302, headers: { location: target.href } });
        }
        if (url.origin + url.pathname === AUTHORIZE_URL) {
          seen.push('login');
          const q = url.searchParams;
          const redirectUri = q.get('redirect_uri') ?? '';
          if (
            q.get('response_type') !== 'code' ||
            q.get('client_id') !== channelId ||
            q.get('code_challenge_method') !== 'S256' ||
            !redirectUri.startsWith(endpoint.origin)
          ) {
            return route.fulfill({ status: 400, body: 'bad authorize request' });
          }
          const code = randomBytes(16).toString('base64url');
          codes.set(code, {
            user: options.user,
            redirectUri,
            challenge: q.get('code_challenge') ?? '',
            ...(q.get('nonce') ? { nonce: q.get('nonce') ?? '' } : {}),
          });
          const back = new URL(redirectUri);
          back.searchParams.set('code', code);
          back.searchParams.set('state', q.get('state') ?? '');
          back.searchParams.set('liffClientId', channelId);
          back.searchParams.set('liffRedirectUri', redirectUri);
          return route.fulfill({ status: 302, headers: { location: back.href } });
        }
        if (url.href === TOKEN_URL && route.request().method() === 'POST') {
          seen.push('token');
          const form = new URLSearchParams(route.request().postData() ?? '');
          const grant = codes.get(form.get('code') ?? '');
          codes.delete(form.get('code') ?? '');
          const verifier = form.get('code_verifier') ?? '';
          const challenge = createHash('sha256').update(verifier).digest('base64url');
          if (
            !grant ||
            form.get('grant_type') !== 'authorization_code' ||
            form.get('client_id') !== channelId ||
            form.get('redirect_uri') !== grant.redirectUri ||
            challenge !== grant.challenge
          ) {
            return route.fulfill({
              status: 400,
              contentType: 'application/json',
              headers: { 'access-control-allow-origin': '*' },
              body: JSON.stringify({ error: 'invalid_grant' }),
            });
          }
          return route.fulfill({
            status: 200,
            contentType: 'application/json',
            headers: { 'access-control-allow-origin': '*' },
            body: JSON.stringify({
              access_token: randomBytes(24).toString('base64url'),
              token_type: 'Bearer',
              expires_in: 2592000,
              scope: 'openid profile',
              id_token: await idToken(grant.user, grant.nonce),
            }),
          });
        }
        escaped.push(url.href);
        return route.abort('blockedbyclient');
      },
    );
    // The wallet imports @line/liff as its own chunk (assets/liff-<hash>.js): the fake SDK replaces it.
    await context.route(
      (url) => local(url.href) && /\/wallet\/assets\/liff-[^/]*\.js$/.test(url.pathname),
      (route) =>
        route.fulfill({
          status: 200,
          contentType: 'text/javascript; charset=utf-8',
          body: fakeLiffSdk({ channelId, endpointPath: endpoint.pathname }),
        }),
    );
  }

  return {
    jwksUrl: `http://127.0.0.1:${port}/oauth2/v2.1/certs`,
    liffId,
    channelId,
    escaped,
    seen,
    liffUrls,
    serve,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * The fake LIFF SDK (an ES module, default export `liff`, like @line/liff): the part of LIFF v2's
 * browser protocol the wallet relies on. `init` completes the LIFF URL's secondary redirect
 * (`liff.state`) and, back from LINE Login with `code` and `state`, exchanges the code at LINE's
 * token endpoint with the PKCE verifier, stores the tokens and cleans the address; `login` sends
 * the page to LINE Login (authorization code + PKCE S256); `logout` forgets the tokens.
 */
function fakeLiffSdk(options: { channelId: string; endpointPath: string }): string {
  return `
const CHANNEL = ${JSON.stringify(options.channelId)};
const ENDPOINT_PATH = ${JSON.stringify(options.endpointPath.replace(/\/$/, ''))};
let key = '';
let tokens = null;
const b64url = (bytes) => btoa(String.fromCharCode(...new Uint8Array(bytes))).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, '');
const random = () => b64url(crypto.getRandomValues(new Uint8Array(32)));
const liff = {
  async init({ liffId }) {
    key = 'fake-liff:' + liffId;
    tokens = JSON.parse(localStorage.getItem(key) || 'null');
    const url = new URL(location.href);
    const state = url.searchParams.get('liff.state');
    if (state !== null) {
      location.replace(location.origin + ENDPOINT_PATH + (state.startsWith('/') ? state : '/' + state));
      return new Promise(() => {});
    }
    const code = url.searchParams.get('code');
    if (code !== null) {
      const pending = JSON.parse(sessionStorage.getItem(key + ':pending') || 'null');
      sessionStorage.removeItem(key + ':pending');
      if (!pending || pending.state !== url.searchParams.get('state')) throw new Error('LIFF: login state mismatch');
      const response = await fetch('https://api.line.me/oauth2/v2.1/token', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: pending.redirectUri, client_id: CHANNEL, code_verifier: pending.verifier }),
      });
      if (!response.ok) throw new Error('LIFF: token exchange failed (' + response.status + ')');
      tokens = await response.json();
      localStorage.setItem(key, JSON.stringify(tokens));
      for (const name of ['code', 'state', 'liffClientId', 'liffRedirectUri']) url.searchParams.delete(name);
      history.replaceState(history.state, '', url.pathname + url.search + url.hash);
    }
  },
  isLoggedIn() { return tokens !== null; },
  login(options = {}) {
    const verifier = random();
    const state = random();
    const redirectUri = options.redirectUri || location.href;
    sessionStorage.setItem(key + ':pending', JSON.stringify({ verifier, state, redirectUri }));
    crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier)).then((digest) => {
      const q = new URLSearchParams({ response_type: 'code', client_id: CHANNEL, redirect_uri: redirectUri, state, scope: 'openid profile', code_challenge: b64url(digest), code_challenge_method: 'S256' });
      location.href = 'https://access.line.me/oauth2/v2.1/authorize?' + q;
    });
  },
  logout() { tokens = null; localStorage.removeItem(key); },
  getIDToken() { return tokens ? tokens.id_token : null; },
  getDecodedIDToken() {
    if (!tokens) return null;
    const part = tokens.id_token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(decodeURIComponent(escape(atob(part))));
  },
  getLanguage() { return navigator.language; },
};
export default liff;
export { liff };
`;
}
