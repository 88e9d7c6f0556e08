/**
 * Small binding pages with one deliberate flaw each, for the check kit's own tests. Without a flaw
 * the page is correct: it verifies with @mycard/protocol's verifyBindingToken (the platform JWKS,
 * issuer, aud, nonce, callback), answers 400 on any error, sends `Referrer-Policy: no-referrer`,
 * and shows a sign-in form that applies after "signing in".
 */
import { createServer, type Server } from 'node:http';
import { createMyCardClient } from '@mycard/merchant';
import { type BindingTokenClaims, verifyBindingToken } from '@mycard/protocol';

export type Flaw =
  | 'trusts-token-alg'
  | 'no-expiry-check'
  | 'no-aud-check'
  | 'no-nonce-check'
  | 'no-callback-check'
  | 'redirects-to-query-callback'
  | 'no-missing-check'
  | 'no-referrer-policy'
  | 'token-in-links'
  | 'applies-on-open';

export interface FlawedMerchant {
  url: string;
  close(): Promise<void>;
}

const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

export async function startFlawedMerchant(options: {
  platformUrl: string;
  channelId: string;
  channelSecret: string;
  flaw?: Flaw;
}): Promise<FlawedMerchant> {
  const { platformUrl, channelId, flaw } = options;
  const client = createMyCardClient({
    baseUrl: platformUrl,
    channelId,
    channelSecret: options.channelSecret,
  });
  const jwks = async () => (await fetch(`${platformUrl}/.well-known/jwks.json`)).json();
  const sessions = new Map<string, string>();

  async function verify(q: URLSearchParams): Promise<BindingTokenClaims> {
    const token = q.get('token') ?? '';
    const nonce = q.get('nonce') ?? undefined;
    const callback = q.get('callback') ?? undefined;
    if (flaw !== 'no-missing-check' && (!token || !nonce || !callback)) throw new Error('missing');
    const [h = '', p = ''] = token.split('.');
    if (flaw === 'trusts-token-alg' && decode(h).alg !== 'ES256') return decode(p);
    const claims = decode(p) as BindingTokenClaims;
    return verifyBindingToken(token, {
      keys: await jwks(),
      issuer: platformUrl,
      audience: flaw === 'no-aud-check' ? claims.aud : channelId,
      ...(flaw === 'no-nonce-check' || !nonce ? {} : { nonce }),
      ...(flaw === 'no-callback-check' || !callback ? {} : { callback }),
      ...(flaw === 'no-expiry-check' ? { now: () => new Date(claims.iat * 1000) } : {}),
    });
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    if (flaw !== 'no-referrer-policy') res.setHeader('referrer-policy', 'no-referrer');
    if (url.pathname === '/signin' && req.method === 'POST') {
      const token = sessions.get(req.headers.cookie?.replace(/^sid=/, '') ?? '');
      if (!token) return void res.writeHead(400).end('no binding');
      const applied = await client.apply({ token, membershipCode: 'MEMBER-1' });
      return void res.writeHead(303, { location: applied.callbackUrl }).end();
    }
    if (url.pathname !== '/bind') return void res.writeHead(404).end();
    try {
      const claims = await verify(url.searchParams);
      const token = url.searchParams.get('token') ?? '';
      if (flaw === 'applies-on-open')
        await client.apply({ token, membershipCode: 'MEMBER-1' }).catch(() => {});
      const sid = claims.jti;
      sessions.set(sid, token);
      const help = flaw === 'token-in-links' ? `/help?token=${encodeURIComponent(token)}` : '/help';
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'set-cookie': `sid=${sid}; HttpOnly`,
      });
      res.end(`<!doctype html><title>Sign in</title><form method="post" action="/signin">
<input name="email"><input name="password" type="password"><button>Sign in</button></form><a href="${help}">Help</a>`);
    } catch {
      const callback = url.searchParams.get('callback');
      if (flaw === 'redirects-to-query-callback' && callback) {
        return void res.writeHead(302, { location: `${callback}?status=FAIL` }).end();
      }
      res
        .writeHead(400, { 'content-type': 'text/html' })
        .end('<p>This link is not valid. Start again from the wallet.</p>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/bind`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
